/**
 * Creating a case (any kind), the same way for all: its id derives from the request
 * (runtime/requests.ts); the case, its notice (telling the handlers) and the month's 受理量 are
 * written in one transaction; a retry of a request whose first run wrote the case answers from
 * that case instead of writing a second one.
 */
import type { CaseDetailT } from '../../../../src/shared/api/cases'
import type { Ctx } from '../../runtime/context'
import { DB_DUPLICATE_KEY, isDbError } from '../../platform/db'
import { countInTx, effectKey, mergeCounts, settleNow, type Effect } from '../common/effects'
import { noticeDoc, sendSubscribes } from '../common/notify'
import { changeId, entry, loadCase, tellWhom, type CaseDoc, type Known } from './model'
import { answer } from './act'

/** What a new case of either kind starts as: submitted, unassigned, nothing decided yet. */
export function newCase(
  ctx: Ctx,
  fields: Pick<
    CaseDoc,
    '_id' | 'kind' | 'communityId' | 'streetId' | 'gridId' | 'level' | 'householdId' | 'category' | 'description' | 'photos' | 'location' | 'otherParty' | 'urgency' | 'dueAt'
  > &
    Partial<CaseDoc>,
): CaseDoc {
  const now = ctx.clock.now()
  const user = ctx.user!
  return {
    assigneeId: null,
    assigneeName: null,
    ownerId: user._id,
    ownerName: user.name ?? '居民',
    ownerPhone: user.phone ?? null,
    complex: false,
    status: 'submitted',
    statusBeforeWait: null,
    submittedAt: now,
    acceptedAt: null,
    acceptedOnTime: null,
    acceptedBy: null,
    resolvedAt: null,
    failedAt: null,
    closedAt: null,
    levelSince: null,
    pausedMs: 0,
    waitingSince: null,
    overdue: false,
    agreement: null,
    failReason: null,
    satisfaction: null,
    satisfactionComment: null,
    reopenCount: 0,
    countedOutcome: null,
    outcomeBy: null,
    timeline: [entry(ctx, 'submit', null, 'submitted', null)],
    version: 1,
    updatedAt: now,
    ...fields,
  }
}

/** The case a retried request already created, answered as at first (null: there is none of the caller's). */
export async function createdBefore(ctx: Ctx, id: string): Promise<CaseDetailT | null> {
  const c = await loadCase(ctx, id).catch(() => null)
  // Its owner's, or (代办) the one who submitted it for them.
  if (!c || (c.ownerId !== ctx.openid && c.proxy?.by !== ctx.openid)) return null
  const first = c.effects?.[effectKey(1)]
  if (first) await settleNow(ctx, 'cases', c._id, effectKey(1), first)
  return answer(ctx, c)
}

/**
 * Write the new case with its notice and figures (one transaction); null once written, or the
 * earlier answer when this request already wrote it. The subscribe messages follow the commit.
 */
export async function createCase(ctx: Ctx, c: CaseDoc, effects: Effect[], known: Known = {}): Promise<CaseDetailT | null> {
  const told = await tellWhom(ctx, effects, known)
  const counts = mergeCounts(effects)
  try {
    await ctx.db.runTransaction(async (tx) => {
      await Promise.all([
        tx.collection('cases').add({ data: c as unknown as Record<string, unknown> }),
        tx.collection('notifications').add({ data: noticeDoc(changeId(c._id, c.version), told, c.submittedAt) as unknown as Record<string, unknown> }),
        countInTx(tx, ctx, counts),
      ])
    })
  } catch (e) {
    if (!isDbError(e, DB_DUPLICATE_KEY)) throw e
    const found = await createdBefore(ctx, c._id)
    if (found) return found
    throw e
  }
  await sendSubscribes(ctx, told)
  return null
}
