/** Rating a property company, and the public pages: the 红黑榜, a company's page, its comments. */
import { AppError } from '../../../../src/shared/errors'
import type { BoardRowT, MyRatingOutT, propertyApi } from '../../../../src/shared/api/property'
import { addStars, emptyStars, formulaText, quarterLabel, quarterRange, type Stars } from '../../../../src/shared/rules/property'
import type { PlaceDoc, UserDoc } from '../../../../src/shared/domain/user'
import { atShanghai, businessDate } from '../../../../src/shared/time'
import type { HandlersOf } from '../../runtime/serve'
import type { Ctx } from '../../runtime/context'
import { requireCleanText } from '../common/content'
import { txGetOrNull } from '../common/docs'
import { pageArgs, pageResult } from '../common/paging'
import { placesById } from '../common/places'
import {
  BURSTS,
  CLOSES,
  COMPANIES,
  RATINGS,
  RESULTS,
  SUMS,
  VIOLATIONS,
  burstId,
  communityName,
  communityOf,
  companyOfCommunity,
  currentQuarter,
  effective,
  eligibility,
  getOrNull,
  hourOf,
  loadSettings,
  ratingId,
  scoreOut,
  sumsId,
  violationOut,
  type BurstDoc,
  type CloseDoc,
  type CompanyDoc,
  type RatingDoc,
  type ResultDoc,
  type SumsDoc,
  type ViolationDoc,
} from './model'

type H = HandlersOf<typeof propertyApi>


async function myRating(ctx: Ctx, known?: Awaited<ReturnType<typeof eligibility>>): Promise<MyRatingOutT> {
  const user = ctx.user as UserDoc
  const quarter = currentQuarter(ctx)
  const { company, blocked } = known ?? (await eligibility(ctx))
  const r = company ? await getOrNull<RatingDoc>(ctx, RATINGS, ratingId(company._id, quarter, user.householdId)) : null
  return {
    quarter,
    quarterLabel: quarterLabel(quarter),
    editableUntil: quarterRange(quarter).end.toISOString(),
    company: company ? { id: company._id, name: company.name } : null,
    rating: r ? { stars: r.stars, comment: r.comment, byName: r.raterName, updatedAt: r.updatedAt.toISOString(), excluded: r.excluded !== null } : null,
    blocked,
  }
}

export const mine: H['mine'] = async (_input, ctx) => myRating(ctx)

/**
 * One transaction: the household's rating (created or replaced), the quarter's sums (the old stars
 * out, the new ones in) and, for a new rating, the hour's burst counter. Doc-level operations only.
 */
export const rate: H['rate'] = async (input, ctx) => {
  const user = ctx.user as UserDoc
  const elig = await eligibility(ctx)
  const { company, blocked } = elig
  if (blocked && company) throw new AppError('FORBIDDEN', blocked)
  if (!company || company._id !== input.companyId) throw new AppError('FORBIDDEN', '只能评价为您所在小区服务的物业公司')
  const comment = input.comment?.trim() ? input.comment.trim() : null
  if (comment) await requireCleanText(ctx, comment, 'comment')
  const now = ctx.clock.now()
  const quarter = currentQuarter(ctx)
  const communityId = user.address.communityId
  const settings = await loadSettings(ctx, communityId)
  const id = ratingId(company._id, quarter, user.householdId)
  const hour = hourOf(now)
  await ctx.db.runTransaction(async (tx) => {
    const prev = await txGetOrNull<RatingDoc>(tx, RATINGS, id)
    const sums = await txGetOrNull<SumsDoc>(tx, SUMS, sumsId(communityId, company._id, quarter))
    let totals: Stars = sums?.sums ?? emptyStars()
    let n = sums?.n ?? 0
    const excluded = prev?.excluded ?? null
    if (prev && !excluded) {
      totals = addStars(totals, prev.stars, -1)
      n--
    }
    if (!excluded) {
      totals = addStars(totals, input.stars, 1)
      n++
    }
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
    await tx.collection(RATINGS).doc(id).set({ data: ratingData })
    const sumsDoc: Omit<SumsDoc, '_id'> = { communityId, companyId: company._id, quarter, n, sums: totals, updatedAt: now }
    await tx.collection(SUMS).doc(sumsId(communityId, company._id, quarter)).set({ data: sumsDoc })
    if (!prev) {
      const bid = burstId(communityId, company._id, hour)
      const burst = await txGetOrNull<BurstDoc>(tx, BURSTS, bid)
      const count = (burst?.count ?? 0) + 1
      const status = burst?.status ?? 'counting'
      const next: Omit<BurstDoc, '_id'> = {
        communityId,
        companyId: company._id,
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
  })
  return myRating(ctx, elig)
}

/** The published quarters of a community, newest first. */
async function publishedCloses(ctx: Ctx, communityId: string): Promise<CloseDoc[]> {
  const res = await ctx.db.collection<CloseDoc>(CLOSES).where({ communityId, state: 'published' }).orderBy('quarter', 'desc').limit(40).get()
  return res.data
}

export const board: H['board'] = async (input, ctx) => {
  const user = ctx.user as UserDoc
  const communityId = communityOf(ctx)
  const [closes, name, settings, estate] = await Promise.all([
    publishedCloses(ctx, communityId),
    communityName(ctx, communityId),
    loadSettings(ctx, communityId),
    user.address?.estateId ? getOrNull<PlaceDoc>(ctx, 'places', user.address.estateId) : Promise.resolve(null),
  ])
  const close = input.quarter ? closes.find((c) => c.quarter === input.quarter) : closes[0]
  if (input.quarter && !close) throw new AppError('NOT_FOUND', `${quarterLabel(input.quarter)}的结果尚未公布`)
  const results = close ? (await ctx.db.collection<ResultDoc>(RESULTS).where({ communityId, quarter: close.quarter }).limit(200).get()).data : []
  const rows: BoardRowT[] = results.map((r) => {
    const eff = effective(r)
    return { companyId: r.companyId, name: r.companyName, rank: null, score: scoreOut(eff.input, eff.score), corrected: r.corrections.length > 0, original: r.corrections.length ? scoreOut(r.input, r.score) : null }
  })
  const ranking = rows.filter((r) => r.score.published).sort((a, b) => b.score.overall - a.score.overall || a.name.localeCompare(b.name, 'zh'))
  ranking.forEach((r, i) => (r.rank = i > 0 && ranking[i - 1].score.overall === r.score.overall ? ranking[i - 1].rank : i + 1))
  const my = estate?.propertyCompanyId ? await getOrNull<CompanyDoc>(ctx, COMPANIES, estate.propertyCompanyId) : null
  return {
    communityId,
    communityName: name,
    quarter: close?.quarter ?? null,
    quarterLabel: close ? quarterLabel(close.quarter) : null,
    publishedAt: close?.publishedAt ? close.publishedAt.toISOString() : null,
    red: ranking.filter((r) => r.score.list === 'red'),
    black: rows.filter((r) => r.score.list === 'black').sort((a, b) => a.score.overall - b.score.overall),
    ranking,
    unranked: rows.filter((r) => !r.score.published && r.score.list !== 'black'),
    formula: formulaText(settings),
    myCompany: my ? { id: my._id, name: my.name } : null,
    quarters: closes.map((c) => ({ quarter: c.quarter, label: quarterLabel(c.quarter) })),
  }
}

export const company: H['company'] = async (input, ctx) => {
  const communityId = communityOf(ctx)
  const c = await companyOfCommunity(ctx, input.id, communityId)
  const quarter = currentQuarter(ctx)
  const [closes, results, sums, violations, places, elig] = await Promise.all([
    publishedCloses(ctx, communityId),
    ctx.db.collection<ResultDoc>(RESULTS).where({ communityId, companyId: c._id }).orderBy('quarter', 'desc').limit(40).get(),
    getOrNull<SumsDoc>(ctx, SUMS, sumsId(communityId, c._id, quarter)),
    ctx.db.collection<ViolationDoc>(VIOLATIONS).where({ communityId, companyId: c._id, removed: null }).orderBy('at', 'desc').limit(50).get(),
    placesById(ctx, c.estateIds),
    eligibility(ctx),
  ])
  const published = new Set(closes.map((x) => x.quarter))
  const shown = results.data.filter((r) => published.has(r.quarter))
  const latest = shown[0]
  const estates = c.estateIds.map((id) => places.get(id)).filter((p): p is PlaceDoc => !!p && p.communityId === communityId)
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
          score: scoreOut(effective(latest).input, effective(latest).score),
          corrections: latest.corrections.map((x) => ({ at: x.at.toISOString(), byName: x.byName, reason: x.reason, score: scoreOut(x.input, x.score) })),
          original: scoreOut(latest.input, latest.score),
        }
      : null,
    current: { quarter, quarterLabel: quarterLabel(quarter), n: sums?.n ?? 0 },
    trend: [...shown].reverse().map((r) => {
      const eff = effective(r)
      return { quarter: r.quarter, label: quarterLabel(r.quarter), overall: eff.score.published ? eff.score.overall : null, dims: eff.score.dims, list: eff.score.list, corrected: r.corrections.length > 0 }
    }),
    violations: await Promise.all(violations.data.filter((v) => published.has(v.quarter) || v.quarter === quarter).map((v) => violationOut(ctx, v))),
    canRate: elig.blocked === null && elig.company?._id === c._id,
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
  const estates = await placesById(ctx, [...new Set(res.data.map((r) => r.estateId))])
  const rows = res.data.map((r) => ({
    id: r._id,
    text: r.comment ?? '',
    quarterLabel: quarterLabel(r.quarter),
    estate: `${estates.get(r.estateId)?.name ?? '小区'}居民`,
    at: businessDate(r.updatedAt),
    stars: Math.round((Object.values(r.stars).reduce((a, b) => a + b, 0) / 6) * 10) / 10,
  }))
  return pageResult(rows, input)
}
