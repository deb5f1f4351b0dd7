/** Rating a property company, and the public pages: the 红黑榜, a company's page, its comments. */
import { AppError } from '../../../../src/shared/errors'
import type { BoardRowT, MyRatingOutT, propertyApi } from '../../../../src/shared/api/property'
import { DIMENSIONS, addStars, formulaText, quarterLabel, quarterRange, type Stars } from '../../../../src/shared/rules/property'
import { isStaff, type UserDoc } from '../../../../src/shared/domain/user'
import { businessDate } from '../../../../src/shared/time'
import type { HandlersOf } from '../../runtime/serve'
import type { Ctx } from '../../runtime/context'
import { requireCleanText } from '../common/content'
import { txGetOrNull } from '../common/docs'
import { pageArgs, pageResult } from '../common/paging'
import { knownPlaces, placesById } from '../common/places'
import { photoViews } from '../common/media'
import {
  CLOSES,
  COMPANIES,
  NOT_VERIFIED,
  RATINGS,
  RESULTS,
  SUMS,
  VIOLATIONS,
  blockedFor,
  communityOf,
  companyOfCommunity,
  companyServing,
  correctionsOut,
  currentQuarter,
  effective,
  getOrNull,
  hourOf,
  loadSettings,
  pageFrom,
  pagePath,
  publishedRows,
  ratingId,
  scoreOut,
  sumsId,
  violationOutWith,
  type CloseDoc,
  type CompanyDoc,
  type CompanyPage,
  type PublishedRow,
  type RatingDoc,
  type ResultDoc,
  type SumsDoc,
  type ViolationDoc,
} from './model'

type H = HandlersOf<typeof propertyApi>

function myRatingOut(ctx: Ctx, company: CompanyDoc | null, blocked: string | null, r: RatingDoc | null): MyRatingOutT {
  const quarter = currentQuarter(ctx)
  return {
    quarter,
    quarterLabel: quarterLabel(quarter),
    editableUntil: quarterRange(quarter).end.toISOString(),
    company: company ? { id: company._id, name: company.name } : null,
    rating: r ? { stars: r.stars, comment: r.comment, byName: r.raterName, updatedAt: r.updatedAt.toISOString(), excluded: r.excluded !== null } : null,
    blocked,
  }
}

/** The company serving the household's estate and the household's rating this quarter, in one wait. */
export const mine: H['mine'] = async (_input, ctx) => {
  const user = ctx.user as UserDoc
  const quarter = currentQuarter(ctx)
  const [company, ratings] = await Promise.all([
    companyServing(ctx, user.address?.estateId),
    user.householdId ? ctx.db.collection<RatingDoc>(RATINGS).where({ householdId: user.householdId, quarter }).limit(20).get() : Promise.resolve({ data: [] as RatingDoc[] }),
  ])
  return myRatingOut(ctx, company, blockedFor(user, company), (company && ratings.data.find((r) => r.companyId === company._id)) ?? null)
}

/**
 * One transaction: the household's rating (created or replaced) and the quarter's sums (the change
 * added with `inc`: an edit adds the difference; created by the quarter's first rating). Doc-level
 * operations only, in two waits after the caller's record: the rating is read beside the company
 * it names (read by id: it must serve the caller's estate now — its `estateIds` move with the
 * estate's company in one transaction) and the comment's check, then the two writes go together —
 * as the case engine's transactions do (README, Deploying: a transaction's requests in parallel).
 * The quarter's first rating of a company takes a third wait, to create the sums. Bursts are
 * counted from the ratings themselves by the timer (close.ts `tick`), off this path.
 */
export const rate: H['rate'] = async (input, ctx) => {
  const user = ctx.user as UserDoc
  if (!user.verified) throw new AppError('FORBIDDEN', NOT_VERIFIED)
  const comment = input.comment?.trim() ? input.comment.trim() : null
  const now = ctx.clock.now()
  const quarter = currentQuarter(ctx)
  const communityId = user.address.communityId
  const id = ratingId(input.companyId, quarter, user.householdId)
  // The comment's check starts outside the transaction (it records what it saw) and is awaited inside.
  const clean = comment ? requireCleanText(ctx, comment, 'comment') : Promise.resolve()
  clean.catch(() => undefined)
  const written = await ctx.db.runTransaction(async (tx) => {
    const [prev, company] = await Promise.all([txGetOrNull<RatingDoc>(tx, RATINGS, id), getOrNull<CompanyDoc>(ctx, COMPANIES, input.companyId)])
    if (!company || !company.estateIds.includes(user.address.estateId)) throw new AppError('FORBIDDEN', '只能评价为您所在小区服务的物业公司')
    await clean
    const excluded = prev?.excluded ?? null
    const doc: RatingDoc = {
      _id: id,
      companyId: company._id,
      communityId,
      estateId: user.address.estateId,
      quarter,
      householdId: user.householdId,
      raterId: user._id,
      raterName: user.name ?? '居民',
      stars: input.stars,
      comment,
      commentHidden: null,
      commentShown: comment !== null && !excluded,
      excluded,
      // The hour of the household's first rating: the burst it belongs to (never moved by an edit).
      hour: prev?.hour ?? hourOf(now),
      createdAt: prev?.createdAt ?? now,
      updatedAt: now,
      version: (prev?.version ?? 0) + 1,
    }
    const { _id: _r, ...ratingData } = doc
    const sid = sumsId(communityId, company._id, quarter)
    // An excluded rating no longer counts: its edits change nothing in the sums.
    const sums = async (): Promise<void> => {
      if (excluded) return
      const delta: Stars = prev ? addStars(input.stars, prev.stars, -1) : input.stars
      const inc: Record<string, unknown> = { n: ctx._.inc(prev ? 0 : 1), updatedAt: now }
      for (const d of DIMENSIONS) inc[`sums.${d}`] = ctx._.inc(delta[d])
      const moved = await tx.collection(SUMS).doc(sid).update({ data: inc })
      // Nothing moved for a new rating (whose count always moves): the quarter's first, the sums are created.
      if (moved.stats.updated === 0 && !prev) {
        const sumsDoc: Omit<SumsDoc, '_id'> = { communityId, companyId: company._id, quarter, n: 1, sums: input.stars, updatedAt: now }
        await tx.collection(SUMS).doc(sid).set({ data: sumsDoc })
      }
    }
    await Promise.all([tx.collection(RATINGS).doc(id).set({ data: ratingData }), sums()])
    return { company, doc }
  })
  return myRatingOut(ctx, written.company, null, written.doc)
}

/** A published close's rows: kept on the close since it was published; an older close's are its results. */
async function rowsOf(ctx: Ctx, close: CloseDoc): Promise<PublishedRow[]> {
  if (close.rows) return close.rows
  const res = await ctx.db.collection<ResultDoc>(RESULTS).where({ communityId: close.communityId, quarter: close.quarter }).limit(200).get()
  return publishedRows(res.data.filter((r) => close.companyIds.includes(r.companyId)))
}

/** How many published quarters a community's list offers (ten years), read whole in one query. */
const BOARD_QUARTERS = 40

/**
 * The list of one published quarter is the close's own document (rows, the deductions it used).
 * The community's published closes (four a year, each its list) are one query, newest first: the
 * one shown and the quarters to pick; beside it the community's name and the caller's estate
 * (the company serving it now): one wait.
 */
export const board: H['board'] = async (input, ctx) => {
  const user = ctx.user as UserDoc
  const communityId = communityOf(ctx)
  const estateId = user.address?.estateId
  const [closes, places] = await Promise.all([
    ctx.db
      .collection<CloseDoc>(CLOSES)
      .where({ communityId, state: 'published' })
      .orderBy('quarter', 'desc')
      .field({ _id: true, communityId: true, quarter: true, state: true, companyIds: true, publishedAt: true, settings: true, rows: true })
      .limit(BOARD_QUARTERS)
      .get(),
    placesById(ctx, [communityId, estateId ?? '']),
  ])
  const shown = input.quarter ? (closes.data.find((c) => c.quarter === input.quarter) ?? null) : (closes.data[0] ?? null)
  const quarters = closes.data
  const close = shown?.state === 'published' ? shown : null
  if (input.quarter && !close) throw new AppError('NOT_FOUND', `${quarterLabel(input.quarter)}的结果尚未公布`)
  const source = close ? await rowsOf(ctx, close) : []
  const rows: BoardRowT[] = source.map((r) => {
    const eff = effective(r)
    return { companyId: r.companyId, name: r.companyName, rank: null, score: scoreOut(eff.input, eff.score), corrected: r.corrections.length > 0, original: r.corrections.length ? scoreOut(r.input, r.score) : null }
  })
  const ranking = rows.filter((r) => r.score.published).sort((a, b) => b.score.overall - a.score.overall || a.name.localeCompare(b.name, 'zh'))
  ranking.forEach((r, i) => (r.rank = i > 0 && ranking[i - 1].score.overall === r.score.overall ? ranking[i - 1].rank : i + 1))
  // The caller's company: named in the list, or (serving since) read by id.
  const myId = estateId ? places.get(estateId)?.propertyCompanyId : undefined
  const listed = myId ? source.find((r) => r.companyId === myId) : undefined
  const [my, settings] = await Promise.all([
    myId && !listed ? getOrNull<CompanyDoc>(ctx, COMPANIES, myId) : Promise.resolve(null),
    close?.settings ? close.settings : loadSettings(ctx, communityId),
  ])
  return {
    communityId,
    communityName: places.get(communityId)?.name ?? '本社区',
    quarter: close?.quarter ?? null,
    quarterLabel: close ? quarterLabel(close.quarter) : null,
    publishedAt: close?.publishedAt ? close.publishedAt.toISOString() : null,
    red: ranking.filter((r) => r.score.list === 'red'),
    black: rows.filter((r) => r.score.list === 'black').sort((a, b) => a.score.overall - b.score.overall),
    ranking,
    unranked: rows.filter((r) => !r.score.published && r.score.list !== 'black'),
    formula: formulaText(settings),
    myCompany: listed ? { id: listed.companyId, name: listed.companyName } : my ? { id: my._id, name: my.name } : null,
    quarters: quarters.map((c) => ({ quarter: c.quarter, label: quarterLabel(c.quarter) })),
  }
}

/** How many published quarters a company's page shows (its trend chart): three years. */
const TREND_QUARTERS = 12

/** A violation shown on a company's page: live, of a quarter shown or of the current one, newest first. */
const PAGE_VIOLATIONS = 50

/**
 * A company's public page: the company (read with the caller's record: it keeps its page of each
 * community, `CompanyPage`) and the current quarter's count (its id derived), in the next wait.
 * A page not kept yet is read from the records once, and kept (`pageFromRecords`).
 */
export const company: H['company'] = async (input, ctx) => {
  const user = ctx.user as UserDoc
  const communityId = communityOf(ctx)
  const quarter = currentQuarter(ctx)
  const sumsRead = getOrNull<SumsDoc>(ctx, SUMS, sumsId(communityId, input.id, quarter))
  sumsRead.catch(() => undefined)
  const c = await companyOfCommunity(ctx, input.id, communityId)
  const kept = c.pages?.[communityId]
  const [sums, page, places] = await Promise.all([sumsRead, kept?.since ? kept : pageFromRecords(ctx, c, communityId), knownPlaces(ctx, c.estateIds)])
  // The last three years of published quarters: the trend; violations of those quarters and of the current one.
  const shown = Object.entries(page.published)
    .map(([q, row]) => ({ quarter: q, row }))
    .sort((a, b) => (a.quarter < b.quarter ? 1 : a.quarter > b.quarter ? -1 : 0))
    .slice(0, TREND_QUARTERS)
  const published = new Set(shown.map((x) => x.quarter))
  const violations = Object.values(page.violations)
    .filter((v) => !v.removed && (published.has(v.quarter) || v.quarter === quarter))
    .sort((a, b) => b.at.getTime() - a.at.getTime() || (a._id < b._id ? 1 : a._id > b._id ? -1 : 0))
    .slice(0, PAGE_VIOLATIONS)
  const views = await photoViews(ctx, violations.map((v) => ({ photos: v.photos, author: v.by })))
  const latest = shown[0]
  const estates = c.estateIds.map((id) => places.get(id)).filter((p): p is NonNullable<typeof p> => !!p && p.communityId === communityId)
  return {
    id: c._id,
    name: c.name,
    phone: c.phone ?? null,
    communityId,
    estates: estates.map((e) => e.name),
    latest: latest
      ? {
          quarter: latest.quarter,
          quarterLabel: quarterLabel(latest.quarter),
          score: scoreOut(effective(latest.row).input, effective(latest.row).score),
          corrections: correctionsOut(latest.row),
          original: scoreOut(latest.row.input, latest.row.score),
        }
      : null,
    current: { quarter, quarterLabel: quarterLabel(quarter), n: sums?.n ?? 0 },
    trend: [...shown].reverse().map(({ quarter: q, row }) => {
      const eff = effective(row)
      return { quarter: q, label: quarterLabel(q), overall: eff.score.published ? eff.score.overall : null, dims: eff.score.dims, list: eff.score.list, corrected: row.corrections.length > 0 }
    }),
    violations: violations.map((v, i) => violationOutWith(v, views[i].photos)),
    // The company serves the caller's estate (its estates move with the estate's company, in one transaction).
    canRate: user.verified && !!user.address?.estateId && c.estateIds.includes(user.address.estateId),
  }
}

/**
 * A company's page of a community from its records — the community's latest published closes
 * (this company's rows; closes published before they kept their rows: its results), its live
 * violations — then kept on the company by compare-and-set on `pageVersion`, which every write
 * of a page part moves: a change made meanwhile keeps its own write, and the next visit builds again.
 */
async function pageFromRecords(ctx: Ctx, c: CompanyDoc, communityId: string): Promise<CompanyPage> {
  const [closes, violations] = await Promise.all([
    ctx.db.collection<CloseDoc>(CLOSES).where({ communityId, state: 'published' }).orderBy('quarter', 'desc').limit(TREND_QUARTERS).get(),
    ctx.db.collection<ViolationDoc>(VIOLATIONS).where({ communityId, companyId: c._id, removed: null }).orderBy('at', 'desc').limit(1000).get(),
  ])
  const older = closes.data.filter((x) => !x.rows && x.companyIds.includes(c._id))
  const legacy = older.length
    ? (await ctx.db.collection<ResultDoc>(RESULTS).where({ communityId, companyId: c._id, quarter: ctx._.in(older.map((x) => x.quarter)) }).limit(older.length).get()).data
    : []
  const rows = closes.data
    .map((x) => ({ quarter: x.quarter, row: x.rows ? x.rows.find((r) => r.companyId === c._id) : publishedRows(legacy.filter((r) => r.quarter === x.quarter && x.companyIds.includes(r.companyId)))[0] }))
    .filter((x): x is { quarter: string; row: PublishedRow } => !!x.row)
  const page = pageFrom(ctx.clock.now(), rows, violations.data)
  try {
    await ctx.db
      .collection(COMPANIES)
      .where({ _id: c._id, pageVersion: c.pageVersion ?? ctx._.exists(false) })
      .update({ data: { [pagePath(communityId)]: ctx._.set(page), pageVersion: ctx._.inc(1) } })
  } catch (e) {
    // Keeping it is an optimisation: the page answered is right either way.
    ctx.log.warn('company page not kept', { companyId: c._id, communityId, error: e instanceof Error ? e.message : String(e) })
  }
  return page
}

export const comments: H['comments'] = async (input, ctx) => {
  const communityId = communityOf(ctx)
  await companyOfCommunity(ctx, input.id, communityId)
  const { skip, limit } = pageArgs(input)
  const res = await ctx.db
    .collection<RatingDoc>(RATINGS)
    .where({ companyId: input.id, communityId, commentShown: true })
    .orderBy('updatedAt', 'desc')
    .skip(skip)
    .limit(limit + 1)
    .get()
  const estates = await knownPlaces(ctx, [...new Set(res.data.map((r) => r.estateId))])
  // A rating's id names its household (`company:quarter:unit:room`): only staff, who may hide a
  // comment by it, get it; a resident gets a key for the list that says nothing about the rater.
  const staff = isStaff(ctx.user as UserDoc)
  const rows = res.data.map((r, i) => ({
    id: staff ? r._id : `comment-${skip + i}`,
    text: r.comment ?? '',
    quarterLabel: quarterLabel(r.quarter),
    estate: `${estates.get(r.estateId)?.name ?? '小区'}居民`,
    at: businessDate(r.updatedAt),
    stars: Math.round((Object.values(r.stars).reduce((a, b) => a + b, 0) / 6) * 10) / 10,
  }))
  return pageResult(rows, input)
}
