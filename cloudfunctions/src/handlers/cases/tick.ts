/**
 * The scheduled job (定时任务, every 5 minutes): escalate cases past their deadline one level
 * (网格 → 社区 → 街道, 网格吹哨、部门报到) and tell both levels; at the top level flag them;
 * close resolved cases nobody rated in 7 days as 默认满意. Idempotent: every change is a
 * compare-and-set that also moves `dueAt` forward, so a second run finds nothing left to do.
 */
import type { casesApi } from '../../../../src/shared/api/cases'
import { LEVEL_LABELS, onDeadlinePassed, statusLabel } from '../../../../src/shared/rules/cases'
import { formatShort } from '../../../../src/shared/time'
import { AppError } from '../../../../src/shared/errors'
import type { HandlersOf } from '../../runtime/serve'
import type { Ctx } from '../../runtime/context'
import { notifyPeople } from '../common/notify'
import { applyChange, caseLink, entry, type CaseDoc } from './model'
import { handlersAt, tellOwner } from './act'
import { bumpStats } from './stats'

const BATCH = 100

export const tick: HandlersOf<typeof casesApi>['tick'] = async (_input, ctx) => {
  let escalated = 0
  let flagged = 0
  let closed = 0
  const now = ctx.clock.now()
  for (let round = 0; round < 50; round++) {
    const due = await ctx.db
      .collection<CaseDoc>('cases')
      .where({ dueAt: ctx._.lt(now), status: ctx._.in(['submitted', 'accepted', 'mediating', 'resolved']) })
      .orderBy('dueAt', 'asc')
      .limit(BATCH)
      .get()
    if (due.data.length === 0) break
    let progressed = 0
    for (const c of due.data) {
      try {
        const r = await handleDue(ctx, c, now)
        if (r === 'escalated') escalated++
        if (r === 'flagged') flagged++
        if (r === 'closed') closed++
        progressed++
      } catch (e) {
        // Another run (or a person) changed the case first: theirs stands; skip it.
        if (!(e instanceof AppError && e.code === 'CONFLICT')) throw e
      }
    }
    if (progressed === 0) break
  }
  return { escalated, flagged, closed }
}

async function handleDue(ctx: Ctx, c: CaseDoc, now: Date): Promise<'escalated' | 'flagged' | 'closed'> {
  const outcome = onDeadlinePassed(c)
  const stage = c.status === 'submitted' ? '受理' : '办结'
  if (outcome.kind === 'autoClose') {
    const next = await applyChange(
      ctx,
      c,
      c.version,
      { status: 'closed', satisfaction: 'default', closedAt: now, dueAt: null },
      entry(ctx, 'autoClose', c.status, 'closed', '7 天内未评价，按默认满意办结'),
    )
    await bumpStats(ctx, next, { rated: 1, satisfied: 1 })
    await notifyPeople(ctx, [c.ownerId], {
      title: '您的纠纷已办结',
      body: `${c.location.text}：${c.category}。7 天内未评价，已按默认满意办结`,
      link: caseLink(next),
      ref: `case:${c._id}`,
      template: 'case_progress',
      fields: { thing1: `${c.category}纠纷`, phrase2: '已办结', thing3: '默认满意' },
    })
    return 'closed'
  }
  if (outcome.kind === 'escalate') {
    const next = await applyChange(
      ctx,
      c,
      c.version,
      // The new level gets a fresh window from now; an accepted case returns to 待受理 there.
      { level: outcome.to, status: 'submitted', assigneeId: null, assigneeName: null, levelSince: now, overdue: true },
      entry(ctx, 'autoEscalate', c.status, 'submitted', `超过${stage}时限（${formatShort(c.dueAt!)}），自动上报至${LEVEL_LABELS[outcome.to]}`),
    )
    const people = [...(await handlersAt(ctx, c, c.level)), ...(await handlersAt(ctx, next, outcome.to))]
    await notifyPeople(ctx, people, {
      title: `纠纷超时，已自动上报${LEVEL_LABELS[outcome.to]}`,
      body: `${c.location.text}：${c.category}，超过${stage}时限 ${formatShort(c.dueAt!)}`,
      link: caseLink(next),
      ref: `case:${c._id}`,
      template: 'case_overdue',
      fields: { thing1: `${c.category}纠纷`, time2: formatShort(c.dueAt!), thing3: `上报${LEVEL_LABELS[outcome.to]}` },
    })
    await tellOwner(ctx, next, `超过${stage}时限，已自动上报${LEVEL_LABELS[outcome.to]}督办`)
    return 'escalated'
  }
  // Top level: flag it once (dueAt cleared so the job does not repeat) and tell the street.
  const next = await applyChange(
    ctx,
    c,
    c.version,
    { overdue: true, dueAt: null },
    entry(ctx, 'autoEscalate', c.status, c.status, `已超过${stage}时限（${formatShort(c.dueAt!)}），请街道督办`),
  )
  await notifyPeople(ctx, await handlersAt(ctx, next), {
    title: '街道层级纠纷已超时',
    body: `${c.location.text}：${c.category}（${statusLabel(c.kind, c.status)}）`,
    link: caseLink(next),
    ref: `case:${c._id}`,
    template: 'case_overdue',
    fields: { thing1: `${c.category}纠纷`, time2: formatShort(c.dueAt!), thing3: '请督办' },
  })
  return 'flagged'
}
