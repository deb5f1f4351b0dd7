/** Rating a property company, and the public pages: the 红黑榜, a company's page, its comments. */
import { AppError } from '../../../../src/shared/errors'
import type { BoardRowT, MyRatingOutT, propertyApi } from '../../../../src/shared/api/property'
import { DIMENSIONS, addStars, formulaText, quarterLabel, quarterRange, type Stars } from '../../../../src/shared/rules/property'
import { isStaff, type UserDoc } from '../../../../src/shared/domain/user'
import { atShanghai, businessDate } from '../../../../src/shared/time'
import type { HandlersOf } from '../../runtime/serve'
import type { Ctx } from '../../runtime/context'
import { requireCleanText } from '../common/content'
import { txGetOrNull } from '../common/docs'
import { pageArgs, pageResult } from '../common/paging'
import { knownPlaces, placesById } from '../common/places'
import {
  BURSTS,
  CLOSES,
  COMPANIES,
  RATINGS,
  RESULTS,
  SUMS,
  VIOLATIONS,
  blockedFor,
  burstId,
  closeId,
  communityOf,
  companyOfCommunity,
  companyServing,
  correctionsOut,
  currentQuarter,
  effective,
  getOrNull,
  hourOf,
  loadSettings,
  publishedRows,
  ratingId,
  scoreOut,
  sumsId,
  violationOut,
  type BurstDoc,
  type CloseDoc,
  type CompanyDoc,
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
 * One transaction: the household's rating (created or replaced), the quarter's sums (the change
 * added with `inc`: an edit adds the difference; created by the quarter's first rating) and, for a
 * new rating, the hour's burst counter. Doc-level operations only, in two waits: the rating and
 * the hour's counter are read together (beside the company serving the estate, the settings and
 * the comment's check), then the three writes go together — as the case engine's transactions do
 * (README, Deploying: a transaction's requests in parallel). The quarter's first rating of a
 * company takes a third wait, to create the sums.
 */
export const rate: H['rate'] = async (input, ctx) => {
  const user = ctx.user as UserDoc
  const comment = input.comment?.trim() ? input.comment.trim() : null
  const now = ctx.clock.now()
  const quarter = currentQuarter(ctx)
  const communityId = user.address.communityId
  const id = ratingId(input.companyId, quarter, user.householdId)
  const hour = hourOf(now)
  const bid = burstId(communityId, input.companyId, hour)
  // The comment's check starts outside the transaction (it records what it saw) and is awaited inside.
  const clean = comment ? requireCleanText(ctx, comment, 'comment') : Promise.resolve()
  clean.catch(() => undefined)
  const written = await ctx.db.runTransaction(async (tx) => {
    const [prev, burst, company, settings] = await Promise.all([
      txGetOrNull<RatingDoc>(tx, RATINGS, id),
      txGetOrNull<BurstDoc>(tx, BURSTS, bid),
      companyServing(ctx, user.address.estateId),
      loadSettings(ctx, communityId),
    ])
    const blocked = blockedFor(user, company)
    if (blocked && company) throw new AppError('FORBIDDEN', blocked)
    if (!company || company._id !== input.companyId) throw new AppError('FORBIDDEN', '只能评价为您所在小区服务的物业公司')
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
      hour: prev?.hour ?? hour,
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
    const counted = async (): Promise<void> => {
      if (prev) return
      const count = (burst?.count ?? 0) + 1
      const status = burst?.status ?? 'counting'
      const next: Omit<BurstDoc, '_id'> = {
        communityId,
        companyId: company._id,
        companyName: company.name,
        quarter,
        hour,
        hourStart: atShanghai(hour.slice(0, 10), Number(hour.slice(11, 13)) * 60),
        count,
        status: status === 'counting' && count >= settings.burstPerHour ? 'flagged' : status,
        reason: burst?.reason ?? null,
        reviewedBy: burst?.reviewedBy ?? null,
        reviewedAt: burst?.reviewedAt ?? null,
      }
      await tx.collection(BURSTS).doc(bid).set({ data: next })
    }
    await Promise.all([tx.collection(RATINGS).doc(id).set({ data: ratingData }), sums(), counted()])
    return { company, doc }
  })
  return myRatingOut(ctx, written.company, null, written.doc)
}

/** The published quarters of a community, newest first (their quarters only). */
async function publishedQuarters(ctx: Ctx, communityId: string): Promise<Array<Pick<CloseDoc, 'quarter' | 'publishedAt'>>> {
  const res = await ctx.db.collection<CloseDoc>(CLOSES).where({ communityId, state: 'published' }).orderBy('quarter', 'desc').field({ quarter: true, publishedAt: true }).limit(40).get()
  return res.data
}

/** A published close's rows: kept on the close since it was published; an older close's are its results. */
async function rowsOf(ctx: Ctx, close: CloseDoc): Promise<PublishedRow[]> {
  if (close.rows) return close.rows
  const res = await ctx.db.collection<ResultDoc>(RESULTS).where({ communityId: close.communityId, quarter: close.quarter }).limit(200).get()
  return publishedRows(res.data.filter((r) => close.companyIds.includes(r.companyId)))
}

/**
 * The list of one published quarter is the close's own document (rows, the deductions it used):
 * read beside the list of published quarters and the place names, one wait.
 */
export const board: H['board'] = async (input, ctx) => {
  const user = ctx.user as UserDoc
  const communityId = communityOf(ctx)
  const estateId = user.address?.estateId
  const [quarters, shown, places] = await Promise.all([
    publishedQuarters(ctx, communityId),
    input.quarter
      ? getOrNull<CloseDoc>(ctx, CLOSES, closeId(communityId, input.quarter))
      : ctx.db
          .collection<CloseDoc>(CLOSES)
          .where({ communityId, state: 'published' })
          .orderBy('quarter', 'desc')
          .limit(1)
          .get()
          .then((r) => r.data[0] ?? null),
    placesById(ctx, [communityId, estateId ?? '']),
  ])
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

export const company: H['company'] = async (input, ctx) => {
  const user = ctx.user as UserDoc
  const communityId = communityOf(ctx)
  const c = await companyOfCommunity(ctx, input.id, communityId)
  const quarter = currentQuarter(ctx)
  const [closes, sums, violations, places] = await Promise.all([
    ctx.db.collection<CloseDoc>(CLOSES).where({ communityId, state: 'published' }).orderBy('quarter', 'desc').limit(TREND_QUARTERS).get(),
    getOrNull<SumsDoc>(ctx, SUMS, sumsId(communityId, c._id, quarter)),
    ctx.db.collection<ViolationDoc>(VIOLATIONS).where({ communityId, companyId: c._id, removed: null }).orderBy('at', 'desc').limit(50).get(),
    knownPlaces(ctx, c.estateIds),
  ])
  // Closes published before they kept their rows: this company's results of those quarters.
  const older = closes.data.filter((x) => !x.rows && x.companyIds.includes(c._id))
  const legacy = older.length
    ? (await ctx.db.collection<ResultDoc>(RESULTS).where({ communityId, companyId: c._id, quarter: ctx._.in(older.map((x) => x.quarter)) }).limit(older.length).get()).data
    : []
  const shown = closes.data
    .map((x) => ({ quarter: x.quarter, row: x.rows ? x.rows.find((r) => r.companyId === c._id) : legacy.find((r) => r.quarter === x.quarter && x.companyIds.includes(r.companyId)) }))
    .filter((x): x is { quarter: string; row: PublishedRow } => !!x.row)
  const published = new Set(closes.data.map((x) => x.quarter))
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
    violations: await Promise.all(violations.data.filter((v) => published.has(v.quarter) || v.quarter === quarter).map((v) => violationOut(ctx, v))),
    // The company serves the caller's estate (its estates move with the estate's company, in one transaction).
    canRate: user.verified && !!user.address?.estateId && c.estateIds.includes(user.address.estateId),
  }
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
