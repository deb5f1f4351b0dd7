/**
 * The rating form (评价物业) and the small staff forms: their state, local checks and the mapping
 * of the server's field issues to the field they belong to. Pure.
 */
import { ApiError } from '@/services/gateway'
import { MAX_RATING_COMMENT, type MyRatingOutT } from '@/shared/api/property'
import type { SettingsInputT, SettingsOutT } from './api'
import { DIMENSIONS, DIMENSION_LABELS, type Dimension, type Stars } from '@/shared/rules/property'

export { MAX_RATING_COMMENT }

export interface RateForm {
  /** 0: not chosen yet. */
  stars: Record<Dimension, number>
  comment: string
}

/** Errors by dimension, `comment`, and `_` for the form as a whole. */
export type RateErrors = Partial<Record<Dimension | 'comment' | '_', string>>

/** Prefilled from the household's rating of this quarter, else empty. */
export function rateFormOf(mine: Pick<MyRatingOutT, 'rating'> | null): RateForm {
  const r = mine?.rating
  const stars = Object.fromEntries(DIMENSIONS.map((d) => [d, r ? r.stars[d] : 0])) as Record<Dimension, number>
  return { stars, comment: r?.comment ?? '' }
}

export const STAR_MISSING = '请为这一项选择 1–5 星'

export function validateRate(form: RateForm): RateErrors {
  const errors: RateErrors = {}
  for (const d of DIMENSIONS) if (!(form.stars[d] >= 1 && form.stars[d] <= 5)) errors[d] = STAR_MISSING
  if (form.comment.trim().length > MAX_RATING_COMMENT) errors.comment = `最多 ${MAX_RATING_COMMENT} 个字`
  return errors
}

export function rateStars(form: RateForm): Stars {
  return { ...form.stars }
}

/** How many dimensions are still unrated (the submit bar says so). */
export function missingCount(form: RateForm): number {
  return DIMENSIONS.filter((d) => !(form.stars[d] >= 1)).length
}

/** A failed submit: `stars.security` → under 安保, `comment` → under the text box, the rest at the foot. */
export function rateErrorsFromApi(e: unknown): RateErrors {
  if (!(e instanceof ApiError)) return { _: '提交失败，请稍后重试' }
  const out: RateErrors = {}
  for (const i of e.issues) {
    const [top, sub] = i.path.split('.')
    let key: keyof RateErrors = '_'
    if (top === 'stars' && sub && (DIMENSIONS as readonly string[]).includes(sub)) key = sub as Dimension
    else if (top === 'comment') key = 'comment'
    if (!out[key]) out[key] = key === '_' && top === 'stars' ? `${i.message}（${DIMENSIONS.map((d) => DIMENSION_LABELS[d]).join('、')}）` : i.message
  }
  if (!Object.keys(out).length) out._ = e.message
  return out
}

/** Field errors of any small form: the top-level field of each issue if known, else `_`. */
export function fieldErrorsOf<F extends string>(e: unknown, known: readonly F[], fallback = '操作失败，请稍后重试'): Partial<Record<F | '_', string>> {
  if (!(e instanceof ApiError)) return { _: e instanceof Error && e.message ? e.message : fallback } as Partial<Record<F | '_', string>>
  const out: Partial<Record<F | '_', string>> = {}
  for (const i of e.issues) {
    const top = i.path.split('.')[0] as F
    const key = (known.includes(top) ? top : '_') as F | '_'
    if (!out[key]) out[key] = i.message
  }
  if (!Object.keys(out).length) out._ = e.message || fallback
  return out
}

// ---------- 计分标准设置 ----------

export const SETTINGS_FIELDS = ['complaint', 'general', 'serious', 'burstPerHour'] as const
export type SettingsField = (typeof SETTINGS_FIELDS)[number]
/** The numbers as typed (the inputs hold text). */
export type SettingsForm = Record<SettingsField, string>
export type SettingsErrors = Partial<Record<SettingsField | '_', string>>

export function settingsFormOf(s: Pick<SettingsOutT, SettingsField>): SettingsForm {
  return { complaint: String(s.complaint), general: String(s.general), serious: String(s.serious), burstPerHour: String(s.burstPerHour) }
}

/** '' → undefined (the schema says 请填写此项), else the number typed (NaN: the schema says 请填写数字). */
const numberOf = (s: string): number => (s.trim() === '' ? (undefined as unknown as number) : Number(s.trim()))

export function buildSettings(f: SettingsForm): SettingsInputT {
  return { complaint: numberOf(f.complaint), general: numberOf(f.general), serious: numberOf(f.serious), burstPerHour: numberOf(f.burstPerHour) }
}

/**
 * What the phone can tell before sending: scores are shown with two decimals, so a deduction has
 * at most two. Ranges and whole numbers are the shared schema's (the gateway checks it before sending).
 */
export function validateSettings(f: SettingsForm): SettingsErrors {
  const errors: SettingsErrors = {}
  for (const k of ['complaint', 'general', 'serious'] as const) {
    if (/^\s*\d*\.\d{3,}\s*$/.test(f[k])) errors[k] = '最多两位小数'
  }
  return errors
}
