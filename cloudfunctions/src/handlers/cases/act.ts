/**
 * Every state change of a case, each a thin use of the engine: authorize → applyChange, whose one
 * write carries the change, its timeline entry and its effects (notifications, counters).
 */
import { AppError } from '../../../../src/shared/errors'
import type { casesApi } from '../../../../src/shared/api/cases'
import {
  LEVEL_LABELS,
  SATISFACTION_LABELS,
  kindNounOf,
  nextLevel,
  nextStatus,
  statusLabel,
  type CaseAction,
} from '../../../../src/shared/rules/cases'
import { formatShort } from '../../../../src/shared/time'
import type { HandlersOf } from '../../runtime/serve'
import type { Ctx } from '../../runtime/context'
import { gridsById } from '../common/places'
import { requireCleanText } from '../common/content'
import type { Notice, NoticeWithout } from '../common/notify'
import { notifyEffect, type Audience, type Effect } from '../common/effects'
import { applyChange, authorize, caseLink, detailOf, entry, isHandler, isRepeat, loadCase, loadVisible, viewerOf, type CaseDoc, type Known } from './model'
import { countEffect, outcomeDelta, outcomeStaffDelta } from './stats'
import { gridNames } from './read'
import { caseSettings } from './settings'
import { isStaff, type UserDoc } from '../../../../src/shared/domain/user'

type H = HandlersOf<typeof casesApi>

export async function answer(ctx: Ctx, c: CaseDoc) {
  // After escalating or transferring, the caller may no longer handle the case: shape the answer
  // for who they are now (an observer sees the phone masked), never as handler by default.
  const viewer = viewerOf(ctx.user, c) ?? 'owner'
  return detailOf(ctx, c, viewer, await gridNames(ctx, [c]))
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
      title: `您的${kindNoun(c)}${statusLabel(c.kind, c.status, c.level)}`,
      body: what,
      link: caseLink(c),
      ref: `case:${c._id}`,
      template: 'case_progress',
      fields: { subject: `${c.category}${kindNoun(c)}`, status: statusLabel(c.kind, c.status), note: what },
    }),
  ]
}

export const caseNotice = (c: CaseDoc, n: NoticeWithout<'link' | 'ref'>): Notice => ({ ...n, link: caseLink(c), ref: `case:${c._id}` })

/**
 * The first response (受理; for a message, the first reply or request for information): when,
 * whether within its deadline (按期受理率 / 响应率), and by whom. Set once.
 */
export function firstResponse(ctx: Ctx, c0: CaseDoc, now: Date): Partial<CaseDoc> {
  if (c0.acceptedAt !== null) return {}
  return { acceptedAt: now, acceptedOnTime: !c0.overdue && !!c0.dueAt && now.getTime() <= c0.dueAt.getTime(), acceptedBy: ctx.openid }
}

export function firstResponseCount(n: CaseDoc, c0: CaseDoc): Effect[] {
  if (c0.acceptedAt !== null || n.acceptedAt === null) return []
  const inc = { accepted: 1, ...(n.acceptedOnTime ? { acceptedOnTime: 1 } : {}) }
  return countEffect(n, inc, [{ who: n.acceptedBy, inc }])
}

/** A noun for the kind, in notices: 纠纷 / 留言. */
export const kindNoun = (c: Pick<CaseDoc, 'kind'>) => kindNounOf(c.kind)

/** A plain transition: authorize, compute the next status, write with its effects. */
async function transition(
  ctx: Ctx,
  input: { id: string; version: number },
  action: CaseAction,
  opts: { note?: string | null; patch?: (c: CaseDoc, now: Date) => Partial<CaseDoc>; effects?: (next: CaseDoc, prev: CaseDoc) => Effect[]; priv?: boolean; loaded?: CaseDoc } = {},
) {
  const c = opts.loaded ?? (await loadCase(ctx, input.id))
  if (isRepeat(ctx, c, input.version, action)) return c
  authorize(ctx, c, action, input.version)
  const now = ctx.clock.now()
  const to = nextStatus(action, c, { settings: await caseSettings(ctx, c.communityId) })
  return applyChange(ctx, c, input.version, { status: to, ...(opts.patch?.(c, now) ?? {}) }, entry(ctx, action, c.status, to, opts.note ?? null, opts.priv), (next) =>
    opts.effects?.(next, c) ?? [],
  )
}

export const accept: H['accept'] = async (input, ctx) => {
  const c = await transition(ctx, input, 'accept', {
    // The first acceptance counts towards 按期受理率: on time = before the accept deadline, never overdue.
    patch: (c0, now) => ({ ...firstResponse(ctx, c0, now), assigneeId: ctx.openid, assigneeName: ctx.user?.name ?? null }),
    effects: (n, c0) => {
      return [
        ...firstResponseCount(n, c0),
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
    patch: (c0, now) => ({
      agreement: input.agreement,
      resolvedAt: now,
      countedOutcome: 'resolved',
      outcomeBy: ctx.openid,
      // A patrol report is finished here (办结): in time or not, and by which department.
      ...(c0.kind === 'event'
        ? { closedAt: now, resolvedOnTime: !c0.overdue && !!c0.dueAt && now.getTime() <= c0.dueAt.getTime(), resolvedByDepartment: c0.level === 'department' ? (c0.departmentId ?? null) : null }
        : {}),
    }),
    effects: (n, c0) => {
      const inc = { ...outcomeDelta(c0.countedOutcome, 'resolved'), ...(n.resolvedOnTime ? { resolvedOnTime: 1 } : {}) }
      const dept = n.resolvedByDepartment ? { id: n.resolvedByDepartment, inc: { resolved: 1, ...(n.resolvedOnTime ? { resolvedOnTime: 1 } : {}) } } : null
      return [
        ...countEffect(n, inc, outcomeStaffDelta(c0.countedOutcome, c0.outcomeBy, 'resolved', ctx.openid), dept),
        ...tellOwner(ctx, n, n.kind === 'dispute' ? '调解已达成协议，请在 7 天内评价' : n.kind === 'event' ? `已处置完毕：${input.agreement.slice(0, 40)}` : '社区已办结您的留言，请在 7 天内评价'),
      ]
    },
  })
  return answer(ctx, c)
}

export const fail: H['fail'] = async (input, ctx) => {
  await requireCleanText(ctx, input.reason, 'reason')
  const c = await transition(ctx, input, 'fail', {
    note: input.reason,
    patch: (_c0, now) => ({ failReason: input.reason, countedOutcome: 'failed', outcomeBy: ctx.openid, failedAt: now }),
    effects: (n, c0) => [
      ...countEffect(n, outcomeDelta(c0.countedOutcome, 'failed'), outcomeStaffDelta(c0.countedOutcome, c0.outcomeBy, 'failed', ctx.openid)),
      ...tellOwner(
        ctx,
        n,
        n.kind === 'dispute' ? '调解未能达成一致：可申请转人民调解委员会，或选择办结' : '未能解决：可继续留言说明，或选择办结',
      ),
    ],
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
        caseNotice(n, { title: `居民已撤回${kindNoun(n)}`, body: `${n.location.text}：${n.category}`, template: 'case_progress', fields: { subject: `${n.category}${kindNoun(n)}`, status: '已撤回', note: '居民撤回' } }),
      ),
    ],
  })
  return answer(ctx, c)
}

/**
 * After 调解未成 / 未能解决, the case ends by the resident's choice (they ask for the 人民调解委员会,
 * or close it) or the handler's (referred, or closed with a result). The handlers are told of
 * the resident's choice; the resident of the handler's.
 */
async function endFailed(
  ctx: Ctx,
  input: { id: string; version: number; note: string },
  action: 'refer' | 'close',
  words: { owner: string; handler: string; told: (n: CaseDoc) => string; title: (n: CaseDoc) => string; phrase: string },
) {
  await requireCleanText(ctx, input.note, 'note')
  const c0 = await loadCase(ctx, input.id)
  if (action === 'refer' && c0.kind !== 'dispute') throw new AppError('PRECONDITION_FAILED', '只有邻里纠纷可以转人民调解委员会')
  const byOwner = c0.ownerId === ctx.openid && !isHandler(ctx.user, c0)
  const c = await transition(ctx, input, action, {
    loaded: c0,
    note: `${byOwner ? words.owner : words.handler}：${input.note}`,
    patch: (_c, now) => ({ closedAt: now }),
    effects: (n) =>
      byOwner
        ? [
            notifyEffect(
              ctx,
              [assigneeOrHandlers(n)],
              caseNotice(n, {
                title: words.title(n),
                body: `${n.location.text}：${n.category}。${input.note}`,
                template: 'case_progress',
                fields: { subject: `${n.category}${kindNoun(n)}`, status: '已办结', note: words.phrase },
              }),
            ),
          ]
        : tellOwner(ctx, n, words.told(n)),
  })
  return answer(ctx, c)
}

export const refer: H['refer'] = (input, ctx) =>
  endFailed(ctx, input, 'refer', {
    owner: '居民申请转人民调解委员会',
    handler: '转人民调解委员会',
    title: () => '居民申请转人民调解委员会，请转交材料',
    told: () => '已转交人民调解委员会继续调解',
    phrase: '申请转人民调解',
  })

/** 调解未成 / 未能解决 → 已办结: the resident stops here, or staff record the result. */
export const close: H['close'] = (input, ctx) =>
  endFailed(ctx, input, 'close', {
    owner: '居民选择办结',
    handler: '办理结果',
    title: (n) => `居民已办结${kindNoun(n)}`,
    told: () => `已办结：${input.note}`,
    phrase: '居民办结',
  })

/** 改派: community staff take a case over from whoever handles it (the reason on the timeline). */
export const takeOver: H['takeOver'] = async (input, ctx) => {
  await requireCleanText(ctx, input.reason, 'reason')
  const c0 = await loadCase(ctx, input.id)
  const user = ctx.user!
  if (user.address.communityId !== c0.communityId) throw new AppError('NOT_FOUND', '没有找到该事项，可能无权查看')
  if (isRepeat(ctx, c0, input.version, 'takeOver')) return answer(ctx, c0)
  if (input.version !== c0.version) throw new AppError('CONFLICT', '该事项已被他人更新，请刷新后再操作')
  if (!['submitted', 'accepted', 'mediating', 'waiting_info'].includes(c0.status) || c0.level === 'street') throw new AppError('PRECONDITION_FAILED', '当前状态不能改派')
  if (c0.assigneeId === ctx.openid) throw new AppError('PRECONDITION_FAILED', '该事项已由您承办')
  const previous = c0.assigneeId
  const c = await applyChange(
    ctx,
    c0,
    input.version,
    { assigneeId: ctx.openid, assigneeName: user.name ?? '工作人员', level: 'community' },
    entry(ctx, 'takeOver', c0.status, c0.status, `改派给${user.name ?? '工作人员'}${c0.assigneeName ? `（原承办人：${c0.assigneeName}）` : ''}：${input.reason}`),
    (n) => [
      ...(previous
        ? [
            notifyEffect(
              ctx,
              [{ people: [previous] }],
              caseNotice(n, {
                title: `${kindNoun(n)}已改派`,
                body: `${n.location.text}：${n.category}，已由${user.name ?? '社区工作人员'}接手。${input.reason}`,
                template: 'case_progress',
                fields: { subject: `${n.category}${kindNoun(n)}`, status: '已改派', note: user.name ?? '工作人员' },
              }),
            ),
          ]
        : []),
      ...tellOwner(ctx, n, `已由${user.name ?? '社区工作人员'}承办`),
    ],
  )
  return answer(ctx, c)
}

/** 街道 sends a case back to its community (退回社区), with a note. */
export const sendBack: H['sendBack'] = async (input, ctx) => {
  await requireCleanText(ctx, input.note, 'note')
  const c0 = await loadCase(ctx, input.id)
  if (isRepeat(ctx, c0, input.version, 'sendBack')) return answer(ctx, c0)
  if (!isHandler(ctx.user, c0) || c0.level !== 'street') {
    if (viewerOf(ctx.user, c0)) throw new AppError('FORBIDDEN', '只有街道承办人可以退回社区')
    throw new AppError('NOT_FOUND', '没有找到该事项，可能无权查看')
  }
  if (input.version !== c0.version) throw new AppError('CONFLICT', '该事项已被他人更新，请刷新后再操作')
  if (!['submitted', 'accepted', 'mediating'].includes(c0.status)) throw new AppError('PRECONDITION_FAILED', '当前状态不能退回')
  const now = ctx.clock.now()
  const c = await applyChange(
    ctx,
    c0,
    input.version,
    { level: 'community', status: 'submitted', assigneeId: null, assigneeName: null, levelSince: now },
    entry(ctx, 'sendBack', c0.status, 'submitted', `街道退回社区：${input.note}`),
    (n) => [
      notifyEffect(
        ctx,
        [handlersAt(n)],
        caseNotice(n, {
          title: `街道退回的${kindNoun(n)}待受理`,
          body: `${n.location.text}：${n.category}。${input.note}`,
          template: 'case_new',
          fields: { subject: `${n.category}${kindNoun(n)}`, time: now, note: '街道退回' },
        }),
      ),
      ...tellOwner(ctx, n, '街道已将事项交回社区继续办理'),
    ],
  )
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
          title: `${LEVEL_LABELS[c0.level]}上报的${kindNoun(n)}待受理`,
          body: `${n.location.text}：${n.category}。上报原因：${input.reason}`,
          template: 'case_new',
          fields: { subject: `${n.category}${kindNoun(n)}`, time: now, note: `${LEVEL_LABELS[c0.level]}上报` },
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
    tellOwner(ctx, n, `案情复杂，办结时限延长至 ${n.dueAt ? formatShort(n.dueAt) : '15 天'}`),
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
  if (input.version !== c0.version) throw new AppError('CONFLICT', '该事项已被他人更新，请刷新后再操作')
  if (!['submitted', 'accepted', 'mediating'].includes(c0.status) || c0.level === 'street') {
    throw new AppError('PRECONDITION_FAILED', '当前状态不能转办')
  }
  const now = ctx.clock.now()
  let patch: Partial<CaseDoc>
  let target: string
  let to: Audience
  let grids: Known['grids']
  if (input.staffId) {
    // To a colleague: they handle it from where it is (the timeline and the clock go on).
    const colleague = await ctx.db
      .collection<UserDoc>('users')
      .doc(input.staffId)
      .get()
      .then((r) => r.data)
      .catch(() => null)
    if (!colleague || colleague.address.communityId !== c0.communityId || !isStaff(colleague)) {
      throw new AppError('INVALID_INPUT', '请选择本社区的工作人员', [{ path: 'staffId', message: '请选择本社区的工作人员' }])
    }
    if (colleague._id === c0.assigneeId) throw new AppError('PRECONDITION_FAILED', '该事项已由这位工作人员承办')
    target = colleague.name ?? '工作人员'
    patch = { level: 'community', assigneeId: colleague._id, assigneeName: colleague.name ?? '工作人员' }
    to = { people: [colleague._id] }
  } else {
    let level: CaseDoc['level'] = 'community'
    target = '社区'
    let gridName = c0.gridName
    if (input.gridId) {
      const grid = (await gridsById(ctx, [input.gridId])).get(input.gridId)
      if (!grid || grid.communityId !== c0.communityId) throw new AppError('INVALID_INPUT', '所选网格不属于本社区', [{ path: 'gridId', message: '所选网格不属于本社区' }])
      if (grid.workerIds.length === 0) throw new AppError('PRECONDITION_FAILED', '该网格暂无网格员，不能转办')
      level = 'grid'
      target = grid.name
      gridName = grid.name
      grids = new Map([[grid._id, grid]])
    }
    patch = { gridId: input.gridId ?? c0.gridId, ...(gridName !== undefined ? { gridName } : {}), level, status: 'submitted', assigneeId: null, assigneeName: null, levelSince: now }
    to = level === 'grid' ? { gridWorkers: input.gridId! } : { communityStaff: c0.communityId }
  }
  const status = patch.status ?? c0.status
  const c = await applyChange(ctx, c0, input.version, patch, entry(ctx, 'reassign', c0.status, status, `转办至${target}：${input.note}`), (n) => [
    notifyEffect(
      ctx,
      [to],
      caseNotice(n, {
        title: `有转办的${kindNoun(n)}待办理`,
        body: `${n.location.text}：${n.category}。${input.note}`,
        template: 'case_new',
        fields: { subject: `${n.category}${kindNoun(n)}`, time: now, note: '转办' },
      }),
    ),
    ...tellOwner(ctx, n, `已转交${target}办理`),
  ], { grids })
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
  const to = nextStatus('rate', c0, { satisfaction: input.satisfaction, settings: await caseSettings(ctx, c0.communityId) })
  const reopened = to === 'mediating'
  const now = ctx.clock.now()
  const label = SATISFACTION_LABELS[input.satisfaction]
  const c = await applyChange(
    ctx,
    c0,
    input.version,
    reopened
      ? // Reopened: a fresh resolve window from now, not the one that ran out while it was resolved.
        // The rejected result leaves the card and stays on the timeline (its resolve entry).
        { status: to, reopenCount: c0.reopenCount + 1, satisfaction: null, satisfactionComment: input.comment ?? null, resolvedAt: null, agreement: null, levelSince: now }
      : { status: to, satisfaction: input.satisfaction, satisfactionComment: input.comment ?? null, closedAt: now },
    entry(ctx, 'rate', c0.status, to, `${label}${input.comment ? `：${input.comment}` : ''}${reopened ? '（重新调解）' : ''}`),
    (n) => [
      ...(reopened
        ? []
        : (() => {
            const inc = { rated: 1, ...(input.satisfaction !== 'unsatisfied' ? { satisfied: 1 } : {}) }
            return countEffect(n, inc, [{ who: n.outcomeBy, inc }])
          })()),
      notifyEffect(
        ctx,
        [assigneeOrHandlers(n)],
        caseNotice(n, {
          title: reopened ? `居民不满意，${kindNoun(n)}已重新打开` : `居民评价：${label}`,
          body: `${n.location.text}：${n.category}${input.comment ? `。${input.comment}` : ''}`,
          template: 'case_progress',
          fields: { subject: `${n.category}${kindNoun(n)}`, status: reopened ? '重新办理' : '已办结', note: label },
        }),
      ),
    ],
  )
  return answer(ctx, c)
}
