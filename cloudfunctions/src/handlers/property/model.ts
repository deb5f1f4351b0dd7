/**
 * 物业服务评价与红黑榜, the server side: stored documents, ids, loading, scoring a quarter from its
 * records, and what a caller may see.
 *
 * - `property_ratings`: one per household, company and quarter, by deterministic id
 *   `company:quarter:household`; a repeat is an edit of the same document.
 * - `rating_sums`: per community, company and quarter, the count and per-dimension star sums of the
 *   ratings that count. The rating and its sums move in one transaction (an edit subtracts the old
 *   stars), so the sums always equal a recount and a page or a quarter close never scans ratings.
 * - `rating_bursts`: per community, company and hour at or over the community's threshold, how
 *   many households rated — counted from the ratings (by their `hour`) by the timer `tick`, off the
 *   rating's path, and flagged for staff, who exclude its ratings (subtracted from the sums) or keep them.
 * - `companies.pages.<communityId>`: what a company's public page shows of a community (its
 *   published rows, its live violations), kept on the company by the writes that change them, so
 *   the page reads the company and the quarter's sums only (`CompanyPage`).
 * - `property_results` (community:company:quarter) and `property_closes` (community:quarter): the
 *   quarter close. Results are computed from the sums, violations and substantiated complaints;
 *   what the public sees is decided by the close's state, so there is one switch to flip — and the
 *   write that flips it to published puts the published list on the close (`rows`): the public
 *   pages read that one document. A published result is never rewritten: a correction is appended
 *   beside it, on the close's list.
 *
 * Round trips (issue 13): each action asks for what it needs in as few waits as it can — reads
 * that do not depend on each other together, a transaction's first read beside the reads outside
 * it, lists answered from what was read and written rather than read again.
 */
import { storedSettings } from '../common/settings'
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
import type { UserDoc } from '../../../../src/shared/domain/user'
import { quarterOf, sh } from '../../../../src/shared/time'
import type { z } from '../../../../src/shared/z'
import type { Ctx } from '../../runtime/context'
import { getOrNull } from '../common/docs'
import type { CopyEffect, WithEffects } from '../common/effects'
import { knownPlaces } from '../common/places'
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
  /**
   * Its contacts as the staff's list shows them, written by `setContact` after the person's own
   * record (which is what grants the role, and what notices go by). Absent on companies whose
   * contacts were last set before it was kept: those are read from the people's records.
   */
  contacts?: Contact[]
  version?: number
  createdAt?: Date
  updatedAt?: Date
  /** What its public page shows of each community that knows it (`CompanyPage`), by community id. */
  pages?: Record<string, CompanyPage>
  /** Moved with every change of `pages` (the compare-and-set of a page built from the records). */
  pageVersion?: number
}

/** One published quarter of a company as its page keeps it: the close's row; `v` its corrections' count (copies only move forward). */
export interface PageRow extends PublishedRow {
  v: number
}

/**
 * What a company's public page shows of one community, kept on the company (`pages.<communityId>`)
 * by the writes that change it, so the page needs no query:
 * - `published`: its rows of the community's published quarters, by quarter, copied from the close
 *   by publishing and by each correction (effects of the close's own write: `copy`, common/effects);
 * - `violations`: its live violations there, by id, written in the violation's own transaction
 *   (recorded: set; removed: deleted).
 * `since`: complete from then on. A page without it (a company older than the page, or new to
 * the community) is read from the records once and built (rating.ts `company`).
 */
export interface CompanyPage {
  since: Date
  published: Record<string, PageRow>
  violations: Record<string, ViolationDoc>
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

/** `counting`: an hour under the threshold, counted on the rating's path before the job counted bursts (none written since). */
export type BurstStatus = 'counting' | 'flagged' | 'excluded' | 'dismissed'
export interface BurstDoc {
  _id: string
  communityId: string
  companyId: string
  /** The company's name when the burst began (the review list shows it without a second read). */
  companyName?: string
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
  /** The company's name when marked (the list shows it without a second read). */
  companyName?: string
  /** When the case was closed (a closed case stays closed): the list of complaints pages by it. */
  caseClosedAt?: Date | null
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
  /** The deductions the quarter was computed with (the formula its list shows). Absent on closes computed before it was kept. */
  settings?: ScoreSettings
  /**
   * A violation or complaint mark of the quarter changed after the draft was computed: it must be
   * computed again before the results go to the companies. From then on those records are locked
   * (`checkOpenQuarter`), so a result's violations and complaints stay its records' counts and
   * only its ratings can still change (a burst excluded): recomputing reads the sums alone.
   */
  stale?: boolean
  /**
   * The published list, written in the same write as the switch to `published` (so the public
   * pages read one document), and the only place a correction is appended afterwards. Absent on
   * closes published before it was kept: their results hold it.
   */
  rows?: PublishedRow[]
  version: number
}

/** One company's published result as the close keeps it. */
export interface PublishedRow {
  companyId: string
  companyName: string
  input: ScoreInput
  score: Score
  corrections: Correction[]
}

export const ratingId = (companyId: string, quarter: string, householdId: string) => `${companyId}:${quarter}:${householdId}`
export const sumsId = (communityId: string, companyId: string, quarter: string) => `${communityId}:${companyId}:${quarter}`
export const resultId = sumsId
export const closeId = (communityId: string, quarter: string) => `${communityId}:${quarter}`
export const burstId = (communityId: string, companyId: string, hour: string) => `${communityId}:${companyId}:${hour}`
export const hourOf = (t: Date): string => sh(t).format('YYYY-MM-DDTHH')

/** Where a company keeps its page of a community, and the parts of it (dotted update paths). */
export const pagePath = (communityId: string) => `pages.${communityId}`
const publishedPath = (communityId: string, quarter: string) => `${pagePath(communityId)}.published.${quarter}`
export const violationPath = (communityId: string, id: string) => `${pagePath(communityId)}.violations.${id}`

/** A published row's copy on its company's page, as an effect of the close's (or legacy result's) write that published or corrected it. */
export function publishedCopy(communityId: string, quarter: string, row: PublishedRow): CopyEffect {
  const v = row.corrections.length
  return {
    type: 'copy',
    collection: COMPANIES,
    id: row.companyId,
    set: [{ path: publishedPath(communityId, quarter), value: { ...row, v } satisfies PageRow }],
    versionPath: `${publishedPath(communityId, quarter)}.v`,
    version: v,
    touch: ['pageVersion'],
  }
}

/** A company's page of a community, from its records: published closes (with this company's row) and its live violations. */
export function pageFrom(now: Date, published: Array<{ quarter: string; row: PublishedRow }>, violations: ViolationDoc[]): CompanyPage {
  return {
    since: now,
    published: Object.fromEntries(published.map(({ quarter, row }) => [quarter, { ...row, v: row.corrections.length }])),
    violations: Object.fromEntries(violations.filter((v) => !v.removed).map((v) => [v._id, v])),
  }
}

export { getOrNull }

/** The caller's community (staff act on their own community only). */
export function communityOf(ctx: Ctx): string {
  const c = ctx.user?.address.communityId
  if (!c) throw new AppError('PRECONDITION_FAILED', '请先完善住址信息')
  return c
}

export async function loadSettings(ctx: Ctx, communityId: string): Promise<ScoreSettings> {
  const s = await storedSettings<ScoreSettings>(ctx, SETTINGS, communityId)
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
  return (await knownPlaces(ctx, [id])).get(id)?.name ?? '本社区'
}

/**
 * The company serving an estate: the one whose `estateIds` holds it (moved in the same
 * transaction as the estate's `propertyCompanyId`, so the two agree), in one indexed query.
 */
export async function companyServing(ctx: Ctx, estateId: string | undefined): Promise<CompanyDoc | null> {
  if (!estateId) return null
  return (await ctx.db.collection<CompanyDoc>(COMPANIES).where({ estateIds: estateId }).limit(1).get()).data[0] ?? null
}

export const NOT_VERIFIED = '请先完成住址认证，认证后才能评价物业'

/** Whether the caller may rate `company` (the one serving their estate) now: why not, or null. */
export function blockedFor(user: UserDoc, company: CompanyDoc | null): string | null {
  if (!company) return '您所在的小区尚未登记物业公司'
  if (!user.verified) return NOT_VERIFIED
  return null
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

/**
 * A result's published record: the close's row once it has the published list (its corrections
 * are appended there), else the result itself (published before the list was kept, or not yet).
 */
export function recordOf(r: ResultDoc, close?: CloseDoc | null): Pick<PublishedRow, 'input' | 'score' | 'corrections'> {
  return close?.rows?.find((x) => x.companyId === r.companyId) ?? r
}

/** The score shown now: the latest correction's, else the one computed at the close. */
export function effective(r: Pick<PublishedRow, 'input' | 'score' | 'corrections'>): { input: ScoreInput; score: Score } {
  const last = r.corrections[r.corrections.length - 1]
  return last ? { input: last.input, score: last.score } : { input: r.input, score: r.score }
}

export function correctionsOut(r: Pick<PublishedRow, 'corrections'>): Array<z.output<typeof CorrectionSchema>> {
  return r.corrections.map((c) => ({ at: c.at.toISOString(), byName: c.byName, reason: c.reason, score: scoreOut(c.input, c.score) }))
}

/** The rows a close publishes, from its results. */
export function publishedRows(results: ResultDoc[]): PublishedRow[] {
  return results.map((r) => ({ companyId: r.companyId, companyName: r.companyName, input: r.input, score: r.score, corrections: r.corrections }))
}

/** Evidence photos as the caller sees them (`author`: who recorded them, for photos stored without their uploader). */
export async function photosOut(ctx: Ctx, photos: Photo[], author: string): Promise<PhotoView[]> {
  return photosOf(ctx, photos, author)
}

export async function violationOut(ctx: Ctx, v: ViolationDoc): Promise<ViolationOutT> {
  return violationOutWith(v, await photosOut(ctx, v.photos, v.by))
}

/** A violation with its photos as the caller sees them (several violations: one `photoViews` for all). */
export function violationOutWith(v: ViolationDoc, photos: PhotoView[]): ViolationOutT {
  return {
    id: v._id,
    companyId: v.companyId,
    quarter: v.quarter,
    level: v.level,
    levelLabel: VIOLATION_LABELS[v.level],
    description: v.description,
    photos,
    at: v.at.toISOString(),
    byName: v.byName,
    removed: v.removed !== null,
  }
}

export async function resultOut(ctx: Ctx, r: ResultDoc, close: CloseDoc, names: { community: string }, forContact: boolean): Promise<ResultOutT> {
  const now = ctx.clock.now()
  const record = recordOf(r, close)
  const eff = effective(record)
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
    original: scoreOut(record.input, record.score),
    corrections: correctionsOut(record),
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

/**
 * Violations and complaint marks may be added to a quarter only until its results go to the
 * companies (`close`: the quarter's, already read; null when there is none).
 */
export function checkOpenQuarter(ctx: Ctx, quarter: string, close: Pick<CloseDoc, 'state'> | null | undefined): void {
  if (quarter > currentQuarter(ctx)) throw new AppError('INVALID_INPUT', '不能记入尚未开始的季度', [{ path: 'quarter', message: '请选择本季度或之前的季度' }])
  if (close && close.state !== 'draft') {
    throw new AppError('PRECONDITION_FAILED', `${quarterLabel(quarter)}的结果已${close.state === 'published' ? '公布' : '进入申诉期'}，请记入本季度；需要改已公布结果请用“更正”`)
  }
}

/** The community's closes (four a year), by quarter, in one query: what `checkOpenQuarter` and `markStale` need. */
export async function closesByQuarter(ctx: Ctx, communityId: string): Promise<Map<string, Pick<CloseDoc, '_id' | 'state'>>> {
  const res = await ctx.db.collection<CloseDoc>(CLOSES).where({ communityId }).field({ _id: true, quarter: true, state: true }).limit(1000).get()
  return new Map(res.data.map((c) => [c.quarter, { _id: c._id, state: c.state }]))
}

/**
 * Before a violation or complaint mark of a quarter whose draft is computed changes, the draft is
 * marked stale (first: a failed change then costs only a recomputation).
 */
export async function markStale(ctx: Ctx, closes: Array<Pick<CloseDoc, '_id' | 'state'> | null | undefined>): Promise<void> {
  const drafts = closes.filter((c): c is Pick<CloseDoc, '_id' | 'state'> => c?.state === 'draft')
  await Promise.all(drafts.map((c) => ctx.db.collection(CLOSES).where({ _id: c._id, state: 'draft' }).update({ data: { stale: true } })))
}

export type Contact = { openid: string; name: string }

/** Contacts of several companies in one query. */
export async function contactsOfCompanies(ctx: Ctx, ids: string[]): Promise<Map<string, Contact[]>> {
  const out = new Map<string, Contact[]>()
  if (ids.length === 0) return out
  const res = await ctx.db
    .collection<UserDoc>('users')
    .where({ companyId: ctx._.in(ids), roles: 'property' })
    .field({ _id: true, name: true, companyId: true })
    .limit(Math.min(1000, ids.length * 20))
    .get()
  for (const u of res.data) if (u.companyId) out.set(u.companyId, [...(out.get(u.companyId) ?? []), { openid: u._id, name: u.name ?? '联系人' }])
  return out
}

/**
 * Every company contact (role `property`), by the role's index, for a list shown whole: one query
 * beside the companies instead of one after them (a district has a few hundred; paged past 1000).
 */
export async function allContacts(ctx: Ctx): Promise<Map<string, Contact[]>> {
  const out = new Map<string, Contact[]>()
  for (let skip = 0; ; skip += 1000) {
    const page = await ctx.db.collection<UserDoc>('users').where({ roles: 'property' }).field({ _id: true, name: true, companyId: true }).skip(skip).limit(1000).get()
    for (const u of page.data) if (u.companyId) out.set(u.companyId, [...(out.get(u.companyId) ?? []), { openid: u._id, name: u.name ?? '联系人' }])
    if (page.data.length < 1000) return out
  }
}

/**
 * The records every company's score of a quarter is computed from, in three queries whatever the
 * number of companies: the quarter's sums, its live violations, its substantiated complaints.
 */
export async function scoreInputsOf(ctx: Ctx, communityId: string, quarter: string): Promise<{ inputOf: (companyId: string) => ScoreInput; rated: string[] }> {
  const all = async <T,>(page: (skip: number) => Promise<{ data: T[] }>): Promise<T[]> => {
    const out: T[] = []
    for (let skip = 0; ; skip += 1000) {
      const res = await page(skip)
      out.push(...res.data)
      if (res.data.length < 1000) return out
    }
  }
  const [sums, violations, complaints] = await Promise.all([
    all((skip) => ctx.db.collection<SumsDoc>(SUMS).where({ communityId, quarter }).skip(skip).limit(1000).get()),
    all((skip) => ctx.db.collection<ViolationDoc>(VIOLATIONS).where({ communityId, quarter, removed: null }).field({ companyId: true, level: true }).skip(skip).limit(1000).get()),
    all((skip) => ctx.db.collection<ComplaintDoc>(COMPLAINTS).where({ communityId, quarter, substantiated: true }).field({ companyId: true }).skip(skip).limit(1000).get()),
  ])
  const sumsOf = new Map(sums.map((x) => [x.companyId, x]))
  return {
    /** Companies its households rated that quarter. */
    rated: [...sumsOf.keys()],
    inputOf: (companyId) => ({
      n: sumsOf.get(companyId)?.n ?? 0,
      sums: sumsOf.get(companyId)?.sums ?? emptyStars(),
      complaints: complaints.filter((x) => x.companyId === companyId).length,
      violations: {
        general: violations.filter((v) => v.companyId === companyId && v.level === 'general').length,
        serious: violations.filter((v) => v.companyId === companyId && v.level === 'serious').length,
      },
    }),
  }
}
