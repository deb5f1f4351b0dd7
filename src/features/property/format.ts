/** Display helpers of the property pages (物业服务评价与红黑榜). Pure (tests call them directly). */
import type { TagType } from '@/components'
import type { Role } from '@/shared/api/define'
import type { ResultOutT, ScoreOutT } from '@/shared/api/property'
import { DIMENSIONS, DIMENSION_LABELS, LIST_LABELS, previousQuarter, quarterLabel, type Dimension, type ListKind, type Stars } from '@/shared/rules/property'
import { formatDate, formatDateTime, minutesOfDay, sh, type Instant } from '@/shared/time'

export { DIMENSIONS, DIMENSION_LABELS, quarterLabel, type Dimension }

export type CorrectionT = ResultOutT['corrections'][number]

/** 社区工作者 / 管理员: the quarter close, companies, complaints, bursts. */
export function isPropertyStaff(roles: readonly Role[] | undefined | null): boolean {
  return !!roles && (roles.includes('staff') || roles.includes('admin'))
}

/** 管理员: changes the community's 计分标准 (deductions, burst threshold). */
export function isPropertyAdmin(roles: readonly Role[] | undefined | null): boolean {
  return !!roles && roles.includes('admin')
}

/** 物业联系人: their company's results and appeals. */
export function isPropertyContact(roles: readonly Role[] | undefined | null): boolean {
  return !!roles && roles.includes('property')
}

/** 4.123 → "4.12" (scores are shown with two decimals). */
export function score2(x: number): string {
  return x.toFixed(2)
}

/** The overall as shown: "4.12", or 评价不足 when too few ratings to publish one. */
export function overallText(s: Pick<ScoreOutT, 'published' | 'overall'>): string {
  return s.published ? score2(s.overall) : '评价不足'
}

const LIST_TAGS: Record<ListKind, TagType> = { red: 'danger', black: 'muted', none: 'info' }

export function listTagType(list: ListKind): TagType {
  return LIST_TAGS[list] ?? 'info'
}

/** What the deductions were for: 属实投诉 2 件 · 一般违规 1 次（扣 0.40 分）; null: none. */
export function deductionText(s: Pick<ScoreOutT, 'complaints' | 'general' | 'serious' | 'deduction'>): string | null {
  const parts: string[] = []
  if (s.complaints) parts.push(`属实投诉 ${s.complaints} 件`)
  if (s.general) parts.push(`一般违规 ${s.general} 次`)
  if (s.serious) parts.push(`严重违规 ${s.serious} 次`)
  if (!parts.length && !s.deduction) return null
  return `${parts.join(' · ') || '扣分'}（扣 ${score2(s.deduction)} 分）`
}

/** 已更正：原 4.12 → 现 4.02，原因：… — each correction against the score before it. */
export function correctionLines(original: ScoreOutT, corrections: readonly CorrectionT[]): string[] {
  let before = original
  return corrections.map((c) => {
    const line = `已更正：原 ${overallText(before)} → 现 ${overallText(c.score)}，原因：${c.reason}（${c.byName}，${formatDate(c.at)}）`
    before = c.score
    return line
  })
}

/** A dimension's bar width in percent (1–5 stars over the whole bar). */
export function barPercent(value: number): number {
  return Math.max(0, Math.min(100, Math.round((value / 5) * 100)))
}

/**
 * "2026年12月31日 24:00": the last moment a rating can change (the end of the quarter), said as
 * the end of its last day rather than the next quarter's first midnight.
 */
export function untilText(t: Instant): string {
  if (minutesOfDay(t) === 0) return `${sh(new Date(new Date(t).getTime() - 1)).format('YYYY年M月D日')} 24:00`
  return formatDateTime(t)
}

/** A star count in words (shown beside the stars). */
export const STAR_WORDS = ['', '很差', '较差', '一般', '满意', '很满意'] as const

/** One trend point as the chart's text alternative says it: 2026年第三季度 4.12 (红榜). */
export interface TrendPoint {
  quarter: string
  label: string
  value: number | null
  /** Only for the overall: the list it was on, and whether it was corrected after publishing. */
  list?: ListKind
  corrected?: boolean
}

/** The series to draw: the overall, or one dimension (null where no score was published). */
export function trendSeries(trend: ReadonlyArray<{ quarter: string; label: string; overall: number | null; dims: Stars; list: ListKind; corrected: boolean }>, which: Dimension | 'overall'): TrendPoint[] {
  return trend.map((t) => {
    const value = t.overall === null ? null : which === 'overall' ? t.overall : t.dims[which]
    return which === 'overall' ? { quarter: t.quarter, label: t.label, value, list: t.list, corrected: t.corrected } : { quarter: t.quarter, label: t.label, value }
  })
}

/** 2026年第三季度 4.12 · 红榜（已更正）; a quarter without a published score: 评价不足. */
export function trendPointText(p: TrendPoint): string {
  const list = p.list && p.list !== 'none' ? ` · ${LIST_LABELS[p.list]}` : ''
  return `${p.label} ${p.value === null ? '评价不足' : score2(p.value)}${list}${p.corrected ? '（已更正）' : ''}`
}

/** 2026Q3 → 26年Q3 (the chart's axis labels are short). */
export function shortQuarter(q: string): string {
  const m = /^\d{2}(\d{2})Q([1-4])$/.exec(q)
  return m ? `${m[1]}年Q${m[2]}` : q
}

/** Quarters a violation may be recorded against: this one (default) and the three before. */
export function recentQuarters(current: string, count = 4): Array<{ quarter: string; label: string }> {
  const out: Array<{ quarter: string; label: string }> = []
  let q = current
  for (let i = 0; i < count; i++) {
    out.push({ quarter: q, label: quarterLabel(q) })
    q = previousQuarter(q)
  }
  return out
}

/** The dimension rows of a score, in the fixed order. */
export function dimensionRows(dims: Stars): Array<{ key: Dimension; label: string; value: number }> {
  return DIMENSIONS.map((d) => ({ key: d, label: DIMENSION_LABELS[d], value: dims[d] }))
}
