/**
 * Every state change of a case, each a thin use of the engine: authorize → applyChange, whose one
 * write carries the change, its timeline entry and its effects (notifications, counters).
 */
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
import type { Notice } from '../common/notify'
import { notifyEffect, type Audience, type Effect } from '../common/effects'
import { applyChange, authorize, caseLink, detailOf, entry, isHandler, isRepeat, loadCase, loadVisible, viewerOf, type CaseDoc } from './model'
import { countEffect, outcomeDelta } from './stats'

type H = HandlersOf<typeof casesApi>

async function answer(ctx: Ctx, c: CaseDoc) {
  const grids = await gridsById(ctx, c.gridId ? [c.gridId] : [])
  // After escalating or transferring, the caller may no longer handle the case: shape the answer
  // for who they are now (an observer sees the phone masked), never as handler by default.
  const viewer = viewerOf(ctx.user, c) ?? 'owner'
  return detailOf(ctx, c, viewer, new Map([...grids.values()].map((g) => [g._id, g.name])))
}

/** The people who handle a case at a level: the grid's workers, the community staff, or the street. */
export function handlersAt(c: CaseDoc, level = c.level): Audience {
  if (level === 'grid' && c.gridId) return { gridWorkers: c.gridId }
  if (level === 'street') return { streetStaff: c.streetId }
  return { communityStaff: c.communityId }
}

/** Who is told about the resident's own step: the assignee if there is one, else the handlers at the level. */
export function assigneeOrHandlers(c: CaseDoc): Audience {
  return c.assigneeId ? { people: [c.assigneeId] } : handlersAt(c)
}

export function tellOwner(ctx: Ctx, c: CaseDoc, what: string): Effect[] {
  if (c.ownerId === ctx.openid) return []
  return [
    notifyEffect(ctx, [{ people: [c.ownerId] }], {
      title: `您的纠纷${statusLabel(c.kind, c.status)}`,
      body: what,
      link: caseLink(c),
      ref: `case:${c._id}`,
      template: 'case_progress',
      fields: { thing1: `${c.category}纠纷`, phrase2: statusLabel(c.kind, c.status), thing3: what.slice(0, 20) },
    }),
  ]
}

const caseNotice = (c: CaseDoc, n: Omit<Notice, 'link' | 'ref'>): Notice => ({ ...n, link: caseLink(c), ref: `case:${c._id}` })

/** A plain transition: authorize, compute the next status, write with its effects. */
async function transition(
  ctx: Ctx,
  input: { id: string; version: number },
  action: CaseAction,
  opts: { note?: string | null; patch?: (c: CaseDoc, now: Date) => Partial<CaseDoc>; effects?: (next: CaseDoc, prev: CaseDoc) => Effect[]; priv?: boolean } = {},
) {
  const c = await loadCase(ctx, input.id)
  if (isRepeat(ctx, c, input.version, action)) return c
  authorize(ctx, c, action, input.version)
  const now = ctx.clock.now()
  const to = nextStatus(action, c)
  return applyChange(ctx, c, input.version, { status: to, ...(opts.patch?.(c, now) ?? {}) }, entry(ctx, action, c.status, to, opts.note ?? null, opts.priv), (next) =>
    opts.effects?.(next, c) ?? [],
  )
}

export const accept: H['accept'] = async (input, ctx) => {
  const c = await transition(ctx, input, 'accept', {
    // The first acceptance counts towards 按期受理率: on time = before the accept deadline, never overdue.
    patch: (c0, now) => ({
      acceptedAt: c0.acceptedAt ?? now,
      acceptedOnTime: c0.acceptedAt === null ? !c0.overdue && !!c0.dueAt && now.getTime() <= c0.dueAt.getTime() : (c0.acceptedOnTime ?? null),
      assigneeId: ctx.openid,
      assigneeName: ctx.user?.name ?? null,
    }),
    effects: (n, c0) => {
      const first = c0.acceptedAt === null
      return [
        ...(first ? countEffect(n, { accepted: 1, ...(n.acceptedOnTime ? { acceptedOnTime: 1 } : {}) }) : []),
        ...tellOwner(ctx, n, `${n.assigneeName ?? '工作人员'}已受理，将在 ${n.dueAt ? formatShort(n.dueAt) : '时限内'} 前办结`),
      ]
    },
  })
  return answer(ctx, c)
}

export const start: H['start'] = async (input, ctx) =>
  answer(ctx, await transition(ctx, input, 'start', { effects: (n) => tellOwner(ctx, n, '调解员已开始调解，请保持电话畅通') }))

export const resolve: H['resolve'] = async (input, ctx) => {
  await requireCleanText(ctx, input.agreement, 'agreement')
  const c = await transition(ctx, input, 'resolve', {
    note: input.agreement,
    patch: (_c0, now) => ({ agreement: input.agreement, resolvedAt: now, countedOutcome: 'resolved' }),
    effects: (n, c0) => [...countEffect(n, outcomeDelta(c0.countedOutcome, 'resolved')), ...tellOwner(ctx, n, '调解已达成协议，请在 7 天内评价')],
  })
  return answer(ctx, c)
}

export const fail: H['fail'] = async (input, ctx) => {
  await requireCleanText(ctx, input.reason, 'reason')
  const c = await transition(ctx, input, 'fail', {
    note: input.reason,
    patch: () => ({ failReason: input.reason, countedOutcome: 'failed' }),
    effects: (n, c0) => [...countEffect(n, outcomeDelta(c0.countedOutcome, 'failed')), ...tellOwner(ctx, n, '本次调解未能达成一致，工作人员会告知后续途径')],
  })
  return answer(ctx, c)
}

export const withdraw: H['withdraw'] = async (input, ctx) => {
  if (input.reason) await requireCleanText(ctx, input.reason, 'reason')
  const c = await transition(ctx, input, 'withdraw', {
    note: input.reason ?? null,
    patch: (_c, now) => ({ closedAt: now }),
    effects: (n) => [
      notifyEffect(
        ctx,
        [assigneeOrHandlers(n)],
        caseNotice(n, { title: '居民已撤回纠纷', body: `${n.location.text}：${n.category}`, template: 'case_progress', fields: { thing1: `${n.category}纠纷`, phrase2: '已撤回', thing3: '居民撤回' } }),
      ),
    ],
  })
  return answer(ctx, c)
}

export const refer: H['refer'] = async (input, ctx) => {
  await requireCleanText(ctx, input.note, 'note')
  const c = await transition(ctx, input, 'refer', {
    note: `转人民调解委员会：${input.note}`,
    patch: (_c, now) => ({ closedAt: now }),
    effects: (n) => tellOwner(ctx, n, '已转交人民调解委员会继续调解'),
  })
  return answer(ctx, c)
}

export const escalate: H['escalate'] = async (input, ctx) => {
  await requireCleanText(ctx, input.reason, 'reason')
  const c0 = await loadCase(ctx, input.id)
  if (isRepeat(ctx, c0, input.version, 'escalate')) return answer(ctx, c0)
  authorize(ctx, c0, 'escalate', input.version)
  const to = nextLevel(c0.level)
  if (!to) throw new AppError('PRECONDITION_FAILED', '已在街道层级，不能再上报；可转人民调解委员会')
  const now = ctx.clock.now()
  const c = await applyChange(
    ctx,
    c0,
    input.version,
    { status: 'submitted', level: to, assigneeId: null, assigneeName: null, levelSince: now },
    entry(ctx, 'escalate', c0.status, 'submitted', `上报至${LEVEL_LABELS[to]}：${input.reason}`),
    (n) => [
      notifyEffect(
        ctx,
        [handlersAt(n, to)],
        caseNotice(n, {
          title: `${LEVEL_LABELS[c0.level]}上报的纠纷待受理`,
          body: `${n.location.text}：${n.category}。上报原因：${input.reason}`,
          template: 'case_new',
          fields: { thing1: `${n.category}纠纷`, time2: formatShort(now), thing3: `${LEVEL_LABELS[c0.level]}上报` },
        }),
      ),
      ...tellOwner(ctx, n, `已上报${LEVEL_LABELS[to]}继续办理`),
    ],
  )
  return answer(ctx, c)
}

export const markComplex: H['markComplex'] = async (input, ctx) => {
  await requireCleanText(ctx, input.reason, 'reason')
  const c0 = await loadCase(ctx, input.id)
  if (isRepeat(ctx, c0, input.version, 'markComplex')) return answer(ctx, c0)
  if (!isHandler(ctx.user, c0)) throw new AppError('FORBIDDEN', '该事项目前不由您承办')
  if (!['accepted', 'mediating'].includes(c0.status)) throw new AppError('PRECONDITION_FAILED', '受理后、办结前才能标记为复杂案件')
  if (c0.complex) throw new AppError('PRECONDITION_FAILED', '已标记为复杂案件')
  const c = await applyChange(ctx, c0, input.version, { complex: true }, entry(ctx, 'markComplex', c0.status, c0.status, input.reason), (n) =>
    tellOwner(ctx, n, `案情复杂，办结时限延长至 ${formatShort(resolveDeadline(n.levelSince ?? n.submittedAt, true, n.pausedMs))}`),
  )
  return answer(ctx, c)
}

export const addNote: H['addNote'] = async (input, ctx) => {
  await requireCleanText(ctx, input.text, 'text')
  const c0 = await loadCase(ctx, input.id)
  if (isRepeat(ctx, c0, input.version, 'note')) return answer(ctx, c0)
  if (!isHandler(ctx.user, c0)) throw new AppError('FORBIDDEN', '该事项目前不由您承办')
  if (['closed', 'withdrawn'].includes(c0.status)) throw new AppError('PRECONDITION_FAILED', '已办结的事项不能再添加备注')
  const c = await applyChange(ctx, c0, input.version, {}, entry(ctx, 'note', c0.status, c0.status, input.text, !input.shared), (n) =>
    input.shared ? tellOwner(ctx, n, input.text) : [],
  )
  return answer(ctx, c)
}

export const reassign: H['reassign'] = async (input, ctx) => {
  await requireCleanText(ctx, input.note, 'note')
  const c0 = await loadCase(ctx, input.id)
  const user = ctx.user!
  if (user.address.communityId !== c0.communityId) throw new AppError('NOT_FOUND', '没有找到该事项，可能无权查看')
  if (isRepeat(ctx, c0, input.version, 'reassign')) return answer(ctx, c0)
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
    (n) => [
      notifyEffect(
        ctx,
        [handlersAt(n)],
        caseNotice(n, {
          title: '有转办的纠纷待受理',
          body: `${n.location.text}：${n.category}。${input.note}`,
          template: 'case_new',
          fields: { thing1: `${n.category}纠纷`, time2: formatShort(now), thing3: '转办' },
        }),
      ),
      ...tellOwner(ctx, n, `已转交${gridName}办理`),
    ],
  )
  return answer(ctx, c)
}

export const rate: H['rate'] = async (input, ctx) => {
  if (input.comment) await requireCleanText(ctx, input.comment, 'comment')
  const c0 = await loadCase(ctx, input.id)
  if (c0.ownerId !== ctx.openid) {
    const visible = await loadVisible(ctx, input.id).catch(() => null)
    throw new AppError(visible ? 'FORBIDDEN' : 'NOT_FOUND', visible ? '只有提交人可以评价' : '没有找到该事项，可能无权查看')
  }
  if (isRepeat(ctx, c0, input.version, 'rate')) return answer(ctx, c0)
  authorize(ctx, c0, 'rate', input.version)
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
    (n) => [
      ...(reopened ? [] : countEffect(n, { rated: 1, ...(input.satisfaction !== 'unsatisfied' ? { satisfied: 1 } : {}) })),
      notifyEffect(
        ctx,
        [assigneeOrHandlers(n)],
        caseNotice(n, {
          title: reopened ? '居民不满意，纠纷已重新打开' : `居民评价：${label}`,
          body: `${n.location.text}：${n.category}${input.comment ? `。${input.comment}` : ''}`,
          template: 'case_progress',
          fields: { thing1: `${n.category}纠纷`, phrase2: reopened ? '重新调解' : '已办结', thing3: label },
        }),
      ),
    ],
  )
  return answer(ctx, c)
}
