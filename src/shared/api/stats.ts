/**
 * Cloud function `stats`: 统计与台账 (issue 15) for the people who do the community's work —
 * staff and admins (their community), grid workers (their grids) and the street (its
 * communities). The role and the community come from the caller's record, never from the input.
 *
 * - `month`: one month's figures read from the counters the features keep on write (no scan of
 *   records): the 三率 of disputes and messages per community / grid / category / staff member,
 *   room utilisation per room and hour with the 爽约率, volunteer hours and people, and the
 *   property scores of the month's quarter.
 * - `ledger`: the month's 工作台账 as an .xlsx (one sheet per feature: its figures and its item
 *   list), stored in cloud storage; answered with a temporary download URL.
 */
import { z } from '../z'
import { action, defineFunction } from './define'
import { MONTH_PATTERN, STATS_SCOPES } from '../rules/stats'

export const MonthInput = z.string().check(z.regex(MONTH_PATTERN, '月份格式为 2026-11'))

/** One row of case figures (纠纷 / 留言): counts and the 三率 (percent, one decimal; null: nothing to divide by). */
export const CaseRow = z.object({
  key: z.string(),
  name: z.string(),
  received: z.number(),
  accepted: z.number(),
  acceptedOnTime: z.number(),
  resolved: z.number(),
  failed: z.number(),
  rated: z.number(),
  satisfied: z.number(),
  /** 响应率 (messages) / 按期受理率 (disputes): accepted or first answered within its deadline. */
  onTimeRate: z.nullable(z.number()),
  /** 解决率 / 调解成功率. */
  successRate: z.nullable(z.number()),
  /** 满意率 (默认满意 counts as satisfied). */
  satisfactionRate: z.nullable(z.number()),
})
export type CaseRowT = z.infer<typeof CaseRow>

export const CaseFigures = z.object({
  kind: z.enum(['dispute', 'message']),
  label: z.string(),
  total: CaseRow,
  byCommunity: z.array(CaseRow),
  byGrid: z.array(CaseRow),
  byCategory: z.array(CaseRow),
  byStaff: z.array(CaseRow),
})
export type CaseFiguresT = z.infer<typeof CaseFigures>

/** Rooms: checked-in uses, 爽约, minutes used against minutes open (利用率) and the 爽约率, in percent. */
export const BookingRow = z.object({
  key: z.string(),
  name: z.string(),
  used: z.number(),
  noShow: z.number(),
  usedMinutes: z.number(),
  openMinutes: z.number(),
  utilisation: z.nullable(z.number()),
  noShowRate: z.nullable(z.number()),
})
export type BookingRowT = z.infer<typeof BookingRow>

export const HourRow = z.object({ hour: z.number(), label: z.string(), usedMinutes: z.number(), openMinutes: z.number(), utilisation: z.nullable(z.number()) })
export type HourRowT = z.infer<typeof HourRow>

export const BookingFigures = z.object({
  total: BookingRow,
  byRoom: z.array(BookingRow),
  /** Every room together, per hour of the day the rooms are open. */
  byHour: z.array(HourRow),
  byCommunity: z.array(BookingRow),
})
export type BookingFiguresT = z.infer<typeof BookingFigures>

export const VolunteerRow = z.object({
  key: z.string(),
  name: z.string(),
  /** Hours credited in the month. */
  hours: z.number(),
  /** People credited with hours (null on a category row: one person may serve in several categories). */
  people: z.nullable(z.number()),
  /** Attendances credited (人次). */
  credits: z.number(),
  points: z.number(),
})
export type VolunteerRowT = z.infer<typeof VolunteerRow>

export const VolunteerFigures = z.object({
  total: VolunteerRow,
  /** Per activity category: hours and 人次. */
  byCategory: z.array(VolunteerRow),
  byCommunity: z.array(VolunteerRow),
})
export type VolunteerFiguresT = z.infer<typeof VolunteerFigures>

export const PropertyRow = z.object({
  key: z.string(),
  name: z.string(),
  communityName: z.string(),
  ratings: z.number(),
  /** The score of the quarter so far (Bayesian per dimension, less deductions); null below the minimum of ratings. */
  overall: z.nullable(z.number()),
  /** Mean stars of the ratings (no prior), null without ratings. */
  average: z.nullable(z.number()),
  list: z.string(),
  listLabel: z.string(),
  dims: z.array(z.object({ key: z.string(), label: z.string(), score: z.number() })),
})
export type PropertyRowT = z.infer<typeof PropertyRow>

export const PropertyFigures = z.object({ quarter: z.string(), quarterLabel: z.string(), companies: z.array(PropertyRow) })
export type PropertyFiguresT = z.infer<typeof PropertyFigures>

export const MonthStats = z.object({
  month: z.string(),
  /** Whose figures: one community, the caller's grids, or the street's communities. */
  scope: z.enum(['community', 'grids', 'street']),
  title: z.string(),
  /** The tabs this caller has (a grid worker: grid only; the street: community and category). */
  tabs: z.array(z.enum(STATS_SCOPES)),
  cases: z.array(CaseFigures),
  booking: z.nullable(BookingFigures),
  volunteer: z.nullable(VolunteerFigures),
  property: z.nullable(PropertyFigures),
})
export type MonthStatsT = z.infer<typeof MonthStats>

export const LedgerOut = z.object({
  fileName: z.string(),
  /** A temporary download URL (2 h). */
  url: z.string(),
  sheets: z.array(z.string()),
})
export type LedgerOutT = z.infer<typeof LedgerOut>

/** Who does the community's work: never a resident, a volunteer, a property company or a department. */
export const STATS_PEOPLE = ['grid_worker', 'staff', 'admin', 'street'] as const

export const statsApi = defineFunction('stats', {
  month: action({
    read: true,
    summary: '统计：某月各社区 / 网格 / 类别 / 人员的三率、场地利用率与爽约率、志愿工时与人数、物业评分（读计数器）',
    access: STATS_PEOPLE,
    input: z.strictObject({ month: MonthInput }),
    output: MonthStats,
  }),
  ledger: action({
    summary: '导出某月工作台账（.xlsx，每项工作一张表：统计与明细），存入云存储并返回临时下载链接',
    access: STATS_PEOPLE,
    input: z.strictObject({ month: MonthInput }),
    output: LedgerOut,
  }),
  tick: action({
    summary: '定时任务：删除超过一天的导出文件（工作台账）',
    access: 'system',
    input: z.object({}),
    output: z.object({ exportsRemoved: z.number() }),
  }),
})
