/**
 * 物业服务评价与红黑榜, the server side: stored documents, ids, loading, scoring a quarter from its
 * records, and what a caller may see.
 *
 * - `property_ratings`: one per household, company and quarter, by deterministic id
 *   `company:quarter:household`; a repeat is an edit of the same document.
 * - `rating_sums`: per community, company and quarter, the count and per-dimension star sums of the
 *   ratings that count. The rating and its sums move in one transaction (an edit subtracts the old
 *   stars), so the sums always equal a recount and a page or a quarter close never scans ratings.
 * - `rating_bursts`: per community, company and hour, how many households rated; at the
 *   community's threshold it is flagged for staff, who exclude its ratings (subtracted from the
 *   sums) or keep them.
 * - `property_results` (community:company:quarter) and `property_closes` (community:quarter): the
 *   quarter close. Results are computed from the sums, violations and substantiated complaints;
 *   what the public sees is decided by the close's state, so there is one switch to flip. A
 *   published result is never rewritten: a correction is appended beside it.
 */
import { AppError } from '../../../../src/shared/errors'
import type { CorrectionOut as CorrectionSchema, ResultOutT, ScoreOutT, ViolationOutT } from '../../../../src/shared/api/property'
import {
  APPEAL_STATE_LABELS,
  CLOSE_STATE_LABELS,
  DEFAULT_SCORE_SETTINGS,
  LIST_LABELS,
  VIOLATION_LABELS,
  emptyStars,
  formulaText,
  quarterLabel,
  quarterRange,
  score,
  type AppealState,
  type CloseState,
  type Score,
  type ScoreInput,
  type ScoreSettings,
  type Stars,
  type ViolationLevel,
} from '../../../../src/shared/rules/property'
import type { PlaceDoc, UserDoc } from '../../../../src/shared/domain/user'
import { quarterOf, sh } from '../../../../src/shared/time'
import type { z } from '../../../../src/shared/z'
import type { Ctx } from '../../runtime/context'
import { getOrNull } from '../common/docs'
import type { WithEffects } from '../common/effects'
import { photosOf, type PhotoDoc, type PhotoView } from '../common/media'

export const COMPANIES = 'companies'
export const RATINGS = 'property_ratings'
export const SUMS = 'rating_sums'
export const BURSTS = 'rating_bursts'
export const VIOLATIONS = 'property_violations'
export const COMPLAINTS = 'property_complaints'
export const RESULTS = 'property_results'
export const CLOSES = 'property_closes'
export const SETTINGS = 'property_settings'

export interface CompanyDoc {
  _id: string
  name: string
  phone?: string | null
  /** Estates it serves now (derived with `places.propertyCompanyId`, moved in the same transaction). */
  estateIds: string[]
  /** Communities that know it: where it was created or has served an estate (kept for its history). */
  communityIds: string[]
  version?: number
  createdAt?: Date
  updatedAt?: Date
}

/** An evidence photo (违规、申诉) with its content check (handlers/common/media.ts). */
export type Photo = PhotoDoc

export interface RatingDoc {
  _id: string
  companyId: string
  communityId: string
  estateId: string
  quarter: string
  householdId: string
  /** Who in the household rated last. */
  raterId: string
  raterName: string
  stars: Stars
  comment: string | null
  commentHidden: { reason: string; by: string; at: Date } | null
  /** Indexed: a comment the public may read (present, not hidden, rating not excluded). */
  commentShown: boolean
  excluded: { reason: string; by: string; at: Date; burstId: string } | null
  /** Shanghai hour of the first rating, `YYYY-MM-DDTHH` (the burst it belongs to). */
  hour: string
  createdAt: Date
  updatedAt: Date
  version: number
}

export interface SumsDoc {
  _id: string
  communityId: string
  companyId: string
  quarter: string
  n: number
  sums: Stars
  updatedAt: Date
}

export type BurstStatus = 'counting' | 'flagged' | 'excluded' | 'dismissed'
export interface BurstDoc {
  _id: string
  communityId: string
  companyId: string
  quarter: string
  hour: string
  hourStart: Date
  count: number
  status: BurstStatus
  reason: string | null
  reviewedBy: string | null
  reviewedAt: Date | null
}

export interface ViolationDoc {
  _id: string
  communityId: string
  companyId: string
  quarter: string
  level: ViolationLevel
  description: string
  photos: Photo[]
  by: string
  byName: string
  at: Date
  removed: { reason: string; by: string; at: Date } | null
}

export interface ComplaintDoc {
  /** The case's id. */
  _id: string
  communityId: string
  companyId: string
  quarter: string
  substantiated: boolean
  note: string | null
  by: string
  byName: string
  at: Date
}

export interface Correction {
  at: Date
  by: string
  byName: string
  reason: string
  input: ScoreInput
  score: Score
}

export interface AppealDoc {
  text: string
  photos: Photo[]
  by: string
  byName: string
  at: Date
  state: AppealState
  decision: string | null
  decidedBy: string | null
  decidedAt: Date | null
}

export interface ResultDoc extends WithEffects {
  _id: string
  communityId: string
  companyId: string
  companyName: string
  quarter: string
  input: ScoreInput
  score: Score
  settings: ScoreSettings
  computedAt: Date
  appeal: AppealDoc | null
  corrections: Correction[]
  version: number
}

export interface CloseDoc extends WithEffects {
  _id: string
  communityId: string
  quarter: string
  state: CloseState
  companyIds: string[]
  computedAt: Date
  computedBy: string
  appealUntil: Date | null
  publishedAt: Date | null
  publishedBy: string | null
  version: number
}

export const ratingId = (companyId: string, quarter: string, householdId: string) => `${companyId}:${quarter}:${householdId}`
export const sumsId = (communityId: string, companyId: string, quarter: string) => `${communityId}:${companyId}:${quarter}`
export const resultId = sumsId
export const closeId = (communityId: string, quarter: string) => `${communityId}:${quarter}`
export const burstId = (communityId: string, companyId: string, hour: string) => `${communityId}:${companyId}:${hour}`
export const hourOf = (t: Date): string => sh(t).format('YYYY-MM-DDTHH')

export { getOrNull }

/** The caller's community (staff act on their own community only). */
export function communityOf(ctx: Ctx): string {
  const c = ctx.user?.address.communityId
  if (!c) throw new AppError('PRECONDITION_FAILED', '请先完善住址信息')
  return c
}

export async function loadSettings(ctx: Ctx, communityId: string): Promise<ScoreSettings> {
  const s = await getOrNull<Partial<ScoreSettings>>(ctx, SETTINGS, communityId)
  return { ...DEFAULT_SCORE_SETTINGS, ...(s ? pickSettings(s) : {}) }
}

function pickSettings(s: Partial<ScoreSettings>): Partial<ScoreSettings> {
  const out: Partial<ScoreSettings> = {}
  for (const k of ['complaint', 'general', 'serious', 'burstPerHour'] as const) if (typeof s[k] === 'number') out[k] = s[k]
  return out
}

export function settingsOut(s: ScoreSettings) {
  return { ...s, formula: formulaText(s) }
}

export async function loadCompany(ctx: Ctx, id: string): Promise<CompanyDoc> {
  const c = await getOrNull<CompanyDoc>(ctx, COMPANIES, id)
  if (!c) throw new AppError('NOT_FOUND', '没有找到这家物业公司')
  return c
}

/** A company this community knows (serves one of its estates now or did before). */
export async function companyOfCommunity(ctx: Ctx, id: string, communityId: string): Promise<CompanyDoc> {
  const c = await loadCompany(ctx, id)
  if (!c.communityIds.includes(communityId)) throw new AppError('NOT_FOUND', '本社区没有这家物业公司')
  return c
}

export async function communityName(ctx: Ctx, id: string): Promise<string> {
  return (await getOrNull<PlaceDoc>(ctx, 'places', id))?.name ?? '本社区'
}

/** The company serving the caller's estate, and why the caller may not rate it now (null: may). */
export async function eligibility(ctx: Ctx): Promise<{ company: CompanyDoc | null; blocked: string | null }> {
  const user = ctx.user as UserDoc
  const estate = user.address?.estateId ? await getOrNull<PlaceDoc>(ctx, 'places', user.address.estateId) : null
  const company = estate?.propertyCompanyId ? await getOrNull<CompanyDoc>(ctx, COMPANIES, estate.propertyCompanyId) : null
  if (!company) return { company: null, blocked: '您所在的小区尚未登记物业公司' }
  if (!user.verified) return { company, blocked: '请先完成住址认证，认证后才能评价物业' }
  return { company, blocked: null }
}

/** The records a quarter's score is computed from: sums, live violations, substantiated complaints. */
export async function scoreInputOf(ctx: Ctx, communityId: string, companyId: string, quarter: string): Promise<ScoreInput> {
  const [sums, violations, complaints] = await Promise.all([
    getOrNull<SumsDoc>(ctx, SUMS, sumsId(communityId, companyId, quarter)),
    ctx.db
      .collection<ViolationDoc>(VIOLATIONS)
      .where({ communityId, companyId, quarter, removed: null })
      .field({ level: true })
      .limit(1000)
      .get(),
    ctx.db.collection(COMPLAINTS).where({ communityId, companyId, quarter, substantiated: true }).count(),
  ])
  return {
    n: sums?.n ?? 0,
    sums: sums?.sums ?? emptyStars(),
    complaints: complaints.total,
    violations: {
      general: violations.data.filter((v) => v.level === 'general').length,
      serious: violations.data.filter((v) => v.level === 'serious').length,
    },
  }
}

export function scoreOut(input: ScoreInput, s: Score): ScoreOutT {
  return {
    ...s,
    listLabel: LIST_LABELS[s.list],
    complaints: input.complaints,
    general: input.violations.general,
    serious: input.violations.serious,
  }
}

export function computeScore(input: ScoreInput, settings: ScoreSettings): Score {
  return score(input, settings)
}

/** The score shown now: the latest correction's, else the one computed at the close. */
export function effective(r: ResultDoc): { input: ScoreInput; score: Score } {
  const last = r.corrections[r.corrections.length - 1]
  return last ? { input: last.input, score: last.score } : { input: r.input, score: r.score }
}

export function correctionsOut(r: ResultDoc): Array<z.output<typeof CorrectionSchema>> {
  return r.corrections.map((c) => ({ at: c.at.toISOString(), byName: c.byName, reason: c.reason, score: scoreOut(c.input, c.score) }))
}

/** Evidence photos as the caller sees them (`author`: who recorded them, for photos stored without their uploader). */
export async function photosOut(ctx: Ctx, photos: Photo[], author: string): Promise<PhotoView[]> {
  return photosOf(ctx, photos, author)
}

export async function violationOut(ctx: Ctx, v: ViolationDoc): Promise<ViolationOutT> {
  return {
    id: v._id,
    companyId: v.companyId,
    quarter: v.quarter,
    level: v.level,
    levelLabel: VIOLATION_LABELS[v.level],
    description: v.description,
    photos: await photosOut(ctx, v.photos, v.by),
    at: v.at.toISOString(),
    byName: v.byName,
    removed: v.removed !== null,
  }
}

export async function resultOut(ctx: Ctx, r: ResultDoc, close: CloseDoc, names: { community: string }, forContact: boolean): Promise<ResultOutT> {
  const now = ctx.clock.now()
  const eff = effective(r)
  const appeal = r.appeal
  return {
    companyId: r.companyId,
    companyName: r.companyName,
    communityId: r.communityId,
    communityName: names.community,
    quarter: r.quarter,
    quarterLabel: quarterLabel(r.quarter),
    state: close.state,
    stateLabel: CLOSE_STATE_LABELS[close.state],
    appealUntil: close.appealUntil ? close.appealUntil.toISOString() : null,
    score: scoreOut(eff.input, eff.score),
    original: scoreOut(r.input, r.score),
    corrections: correctionsOut(r),
    appeal: appeal
      ? {
          text: appeal.text,
          photos: await photosOut(ctx, appeal.photos, appeal.by),
          byName: appeal.byName,
          at: appeal.at.toISOString(),
          state: appeal.state,
          stateLabel: APPEAL_STATE_LABELS[appeal.state],
          decision: appeal.decision,
          decidedAt: appeal.decidedAt ? appeal.decidedAt.toISOString() : null,
        }
      : null,
    canAppeal: forContact && close.state === 'appeal' && appeal === null && close.appealUntil !== null && now < close.appealUntil,
  }
}

/** The quarter has ended (it may be closed). */
export function ended(ctx: Ctx, quarter: string): boolean {
  return ctx.clock.now() >= quarterRange(quarter).end
}

export const currentQuarter = (ctx: Ctx): string => quarterOf(ctx.clock.now())

/** Violations and complaint marks may be added to a quarter only until its results go to the companies. */
export async function requireOpenQuarter(ctx: Ctx, communityId: string, quarter: string): Promise<void> {
  if (quarter > currentQuarter(ctx)) throw new AppError('INVALID_INPUT', '不能记入尚未开始的季度', [{ path: 'quarter', message: '请选择本季度或之前的季度' }])
  const close = await getOrNull<CloseDoc>(ctx, CLOSES, closeId(communityId, quarter))
  if (close && close.state !== 'draft') {
    throw new AppError('PRECONDITION_FAILED', `${quarterLabel(quarter)}的结果已${close.state === 'published' ? '公布' : '进入申诉期'}，请记入本季度；需要改已公布结果请用“更正”`)
  }
}

/** Contacts of a company (users with role `property` and its companyId). */
export async function contactsOf(ctx: Ctx, companyId: string): Promise<Array<{ openid: string; name: string }>> {
  const res = await ctx.db.collection<UserDoc>('users').where({ companyId, roles: 'property' }).field({ _id: true, name: true }).limit(20).get()
  return res.data.map((u) => ({ openid: u._id, name: u.name ?? '联系人' }))
}
