/** Every state change of a case, each a thin use of the engine: authorize → applyChange → notify. */
import { AppError } from '../../../../src/shared/errors'
import type { casesApi } from '../../../../src/shared/api/cases'
import {
  LEVEL_LABELS,
  SATISFACTION_LABELS,
  nextLevel,
  nextStatus,
  statusLabel,
  resolveDeadline,
  type CaseAction,
} from '../../../../src/shared/rules/cases'
import { formatShort } from '../../../../src/shared/time'
import type { HandlersOf } from '../../runtime/serve'
import type { Ctx } from '../../runtime/context'
import { gridsById } from '../common/places'
import { requireCleanText } from '../common/content'
import { communityStaff, notifyPeople, streetStaff } from '../common/notify'
import { applyChange, authorize, caseLink, detailOf, entry, isHandler, loadCase, loadVisible, viewerOf, type CaseDoc } from './model'
import { bumpStats, outcomeDelta } from './stats'

type H = HandlersOf<typeof casesApi>

async function answer(ctx: Ctx, c: CaseDoc) {
  const grids = await gridsById(ctx, c.gridId ? [c.gridId] : [])
  // After escalating or transferring, the caller may no longer handle the case: shape the answer
  // for who they are now (an observer sees the phone masked), never as handler by default.
  const viewer = viewerOf(ctx.user, c) ?? 'owner'
  return detailOf(ctx, c, viewer, new Map([...grids.values()].map((g) => [g._id, g.name])))
}

/** The people who handle a case at a level: the grid's workers, the community staff, or the street. */
export async function handlersAt(ctx: Ctx, c: CaseDoc, level = c.level): Promise<string[]> {
  if (level === 'grid' && c.gridId) return (await gridsById(ctx, [c.gridId])).get(c.gridId)?.workerIds ?? []
  if (level === 'street') return streetStaff(ctx, c.streetId)
  return communityStaff(ctx, c.communityId)
}

export async function tellOwner(ctx: Ctx, c: CaseDoc, what: string): Promise<void> {
  if (c.ownerId === ctx.openid) return
  await notifyPeople(ctx, [c.ownerId], {
    title: `您的纠纷${statusLabel(c.kind, c.status)}`,
    body: what,
    link: caseLink(c),
    ref: `case:${c._id}`,
    template: 'case_progress',
    fields: { thing1: `${c.category}纠纷`, phrase2: statusLabel(c.kind, c.status), thing3: what.slice(0, 20) },
  })
}

/** A plain transition: authorize, compute the next status, write, tell the resident. */
async function transition(
  ctx: Ctx,
  input: { id: string; version: number },
  action: CaseAction,
  opts: { note?: string | null; patch?: (c: CaseDoc, now: Date) => Partial<CaseDoc>; tell?: (c: CaseDoc) => string; priv?: boolean } = {},
) {
  const c = await loadCase(ctx, input.id)
  authorize(ctx, c, action)
  const now = ctx.clock.now()
  const to = nextStatus(action, c)
  const next = await applyChange(ctx, c, input.version, { status: to, ...(opts.patch?.(c, now) ?? {}) }, entry(ctx, action, c.status, to, opts.note ?? null, opts.priv))
  if (opts.tell) await tellOwner(ctx, next, opts.tell(next))
  return next
}

export const accept: H['accept'] = async (input, ctx) => {
  // The first acceptance counts towards 按期受理率: on time = before the accept deadline, never overdue.
  let firstOnTime: boolean | null = null
  const c = await transition(ctx, input, 'accept', {
    patch: (c0, now) => {
      if (c0.acceptedAt === null) firstOnTime = !c0.overdue && !!c0.dueAt && now.getTime() <= c0.dueAt.getTime()
      return { acceptedAt: c0.acceptedAt ?? now, assigneeId: ctx.openid, assigneeName: ctx.user?.name ?? null }
    },
    tell: (n) => `${n.assigneeName ?? '工作人员'}已受理，将在 ${n.dueAt ? formatShort(n.dueAt) : '时限内'} 前办结`,
  })
  if (firstOnTime !== null) await bumpStats(ctx, c, { accepted: 1, ...(firstOnTime ? { acceptedOnTime: 1 } : {}) })
  return answer(ctx, c)
}

export const start: H['start'] = async (input, ctx) =>
  answer(ctx, await transition(ctx, input, 'start', { tell: () => '调解员已开始调解，请保持电话畅通' }))

export const resolve: H['resolve'] = async (input, ctx) => {
  await requireCleanText(ctx, input.agreement, 'agreement')
  let delta: ReturnType<typeof outcomeDelta> = {}
  const c = await transition(ctx, input, 'resolve', {
    note: input.agreement,
    patch: (c0, now) => {
      delta = outcomeDelta(c0.countedOutcome, 'resolved')
      return { agreement: input.agreement, resolvedAt: now, countedOutcome: 'resolved' }
    },
    tell: () => '调解已达成协议，请在 7 天内评价',
  })
  if (Object.keys(delta).length) await bumpStats(ctx, c, delta)
  return answer(ctx, c)
}

export const fail: H['fail'] = async (input, ctx) => {
  await requireCleanText(ctx, input.reason, 'reason')
  let delta: ReturnType<typeof outcomeDelta> = {}
  const c = await transition(ctx, input, 'fail', {
    note: input.reason,
    patch: (c0) => {
      delta = outcomeDelta(c0.countedOutcome, 'failed')
      return { failReason: input.reason, countedOutcome: 'failed' }
    },
    tell: () => '本次调解未能达成一致，工作人员会告知后续途径',
  })
  if (Object.keys(delta).length) await bumpStats(ctx, c, delta)
  return answer(ctx, c)
}

export const withdraw: H['withdraw'] = async (input, ctx) => {
  if (input.reason) await requireCleanText(ctx, input.reason, 'reason')
  const c = await transition(ctx, input, 'withdraw', { note: input.reason ?? null, patch: (_c, now) => ({ closedAt: now }) })
  await notifyPeople(ctx, c.assigneeId ? [c.assigneeId] : await handlersAt(ctx, c), {
    title: '居民已撤回纠纷',
    body: `${c.location.text}：${c.category}`,
    link: caseLink(c),
    ref: `case:${c._id}`,
    template: 'case_progress',
    fields: { thing1: `${c.category}纠纷`, phrase2: '已撤回', thing3: '居民撤回' },
  })
  return answer(ctx, c)
}

export const refer: H['refer'] = async (input, ctx) => {
  await requireCleanText(ctx, input.note, 'note')
  const c = await transition(ctx, input, 'refer', {
    note: `转人民调解委员会：${input.note}`,
    patch: (_c, now) => ({ closedAt: now }),
    tell: () => '已转交人民调解委员会继续调解',
  })
  return answer(ctx, c)
}

export const escalate: H['escalate'] = async (input, ctx) => {
  await requireCleanText(ctx, input.reason, 'reason')
  const c0 = await loadCase(ctx, input.id)
  authorize(ctx, c0, 'escalate')
  const to = nextLevel(c0.level)
  if (!to) throw new AppError('PRECONDITION_FAILED', '已在街道层级，不能再上报；可转人民调解委员会')
  const now = ctx.clock.now()
  const c = await applyChange(
    ctx,
    c0,
    input.version,
    { status: 'submitted', level: to, assigneeId: null, assigneeName: null, levelSince: now },
    entry(ctx, 'escalate', c0.status, 'submitted', `上报至${LEVEL_LABELS[to]}：${input.reason}`),
  )
  await notifyPeople(ctx, await handlersAt(ctx, c, to), {
    title: `${LEVEL_LABELS[c0.level]}上报的纠纷待受理`,
    body: `${c.location.text}：${c.category}。上报原因：${input.reason}`,
    link: caseLink(c),
    ref: `case:${c._id}`,
    template: 'case_new',
    fields: { thing1: `${c.category}纠纷`, time2: formatShort(now), thing3: `${LEVEL_LABELS[c0.level]}上报` },
  })
  await tellOwner(ctx, c, `已上报${LEVEL_LABELS[to]}继续办理`)
  return answer(ctx, c)
}

export const markComplex: H['markComplex'] = async (input, ctx) => {
  await requireCleanText(ctx, input.reason, 'reason')
  const c0 = await loadCase(ctx, input.id)
  if (!isHandler(ctx.user, c0)) throw new AppError('FORBIDDEN', '该事项目前不由您承办')
  if (!['accepted', 'mediating'].includes(c0.status)) throw new AppError('PRECONDITION_FAILED', '受理后、办结前才能标记为复杂案件')
  if (c0.complex) throw new AppError('PRECONDITION_FAILED', '已标记为复杂案件')
  const c = await applyChange(ctx, c0, input.version, { complex: true }, entry(ctx, 'markComplex', c0.status, c0.status, input.reason))
  await tellOwner(ctx, c, `案情复杂，办结时限延长至 ${formatShort(resolveDeadline(c.levelSince ?? c.submittedAt, true, c.pausedMs))}`)
  return answer(ctx, c)
}

export const addNote: H['addNote'] = async (input, ctx) => {
  await requireCleanText(ctx, input.text, 'text')
  const c0 = await loadCase(ctx, input.id)
  if (!isHandler(ctx.user, c0)) throw new AppError('FORBIDDEN', '该事项目前不由您承办')
  if (['closed', 'withdrawn'].includes(c0.status)) throw new AppError('PRECONDITION_FAILED', '已办结的事项不能再添加备注')
  const c = await applyChange(ctx, c0, input.version, {}, entry(ctx, 'note', c0.status, c0.status, input.text, !input.shared))
  if (input.shared) await tellOwner(ctx, c, input.text)
  return answer(ctx, c)
}

export const reassign: H['reassign'] = async (input, ctx) => {
  const c0 = await loadCase(ctx, input.id)
  const user = ctx.user!
  if (user.address.communityId !== c0.communityId) throw new AppError('NOT_FOUND', '没有找到该事项，可能无权查看')
  if (!['submitted', 'accepted', 'mediating'].includes(c0.status) || c0.level === 'street') {
    throw new AppError('PRECONDITION_FAILED', '当前状态不能转办')
  }
  let level: CaseDoc['level'] = 'community'
  let gridName = '社区'
  if (input.gridId) {
    const grid = (await gridsById(ctx, [input.gridId])).get(input.gridId)
    if (!grid || grid.communityId !== c0.communityId) throw new AppError('INVALID_INPUT', '所选网格不属于本社区', [{ path: 'gridId', message: '所选网格不属于本社区' }])
    if (grid.workerIds.length === 0) throw new AppError('PRECONDITION_FAILED', '该网格暂无网格员，不能转办')
    level = 'grid'
    gridName = grid.name
  }
  const now = ctx.clock.now()
  const c = await applyChange(
    ctx,
    c0,
    input.version,
    { gridId: input.gridId ?? c0.gridId, level, status: 'submitted', assigneeId: null, assigneeName: null, levelSince: now },
    entry(ctx, 'reassign', c0.status, 'submitted', `转办至${gridName}：${input.note}`),
  )
  await notifyPeople(ctx, await handlersAt(ctx, c), {
    title: '有转办的纠纷待受理',
    body: `${c.location.text}：${c.category}。${input.note}`,
    link: caseLink(c),
    ref: `case:${c._id}`,
    template: 'case_new',
    fields: { thing1: `${c.category}纠纷`, time2: formatShort(now), thing3: '转办' },
  })
  await tellOwner(ctx, c, `已转交${gridName}办理`)
  return answer(ctx, c)
}

export const rate: H['rate'] = async (input, ctx) => {
  if (input.comment) await requireCleanText(ctx, input.comment, 'comment')
  const c0 = await loadCase(ctx, input.id)
  if (c0.ownerId !== ctx.openid) {
    const visible = await loadVisible(ctx, input.id).catch(() => null)
    throw new AppError(visible ? 'FORBIDDEN' : 'NOT_FOUND', visible ? '只有提交人可以评价' : '没有找到该事项，可能无权查看')
  }
  authorize(ctx, c0, 'rate')
  const to = nextStatus('rate', c0, { satisfaction: input.satisfaction })
  const reopened = to === 'mediating'
  const now = ctx.clock.now()
  const label = SATISFACTION_LABELS[input.satisfaction]
  const c = await applyChange(
    ctx,
    c0,
    input.version,
    reopened
      ? // Reopened: a fresh resolve window from now, not the one that ran out while it was resolved.
        { status: to, reopenCount: c0.reopenCount + 1, satisfaction: null, satisfactionComment: input.comment ?? null, resolvedAt: null, agreement: c0.agreement, levelSince: now }
      : { status: to, satisfaction: input.satisfaction, satisfactionComment: input.comment ?? null, closedAt: now },
    entry(ctx, 'rate', c0.status, to, `${label}${input.comment ? `：${input.comment}` : ''}${reopened ? '（重新调解）' : ''}`),
  )
  if (!reopened) await bumpStats(ctx, c, { rated: 1, ...(input.satisfaction !== 'unsatisfied' ? { satisfied: 1 } : {}) })
  await notifyPeople(ctx, c.assigneeId ? [c.assigneeId] : await handlersAt(ctx, c), {
    title: reopened ? '居民不满意，纠纷已重新打开' : `居民评价：${label}`,
    body: `${c.location.text}：${c.category}${input.comment ? `。${input.comment}` : ''}`,
    link: caseLink(c),
    ref: `case:${c._id}`,
    template: 'case_progress',
    fields: { thing1: `${c.category}纠纷`, phrase2: reopened ? '重新调解' : '已办结', thing3: label },
  })
  return answer(ctx, c)
}
