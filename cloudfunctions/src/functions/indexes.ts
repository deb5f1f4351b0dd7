/**
 * Every collection the functions use, with its indexes: the one list, declared in code.
 * - The local cloud creates exactly these collections (and builds these indexes); its database is
 *   strict like CloudBase, so a collection missing here is refused with -502005 there too.
 * - In production the admin-only `user.setup` action creates any that are missing
 *   (`db.createCollection`), and answers the indexes to create in 云开发控制台 → 数据库 → 索引管理
 *   (the server SDK cannot create indexes); the README's table is generated from this list.
 * - test/build/collections.test.ts checks the sources touch no collection missing here.
 * Every list query in a handler is backed by one of these indexes.
 */
import type { IndexMap } from '../platform/db'

export const INDEXES: IndexMap = {
  // seed version, per-community sequence counters (handlers/volunteer/signup.ts)
  meta: [],
  // a community's registered names for the 留言墙 redaction, as last gathered (handlers/cases/message.ts), by _id
  wall_names: [],
  // generated files to download (the 工作台账), deleted after a day by the stats timer (handlers/common/exports.ts)
  export_files: [{ fields: [['at', 1]] }],
  // the 工作台 badge per scope (a community, a grid worker's grids, a street), recounted at most once per two minutes (handlers/work/summary.ts), by _id
  work_badges: [],
  users: [
    { fields: [['address.communityId', 1], ['roles', 1]] },
    { fields: [['address.streetId', 1], ['roles', 1]] },
    { fields: [['address.communityId', 1], ['verified', 1], ['createdAt', -1]] },
    { fields: [['address.gridId', 1], ['verified', 1], ['createdAt', -1]] },
    // a grid worker's 居民认证 without a verified filter (handlers/user/residents.ts)
    { fields: [['address.gridId', 1], ['createdAt', -1]] },
    // 居民认证 without a verified filter, newest (or oldest) first
    { fields: [['address.communityId', 1], ['createdAt', -1]] },
    // the names registered in a community that changed since a moment (留言墙 redaction: handlers/cases/message.ts)
    { fields: [['address.communityId', 1], ['updatedAt', 1]] },
    // 物业联系人 of a company; a contact named by phone (handlers/property/admin.ts)
    { fields: [['companyId', 1], ['roles', 1]] },
    { fields: [['phone', 1]] },
    // 职能部门 contacts; a household's residents (handlers/grid)
    { fields: [['departmentId', 1], ['roles', 1]] },
    // every 物业 or 职能部门 contact at once, beside the list that shows them (handlers/grid/departments.ts, handlers/property/close.ts)
    { fields: [['roles', 1]] },
    { fields: [['householdId', 1], ['verified', 1]] },
    // 网格户籍: a grid's verified residents in roster order, a page at a time (handlers/grid/roster.ts; rosterKey: rules/grid.ts)
    { fields: [['address.gridId', 1], ['verified', 1], ['rosterKey', 1], ['householdId', 1]] },
    // records written before the roster order was kept, keyed by the grid timer (handlers/grid/backfill.ts: rosterKey null)
    { fields: [['rosterKey', 1]] },
    // effects still to settle (handlers/common/effects.ts), swept by user.tick
    { fields: [['effectsDue', 1]] },
  ],
  places: [
    { fields: [['parentId', 1], ['order', 1]] },
    { fields: [['kind', 1], ['order', 1]] },
  ],
  grids: [{ fields: [['communityId', 1]] }],
  invites: [{ fields: [['gridId', 1], ['expiresAt', -1]] }],
  cases: [
    { fields: [['ownerId', 1], ['kind', 1], ['submittedAt', -1]] },
    // a month's figures recounted from the records (cases/stats.ts recountMonth)
    { fields: [['communityId', 1], ['kind', 1], ['submittedAt', 1]] },
    // the 留言墙, newest first
    { fields: [['communityId', 1], ['kind', 1], ['wall.status', 1], ['wall.publishedAt', -1]] },
    // the queues, most urgent first (handlers/cases/read.ts: orderBy dueAt, then submittedAt desc);
    // an `_.in` of statuses is served by merging each status's run in that order
    { fields: [['communityId', 1], ['kind', 1], ['status', 1], ['dueAt', 1], ['submittedAt', -1]] },
    { fields: [['gridId', 1], ['kind', 1], ['status', 1], ['dueAt', 1], ['submittedAt', -1]] },
    { fields: [['streetId', 1], ['level', 1], ['status', 1], ['dueAt', 1], ['submittedAt', -1]] },
    // a department's queue of patrol reports
    { fields: [['departmentId', 1], ['level', 1], ['kind', 1], ['status', 1], ['dueAt', 1], ['submittedAt', -1]] },
    // the scheduled job's scan: open statuses whose deadline has passed, oldest first
    { fields: [['status', 1], ['dueAt', 1]] },
    { fields: [['effectsDue', 1]] },
    // closed 物业 cases, to mark complaints substantiated (handlers/property/admin.ts)
    { fields: [['communityId', 1], ['category', 1], ['status', 1], ['closedAt', -1]] },
  ],
  case_stats: [{ fields: [['communityId', 1], ['month', 1]] }],
  // per-community case deadlines (handlers/cases/settings.ts), one document per community
  case_settings: [],
  // 常用回复 (handlers/cases/message.ts)
  reply_templates: [{ fields: [['communityId', 1], ['updatedAt', -1]] }],
  notifications: [
    { fields: [['to', 1], ['createdAt', -1]] },
    { fields: [['to', 1], ['read', 1]] },
  ],
  requests: [{ fields: [['at', 1]] }],
  // rate limits (runtime/limits.ts): counters per person and minute / day, pruned by user.tick
  rate_counters: [{ fields: [['at', 1]] }],
  rate_settings: [],
  outbox: [{ fields: [['kind', 1], ['at', -1]] }],
  // media checks whose verdict comes later, read by id (the trace id; handlers/common/media.ts)
  media_checks: [],
  // subscribe messages sent / refused per person and template, read by id `<openid>:<template>` (handlers/common/notify.ts)
  subscribe_log: [],
  // 场地预约 (handlers/booking)
  rooms: [
    { fields: [['communityId', 1], ['active', 1], ['order', 1]] },
    { fields: [['communityId', 1], ['order', 1]] },
  ],
  bookings: [
    { fields: [['ownerId', 1], ['startAt', -1]] },
    { fields: [['ownerId', 1], ['status', 1], ['startAt', -1]] },
    { fields: [['communityId', 1], ['status', 1], ['startAt', 1]] },
    { fields: [['communityId', 1], ['date', 1], ['start', 1]] },
    // a room's slot grid: its live bookings by date (handlers/booking/rooms.ts)
    { fields: [['roomId', 1], ['date', 1], ['start', 1]] },
    { fields: [['checkCode', 1], ['startAt', -1]] },
    // the scheduled job's scans
    { fields: [['status', 1], ['startAt', 1]] },
    { fields: [['status', 1], ['noShowAt', 1]] },
    { fields: [['status', 1], ['reminded', 1], ['remindAt', 1]] },
    { fields: [['status', 1], ['endAt', 1]] },
    { fields: [['effectsDue', 1]] },
    // what changed bookings gave back, released by the job (handlers/booking/claims.ts)
    { fields: [['releaseDue', 1]] },
  ],
  slot_claims: [
    { fields: [['roomId', 1], ['date', 1]] },
    { fields: [['bookingId', 1], ['bound', 1]] },
    { fields: [['bound', 1], ['at', 1]] },
  ],
  booking_quota: [
    { fields: [['bookingId', 1], ['bound', 1]] },
    { fields: [['bound', 1], ['at', 1]] },
  ],
  booking_codes: [
    { fields: [['bookingId', 1], ['bound', 1]] },
    { fields: [['bound', 1], ['at', 1]] },
  ],
  // a suspension after repeated no-shows, read by id (= openid)
  booking_suspensions: [],
  // per-community booking rules (handlers/booking/model.ts), one document per community
  booking_settings: [],
  // the month's room figures per community (handlers/booking/figures.ts), read by id (`<communityId>:<YYYY-MM>`)
  booking_stats: [],
  // 志愿服务 (handlers/volunteer)
  activities: [
    { fields: [['communityId', 1], ['status', 1], ['startAt', 1]] },
    { fields: [['communityId', 1], ['status', 1], ['endAt', -1]] },
    // the job's scans
    { fields: [['status', 1], ['startAt', 1]] },
    { fields: [['status', 1], ['endAt', 1]] },
    { fields: [['status', 1], ['endAt', 1], ['creditedAt', 1]] },
    { fields: [['effectsDue', 1]] },
  ],
  signups: [
    // the roster in sign-up order; the first on the waitlist (seq, then _id)
    { fields: [['activityId', 1], ['seq', 1]] },
    { fields: [['activityId', 1], ['state', 1], ['seq', 1], ['_id', 1]] },
    { fields: [['activityId', 1], ['state', 1], ['credited', 1]] },
    { fields: [['openid', 1], ['state', 1], ['startAt', 1]] },
    { fields: [['effectsDue', 1]] },
  ],
  points_ledger: [
    { fields: [['openid', 1], ['at', -1]] },
    { fields: [['openid', 1], ['kind', 1], ['at', -1]] },
    { fields: [['communityId', 1], ['at', 1]] },
    { fields: [['effectsDue', 1]] },
  ],
  // balances and the month boards of the statistics: one document per person (person:<openid>) and per community and period
  volunteer_totals: [],
  // the month and year 积分榜: one document per person, community and period (handlers/volunteer/ranks.ts), the top
  // of a board read in its order; a person's own by id; theirs everywhere by openid (注销 removes the name)
  volunteer_ranks: [
    { fields: [['communityId', 1], ['period', 1], ['points', -1], ['hours', -1], ['openid', 1]] },
    { fields: [['openid', 1]] },
  ],
  // 物业服务评价与红黑榜 (handlers/property)
  companies: [
    { fields: [['communityIds', 1]] },
    // the company serving an estate (handlers/property/model.ts companyServing)
    { fields: [['estateIds', 1]] },
  ],
  property_ratings: [
    { fields: [['companyId', 1], ['communityId', 1], ['commentShown', 1], ['updatedAt', -1]] },
    { fields: [['communityId', 1], ['companyId', 1], ['hour', 1], ['excluded', 1]] },
    // a household's rating this quarter (handlers/property/rating.ts mine)
    { fields: [['householdId', 1], ['quarter', 1]] },
    // the last hours' ratings, counted into bursts by the timer (handlers/property/admin.ts flagBursts)
    { fields: [['hour', 1]] },
  ],
  rating_sums: [{ fields: [['communityId', 1], ['quarter', 1]] }],
  rating_bursts: [{ fields: [['communityId', 1], ['status', 1], ['hourStart', -1]] }],
  property_violations: [
    { fields: [['communityId', 1], ['companyId', 1], ['at', -1]] },
    { fields: [['communityId', 1], ['companyId', 1], ['quarter', 1], ['removed', 1]] },
  ],
  property_complaints: [
    { fields: [['communityId', 1], ['companyId', 1], ['quarter', 1], ['substantiated', 1]] },
    // the marks of a page of closed cases, in the cases' order (handlers/property/admin.ts complaints)
    { fields: [['communityId', 1], ['caseClosedAt', -1]] },
  ],
  property_results: [
    { fields: [['communityId', 1], ['quarter', 1]] },
    { fields: [['communityId', 1], ['companyId', 1], ['quarter', -1]] },
    { fields: [['companyId', 1], ['quarter', -1]] },
    { fields: [['effectsDue', 1]] },
  ],
  property_closes: [
    { fields: [['communityId', 1], ['state', 1], ['quarter', -1]] },
    { fields: [['communityId', 1], ['quarter', 1]] },
    // the closes a company's contact sees (handlers/property/close.ts results)
    { fields: [['companyIds', 1]] },
    { fields: [['effectsDue', 1]] },
  ],
  property_settings: [],
  // 网格化管理 (handlers/grid)
  departments: [{ fields: [['streetId', 1], ['createdAt', 1]] }],
  grid_settings: [],
  // households per grid of a community, recounted at most every 10 minutes (handlers/grid/roster.ts `mine`), by _id
  grid_counts: [],
  households: [
    { fields: [['gridId', 1], ['nextDueAt', 1]] },
    { fields: [['gridId', 1], ['tagged', 1]] },
    // 网格户籍 filtered to 重点户: a page in roster order
    { fields: [['gridId', 1], ['tagged', 1], ['rosterKey', 1], ['_id', 1]] },
    // households written before the roster order was kept (handlers/grid/backfill.ts)
    { fields: [['rosterKey', 1]] },
    // a community's tagged households (handlers/grid/stats.ts)
    { fields: [['communityId', 1], ['tagged', 1]] },
    // the job: overdue and not yet reminded
    { fields: [['reminded', 1], ['nextDueAt', 1]] },
  ],
  visits: [
    { fields: [['householdId', 1], ['at', -1]] },
    { fields: [['gridId', 1], ['at', 1]] },
    // the month's figures each visit carries until grid.tick settles them (handlers/grid/roster.ts visit)
    { fields: [['effectsDue', 1]] },
  ],
  // a month's visit figures of every grid of a community (handlers/grid/stats.ts)
  grid_stats: [{ fields: [['communityId', 1], ['month', 1]] }],
  grid_reminders: [{ fields: [['effectsDue', 1]] }],
  // 注销 requests (handlers/privacy, `_id` = openid): a community's pending (or done) ones, newest first
  deletion_requests: [{ fields: [['communityId', 1], ['state', 1], ['requestedAt', -1]] }],
}

/** The declared collections' names. */
export const COLLECTIONS: readonly string[] = Object.keys(INDEXES)
