/**
 * 我的数据 and 注销 (issue 14), the server side's shared parts: the deletion request, and reading a
 * person's records across the features — for the export (privacy/export.ts) and for a deletion
 * (privacy/deletion.ts), which reads everything before it changes anything.
 *
 * Where a person's records are found, each by an index:
 * - cases they submitted (`ownerId`, per kind), bookings (`ownerId`), sign-ups and the points
 *   ledger (`openid`), their household's ratings (`householdId`, then `raterId`), the notices
 *   they received (`to`), their household's document and visits (`households/<householdId>`,
 *   `visits.householdId`), their balance (`volunteer_totals/person:<openid>`).
 */
import type { UserDoc } from '../../../../src/shared/domain/user'
import type { DeletionState } from '../../../../src/shared/api/privacy'
import type { Ctx } from '../../runtime/context'
import type { CaseDoc } from '../cases/model'
import type { BookingDoc } from '../booking/model'
import type { LedgerDoc, SignupDoc } from '../volunteer/model'
import type { RatingDoc } from '../property/model'
import type { NotificationDoc } from '../common/notify'

export const DELETIONS = 'deletion_requests'

/** A deletion request (collection `deletion_requests`, `_id` = the person's openid: one at a time). */
export interface DeletionDoc {
  _id: string
  communityId: string
  state: DeletionState
  reason: string | null
  requestedAt: Date
  cancelledAt: Date | null
  doneAt: Date | null
  doneBy: string | null
  doneByName: string | null
  /**
   * While `processing`: what is being removed (the person's record is gone by the end, so a run
   * cut off half-way resumes from here), and the id their anonymised records take instead of
   * theirs. Removed when done: the request keeps no personal field.
   */
  scrub?: { name: string | null; phone: string | null; room: string; householdId: string; gridId: string | null; estateId: string } | null
  tomb?: string | null
  version: number
  updatedAt: Date
}

/** Every page of an indexed query, read before anything is changed (a change may move records out of the filter). */
export async function readAll<T>(page: (skip: number, limit: number) => Promise<{ data: T[] }>, max = 20_000): Promise<T[]> {
  const out: T[] = []
  const limit = 1000
  for (let skip = 0; skip < max; skip += limit) {
    const res = await page(skip, limit)
    out.push(...res.data)
    if (res.data.length < limit) break
  }
  return out
}

export interface PersonRecords {
  cases: CaseDoc[]
  bookings: BookingDoc[]
  signups: SignupDoc[]
  ledger: LedgerDoc[]
  ratings: RatingDoc[]
  notices: Array<NotificationDoc & { _id: string }>
}

/**
 * A person's records, each list by its index (all kinds of case they own; their household's
 * ratings they gave). `max` bounds each list (the export shows the latest; a deletion reads all).
 */
export async function recordsOf(ctx: Ctx, openid: string, householdId: string | null, max = 20_000): Promise<PersonRecords> {
  const db = ctx.db
  const casesOf = (kind: string) =>
    readAll((skip, limit) => db.collection<CaseDoc>('cases').where({ ownerId: openid, kind }).orderBy('submittedAt', 'desc').skip(skip).limit(limit).get(), max)
  const [disputes, messages, events, bookings, signups, ledger, ratings, notices] = await Promise.all([
    casesOf('dispute'),
    casesOf('message'),
    casesOf('event'),
    readAll((skip, limit) => db.collection<BookingDoc>('bookings').where({ ownerId: openid }).orderBy('startAt', 'desc').skip(skip).limit(limit).get(), max),
    readAll((skip, limit) => db.collection<SignupDoc>('signups').where({ openid }).skip(skip).limit(limit).get(), max),
    readAll((skip, limit) => db.collection<LedgerDoc>('points_ledger').where({ openid }).orderBy('at', 'desc').skip(skip).limit(limit).get(), max),
    householdId
      ? readAll((skip, limit) => db.collection<RatingDoc>('property_ratings').where({ householdId }).skip(skip).limit(limit).get(), max)
      : Promise.resolve([] as RatingDoc[]),
    readAll((skip, limit) => db.collection<NotificationDoc & { _id: string }>('notifications').where({ to: openid }).orderBy('createdAt', 'desc').skip(skip).limit(limit).get(), max),
  ])
  return {
    cases: [...disputes, ...messages, ...events],
    bookings,
    signups,
    ledger,
    ratings: ratings.filter((r) => r.raterId === openid),
    notices,
  }
}

/** Roles held for the community or the street: their holder answers for official acts on records (a 注销 waits until staff remove them). */
export const WORK_ROLES = ['grid_worker', 'staff', 'admin', 'street', 'property', 'department'] as const

export function workRoleBlock(user: Pick<UserDoc, 'roles'>): string | null {
  return user.roles.some((r) => (WORK_ROLES as readonly string[]).includes(r)) ? '您目前担任社区工作角色，请先由社区解除工作角色后再申请注销' : null
}

const OPEN_CASE = ['submitted', 'accepted', 'mediating', 'waiting_info', 'resolved', 'failed']
const LIVE_BOOKING = ['pending', 'confirmed', 'checked_in']

/**
 * What is still in progress (a deletion waits for it: a case still being handled, a booking still
 * to come, a sign-up for an activity not yet over), as a sentence, or null.
 */
export function inFlight(r: Pick<PersonRecords, 'cases' | 'bookings' | 'signups'>): string | null {
  const cases = r.cases.filter((c) => OPEN_CASE.includes(c.status))
  const disputes = cases.filter((c) => c.kind === 'dispute').length
  const messages = cases.filter((c) => c.kind !== 'dispute').length
  const bookings = r.bookings.filter((b) => LIVE_BOOKING.includes(b.status)).length
  const signups = r.signups.filter((s) => s.state !== 'cancelled' && !s.activity).length
  const parts = [
    disputes ? `纠纷 ${disputes} 件` : '',
    messages ? `留言 ${messages} 条` : '',
    bookings ? `预约 ${bookings} 个` : '',
    signups ? `志愿活动报名 ${signups} 个` : '',
  ].filter(Boolean)
  return parts.length ? `还有进行中的事项：${parts.join('、')}。请先办结、取消或等活动结束后再办理注销` : null
}
