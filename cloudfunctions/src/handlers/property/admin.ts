/**
 * Staff's side of 物业: companies, the estates they serve and their contacts; violations;
 * 物业 complaints marked substantiated; rating bursts; hiding a comment; the community's settings.
 */
import { AppError } from '../../../../src/shared/errors'
import type { BurstOutT, CompaniesOutT, ComplaintOutT, propertyApi } from '../../../../src/shared/api/property'
import { addStars, emptyStars } from '../../../../src/shared/rules/property'
import type { PlaceDoc } from '../../../../src/shared/domain/user'
import { formatShort, sh } from '../../../../src/shared/time'
import type { HandlersOf } from '../../runtime/serve'
import type { Ctx } from '../../runtime/context'
import { createdId } from '../../runtime/requests'
import { DB_DUPLICATE_KEY, DB_NOT_FOUND, isDbError } from '../../platform/db'
import { checkedPhotos, requireCleanText } from '../common/content'
import { pageArgs, pageResult } from '../common/paging'
import { placesById } from '../common/places'
import { setContactRole } from '../common/contacts'
import {
  BURSTS,
  COMPANIES,
  COMPLAINTS,
  RATINGS,
  SETTINGS,
  SUMS,
  VIOLATIONS,
  communityOf,
  companyOfCommunity,
  contactsOf,
  currentQuarter,
  getOrNull,
  loadSettings,
  requireOpenQuarter,
  settingsOut,
  sumsId,
  violationOut,
  type BurstDoc,
  type CompanyDoc,
  type ComplaintDoc,
  type RatingDoc,
  type SumsDoc,
  type ViolationDoc,
} from './model'

type H = HandlersOf<typeof propertyApi>

async function companiesOut(ctx: Ctx, communityId: string): Promise<CompaniesOutT> {
  const [companies, estates] = await Promise.all([
    ctx.db.collection<CompanyDoc>(COMPANIES).where({ communityIds: communityId }).limit(200).get(),
    ctx.db.collection<PlaceDoc>('places').where({ parentId: communityId }).orderBy('order', 'asc').limit(200).get(),
  ])
  const estateDocs = estates.data.filter((p) => p.kind === 'estate')
  const names = new Map(estateDocs.map((e) => [e._id, e.name]))
  const contacts = await Promise.all(companies.data.map((c) => contactsOf(ctx, c._id)))
  return {
    companies: companies.data
      .map((c, i) => ({
        id: c._id,
        name: c.name,
        phone: c.phone ?? null,
        version: c.version ?? 1,
        estates: c.estateIds.filter((id) => names.has(id)).map((id) => ({ id, name: names.get(id)! })),
        contacts: contacts[i],
      }))
      .sort((a, b) => a.name.localeCompare(b.name, 'zh')),
    estates: estateDocs.map((e) => ({ id: e._id, name: e.name, companyId: e.propertyCompanyId ?? null })),
  }
}

export const companies: H['companies'] = async (_input, ctx) => companiesOut(ctx, communityOf(ctx))

export const saveCompany: H['saveCompany'] = async (input, ctx) => {
  const communityId = communityOf(ctx)
  const now = ctx.clock.now()
  const phone = input.phone?.trim() || null
  if (!input.id) {
    const doc: CompanyDoc = { _id: createdId(ctx, 'pc'), name: input.name, phone, estateIds: [], communityIds: [communityId], version: 1, createdAt: now, updatedAt: now }
    try {
      await ctx.db.collection(COMPANIES).add({ data: doc as unknown as Record<string, unknown> })
    } catch (e) {
      if (!isDbError(e, DB_DUPLICATE_KEY)) throw e // a retry of this request: it is there already
    }
    return companiesOut(ctx, communityId)
  }
  const c = await companyOfCommunity(ctx, input.id, communityId)
  const version = c.version ?? 1
  if (input.version !== undefined && input.version !== version) throw new AppError('CONFLICT', '公司信息已被他人修改，请刷新后再试')
  const r = await ctx.db
    .collection(COMPANIES)
    .where({ _id: c._id, version })
    .update({ data: { name: input.name, phone, version: version + 1, updatedAt: now } })
  if (r.stats.updated !== 1) throw new AppError('CONFLICT', '公司信息已被他人修改，请刷新后再试')
  return companiesOut(ctx, communityId)
}

/** The estate's `propertyCompanyId` and both companies' `estateIds` move in one transaction. */
export const assignEstate: H['assignEstate'] = async (input, ctx) => {
  const communityId = communityOf(ctx)
  const estate = await getOrNull<PlaceDoc>(ctx, 'places', input.estateId)
  if (!estate || estate.kind !== 'estate' || estate.communityId !== communityId) throw new AppError('NOT_FOUND', '本社区没有这个小区')
  if (input.companyId) await companyOfCommunity(ctx, input.companyId, communityId)
  await ctx.db.runTransaction(async (tx) => {
    const place = (await tx.collection<PlaceDoc>('places').doc(estate._id).get()).data
    const before = place.propertyCompanyId ?? null
    if (before === input.companyId) return
    await tx.collection('places').doc(estate._id).update({ data: { propertyCompanyId: input.companyId ?? ctx._.remove() } })
    if (before) {
      try {
        await tx.collection(COMPANIES).doc(before).update({ data: { estateIds: ctx._.pull(estate._id) } })
      } catch (e) {
        if (!isDbError(e, DB_NOT_FOUND)) throw e
      }
    }
    if (input.companyId) await tx.collection(COMPANIES).doc(input.companyId).update({ data: { estateIds: ctx._.addToSet(estate._id), communityIds: ctx._.addToSet(communityId) } })
  })
  return companiesOut(ctx, communityId)
}

/** A contact is a person with role `property` and the company's id, both on their own record (one write). */
export const setContact: H['setContact'] = async (input, ctx) => {
  const communityId = communityOf(ctx)
  await companyOfCommunity(ctx, input.companyId, communityId)
  await setContactRole(ctx, {
    role: 'property',
    field: 'companyId',
    orgId: input.companyId,
    phone: input.phone,
    openid: input.openid,
    on: input.on,
    elsewhere: '此人已是另一家物业公司的联系人，请先在那家公司取消',
    notContact: '此人不是这家公司的联系人',
  })
  return companiesOut(ctx, communityId)
}

export const violations: H['violations'] = async (input, ctx) => {
  const communityId = communityOf(ctx)
  await companyOfCommunity(ctx, input.companyId, communityId)
  const res = await ctx.db.collection<ViolationDoc>(VIOLATIONS).where({ communityId, companyId: input.companyId }).orderBy('at', 'desc').limit(100).get()
  return { items: await Promise.all(res.data.map((v) => violationOut(ctx, v))) }
}

export const recordViolation: H['recordViolation'] = async (input, ctx) => {
  const communityId = communityOf(ctx)
  const id = createdId(ctx, 'pv')
  if (ctx.retry) {
    const found = await getOrNull<ViolationDoc>(ctx, VIOLATIONS, id)
    if (found) return violationOut(ctx, found)
  }
  await companyOfCommunity(ctx, input.companyId, communityId)
  const quarter = input.quarter ?? currentQuarter(ctx)
  await requireOpenQuarter(ctx, communityId, quarter)
  await requireCleanText(ctx, input.description, 'description')
  const photos = await checkedPhotos(ctx, input.photos, { collection: VIOLATIONS, docId: id })
  const doc: ViolationDoc = {
    _id: id,
    communityId,
    companyId: input.companyId,
    quarter,
    level: input.level,
    description: input.description,
    photos,
    by: ctx.openid,
    byName: ctx.user?.name ?? '社区工作人员',
    at: ctx.clock.now(),
    removed: null,
  }
  await ctx.db.collection(VIOLATIONS).add({ data: doc as unknown as Record<string, unknown> })
  return violationOut(ctx, doc)
}

export const removeViolation: H['removeViolation'] = async (input, ctx) => {
  const communityId = communityOf(ctx)
  const v = await getOrNull<ViolationDoc>(ctx, VIOLATIONS, input.id)
  if (!v || v.communityId !== communityId) throw new AppError('NOT_FOUND', '没有找到这条违规记录')
  if (v.removed) throw new AppError('CONFLICT', '这条违规记录已撤销')
  await requireOpenQuarter(ctx, communityId, v.quarter)
  const removed = { reason: input.reason, by: ctx.openid, at: ctx.clock.now() }
  const r = await ctx.db.collection(VIOLATIONS).where({ _id: v._id, removed: null }).update({ data: { removed: ctx._.set(removed) } })
  if (r.stats.updated !== 1) throw new AppError('CONFLICT', '这条违规记录已撤销')
  return violationOut(ctx, { ...v, removed })
}

interface CaseLite {
  _id: string
  kind: 'dispute' | 'message'
  communityId: string
  category: string
  description: string
  status: string
  closedAt: Date | null
  location?: { buildingId?: string | null; text?: string } | null
}

async function complaintOut(ctx: Ctx, c: CaseLite, mark: ComplaintDoc | null, names: Map<string, string>, estateCompany: Map<string, string | null>): Promise<ComplaintOutT> {
  const buildingId = c.location?.buildingId ?? null
  return {
    caseId: c._id,
    kind: c.kind,
    summary: c.description.length > 60 ? `${c.description.slice(0, 60)}…` : c.description,
    place: c.location?.text ?? '',
    closedAt: c.closedAt ? c.closedAt.toISOString() : null,
    suggestedCompanyId: buildingId ? (estateCompany.get(buildingId) ?? null) : null,
    mark: mark
      ? { companyId: mark.companyId, companyName: names.get(mark.companyId) ?? '物业公司', quarter: mark.quarter, substantiated: mark.substantiated, note: mark.note, byName: mark.byName }
      : null,
  }
}

/** For each case's building, the company serving its estate now (the suggested one). */
async function companiesByBuilding(ctx: Ctx, cases: CaseLite[]): Promise<Map<string, string | null>> {
  const buildingIds = [...new Set(cases.map((c) => c.location?.buildingId).filter((b): b is string => !!b))]
  const buildings = await placesById(ctx, buildingIds)
  const estates = await placesById(ctx, [...new Set([...buildings.values()].map((b) => b.estateId).filter((e): e is string => !!e))])
  return new Map(buildingIds.map((b) => [b, estates.get(buildings.get(b)?.estateId ?? '')?.propertyCompanyId ?? null]))
}

async function companyNames(ctx: Ctx, communityId: string): Promise<Map<string, string>> {
  const res = await ctx.db.collection<CompanyDoc>(COMPANIES).where({ communityIds: communityId }).field({ _id: true, name: true }).limit(200).get()
  return new Map(res.data.map((c) => [c._id, c.name]))
}

export const complaints: H['complaints'] = async (input, ctx) => {
  const communityId = communityOf(ctx)
  const { skip, limit } = pageArgs(input)
  const res = await ctx.db
    .collection<CaseLite>('cases')
    .where({ communityId, category: '物业', status: 'closed' })
    .orderBy('closedAt', 'desc')
    .skip(skip)
    .limit(limit + 1)
    .field({ _id: true, kind: true, communityId: true, category: true, description: true, status: true, closedAt: true, location: true })
    .get()
  const ids = res.data.map((c) => c._id)
  const [marks, names, byBuilding] = await Promise.all([
    ids.length ? ctx.db.collection<ComplaintDoc>(COMPLAINTS).where({ _id: ctx._.in(ids) }).limit(ids.length).get() : Promise.resolve({ data: [] as ComplaintDoc[] }),
    companyNames(ctx, communityId),
    companiesByBuilding(ctx, res.data),
  ])
  const markOf = new Map(marks.data.map((m) => [m._id, m]))
  const rows = await Promise.all(res.data.map((c) => complaintOut(ctx, c, markOf.get(c._id) ?? null, names, byBuilding)))
  return pageResult(rows, input)
}

/** One mark per case (its id): marking again replaces it, while its quarter is still open. */
export const markComplaint: H['markComplaint'] = async (input, ctx) => {
  const communityId = communityOf(ctx)
  let c: CaseLite
  try {
    c = (await ctx.db.collection<CaseLite>('cases').doc(input.caseId).get()).data
  } catch (e) {
    if (isDbError(e, DB_NOT_FOUND)) throw new AppError('NOT_FOUND', '没有找到这件事项')
    throw e
  }
  if (c.communityId !== communityId) throw new AppError('NOT_FOUND', '没有找到这件事项')
  if (c.category !== '物业') throw new AppError('PRECONDITION_FAILED', '只有“物业”类的纠纷和留言才能认定为物业投诉')
  if (c.status !== 'closed') throw new AppError('PRECONDITION_FAILED', '事项办结后才能认定投诉是否属实')
  const company = await companyOfCommunity(ctx, input.companyId, communityId)
  const before = await getOrNull<ComplaintDoc>(ctx, COMPLAINTS, c._id)
  if (before) await requireOpenQuarter(ctx, communityId, before.quarter)
  const quarter = input.quarter ?? currentQuarter(ctx)
  await requireOpenQuarter(ctx, communityId, quarter)
  const note = input.note?.trim() ? input.note.trim() : null
  if (note) await requireCleanText(ctx, note, 'note')
  const mark: Omit<ComplaintDoc, '_id'> = { communityId, companyId: company._id, quarter, substantiated: input.substantiated, note, by: ctx.openid, byName: ctx.user?.name ?? '社区工作人员', at: ctx.clock.now() }
  await ctx.db.collection(COMPLAINTS).doc(c._id).set({ data: mark })
  const names = new Map([[company._id, company.name]])
  return complaintOut(ctx, c, { _id: c._id, ...mark }, names, await companiesByBuilding(ctx, [c]))
}

const BURST_LABELS: Record<BurstOutT['status'], string> = { flagged: '待核查', excluded: '已剔除', dismissed: '已保留' }

async function burstOut(ctx: Ctx, b: BurstDoc, names?: Map<string, string>): Promise<BurstOutT> {
  const name = names?.get(b.companyId) ?? (await getOrNull<CompanyDoc>(ctx, COMPANIES, b.companyId))?.name ?? '物业公司'
  const start = sh(b.hourStart)
  return {
    id: b._id,
    companyId: b.companyId,
    companyName: name,
    quarter: b.quarter,
    hourText: `${formatShort(b.hourStart)}–${start.add(1, 'hour').format('HH:mm')}`,
    count: b.count,
    status: b.status === 'counting' ? 'flagged' : b.status,
    statusLabel: BURST_LABELS[b.status === 'counting' ? 'flagged' : b.status],
    reason: b.reason,
  }
}

export const bursts: H['bursts'] = async (input, ctx) => {
  const communityId = communityOf(ctx)
  const { skip, limit } = pageArgs(input)
  const res = await ctx.db.collection<BurstDoc>(BURSTS).where({ communityId, status: input.status }).orderBy('hourStart', 'desc').skip(skip).limit(limit + 1).get()
  const names = await companyNames(ctx, communityId)
  return pageResult(await Promise.all(res.data.map((b) => burstOut(ctx, b, names))), input)
}

/**
 * Excluding a burst takes each of its ratings out of the sums, one transaction per rating (marked
 * excluded in the same write, so a rerun after a crash skips it), then closes the burst. A
 * published quarter keeps its published result: staff correct it (close.ts `correct`).
 */
export const reviewBurst: H['reviewBurst'] = async (input, ctx) => {
  const communityId = communityOf(ctx)
  const b = await getOrNull<BurstDoc>(ctx, BURSTS, input.id)
  if (!b || b.communityId !== communityId || b.status === 'counting') throw new AppError('NOT_FOUND', '没有找到这条待核查的集中评价')
  if (b.status !== 'flagged') throw new AppError('CONFLICT', `这条集中评价已${BURST_LABELS[b.status]}`)
  await requireCleanText(ctx, input.reason, 'reason')
  const now = ctx.clock.now()
  if (input.exclude) {
    for (;;) {
      const batch = await ctx.db
        .collection<RatingDoc>(RATINGS)
        .where({ communityId, companyId: b.companyId, hour: b.hour, excluded: null })
        .field({ _id: true })
        .limit(100)
        .get()
      if (batch.data.length === 0) break
      for (const { _id } of batch.data) await excludeRating(ctx, _id, { reason: input.reason, by: ctx.openid, at: now, burstId: b._id })
    }
  }
  const status = input.exclude ? 'excluded' : 'dismissed'
  const r = await ctx.db.collection(BURSTS).where({ _id: b._id, status: 'flagged' }).update({ data: { status, reason: input.reason, reviewedBy: ctx.openid, reviewedAt: now } })
  if (r.stats.updated !== 1) throw new AppError('CONFLICT', '这条集中评价刚刚已被他人处理')
  return burstOut(ctx, { ...b, status, reason: input.reason, reviewedBy: ctx.openid, reviewedAt: now })
}

async function excludeRating(ctx: Ctx, id: string, excluded: NonNullable<RatingDoc['excluded']>): Promise<void> {
  await ctx.db.runTransaction(async (tx) => {
    const r = (await tx.collection<RatingDoc>(RATINGS).doc(id).get()).data
    if (r.excluded) return
    const sid = sumsId(r.communityId, r.companyId, r.quarter)
    const s = (await tx.collection<SumsDoc>(SUMS).doc(sid).get()).data
    await tx.collection(RATINGS).doc(id).update({ data: { excluded: ctx._.set(excluded), commentShown: false } })
    await tx.collection(SUMS).doc(sid).update({ data: { n: s.n - 1, sums: ctx._.set(addStars(s.sums ?? emptyStars(), r.stars, -1)), updatedAt: excluded.at } })
  })
}

export const hideComment: H['hideComment'] = async (input, ctx) => {
  const communityId = communityOf(ctx)
  const r = await getOrNull<RatingDoc>(ctx, RATINGS, input.id)
  if (!r || r.communityId !== communityId || !r.comment) throw new AppError('NOT_FOUND', '没有找到这条评语')
  await ctx.db
    .collection(RATINGS)
    .where({ _id: r._id, version: r.version })
    .update({ data: { commentHidden: ctx._.set({ reason: input.reason, by: ctx.openid, at: ctx.clock.now() }), commentShown: false } })
  return { ok: true as const }
}

export const settings: H['settings'] = async (_input, ctx) => settingsOut(await loadSettings(ctx, communityOf(ctx)))

export const saveSettings: H['saveSettings'] = async (input, ctx) => {
  const communityId = communityOf(ctx)
  await ctx.db.collection(SETTINGS).doc(communityId).set({ data: { ...input, updatedAt: ctx.clock.now(), updatedBy: ctx.openid } })
  return settingsOut(await loadSettings(ctx, communityId))
}

