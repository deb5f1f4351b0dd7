/**
 * Signing up, cancelling and checking in / out. Each is at most three sequential database steps,
 * whatever the number of sign-ups: (1) the activity and the caller's sign-up, read together;
 * (2) a place, by a conditional update (`taken < capacity`); (3) the sign-up, by its
 * deterministic id `activity:openid` — a second sign-up of the same person is a duplicate.
 * A place taken by a request that then died is given back by the job (see tick.ts).
 */
import { createHmac, randomBytes } from 'node:crypto'
import { AppError } from '../../../../src/shared/errors'
import type { volunteerApi } from '../../../../src/shared/api/volunteer'
import { cancelProblem, checkProblem, isLateCancel, qrWindow, signUpProblem, VOLUNTEER_RULES } from '../../../../src/shared/rules/volunteer'
import type { HandlersOf } from '../../runtime/serve'
import type { Ctx } from '../../runtime/context'
import { DB_DUPLICATE_KEY, DB_NOT_FOUND, isDbError } from '../../platform/db'
import { ACTIVITIES, SIGNUPS, detailOf, getOrNull, loadActivity, signupId, type ActivityDoc, type SignupDoc } from './model'

type H = HandlersOf<typeof volunteerApi>

let seqTick = 0
/** A place in the waitlist's line: arrival time, then a per-instance counter (ties broken by id). */
const nextSeq = (now: Date) => now.getTime() * 1000 + (seqTick++ % 1000)

export const signUp: H['signUp'] = async (input, ctx) => {
  const user = ctx.user!
  const now = ctx.clock.now()
  const id = signupId(input.id, ctx.openid)
  const [a, existing] = await Promise.all([loadActivity(ctx, input.id), getOrNull<SignupDoc>(ctx, SIGNUPS, id)])
  if (existing && existing.state !== 'cancelled') return detailOf(ctx, a, existing)
  const problem = signUpProblem(a, now)
  if (problem) throw new AppError('PRECONDITION_FAILED', problem)
  // Real name and phone the first time, with consent (they are kept on the person's record).
  const name = input.name ?? user.name
  const phone = input.phone ?? user.phone
  if (!name || !phone) {
    const issues = [...(!name ? [{ path: 'name', message: '请填写真实姓名' }] : []), ...(!phone ? [{ path: 'phone', message: '请填写手机号' }] : [])]
    throw new AppError('INVALID_INPUT', '首次报名请填写真实姓名和手机号', issues)
  }
  if ((input.name || input.phone) && !input.consent) throw new AppError('INVALID_INPUT', '请阅读并同意将姓名和手机号用于志愿服务', [{ path: 'consent', message: '请勾选同意' }])
  // Kept on the person's record first (the first time only), so nothing follows the sign-up's commit that could fail it.
  if (input.name || input.phone) await ctx.db.collection('users').doc(ctx.openid).update({ data: { name, phone, volunteerConsentAt: now } })

  // A place if one is free (never more than capacity, whatever arrives at once), else the waitlist.
  const took = await ctx.db
    .collection(ACTIVITIES)
    .where({ _id: a._id, status: 'published', taken: ctx._.lt(a.capacity) })
    .update({ data: { taken: ctx._.inc(1), lastTakeAt: now } })
  const state = took.stats.updated === 1 ? 'confirmed' : 'waitlisted'
  const doc: SignupDoc = {
    _id: id,
    activityId: a._id,
    communityId: a.communityId,
    openid: ctx.openid,
    name,
    phone,
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
    version: (existing?.version ?? 0) + 1,
  }
  const writes: Array<Promise<unknown>> = []
  if (state === 'waitlisted') writes.push(ctx.db.collection(ACTIVITIES).doc(a._id).update({ data: { waiting: ctx._.inc(1) } }))
  try {
    if (existing) {
      // Signing up again after cancelling: the same record, compare-and-set on its version.
      const { _id, ...rest } = doc
      const res = await ctx.db.collection(SIGNUPS).where({ _id, state: 'cancelled', version: existing.version }).update({ data: { ...rest, adjustments: ctx._.set([]) } })
      if (res.stats.updated !== 1) throw Object.assign(new Error('duplicate'), { errCode: DB_DUPLICATE_KEY, errMsg: 'E11000 duplicate key' })
    } else await ctx.db.collection(SIGNUPS).add({ data: doc as unknown as Record<string, unknown> })
  } catch (e) {
    if (!isDbError(e, DB_DUPLICATE_KEY)) throw e
    // The same person signed up at the same moment: theirs stands; give back what this one took.
    await ctx.db.collection(ACTIVITIES).doc(a._id).update({ data: state === 'confirmed' ? { taken: ctx._.inc(-1), lastTakeAt: now } : { waiting: ctx._.inc(-1) } })
    const theirs = await getOrNull<SignupDoc>(ctx, SIGNUPS, id)
    return detailOf(ctx, a, theirs)
  }
  // The waitlist counter is for display and repaired by the job: it never fails a done sign-up.
  await Promise.all(writes).catch((e: unknown) => ctx.log.warn('waiting counter not updated', { error: String(e) }))
  return detailOf(ctx, { ...a, taken: a.taken + (state === 'confirmed' ? 1 : 0) }, doc)
}

/** Cancel until the start; later than 2 h before it is counted as late. The job promotes from the waitlist. */
export const cancel: H['cancel'] = async (input, ctx) => {
  const now = ctx.clock.now()
  const id = signupId(input.id, ctx.openid)
  const [a, s] = await Promise.all([loadActivity(ctx, input.id), getOrNull<SignupDoc>(ctx, SIGNUPS, id)])
  if (!s || s.state === 'cancelled') throw new AppError('PRECONDITION_FAILED', '您没有报名这个活动')
  if (s.checkedInAt) throw new AppError('PRECONDITION_FAILED', '您已签到，不能再取消报名')
  const problem = cancelProblem(a, now)
  if (problem) throw new AppError('PRECONDITION_FAILED', problem)
  const late = isLateCancel(a, now)
  const res = await ctx.db
    .collection(SIGNUPS)
    .where({ _id: id, state: s.state, version: s.version })
    .update({ data: { state: 'cancelled', cancelledAt: now, late, version: s.version + 1 } })
  if (res.stats.updated !== 1) throw new AppError('CONFLICT', '报名状态刚刚有了变化，请刷新后再试')
  await ctx.db.collection(ACTIVITIES).doc(a._id).update({ data: s.state === 'confirmed' ? { taken: ctx._.inc(-1), lastTakeAt: now } : { waiting: ctx._.inc(-1) } })
  return detailOf(ctx, { ...a, taken: a.taken - (s.state === 'confirmed' ? 1 : 0) }, { ...s, state: 'cancelled', cancelledAt: now, late, version: s.version + 1 })
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
  const a = await loadActivity(ctx, input.id)
  // Shown while one may check in or out; before that, why not yet.
  const problem = checkProblem(a, ctx.clock.now(), 'out') ? checkProblem(a, ctx.clock.now(), 'in') : null
  if (problem) throw new AppError('PRECONDITION_FAILED', problem)
  const w = qrWindow(ctx.clock.now())
  return { ...qrFor(await qrSecret(ctx), a._id, w), expiresAt: new Date((w + 1) * VOLUNTEER_RULES.qrWindowMs).toISOString() }
}

/** 签到 / 签退 on site: only with a confirmed sign-up, only inside the window; a repeat changes nothing. */
export const check: H['check'] = async (input, ctx) => {
  const now = ctx.clock.now()
  const activityId = verify(await qrSecret(ctx), now, input)
  const id = signupId(activityId, ctx.openid)
  const [a, s] = await Promise.all([loadActivity(ctx, activityId), getOrNull<SignupDoc>(ctx, SIGNUPS, id)])
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
