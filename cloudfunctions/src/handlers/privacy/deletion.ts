/**
 * 注销 (issue 14): a person asks; the community's staff complete it.
 *
 * Completing removes the person's record and every copy of their name, phone and room, wherever a
 * handler copied them (grep `ownerName`, `contactName`, `raterName`, `byName`, `names.<openid>`…):
 * - cases they submitted stay, anonymised (the figures count them): owner 已注销居民, no phone,
 *   their household and openid replaced by the request's own id (`tomb`), their entries and posts
 *   under 已注销居民; their own words lose everything the 留言墙 rule hides, everyone's words on
 *   the case lose their name, phone and room (rules/privacy.ts scrubText); the case's notices too.
 *   A case is rewritten like every change of the engine: its next version's notification id is
 *   taken in the same transaction, so a handler acting at the same moment gets CONFLICT.
 * - bookings likewise (owner, contact name and phone, purpose, notices to staff);
 * - volunteer sign-ups keep their place in the counts (id `activity:openid`) without name and
 *   phone; the boards' kept name becomes 已注销居民; the points ledger and balances stay (the
 *   boards and the per-unit export add them up);
 * - their household's ratings they gave keep their stars (the sums) but lose the comment and the
 *   rater's name;
 * - the grid: with nobody else living there, the household's document (care tags, latest visits,
 *   its room) is removed and its visits keep only the figures' facts (their texts scrubbed, the
 *   household id replaced); with others still living there, the texts are scrubbed;
 * - the notices they received, their booking suspension, their subscribe-message counts and their
 *   record are removed.
 * Nothing that a figure counts changes: case_stats, grid_stats, rating_sums, volunteer_totals
 * stay as they were.
 *
 * A deletion waits while something is in progress (model.ts inFlight), and is refused to a person
 * holding a working role. It runs in steps that may each run again: the request turns
 * `processing` first with what to remove (`scrub`), so a run cut off half-way (a function's
 * timeout) resumes from there when staff press again; the request keeps no personal field once done.
 */
import { AppError } from '../../../../src/shared/errors'
import { DELETION_STATE_LABELS, type DeletionItemT, type privacyApi } from '../../../../src/shared/api/privacy'
import { maskPhone } from '../../../../src/shared/ids'
import { DELETED_NAME, scrubMaybe, scrubText, type PersonalFacts } from '../../../../src/shared/rules/privacy'
import type { UserDoc } from '../../../../src/shared/domain/user'
import { SUBSCRIBE_TEMPLATES } from '../../platform/templates'
import { DB_DUPLICATE_KEY, DB_NOT_FOUND, isDbError } from '../../platform/db'
import type { HandlersOf } from '../../runtime/serve'
import type { Ctx } from '../../runtime/context'
import { getOrNull } from '../common/docs'
import { requireCleanText } from '../common/content'
import { pageArgs, pageResult } from '../common/paging'
import { addressIds, addressOut, gridNames, knownPlaces } from '../common/places'
import { noticeDoc, type NotificationDoc } from '../common/notify'
import { changeId, type CaseDoc } from '../cases/model'
import type { BookingDoc } from '../booking/model'
import type { SignupDoc, LedgerDoc } from '../volunteer/model'
import type { RatingDoc } from '../property/model'
import type { HouseholdDoc, VisitDoc } from '../grid/model'
import { deletionOut } from './export'
import { DELETIONS, inFlight, readAll, recordsOf, workRoleBlock, type DeletionDoc } from './model'

type H = HandlersOf<typeof privacyApi>

/** The boards' names document of a community (volunteer/points.ts namesId; not imported: that module brings the .xlsx writer). */
const namesId = (communityId: string) => `names:${communityId}`

const ACTIVE = ['pending', 'processing'] as const

export const requestDeletion: H['requestDeletion'] = async (input, ctx) => {
  const user = ctx.user!
  const blocked = workRoleBlock(user)
  if (blocked) throw new AppError('PRECONDITION_FAILED', blocked)
  const reason = input.reason?.trim() ? input.reason.trim() : null
  const [existing] = await Promise.all([getOrNull<DeletionDoc>(ctx, DELETIONS, ctx.openid), reason ? requireCleanText(ctx, reason, 'reason') : null])
  if (existing && (ACTIVE as readonly string[]).includes(existing.state)) return deletionOut(existing)!
  const now = ctx.clock.now()
  const doc: DeletionDoc = {
    _id: ctx.openid,
    communityId: user.address.communityId,
    state: 'pending',
    reason,
    requestedAt: now,
    cancelledAt: null,
    doneAt: null,
    doneBy: null,
    doneByName: null,
    scrub: null,
    tomb: null,
    version: (existing?.version ?? 0) + 1,
    updatedAt: now,
  }
  const { _id, ...data } = doc
  if (existing) {
    // A new request after an earlier one was withdrawn (or done, and the person came back).
    const res = await ctx.db.collection(DELETIONS).where({ _id, version: existing.version }).update({ data: { ...data, scrub: null, tomb: null } })
    if (res.stats.updated !== 1) throw new AppError('CONFLICT', '申请状态刚刚有变化，请刷新后查看')
  } else {
    try {
      await ctx.db.collection(DELETIONS).add({ data: { _id, ...data } })
    } catch (e) {
      if (!isDbError(e, DB_DUPLICATE_KEY)) throw e
      const now2 = await getOrNull<DeletionDoc>(ctx, DELETIONS, ctx.openid)
      if (now2 && (ACTIVE as readonly string[]).includes(now2.state)) return deletionOut(now2)!
      throw new AppError('CONFLICT', '申请状态刚刚有变化，请刷新后查看')
    }
  }
  return deletionOut(doc)!
}

export const cancelDeletion: H['cancelDeletion'] = async (_input, ctx) => {
  const now = ctx.clock.now()
  const res = await ctx.db.collection(DELETIONS).where({ _id: ctx.openid, state: 'pending' }).update({ data: { state: 'cancelled', cancelledAt: now, updatedAt: now } })
  const d = await getOrNull<DeletionDoc>(ctx, DELETIONS, ctx.openid)
  if (!d) throw new AppError('NOT_FOUND', '没有待办理的注销申请')
  if (res.stats.updated !== 1 && d.state !== 'cancelled') {
    throw new AppError('PRECONDITION_FAILED', d.state === 'processing' ? '社区正在办理您的注销申请，无法撤回' : '这份注销申请已办结，无法撤回')
  }
  return deletionOut(d)!
}

// ---------------------------------------------------------------- the staff list

async function itemsOf(ctx: Ctx, docs: DeletionDoc[]): Promise<DeletionItemT[]> {
  const ids = docs.map((d) => d._id)
  const people = ids.length ? (await ctx.db.collection<UserDoc>('users').where({ _id: ctx._.in(ids) }).limit(ids.length).get()).data : []
  const byId = new Map(people.map((u) => [u._id, u]))
  const placeIds = [...new Set(people.flatMap((u) => addressIds(u.address)))]
  const gridIds = [...new Set(people.flatMap((u) => (u.address.gridId ? [u.address.gridId] : [])))]
  const [places, grids] = await Promise.all([knownPlaces(ctx, placeIds), gridNames(ctx, gridIds)])
  return docs.map((d) => {
    const u = byId.get(d._id)
    return {
      openid: d._id,
      name: u ? (u.name ?? '未留姓名') : DELETED_NAME,
      phoneMasked: u ? (maskPhone(u.phone) ?? null) : null,
      addressText: u ? addressOut(u.address, places, grids).text : null,
      state: d.state,
      stateLabel: DELETION_STATE_LABELS[d.state],
      reason: d.reason,
      requestedAt: d.requestedAt.toISOString(),
      doneAt: d.doneAt ? d.doneAt.toISOString() : null,
      doneByName: d.doneByName,
    }
  })
}

export const deletions: H['deletions'] = async (input, ctx) => {
  const { skip, limit } = pageArgs(input)
  const states = input.state === 'pending' ? [...ACTIVE] : ['done']
  const res = await ctx.db
    .collection<DeletionDoc>(DELETIONS)
    .where({ communityId: ctx.user!.address.communityId, state: ctx._.in(states) })
    .orderBy('requestedAt', 'desc')
    .skip(skip)
    .limit(limit + 1)
    .get()
  return pageResult(await itemsOf(ctx, res.data), input)
}

// ---------------------------------------------------------------- completing

/** Up to 100 ids per `_.in`. */
function chunks<T>(xs: T[], n = 100): T[][] {
  const out: T[][] = []
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n))
  return out
}

/** The notification documents a record's changes wrote (the engine's `case:<id>:v<n>`, and settled effects' `<collection>:<id>:v<n>:<i>`). */
function noticeIdsOf(collection: 'cases' | 'bookings', id: string, version: number): string[] {
  const out: string[] = []
  for (let v = 1; v <= version + 1; v++) {
    if (collection === 'cases') out.push(changeId(id, v))
    for (let i = 0; i < 4; i++) out.push(`${collection}:${id}:v${v}:${i}`)
  }
  return out
}

/** Scrub what the notices about the person's records say (to staff: a contact name, the first words of a message…). */
async function scrubNotices(ctx: Ctx, ids: string[], who: PersonalFacts): Promise<void> {
  for (const part of chunks(ids)) {
    const found = await ctx.db.collection<NotificationDoc & { _id: string }>('notifications').where({ _id: ctx._.in(part) }).limit(part.length).get()
    await Promise.all(
      found.data.map(async (n) => {
        const title = scrubText(n.title, who, true)
        const body = scrubText(n.body, who, true)
        const more = n.more?.map((m) => ({ ...m, title: scrubText(m.title, who, true), body: scrubText(m.body, who, true) }))
        if (title === n.title && body === n.body && JSON.stringify(more) === JSON.stringify(n.more)) return
        await ctx.db.collection('notifications').doc(n._id).update({ data: { title, body, ...(more ? { more: ctx._.set(more) } : {}) } })
      }),
    )
  }
}

/** The notices the person received: their own are removed; from a shared one they are taken off. */
async function dropNoticesTo(ctx: Ctx, openid: string, notices: Array<NotificationDoc & { _id: string }>): Promise<void> {
  await Promise.all(
    notices.map((n) => {
      if (!Array.isArray(n.to)) return ctx.db.collection('notifications').doc(n._id).remove()
      const more = n.more?.map((m) => ({ ...m, to: m.to.filter((p) => p !== openid) }))
      return ctx.db.collection('notifications').doc(n._id).update({
        data: { to: ctx._.pull(openid), readBy: ctx._.pull(openid), ...(more ? { more: ctx._.set(more) } : {}) },
      })
    }),
  )
}

async function scrubCase(ctx: Ctx, c: CaseDoc, openid: string, tomb: string, who: PersonalFacts): Promise<void> {
  await scrubNotices(ctx, noticeIdsOf('cases', c._id, c.version), who)
  const mine = (by: string) => by === openid
  const data: Record<string, unknown> = {
    ownerId: tomb,
    ownerName: DELETED_NAME,
    ownerPhone: null,
    householdId: tomb,
    description: scrubText(c.description, who, true),
    timeline: ctx._.set(c.timeline.map((t) => (mine(t.by) ? { ...t, by: tomb, byName: DELETED_NAME, note: scrubMaybe(t.note, who, true) } : { ...t, note: scrubMaybe(t.note, who) }))),
    agreement: scrubMaybe(c.agreement, who),
    failReason: scrubMaybe(c.failReason, who),
    satisfactionComment: scrubMaybe(c.satisfactionComment, who, true),
    version: c.version + 1,
    updatedAt: ctx.clock.now(),
  }
  if (c.thread) {
    data.thread = ctx._.set(c.thread.map((p) => (mine(p.by) ? { ...p, by: tomb, byName: DELETED_NAME, text: scrubText(p.text, who, true) } : { ...p, text: scrubText(p.text, who) })))
  }
  if (c.wall) data.wall = ctx._.set({ ...c.wall, text: scrubMaybe(c.wall.text, who), reply: scrubMaybe(c.wall.reply, who) })
  // As every change of the engine: the next version's notification id is the lock (it tells nobody).
  await ctx.db.runTransaction(async (tx) => {
    await Promise.all([
      tx
        .collection('notifications')
        .add({ data: noticeDoc(changeId(c._id, c.version + 1), [], ctx.clock.now()) as unknown as Record<string, unknown> })
        .catch((e: unknown) => {
          if (isDbError(e, DB_DUPLICATE_KEY)) throw new AppError('CONFLICT', '该居民的事项刚刚有人处理，请稍后再办理注销')
          throw e
        }),
      tx.collection('cases').doc(c._id).update({ data }),
    ])
  })
}

async function scrubBooking(ctx: Ctx, b: BookingDoc, openid: string, tomb: string, who: PersonalFacts): Promise<void> {
  await scrubNotices(ctx, noticeIdsOf('bookings', b._id, b.version), who)
  const res = await ctx.db
    .collection('bookings')
    .where({ _id: b._id, version: b.version })
    .update({
      data: {
        ownerId: tomb,
        ownerName: DELETED_NAME,
        contactName: DELETED_NAME,
        contactPhone: '',
        purpose: scrubText(b.purpose, who, true),
        organisation: scrubMaybe(b.organisation, who, true),
        rejectReason: scrubMaybe(b.rejectReason, who),
        cancelReason: scrubMaybe(b.cancelReason, who),
        timeline: ctx._.set(b.timeline.map((t) => (t.by === openid ? { ...t, by: tomb, byName: DELETED_NAME, note: scrubMaybe(t.note, who, true) } : { ...t, note: scrubMaybe(t.note, who) }))),
        version: b.version + 1,
        updatedAt: ctx.clock.now(),
      },
    })
  if (res.stats.updated !== 1) throw new AppError('CONFLICT', '该居民的预约刚刚有变化，请稍后再办理注销')
}

async function scrubVolunteer(ctx: Ctx, openid: string, communityId: string, signups: SignupDoc[], ledger: LedgerDoc[], who: PersonalFacts): Promise<void> {
  await Promise.all([
    ...signups
      .filter((s) => s.name !== DELETED_NAME || s.phone !== '' || s.partyUnit !== null)
      .map((s) => ctx.db.collection('signups').doc(s._id).update({ data: { name: DELETED_NAME, phone: '', partyUnit: null } })),
    ...ledger
      .filter((e) => scrubText(e.reason, who) !== e.reason)
      .map((e) => ctx.db.collection('points_ledger').doc(e._id).update({ data: { reason: scrubText(e.reason, who) } })),
    // The boards keep the names volunteers signed up with (volunteer/points.ts): theirs becomes 已注销居民.
    ...[...new Set([communityId, ...signups.map((s) => s.communityId)])].map((c) =>
      ctx.db
        .collection('volunteer_totals')
        .where({ _id: namesId(c), [`names.${openid}`]: ctx._.exists(true) })
        .update({ data: { [`names.${openid}`]: DELETED_NAME } }),
    ),
    // Their rows of the month and year leaderboards (volunteer/ranks.ts) keep their figures, not their name.
    ctx.db.collection('volunteer_ranks').where({ openid }).update({ data: { name: DELETED_NAME } }),
  ])
}

/**
 * The stars stay (the quarter's sums count them); the comment and who gave it go. With nobody else
 * living there, the rating also leaves the household's id (it holds the room: `company:quarter:
 * unit:room`) for the request's own, in one transaction (a new resident of the flat may rate that
 * quarter again: counted twice for one flat, the price of not keeping the room).
 */
async function scrubRatings(ctx: Ctx, ratings: RatingDoc[], tomb: string, alone: boolean): Promise<void> {
  const anonymous = { raterId: tomb, raterName: DELETED_NAME, comment: null, commentShown: false }
  for (const r of ratings) {
    if (!alone) {
      await ctx.db.collection('property_ratings').doc(r._id).update({ data: anonymous })
      continue
    }
    const { _id, ...rest } = r
    const moved = { ...rest, ...anonymous, householdId: tomb }
    await ctx.db.runTransaction(async (tx) => {
      await tx.collection('property_ratings').doc(`${r.companyId}:${r.quarter}:${tomb}`).set({ data: moved as unknown as Record<string, unknown> })
      await tx.collection('property_ratings').doc(_id).remove()
    })
  }
}

/** Does nobody else live in the household (no other record with its id)? */
async function livesAlone(ctx: Ctx, openid: string, householdId: string): Promise<boolean> {
  const others = await ctx.db.collection<UserDoc>('users').where({ householdId }).field({ _id: true }).limit(21).get()
  return others.data.every((u) => u._id === openid)
}

async function scrubGrid(ctx: Ctx, householdId: string, tomb: string, alone: boolean, who: PersonalFacts): Promise<void> {
  const [doc, visits] = await Promise.all([
    getOrNull<HouseholdDoc>(ctx, 'households', householdId),
    readAll((skip, limit) => ctx.db.collection<VisitDoc & { _id: string }>('visits').where({ householdId }).orderBy('at', 'desc').skip(skip).limit(limit).get()),
  ])
  await Promise.all(
    visits.map((v) =>
      ctx.db
        .collection('visits')
        .doc(v._id)
        .update({ data: { found: scrubText(v.found, who), followUpNote: scrubMaybe(v.followUpNote, who), ...(alone ? { householdId: tomb } : {}) } }),
    ),
  )
  if (!doc) return
  if (alone) {
    // Nobody lives there any more: its tags, latest visits and room go (the figures are in grid_stats).
    await ctx.db.collection('households').doc(householdId).remove()
    return
  }
  const tags = doc.tags.map((t) => ({ ...t, reason: scrubText(t.reason, who) }))
  const recent = doc.recent?.map((v) => ({ ...v, found: scrubText(v.found, who), followUpNote: scrubMaybe(v.followUpNote, who) }))
  const res = await ctx.db
    .collection('households')
    .where({ _id: householdId, version: doc.version })
    .update({ data: { tags: ctx._.set(tags), ...(recent ? { recent: ctx._.set(recent) } : {}), version: doc.version + 1, updatedAt: ctx.clock.now() } })
  if (res.stats.updated !== 1) throw new AppError('CONFLICT', '这户的网格记录刚刚有变化，请稍后再办理注销')
}

async function removeIfThere(ctx: Ctx, collection: string, id: string): Promise<void> {
  try {
    await ctx.db.collection(collection).doc(id).remove()
  } catch (e) {
    if (!isDbError(e, DB_NOT_FOUND)) throw e
  }
}

export const completeDeletion: H['completeDeletion'] = async (input, ctx) => {
  const staff = ctx.user!
  const d0 = await getOrNull<DeletionDoc>(ctx, DELETIONS, input.openid)
  if (!d0) throw new AppError('NOT_FOUND', '没有找到这份注销申请')
  if (d0.communityId !== staff.address.communityId) throw new AppError('FORBIDDEN', '只能办理本社区居民的注销申请')
  if (d0.state === 'done') return (await itemsOf(ctx, [d0]))[0]
  if (d0.state === 'cancelled') throw new AppError('PRECONDITION_FAILED', '居民已撤回这份注销申请')
  if (input.openid === ctx.openid) throw new AppError('FORBIDDEN', '不能办理自己的注销申请')
  const now = ctx.clock.now()
  let d = d0
  if (d.state === 'pending') {
    const u = await getOrNull<UserDoc>(ctx, 'users', input.openid)
    if (!u) throw new AppError('PRECONDITION_FAILED', '没有找到该居民的资料')
    const blocked = workRoleBlock(u)
    if (blocked) throw new AppError('PRECONDITION_FAILED', '该居民仍担任社区工作角色，请先在居民认证中解除后再办理注销')
    const busy = inFlight(await recordsOf(ctx, u._id, null))
    if (busy) throw new AppError('PRECONDITION_FAILED', `该居民${busy}`)
    const scrub = { name: u.name ?? null, phone: u.phone ?? null, room: u.address.room, householdId: u.householdId, gridId: u.address.gridId, estateId: u.address.estateId }
    const tomb = `deleted-${d.requestedAt.getTime().toString(36)}${Math.random().toString(36).slice(2, 8)}`
    const res = await ctx.db
      .collection(DELETIONS)
      .where({ _id: d._id, state: 'pending', version: d.version })
      .update({ data: { state: 'processing', scrub: ctx._.set(scrub), tomb, version: d.version + 1, updatedAt: now } })
    if (res.stats.updated !== 1) throw new AppError('CONFLICT', '申请状态刚刚有变化，请刷新后再办理')
    d = { ...d, state: 'processing', scrub, tomb, version: d.version + 1 }
  }
  const scrub = d.scrub!
  const tomb = d.tomb!
  const openid = d._id
  const who: PersonalFacts = { name: scrub.name, phone: scrub.phone, room: scrub.room }
  // Everything is read before anything changes (a change moves records out of these filters).
  const [r, alone] = await Promise.all([recordsOf(ctx, openid, scrub.householdId), livesAlone(ctx, openid, scrub.householdId)])
  await dropNoticesTo(ctx, openid, r.notices)
  for (const c of r.cases) await scrubCase(ctx, c, openid, tomb, who)
  for (const b of r.bookings) await scrubBooking(ctx, b, openid, tomb, who)
  await Promise.all([
    scrubVolunteer(ctx, openid, d.communityId, r.signups, r.ledger, who),
    scrubRatings(ctx, r.ratings, tomb, alone),
    scrubGrid(ctx, scrub.householdId, tomb, alone, who),
    removeIfThere(ctx, 'booking_suspensions', openid),
    ctx.db
      .collection('subscribe_log')
      .where({ _id: ctx._.in(Object.keys(SUBSCRIBE_TEMPLATES).map((k) => `${openid}:${k}`)) })
      .remove(),
  ])
  await removeIfThere(ctx, 'users', openid)
  const done = { state: 'done' as const, doneAt: ctx.clock.now(), doneBy: ctx.openid, doneByName: staff.name ?? '社区工作人员' }
  await ctx.db
    .collection(DELETIONS)
    .doc(openid)
    .update({ data: { ...done, scrub: ctx._.remove(), tomb: ctx._.remove(), version: d.version + 1, updatedAt: done.doneAt } })
  ctx.log.info('deletion completed', { by: ctx.openid, cases: r.cases.length, bookings: r.bookings.length, signups: r.signups.length })
  return (await itemsOf(ctx, [{ ...d, ...done, scrub: null, tomb: null }]))[0]
}
