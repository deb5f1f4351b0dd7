/**
 * Signing up, cancelling and checking in / out: two database steps after the caller's record,
 * whatever the number of sign-ups.
 * - Sign up: the activity is read beside the caller's record (functions/volunteer.ts preloads it).
 *   With a place left as read, (1) a place is taken by a conditional update (`placesLeft > 0`,
 *   published, before the deadline, of the caller's community: never more than the capacity,
 *   whatever arrives at once), then (2) the sign-up, by its deterministic id `activity:openid` — a
 *   second sign-up of the same person is a duplicate, and gives the place back. Full as read (or
 *   the place lost to someone faster), the sign-up joins the waitlist in one step: the sign-up and
 *   the waitlist counter moved by compare-and-set from the value read, which gives its place in
 *   line with no query (a counter moved meanwhile: moved by one, and the place counted). A place
 *   taken by a request that then died is given back by the job (see tick.ts).
 * - Cancel: one transaction reads the sign-up and the activity and moves both together.
 * - Check in / out: the activity, the sign-up and the QR secret read together, then the sign-up.
 */
import { createHmac, randomBytes } from 'node:crypto'
import { AppError } from '../../../../src/shared/errors'
import type { volunteerApi } from '../../../../src/shared/api/volunteer'
import { cancelProblem, checkProblem, isLateCancel, qrWindow, signUpProblem, VOLUNTEER_RULES } from '../../../../src/shared/rules/volunteer'
import type { HandlersOf } from '../../runtime/serve'
import type { Ctx } from '../../runtime/context'
import { DB_DUPLICATE_KEY, DB_NOT_FOUND, isDbError } from '../../platform/db'
import { txGetOrNull } from '../common/docs'
import { ACTIVITIES, SIGNUPS, detailOf, getOrNull, givePlace, loadActivity, positionOf, signupId, takePlace, visibleActivity, type ActivityDoc, type SignupDoc } from './model'

type H = HandlersOf<typeof volunteerApi>

let seqTick = 0
/** A place in the waitlist's line: arrival time, then a per-instance counter (ties broken by id). */
const nextSeq = (now: Date) => now.getTime() * 1000 + (seqTick++ % 1000)

export const signUp: H['signUp'] = async (input, ctx) => {
  const user = ctx.user!
  const now = ctx.clock.now()
  const id = signupId(input.id, ctx.openid)
  // Real name and phone the first time, with consent (they are kept on the person's record).
  const name = input.name ?? user.name
  const phone = input.phone ?? user.phone
  const firstTime = !!(input.name || input.phone)
  const details = () => {
    if (!name || !phone) {
      const issues = [...(!name ? [{ path: 'name', message: '请填写真实姓名' }] : []), ...(!phone ? [{ path: 'phone', message: '请填写手机号' }] : [])]
      return new AppError('INVALID_INPUT', '首次报名请填写真实姓名和手机号', issues)
    }
    if (firstTime && !input.consent) return new AppError('INVALID_INPUT', '请阅读并同意将姓名和手机号用于志愿服务', [{ path: 'consent', message: '请勾选同意' }])
    return null
  }
  // The activity was read beside the caller's record (functions/volunteer.ts preloads it).
  const a = visibleActivity(ctx, await getOrNull<ActivityDoc>(ctx, ACTIVITIES, input.id))
  const problem = signUpProblem(a, now)
  const bad = problem ? new AppError('PRECONDITION_FAILED', problem) : details()
  if (bad) {
    // Already signed up: the sign-up as it is (a repeat), whatever else has changed since.
    const mine = await getOrNull<SignupDoc>(ctx, SIGNUPS, id)
    if (mine && mine.state !== 'cancelled') return await detailOf(ctx, a, mine)
    throw bad
  }
  // The person's record keeps the name and phone given the first time, written beside the next
  // step (the sign-up carries them either way: a failure here only asks again next time).
  let kept: Promise<unknown> | null = firstTime
    ? ctx.db
        .collection('users')
        .doc(ctx.openid)
        .update({ data: { name, phone, volunteerConsentAt: now } })
        .catch((e: unknown) => ctx.log.warn('volunteer name and phone not kept on the record', { error: String(e) }))
    : null
  const keep = () => {
    const k = kept
    kept = null
    return k
  }
  let placed = false
  /** `waiting` moved by this call (given back if the sign-up is not written). */
  let counted = false
  try {
    // A place, by conditional update, when the activity had one as read: `placesLeft > 0` (or,
    // saved before it counted them, `taken < capacity`) — never more than the capacity, whatever
    // arrives at once. Full as read: straight to the waitlist (a place freed meanwhile goes to the
    // first in line, by the job).
    const counts = a.placesLeft !== undefined
    const open = counts ? a.placesLeft! > 0 : a.taken < a.capacity
    if (open) {
      const where = { communityId: user.address.communityId, status: 'published', signupDeadline: ctx._.gte(now), startAt: ctx._.gt(now) }
      const [took] = await Promise.all([takePlace(ctx, a._id, now, where, counts ? undefined : a), keep()])
      placed = took
    }
    const state = placed ? 'confirmed' : 'waitlisted'
    const doc: SignupDoc = {
      _id: id,
      activityId: a._id,
      communityId: a.communityId,
      openid: ctx.openid,
      name: name!,
      phone: phone!,
      partyUnit: user.roles.includes('party_member') ? (user.partyUnit ?? null) : null,
      state,
      seq: nextSeq(now),
      startAt: a.startAt,
      signedAt: now,
      cancelledAt: null,
      late: false,
      checkedInAt: null,
      checkedOutAt: null,
      hoursOverride: null,
      adjustments: [],
      credited: false,
      hours: null,
      points: null,
      version: 1,
    }
    // The sign-up; on the waitlist beside it the counter, moved by compare-and-set from the value
    // read: when that holds, everyone waiting was ahead of this sign-up, so its place in line is
    // the count + 1 (no query). When another change moved the counter first, it is moved by one and
    // the place in line is counted (one wait more).
    const waitlisted = state === 'waitlisted'
    const readWaiting = typeof a.waiting === 'number' ? a.waiting : null
    const addSignup = ctx.db
      .collection(SIGNUPS)
      .add({ data: doc as unknown as Record<string, unknown> })
      .then(() => true)
      .catch((e: unknown) => {
        if (isDbError(e, DB_DUPLICATE_KEY)) return false
        throw e
      })
    addSignup.catch(() => undefined)
    const [added, cas] = await Promise.all([
      addSignup,
      waitlisted && readWaiting !== null
        ? ctx.db
            .collection(ACTIVITIES)
            .where({ _id: a._id, waiting: readWaiting })
            .update({ data: { waiting: ctx._.inc(1) } })
            .then(
              (r) => r.stats.updated === 1,
              () => false,
            )
        : false,
      keep(),
    ])
    counted = cas
    let position = waitlisted && cas ? readWaiting! + 1 : undefined
    if (added && waitlisted && !cas) {
      const [moved, ahead] = await Promise.all([moveWaiting(ctx, a._id, 1), ctx.db.collection(SIGNUPS).where(aheadOf(ctx, doc)).count()])
      counted = moved
      position = ahead.total + 1
    }
    const after = { ...a, taken: a.taken + (placed ? 1 : 0), waiting: (a.waiting ?? 0) + (waitlisted ? 1 : 0) }
    if (added) return await detailOf(ctx, after, doc, position)
    // The person's sign-up exists. Cancelled: signing up again, on that record (compare-and-set on
    // its version). Live (a repeat, or the same person at the same moment): theirs stands, and what
    // this one took is given back.
    const existing = await getOrNull<SignupDoc>(ctx, SIGNUPS, id)
    if (existing?.state === 'cancelled') {
      const { _id, ...rest } = { ...doc, version: existing.version + 1 }
      const res = await ctx.db.collection(SIGNUPS).where({ _id, state: 'cancelled', version: existing.version }).update({ data: { ...rest, adjustments: ctx._.set([]) } })
      if (res.stats.updated === 1) {
        if (waitlisted && !counted) {
          const [, at] = await Promise.all([moveWaiting(ctx, a._id, 1), positionOf(ctx, doc)])
          position = at
        }
        return await detailOf(ctx, after, { ...doc, version: existing.version + 1 }, position)
      }
    }
    const tookPlace = placed
    placed = false
    const gaveCount = counted
    counted = false
    await Promise.all([tookPlace ? givePlace(ctx, a._id, now) : null, gaveCount ? moveWaiting(ctx, a._id, -1) : null])
    return await detailOf(ctx, a, existing?.state === 'cancelled' ? await getOrNull<SignupDoc>(ctx, SIGNUPS, id) : existing)
  } catch (e) {
    await Promise.all([
      placed ? givePlace(ctx, input.id, now) : null,
      counted ? moveWaiting(ctx, input.id, -1) : null,
      kept,
    ])
    throw e
  }
}

/** The waitlist's display counter moved by `n` (repaired by the job if this fails: logged, never the caller's error). */
async function moveWaiting(ctx: Ctx, id: string, n: number): Promise<boolean> {
  try {
    await ctx.db.collection(ACTIVITIES).doc(id).update({ data: { waiting: ctx._.inc(n) } })
    return true
  } catch (e) {
    ctx.log.warn('waiting counter not updated', { error: String(e) })
    return false
  }
}

/** A waitlisted sign-up's place in line: the waitlisted ahead of it (before it by seq, then by id). */
function aheadOf(ctx: Ctx, s: Pick<SignupDoc, 'activityId' | 'seq' | '_id'>) {
  const _ = ctx._
  return _.and([{ activityId: s.activityId, state: 'waitlisted' }, _.or([{ seq: _.lt(s.seq) }, { seq: s.seq, _id: _.lt(s._id) }])])
}

/**
 * Cancel until the start; later than 2 h before it is counted as late. The sign-up and the
 * activity's counters move in one transaction (read both, then write both): never one without the
 * other. The job promotes from the waitlist.
 */
export const cancel: H['cancel'] = async (input, ctx) => {
  const now = ctx.clock.now()
  const id = signupId(input.id, ctx.openid)
  const out = await ctx.db.runTransaction(async (tx) => {
    const [found, s] = await Promise.all([txGetOrNull<ActivityDoc>(tx, ACTIVITIES, input.id), txGetOrNull<SignupDoc>(tx, SIGNUPS, id)])
    const a = visibleActivity(ctx, found)
    if (!s || s.state === 'cancelled') throw new AppError('PRECONDITION_FAILED', '您没有报名这个活动')
    if (s.checkedInAt) throw new AppError('PRECONDITION_FAILED', '您已签到，不能再取消报名')
    const problem = cancelProblem(a, now)
    if (problem) throw new AppError('PRECONDITION_FAILED', problem)
    const late = isLateCancel(a, now)
    const counted = a.placesLeft !== undefined
    const counters = s.state === 'confirmed' ? { taken: ctx._.inc(-1), lastTakeAt: now, ...(counted ? { placesLeft: ctx._.inc(1) } : {}) } : { waiting: ctx._.inc(-1) }
    await Promise.all([
      tx.collection(SIGNUPS).doc(id).update({ data: { state: 'cancelled', cancelledAt: now, late, version: s.version + 1 } }),
      tx.collection(ACTIVITIES).doc(a._id).update({ data: counters }),
    ])
    const next: ActivityDoc = s.state === 'confirmed' ? { ...a, taken: a.taken - 1, ...(counted ? { placesLeft: (a.placesLeft ?? 0) + 1 } : {}) } : { ...a, waiting: Math.max(0, (a.waiting ?? 0) - 1) }
    return { a: next, s: { ...s, state: 'cancelled' as const, cancelledAt: now, late, version: s.version + 1 } }
  })
  return detailOf(ctx, out.a, out.s)
}

// ---------------------------------------------------------------- the check-in QR

/** The server secret that signs check-in QRs: generated once, kept in `meta`, cached per instance. */
let secret: Buffer | null = null
async function qrSecret(ctx: Ctx): Promise<Buffer> {
  if (secret) return secret
  const col = ctx.db.collection<{ _id: string; value: string }>('meta')
  try {
    secret = Buffer.from((await col.doc('volunteer-qr-secret').get()).data.value, 'base64')
  } catch (e) {
    if (!isDbError(e, DB_NOT_FOUND)) throw e
    try {
      await col.add({ data: { _id: 'volunteer-qr-secret', value: randomBytes(32).toString('base64') } })
    } catch (err) {
      if (!isDbError(err, DB_DUPLICATE_KEY)) throw err
    }
    secret = Buffer.from((await col.doc('volunteer-qr-secret').get()).data.value, 'base64')
  }
  return secret
}

const sign = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest()

/** The QR's text for an activity in a window, and the 6-digit code typed instead of scanning. */
export function qrFor(key: Buffer, activityId: string, window: number): { token: string; code: string } {
  const sig = sign(key, `qr:${activityId}:${window}`).toString('base64url').slice(0, 22)
  const code = String(sign(key, `code:${activityId}:${window}`).readUInt32BE(0) % 1_000_000).padStart(6, '0')
  return { token: `LLV1.${activityId}.${window}.${sig}`, code }
}

/** Which activity a scanned or typed code is for, if it is genuine and recent (this minute or the last). */
function verify(key: Buffer, now: Date, input: { token?: string; code?: string; activityId?: string }): string {
  const w = qrWindow(now)
  const fresh = [w, w - 1]
  if (input.token) {
    const m = /^LLV1\.([A-Za-z0-9_-]{1,64})\.(\d{1,12})\.([A-Za-z0-9_-]{22})$/.exec(input.token)
    if (!m) throw new AppError('INVALID_INPUT', '这不是本社区的签到二维码', [{ path: 'token', message: '二维码无效' }])
    const [, activityId, window] = m
    if (qrFor(key, activityId, Number(window)).token !== input.token) throw new AppError('INVALID_INPUT', '签到二维码无效，请扫描现场组织者出示的二维码', [{ path: 'token', message: '二维码无效' }])
    if (!fresh.includes(Number(window))) throw new AppError('PRECONDITION_FAILED', '签到二维码已过期，请扫描组织者手机上最新的二维码')
    return activityId
  }
  if (input.code && input.activityId) {
    if (!fresh.some((x) => qrFor(key, input.activityId!, x).code === input.code)) {
      throw new AppError('INVALID_INPUT', '短码不正确或已过期，请核对组织者手机上的最新短码', [{ path: 'code', message: '短码不正确或已过期' }])
    }
    return input.activityId
  }
  throw new AppError('INVALID_INPUT', '请扫描签到二维码，或输入二维码下方的 6 位短码', [{ path: 'code', message: '请输入短码' }])
}

export const qr: H['qr'] = async (input, ctx) => {
  const [a, key] = await Promise.all([loadActivity(ctx, input.id), qrSecret(ctx)])
  // Shown while one may check in or out; before that, why not yet.
  const problem = checkProblem(a, ctx.clock.now(), 'out') ? checkProblem(a, ctx.clock.now(), 'in') : null
  if (problem) throw new AppError('PRECONDITION_FAILED', problem)
  const w = qrWindow(ctx.clock.now())
  return { ...qrFor(key, a._id, w), expiresAt: new Date((w + 1) * VOLUNTEER_RULES.qrWindowMs).toISOString() }
}

/** The activity a scanned token names (checked against its signature afterwards), or the one the short code was typed for. */
function claimedActivity(input: { token?: string; activityId?: string }): string | null {
  if (input.token) return /^LLV1\.([A-Za-z0-9_-]{1,64})\./.exec(input.token)?.[1] ?? null
  return input.activityId ?? null
}

/** 签到 / 签退 on site: only with a confirmed sign-up, only inside the window; a repeat changes nothing. */
export const check: H['check'] = async (input, ctx) => {
  const now = ctx.clock.now()
  // The secret, the activity and the sign-up read together; the code is verified before any is used.
  const named = claimedActivity(input)
  const [key, a0, s0] = await Promise.all([
    qrSecret(ctx),
    named ? getOrNull<ActivityDoc>(ctx, ACTIVITIES, named) : null,
    named ? getOrNull<SignupDoc>(ctx, SIGNUPS, signupId(named, ctx.openid)) : null,
  ])
  const activityId = verify(key, now, input)
  const id = signupId(activityId, ctx.openid)
  const [a, s] = activityId === named ? [visibleActivity(ctx, a0), s0] : await Promise.all([loadActivity(ctx, activityId), getOrNull<SignupDoc>(ctx, SIGNUPS, id)])
  if (!s || s.state === 'cancelled') throw new AppError('PRECONDITION_FAILED', '您没有报名这个活动，请先报名')
  if (s.state === 'waitlisted') throw new AppError('PRECONDITION_FAILED', '您还在候补中，递补成功后才能签到')
  const problem = checkProblem(a, now, input.mode)
  if (problem) throw new AppError('PRECONDITION_FAILED', problem)
  if (input.mode === 'in' && s.checkedInAt) return detailOf(ctx, a, s)
  if (input.mode === 'out') {
    if (!s.checkedInAt) throw new AppError('PRECONDITION_FAILED', '请先签到再签退')
    if (s.checkedOutAt) return detailOf(ctx, a, s)
  }
  const field = input.mode === 'in' ? 'checkedInAt' : 'checkedOutAt'
  const res = await ctx.db
    .collection(SIGNUPS)
    .where({ _id: id, state: 'confirmed', version: s.version })
    .update({ data: { [field]: now, version: s.version + 1 } })
  if (res.stats.updated !== 1) throw new AppError('CONFLICT', '签到状态刚刚有了变化，请刷新后再试')
  return detailOf(ctx, a, { ...s, [field]: now, version: s.version + 1 })
}

export type { ActivityDoc }
