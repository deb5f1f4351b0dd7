/**
 * 物业服务评价与红黑榜 (PRODUCT.md §5): the quarterly score of a property company (物业公司) in one
 * community, as a pure function of running sums, so the number a company is shown is the number
 * a test computes by hand.
 *
 * - Per dimension a Bayesian average: (PRIOR × WEIGHT + sum of stars) / (WEIGHT + ratings). With
 *   few ratings a dimension stays near 3.5; with many it approaches the plain mean.
 * - Overall = the mean of the six dimensions, minus deductions: per substantiated 物业 complaint
 *   (投诉属实), per 一般 violation and per 严重 violation (amounts in the community's settings),
 *   never below 1. Rounded to two decimals before anything is compared with a threshold.
 * - A score is published only with at least MIN_RATINGS ratings in the quarter.
 * - 红榜: a published overall ≥ 4.5 and no 严重 violation. 黑榜: a published overall < 3.0, or any
 *   严重 violation (whatever the score, and even without enough ratings to publish one).
 */
import { atShanghai } from '../time'

export const DIMENSIONS = ['security', 'cleaning', 'repair', 'greening', 'attitude', 'fees'] as const
export type Dimension = (typeof DIMENSIONS)[number]
export const DIMENSION_LABELS: Record<Dimension, string> = {
  security: '安保',
  cleaning: '保洁',
  repair: '维修',
  greening: '绿化',
  attitude: '服务态度',
  fees: '收费透明',
}

export type Stars = Record<Dimension, number>

export const PRIOR = 3.5
export const PRIOR_WEIGHT = 10
export const MIN_RATINGS = 10
export const RED_AT = 4.5
export const BLACK_BELOW = 3.0

export const VIOLATION_LEVELS = ['general', 'serious'] as const
export type ViolationLevel = (typeof VIOLATION_LEVELS)[number]
export const VIOLATION_LABELS: Record<ViolationLevel, string> = { general: '一般', serious: '严重' }

/** Per-community deductions (collection `property_settings`, one document per community). */
export interface ScoreSettings {
  /** Points off the overall per substantiated 物业 complaint in the quarter. */
  complaint: number
  /** Points off per 一般 violation. */
  general: number
  /** Points off per 严重 violation (which also puts the company on 黑榜). */
  serious: number
  /** A burst: at least this many ratings for one company within one hour is flagged for review. */
  burstPerHour: number
}
export const DEFAULT_SCORE_SETTINGS: ScoreSettings = { complaint: 0.1, general: 0.2, serious: 0.5, burstPerHour: 20 }

/** What the score is computed from: the quarter's running sums and counts. */
export interface ScoreInput {
  /** Ratings counted (excluded ones are not). */
  n: number
  /** Per dimension, the sum of stars over those ratings. */
  sums: Stars
  complaints: number
  violations: { general: number; serious: number }
}

export type ListKind = 'red' | 'black' | 'none'
export const LIST_LABELS: Record<ListKind, string> = { red: '红榜', black: '黑榜', none: '未上榜' }

export interface Score {
  n: number
  /** Whether the score is published (enough ratings). */
  published: boolean
  /** Per dimension, rounded to 2 decimals. */
  dims: Stars
  /** Mean of the dimensions before deductions, rounded to 2 decimals. */
  base: number
  deduction: number
  /** base − deduction, at least 1, rounded to 2 decimals. */
  overall: number
  list: ListKind
  /** Why the company is on its list, in Chinese (shown on the company page). */
  reason: string
}

export const round2 = (x: number): number => Math.round((x + Number.EPSILON) * 100) / 100

export function emptyStars(): Stars {
  return { security: 0, cleaning: 0, repair: 0, greening: 0, attitude: 0, fees: 0 }
}

export function bayes(sum: number, n: number): number {
  return (PRIOR * PRIOR_WEIGHT + sum) / (PRIOR_WEIGHT + n)
}

export function score(input: ScoreInput, settings: ScoreSettings = DEFAULT_SCORE_SETTINGS): Score {
  const dimsExact = DIMENSIONS.map((d) => bayes(input.sums[d], input.n))
  const dims = Object.fromEntries(DIMENSIONS.map((d, i) => [d, round2(dimsExact[i])])) as Stars
  const base = round2(dimsExact.reduce((a, b) => a + b, 0) / DIMENSIONS.length)
  const deduction = round2(input.complaints * settings.complaint + input.violations.general * settings.general + input.violations.serious * settings.serious)
  const overall = Math.max(1, round2(base - deduction))
  const published = input.n >= MIN_RATINGS
  let list: ListKind = 'none'
  let reason = published ? `综合得分 ${overall.toFixed(2)}` : `本季度评价不足 ${MIN_RATINGS} 条，不公布得分`
  if (input.violations.serious > 0) {
    list = 'black'
    reason = `有 ${input.violations.serious} 次严重违规`
  } else if (published && overall < BLACK_BELOW) {
    list = 'black'
    reason = `综合得分 ${overall.toFixed(2)}，低于 ${BLACK_BELOW.toFixed(1)}`
  } else if (published && overall >= RED_AT) {
    list = 'red'
    reason = `综合得分 ${overall.toFixed(2)}，不低于 ${RED_AT.toFixed(1)} 且无严重违规`
  }
  return { n: input.n, published, dims, base, deduction, overall, list, reason }
}

/** The formula in plain Chinese, shown on the list page (numbers from the community's settings). */
export function formulaText(settings: ScoreSettings = DEFAULT_SCORE_SETTINGS): string[] {
  return [
    `每季度由小区居民按 安保、保洁、维修、绿化、服务态度、收费透明 六项打 1–5 星，每户每季度一次，季度结束前可修改。`,
    `每项得分 =（${PRIOR} × ${PRIOR_WEIGHT} + 该项星数之和）÷（${PRIOR_WEIGHT} + 评价户数）：评价少时接近 ${PRIOR} 分，评价越多越接近居民的平均打分。`,
    `综合得分 = 六项得分的平均值 − 扣分：每件属实的物业投诉扣 ${settings.complaint} 分，每次一般违规扣 ${settings.general} 分，每次严重违规扣 ${settings.serious} 分（最低 1 分）。`,
    `季度评价满 ${MIN_RATINGS} 户才公布得分。综合得分 ≥ ${RED_AT} 且无严重违规上红榜；低于 ${BLACK_BELOW.toFixed(1)} 或有严重违规上黑榜。`,
    `季度结束后经社区审核、物业公司 7 天申诉期后公布；已公布的结果不再改动，如有更正会注明。`,
  ]
}

/** The appeal window after the results are shown to the companies. */
export const APPEAL_DAYS = 7

// ---- Quarters (Asia/Shanghai) ----

const QUARTER = /^(\d{4})Q([1-4])$/

export function isQuarter(q: string): boolean {
  return QUARTER.test(q)
}

/** The first instant of a quarter and of the next one. */
export function quarterRange(q: string): { start: Date; end: Date } {
  const m = QUARTER.exec(q)
  if (!m) throw new Error(`not a quarter: ${q}`)
  const year = Number(m[1])
  const first = (Number(m[2]) - 1) * 3 + 1
  const pad = (n: number) => String(n).padStart(2, '0')
  const start = atShanghai(`${year}-${pad(first)}-01`)
  const end = first === 10 ? atShanghai(`${year + 1}-01-01`) : atShanghai(`${year}-${pad(first + 3)}-01`)
  return { start, end }
}

export function previousQuarter(q: string): string {
  const m = QUARTER.exec(q)
  if (!m) throw new Error(`not a quarter: ${q}`)
  const n = Number(m[2])
  return n === 1 ? `${Number(m[1]) - 1}Q4` : `${m[1]}Q${n - 1}`
}

/** `2026Q4` → `2026年第四季度`. */
export function quarterLabel(q: string): string {
  const m = QUARTER.exec(q)
  if (!m) return q
  return `${m[1]}年第${['一', '二', '三', '四'][Number(m[2]) - 1]}季度`
}

/** Quarter close (季度评定) states: computed and previewed by staff → shown to companies for appeal → published. */
export const CLOSE_STATES = ['draft', 'appeal', 'published'] as const
export type CloseState = (typeof CLOSE_STATES)[number]
export const CLOSE_STATE_LABELS: Record<CloseState, string> = { draft: '待审核', appeal: '申诉期', published: '已公布' }

export const APPEAL_STATES = ['pending', 'accepted', 'rejected'] as const
export type AppealState = (typeof APPEAL_STATES)[number]
export const APPEAL_STATE_LABELS: Record<AppealState, string> = { pending: '待处理', accepted: '已采纳', rejected: '未采纳' }

/** A rating's stars as a validated record (1–5 whole stars per dimension). */
export function isStars(v: unknown): v is Stars {
  if (typeof v !== 'object' || v === null) return false
  return DIMENSIONS.every((d) => {
    const x = (v as Record<string, unknown>)[d]
    return typeof x === 'number' && Number.isInteger(x) && x >= 1 && x <= 5
  })
}

/** Adds (sign 1) or subtracts (sign −1) one rating's stars to per-dimension sums. */
export function addStars(sums: Stars, stars: Stars, sign: 1 | -1): Stars {
  return Object.fromEntries(DIMENSIONS.map((d) => [d, sums[d] + sign * stars[d]])) as Stars
}
