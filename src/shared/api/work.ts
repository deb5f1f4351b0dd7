/**
 * Cloud function `work`: the staff workbench (工作台, issue 15). One read lists what waits for the
 * caller across the features — cases to accept and overdue ones, messages to answer, patrol
 * reports to route, bookings to approve and to check in today, activities to run, property
 * appeals and flagged rating bursts, residents to verify, care visits due — each group with its
 * count, its overdue count and its first items (overdue first, then by deadline), every item a
 * link to the page where it is handled. The street sees the cases escalated to it and each
 * community's open and overdue cases. Scoped by the caller's record: a grid worker's grids, a
 * staff member's community, the street's communities.
 */
import { z } from '../z'
import { defineFunction, action } from './define'
import { Empty, InstantOut } from './common'
import { WORK_ROLES, badgeAction } from './work-badge'

export { WORK_ROLES, BadgeOut, type BadgeOutT } from './work-badge'

/** The groups, in the order a page shows them when none is overdue (groups with overdue items come first). */
export const WORK_GROUPS = ['escalated', 'disputes', 'messages', 'events', 'approvals', 'checkins', 'activities', 'property', 'residents', 'visits'] as const
export type WorkGroupKey = (typeof WORK_GROUPS)[number]

export const WORK_GROUP_TITLES: Record<WorkGroupKey, string> = {
  escalated: '上报街道的事项',
  disputes: '邻里纠纷',
  messages: '居民留言',
  events: '巡查上报待分流',
  approvals: '场地预约待审核',
  checkins: '今日场地签到',
  activities: '志愿活动',
  property: '物业申诉与集中评价',
  residents: '居民认证',
  visits: '重点户走访',
}

/** How many items each group lists (the rest is one tap away on the feature's own page). */
export const ITEMS_PER_GROUP = 5

export const WorkItem = z.object({
  id: z.string(),
  title: z.string(),
  /** Where / who / what state, in one line. */
  detail: z.string(),
  /** What the deadline is for, read as is ("11月24日 10:00 前受理"); null: no deadline. */
  dueText: z.nullable(z.string()),
  dueAt: z.nullable(InstantOut),
  overdue: z.boolean(),
  /** A short state label (待受理, 待回复, 今日签到 …). */
  tag: z.nullable(z.string()),
  /** The page where it is handled, with its id (a subpackage path). */
  link: z.string(),
})
export type WorkItemT = z.infer<typeof WorkItem>
/** An item as a handler writes it (instants as Dates). */
export type WorkItemIn = z.input<typeof WorkItem>

export const WorkGroup = z.object({
  key: z.enum(WORK_GROUPS),
  title: z.string(),
  /** Everything waiting in the group (the overdue included). */
  count: z.number(),
  overdue: z.number(),
  /** The count broken down, read as is ("超期 1 · 待受理 2"); null when the count says it all. */
  note: z.nullable(z.string()),
  /** The feature's own list (查看全部). */
  link: z.string(),
  items: z.array(WorkItem),
})
export type WorkGroupT = z.infer<typeof WorkGroup>
export type WorkGroupIn = z.input<typeof WorkGroup>

/** The street's view of one community: its open cases (纠纷、留言、巡查上报, at any level) and how many are overdue. */
export const CommunityFigure = z.object({
  id: z.string(),
  name: z.string(),
  open: z.number(),
  overdue: z.number(),
})
export type CommunityFigureT = z.infer<typeof CommunityFigure>

export const WorkSummary = z.object({
  at: InstantOut,
  total: z.number(),
  overdue: z.number(),
  groups: z.array(WorkGroup),
  /** The street only: each community's figures; null for everyone else. */
  communities: z.nullable(z.array(CommunityFigure)),
})
export type WorkSummaryT = z.infer<typeof WorkSummary>

export const workApi = defineFunction('work', {
  summary: action({
    read: true,
    summary: '工作台：各项待办（纠纷、留言、巡查上报、预约审核与签到、志愿活动、物业申诉与集中评价、居民认证、重点户走访），超期在前；街道另见各社区数字',
    access: WORK_ROLES,
    input: Empty,
    output: WorkSummary,
  }),
  badge: badgeAction,
})
