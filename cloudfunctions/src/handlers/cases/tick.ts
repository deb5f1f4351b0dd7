/**
 * The scheduled job (定时任务, every 5 minutes): escalate cases past their deadline one level
 * (网格 → 社区 → 街道, 网格吹哨、部门报到) and tell both levels; at the top level flag them;
 * close resolved cases nobody rated in 7 days as 默认满意, and failed ones nobody took further. Idempotent: every change is a
 * compare-and-set that also moves `dueAt` forward, so a second run finds nothing left to do.
 */
import type { casesApi } from '../../../../src/shared/api/cases'
import { LEVEL_LABELS, onDeadlinePassed, statusLabel } from '../../../../src/shared/rules/cases'
import { formatShort } from '../../../../src/shared/time'
import { AppError } from '../../../../src/shared/errors'
import type { HandlersOf } from '../../runtime/serve'
import type { Ctx } from '../../runtime/context'
import { notifyEffect, sweepEffects } from '../common/effects'
import { applyChange, caseLink, entry, type CaseDoc, type Known } from './model'
import { handlersAt, kindNoun, tellOwner } from './act'
import { caseSettings } from './settings'
import { countEffect } from './stats'

const BATCH = 100

export const tick: HandlersOf<typeof casesApi>['tick'] = async (_input, ctx) => {
  let escalated = 0
  let flagged = 0
  let closed = 0
  const now = ctx.clock.now()
  // Each grid's workers and each community's staff are read once a run, however many of their cases are due.
  const known: Known = { audiences: new Map() }
  for (let round = 0; round < 50; round++) {
    const due = await ctx.db
      .collection<CaseDoc>('cases')
      .where({ dueAt: ctx._.lt(now), status: ctx._.in(['submitted', 'accepted', 'mediating', 'resolved', 'failed']) })
      .orderBy('dueAt', 'asc')
      .limit(BATCH)
      .get()
    if (due.data.length === 0) break
    let progressed = 0
    for (const c of due.data) {
      try {
        const r = await handleDue(ctx, c, now, known)
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
  // Effects (notifications, figures) a crashed or failed call left on its case.
  await sweepEffects(ctx, 'cases')
  return { escalated, flagged, closed }
}

async function handleDue(ctx: Ctx, c: CaseDoc, now: Date, known: Known): Promise<'escalated' | 'flagged' | 'closed'> {
  const outcome = onDeadlinePassed(c)
  const stage = c.status === 'submitted' ? '受理' : '办结'
  const link = { link: caseLink(c), ref: `case:${c._id}` }
  const noun = kindNoun(c)
  if (outcome.kind === 'autoClose' && c.status === 'failed') {
    // 调解未成 / 未能解决 with no next step taken: closed, without a rating.
    const days = (await caseSettings(ctx, c.communityId)).failedCloseDays
    await applyChange(ctx, c, c.version, { status: 'closed', closedAt: now, dueAt: null }, entry(ctx, 'autoClose', c.status, 'closed', `${days} 天内未申请转人民调解或继续办理，自动办结`), () => [
      notifyEffect(ctx, [{ people: [c.ownerId] }], {
        title: `您的${noun}已办结`,
        body: `${c.location.text}：${c.category}。${statusLabel(c.kind, 'failed')}后 ${days} 天内无后续，已办结；如有需要可拨打 12345 热线`,
        ...link,
        template: 'case_progress',
        fields: { subject: `${c.category}${noun}`, status: '已办结', note: '自动办结' },
      }),
    ], known)
    return 'closed'
  }
  if (outcome.kind === 'autoClose') {
    await applyChange(
      ctx,
      c,
      c.version,
      { status: 'closed', satisfaction: 'default', closedAt: now, dueAt: null },
      entry(ctx, 'autoClose', c.status, 'closed', '7 天内未评价，按默认满意办结'),
      (n) => [
        ...countEffect(n, { rated: 1, satisfied: 1 }, [{ who: n.outcomeBy, inc: { rated: 1, satisfied: 1 } }]),
        notifyEffect(ctx, [{ people: [c.ownerId] }], {
          title: `您的${noun}已办结`,
          body: `${c.location.text}：${c.category}。7 天内未评价，已按默认满意办结`,
          ...link,
          template: 'case_progress',
          fields: { subject: `${c.category}${noun}`, status: '已办结', note: '默认满意' },
        }),
      ],
      known,
    )
    return 'closed'
  }
  if (outcome.kind === 'escalate') {
    await applyChange(
      ctx,
      c,
      c.version,
      // The new level gets a fresh window from now; an accepted case returns to 待受理 there.
      { level: outcome.to, status: 'submitted', assigneeId: null, assigneeName: null, levelSince: now, overdue: true },
      entry(ctx, 'autoEscalate', c.status, 'submitted', `超过${stage}时限（${formatShort(c.dueAt!)}），自动上报至${LEVEL_LABELS[outcome.to]}`),
      (n) => [
        notifyEffect(ctx, [handlersAt(c, c.level), handlersAt(n, outcome.to)], {
          title: `${noun}超时，已自动上报${LEVEL_LABELS[outcome.to]}`,
          body: `${c.location.text}：${c.category}，超过${stage}时限 ${formatShort(c.dueAt!)}`,
          ...link,
          template: 'case_overdue',
          fields: { subject: `${c.category}${noun}`, due: c.dueAt!, note: `上报${LEVEL_LABELS[outcome.to]}` },
        }),
        ...tellOwner(ctx, n, `超过${stage}时限，已自动上报${LEVEL_LABELS[outcome.to]}督办`),
      ],
      known,
    )
    return 'escalated'
  }
  // Top level: flag it once (dueAt cleared so the job does not repeat) and tell the street.
  await applyChange(
    ctx,
    c,
    c.version,
    { overdue: true, dueAt: null },
    entry(ctx, 'autoEscalate', c.status, c.status, `已超过${stage}时限（${formatShort(c.dueAt!)}），请街道督办`),
    (n) => [
      notifyEffect(ctx, [handlersAt(n)], {
        title: `街道层级${noun}已超时`,
        body: `${c.location.text}：${c.category}（${statusLabel(c.kind, c.status)}）`,
        ...link,
        template: 'case_overdue',
        fields: { subject: `${c.category}${noun}`, due: c.dueAt!, note: '请督办' },
      }),
    ],
    known,
  )
  return 'flagged'
}
