/**
 * Staff's side of 物业: companies, the estates they serve and their contacts; violations;
 * 物业 complaints marked substantiated; rating bursts; hiding a comment; the community's settings.
 */
import { saveStoredSettings } from '../common/settings'
import { AppError } from '../../../../src/shared/errors'
import type { BurstOutT, CompaniesOutT, ComplaintOutT, propertyApi } from '../../../../src/shared/api/property'
import { DEFAULT_SCORE_SETTINGS, DIMENSIONS } from '../../../../src/shared/rules/property'
import type { PlaceDoc, UserDoc } from '../../../../src/shared/domain/user'
import { atShanghai, formatShort, quarterOf, sh } from '../../../../src/shared/time'
import type { HandlersOf } from '../../runtime/serve'
import type { Ctx } from '../../runtime/context'
import { createdId } from '../../runtime/requests'
import { DB_DUPLICATE_KEY, DB_NOT_FOUND, isDbError } from '../../platform/db'
import { checkedPhotos, requireCleanText } from '../common/content'
import { pageArgs, pageResult } from '../common/paging'
import { txGetOrNull } from '../common/docs'
import { knownPlaces, placeChildren, placesById } from '../common/places'
import { setContactRole } from '../common/contacts'
import { photoViews } from '../common/media'
import {
  BURSTS,
  CLOSES,
  COMPANIES,
  COMPLAINTS,
  RATINGS,
  SETTINGS,
  SUMS,
  VIOLATIONS,
  burstId,
  checkOpenQuarter,
  closeId,
  communityOf,
  companyOfCommunity,
  contactsOfCompanies,
  currentQuarter,
  getOrNull,
  hourOf,
  loadSettings,
  closesByQuarter,
  markStale,
  pageFrom,
  settingsOut,
  sumsId,
  violationOut,
  violationOutWith,
  violationPath,
  type BurstDoc,
  type CloseDoc,
  type CompanyDoc,
  type ComplaintDoc,
  type Contact,
  type RatingDoc,
  type ViolationDoc,
} from './model'

/** A read started now and awaited later without an unhandled rejection meanwhile (errors keep their order of checks). */
function started<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined)
  return p
}

type H = HandlersOf<typeof propertyApi>

/**
 * The community's companies and estates: the two lists every company page of staff shows, in one
 * wait. The estates are the place tree's (kept by the instance, common/places); which company
 * serves each is read off the companies' `estateIds`, moved with the estate's `propertyCompanyId`
 * in one transaction.
 */
interface Lists {
  companies: CompanyDoc[]
  estates: Array<Omit<PlaceDoc, 'propertyCompanyId'>>
}

async function listsOf(ctx: Ctx, communityId: string): Promise<Lists> {
  // Without the companies' public pages (`pages`: not shown here, and the bulk of a company's document).
  const [companies, children] = await Promise.all([ctx.db.collection<CompanyDoc>(COMPANIES).where({ communityIds: communityId }).field({ pages: false }).limit(200).get(), placeChildren(ctx, communityId)])
  return { companies: companies.data, estates: children.filter((p) => p.kind === 'estate') }
}

/** The contacts the list shows: kept on each company; a company without the list yet asks the people's records. */
async function contactsShown(ctx: Ctx, companies: CompanyDoc[]): Promise<Map<string, Contact[]>> {
  const out = new Map(companies.filter((c) => c.contacts).map((c) => [c._id, c.contacts!]))
  const older = companies.filter((c) => !c.contacts).map((c) => c._id)
  if (older.length) for (const [id, list] of await contactsOfCompanies(ctx, older)) out.set(id, list)
  return out
}

function companiesOut(lists: Lists, contacts: Map<string, Contact[]>): CompaniesOutT {
  const names = new Map(lists.estates.map((e) => [e._id, e.name]))
  const servedBy = new Map(lists.companies.flatMap((c) => c.estateIds.map((e) => [e, c._id] as const)))
  return {
    companies: lists.companies
      .map((c) => ({
        id: c._id,
        name: c.name,
        phone: c.phone ?? null,
        version: c.version ?? 1,
        estates: c.estateIds.filter((id) => names.has(id)).map((id) => ({ id, name: names.get(id)! })),
        contacts: contacts.get(c._id) ?? [],
      }))
      .sort((a, b) => a.name.localeCompare(b.name, 'zh')),
    estates: lists.estates.map((e) => ({ id: e._id, name: e.name, companyId: servedBy.get(e._id) ?? null })),
  }
}

/** A company this community knows, from the lists already read. */
function knownCompany(lists: Lists, id: string): CompanyDoc {
  const c = lists.companies.find((x) => x._id === id)
  if (!c) throw new AppError('NOT_FOUND', '本社区没有这家物业公司')
  return c
}

export const companies: H['companies'] = async (_input, ctx) => {
  const lists = await listsOf(ctx, communityOf(ctx))
  return companiesOut(lists, await contactsShown(ctx, lists.companies))
}

/** A new company is added beside reading the lists; an edit is a compare-and-set on the version read with them. */
export const saveCompany: H['saveCompany'] = async (input, ctx) => {
  const communityId = communityOf(ctx)
  const now = ctx.clock.now()
  const phone = input.phone?.trim() || null
  if (!input.id) {
    // Its public page of the community is kept from its creation (nothing published, no violations yet).
    const pages = { [communityId]: pageFrom(now, [], []) }
    const doc: CompanyDoc = { _id: createdId(ctx, 'pc'), name: input.name, phone, estateIds: [], communityIds: [communityId], contacts: [], version: 1, createdAt: now, updatedAt: now, pages, pageVersion: 1 }
    const added = ctx.db
      .collection(COMPANIES)
      .add({ data: doc as unknown as Record<string, unknown> })
      .catch((e: unknown) => {
        if (!isDbError(e, DB_DUPLICATE_KEY)) throw e // a retry of this request: it is there already
      })
    const [, lists] = await Promise.all([added, listsOf(ctx, communityId)])
    const all = lists.companies.some((c) => c._id === doc._id) ? lists.companies : [...lists.companies, doc]
    return companiesOut({ ...lists, companies: all }, await contactsShown(ctx, all))
  }
  const lists = await listsOf(ctx, communityId)
  const c = knownCompany(lists, input.id)
  const version = c.version ?? 1
  if (input.version !== undefined && input.version !== version) throw new AppError('CONFLICT', '公司信息已被他人修改，请刷新后再试')
  const [r, contacts] = await Promise.all([
    ctx.db
      .collection(COMPANIES)
      .where({ _id: c._id, version })
      .update({ data: { name: input.name, phone, version: version + 1, updatedAt: now } }),
    contactsShown(ctx, lists.companies),
  ])
  if (r.stats.updated !== 1) throw new AppError('CONFLICT', '公司信息已被他人修改，请刷新后再试')
  const next = { ...c, name: input.name, phone, version: version + 1 }
  return companiesOut({ ...lists, companies: lists.companies.map((x) => (x._id === c._id ? next : x)) }, contacts)
}

/** The estate's `propertyCompanyId` and both companies' `estateIds` move in one transaction. */
export const assignEstate: H['assignEstate'] = async (input, ctx) => {
  const communityId = communityOf(ctx)
  const { lists, estate, before } = await ctx.db.runTransaction(async (tx) => {
    // The transaction's first read, and beside it the community's companies and estates (the checks and the answer).
    const [place, lists] = await Promise.all([txGetOrNull<PlaceDoc>(tx, 'places', input.estateId), listsOf(ctx, communityId)])
    const estate = lists.estates.find((e) => e._id === input.estateId)
    if (!place || !estate || estate.communityId !== communityId) throw new AppError('NOT_FOUND', '本社区没有这个小区')
    if (input.companyId) knownCompany(lists, input.companyId)
    const was = place.propertyCompanyId ?? null
    if (was === input.companyId) return { lists, estate, before: was }
    // The estate and both companies, written together.
    const leave = async (): Promise<void> => {
      if (!was) return
      try {
        await tx.collection(COMPANIES).doc(was).update({ data: { estateIds: ctx._.pull(estate._id) } })
      } catch (e) {
        if (!isDbError(e, DB_NOT_FOUND)) throw e
      }
    }
    await Promise.all([
      tx.collection('places').doc(estate._id).update({ data: { propertyCompanyId: input.companyId ?? ctx._.remove() } }),
      leave(),
      input.companyId ? tx.collection(COMPANIES).doc(input.companyId).update({ data: { estateIds: ctx._.addToSet(estate._id), communityIds: ctx._.addToSet(communityId) } }) : null,
    ])
    return { lists, estate, before: was }
  })
  // The lists as the transaction left them.
  const companiesNow = lists.companies.map((c) => {
    const estateIds = c.estateIds.filter((id) => id !== estate._id || c._id === input.companyId)
    if (c._id === input.companyId && !estateIds.includes(estate._id)) estateIds.push(estate._id)
    return c._id === before || c._id === input.companyId ? { ...c, estateIds } : c
  })
  return companiesOut({ companies: companiesNow, estates: lists.estates }, await contactsShown(ctx, lists.companies))
}

/**
 * A contact is a person with role `property` and the company's id, both on their own record (one
 * write, common/contacts.ts): that is what grants the role and what notices go by. The company then
 * keeps the list its staff see (compare-and-set on its version), so the list needs no query of people.
 */
export const setContact: H['setContact'] = async (input, ctx) => {
  const communityId = communityOf(ctx)
  // The person as setContactRole finds them (by openid, or by the phone they registered with).
  const lookup = (): Promise<UserDoc | null> =>
    input.openid
      ? getOrNull<UserDoc>(ctx, 'users', input.openid)
      : input.phone
        ? ctx.db
            .collection<UserDoc>('users')
            .where({ phone: input.phone })
            .limit(1)
            .get()
            .then((r) => r.data[0] ?? null)
        : Promise.resolve(null)
  const [lists, person] = await Promise.all([listsOf(ctx, communityId), lookup()])
  let company = knownCompany(lists, input.companyId)
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
  // setContactRole found the person (or refused): `person` is them (unless they registered just now).
  const who = person ?? (await lookup())
  if (!who) throw new AppError('CONFLICT', '此人的信息刚刚有变化，请重试')
  for (let attempt = 0; ; attempt++) {
    const before = company.contacts ?? (await contactsOfCompanies(ctx, [company._id])).get(company._id) ?? []
    const others = before.filter((x) => x.openid !== who._id)
    const contacts = input.on ? [...others, { openid: who._id, name: who.name ?? '联系人' }] : others
    const version = company.version ?? 1
    const w = await ctx.db
      .collection(COMPANIES)
      .where({ _id: company._id, version })
      .update({ data: { contacts: ctx._.set(contacts), version: version + 1 } })
    if (w.stats.updated === 1) {
      const next = { ...company, contacts, version: version + 1 }
      const all = lists.companies.map((c) => (c._id === next._id ? next : c))
      return companiesOut({ ...lists, companies: all }, await contactsShown(ctx, all))
    }
    const fresh = attempt < 4 ? await getOrNull<CompanyDoc>(ctx, COMPANIES, company._id) : null
    if (!fresh) throw new AppError('CONFLICT', '公司信息刚刚有变化，请刷新后再试')
    company = fresh
  }
}

/** The company (and that this community knows it) and its violations, in one wait. */
export const violations: H['violations'] = async (input, ctx) => {
  const communityId = communityOf(ctx)
  const [, res] = await Promise.all([
    companyOfCommunity(ctx, input.companyId, communityId),
    ctx.db.collection<ViolationDoc>(VIOLATIONS).where({ communityId, companyId: input.companyId }).orderBy('at', 'desc').limit(100).get(),
  ])
  const views = await photoViews(ctx, res.data.map((v) => ({ photos: v.photos, author: v.by })))
  return { items: res.data.map((v, i) => violationOutWith(v, views[i].photos)) }
}

/**
 * The company, the quarter's close and the description's check in one wait; then the record and
 * its copy on the company's public page (`CompanyPage`), written together in one transaction.
 */
export const recordViolation: H['recordViolation'] = async (input, ctx) => {
  const communityId = communityOf(ctx)
  const id = createdId(ctx, 'pv')
  if (ctx.retry) {
    const found = await getOrNull<ViolationDoc>(ctx, VIOLATIONS, id)
    if (found) return violationOut(ctx, found)
  }
  const quarter = input.quarter ?? currentQuarter(ctx)
  const company = started(companyOfCommunity(ctx, input.companyId, communityId))
  const close = started(getOrNull<CloseDoc>(ctx, CLOSES, closeId(communityId, quarter)))
  const clean = started(requireCleanText(ctx, input.description, 'description'))
  await company
  const closed = await close
  checkOpenQuarter(ctx, quarter, closed)
  await clean
  await markStale(ctx, [closed])
  // A photo whose check comes later is marked in both homes by the verdict's push.
  const photos = await checkedPhotos(ctx, input.photos, [
    { collection: VIOLATIONS, docId: id },
    { collection: COMPANIES, docId: input.companyId },
  ])
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
  try {
    await ctx.db.runTransaction(async (tx) => {
      await Promise.all([
        tx.collection(VIOLATIONS).add({ data: doc as unknown as Record<string, unknown> }),
        tx
          .collection(COMPANIES)
          .doc(input.companyId)
          .update({ data: { [violationPath(communityId, id)]: ctx._.set(doc), pageVersion: ctx._.inc(1) } }),
      ])
    })
  } catch (e) {
    // The same request ran meanwhile (a retry while the first was still running): answer what it wrote.
    if (!isDbError(e, DB_DUPLICATE_KEY)) throw e
    return violationOut(ctx, (await getOrNull<ViolationDoc>(ctx, VIOLATIONS, id)) ?? doc)
  }
  return violationOut(ctx, doc)
}

/**
 * The violation (the transaction's read) and the community's locked quarters in one wait; then
 * the violation marked removed and its copy taken off the company's page, in the same transaction.
 */
export const removeViolation: H['removeViolation'] = async (input, ctx) => {
  const communityId = communityOf(ctx)
  const removed = { reason: input.reason, by: ctx.openid, at: ctx.clock.now() }
  const v = await ctx.db.runTransaction(async (tx) => {
    const [v, locked] = await Promise.all([txGetOrNull<ViolationDoc>(tx, VIOLATIONS, input.id), closesByQuarter(ctx, communityId)])
    if (!v || v.communityId !== communityId) throw new AppError('NOT_FOUND', '没有找到这条违规记录')
    if (v.removed) throw new AppError('CONFLICT', '这条违规记录已撤销')
    checkOpenQuarter(ctx, v.quarter, locked.get(v.quarter))
    await markStale(ctx, [locked.get(v.quarter)])
    await Promise.all([
      tx
        .collection(VIOLATIONS)
        .doc(v._id)
        .update({ data: { removed: ctx._.set(removed) } }),
      tx
        .collection(COMPANIES)
        .doc(v.companyId)
        .update({ data: { [violationPath(communityId, v._id)]: ctx._.remove(), pageVersion: ctx._.inc(1) } }),
    ])
    return v
  })
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

function complaintOut(c: CaseLite, mark: ComplaintDoc | null, names: Map<string, string>, estateCompany: Map<string, string | null>): ComplaintOutT {
  const buildingId = c.location?.buildingId ?? null
  return {
    caseId: c._id,
    kind: c.kind,
    summary: c.description.length > 60 ? `${c.description.slice(0, 60)}…` : c.description,
    place: c.location?.text ?? '',
    closedAt: c.closedAt ? c.closedAt.toISOString() : null,
    suggestedCompanyId: buildingId ? (estateCompany.get(buildingId) ?? null) : null,
    mark: mark
      ? { companyId: mark.companyId, companyName: mark.companyName ?? names.get(mark.companyId) ?? '物业公司', quarter: mark.quarter, substantiated: mark.substantiated, note: mark.note, byName: mark.byName }
      : null,
  }
}

/** For each case's building, the company serving its estate now (the suggested one), through common/places. */
async function companiesByBuilding(ctx: Ctx, cases: CaseLite[]): Promise<Map<string, string | null>> {
  const buildingIds = [...new Set(cases.map((c) => c.location?.buildingId).filter((b): b is string => !!b))]
  const buildings = await knownPlaces(ctx, buildingIds)
  const estates = await placesById(ctx, [...new Set([...buildings.values()].map((b) => b.estateId).filter((e): e is string => !!e))])
  return new Map(buildingIds.map((b) => [b, estates.get(buildings.get(b)?.estateId ?? '')?.propertyCompanyId ?? null]))
}

async function companyNames(ctx: Ctx, communityId: string): Promise<Map<string, string>> {
  const res = await ctx.db.collection<CompanyDoc>(COMPANIES).where({ communityIds: communityId }).field({ _id: true, name: true }).limit(200).get()
  return new Map(res.data.map((c) => [c._id, c.name]))
}

const CASE_FIELDS = { _id: true, kind: true, communityId: true, category: true, description: true, status: true, closedAt: true, location: true }

/**
 * A page of closed 物业 cases and their marks, in one wait: a mark is kept with its case's closing
 * time, so the marks of the page's cases are among the first `skip + limit` marks in the same
 * order — read beside the page, not after it. (A page past the first thousand marks, or a mark
 * written before the closing time was kept, is looked up by the cases' ids.)
 */
export const complaints: H['complaints'] = async (input, ctx) => {
  const communityId = communityOf(ctx)
  const { skip, limit } = pageArgs(input)
  const window = skip + limit + 1
  const [res, marks] = await Promise.all([
    ctx.db
      .collection<CaseLite>('cases')
      .where({ communityId, category: '物业', status: 'closed' })
      .orderBy('closedAt', 'desc')
      .skip(skip)
      .limit(limit + 1)
      .field(CASE_FIELDS)
      .get(),
    window <= 1000
      ? ctx.db.collection<ComplaintDoc>(COMPLAINTS).where({ communityId }).orderBy('caseClosedAt', 'desc').limit(window).get()
      : Promise.resolve({ data: [] as ComplaintDoc[] }),
  ])
  const markOf = new Map(marks.data.map((m) => [m._id, m]))
  // Marks the window cannot vouch for: deep pages, and marks older than the window's ordering.
  const unsure = window > 1000 || marks.data.some((m) => !m.caseClosedAt) ? res.data.filter((c) => !markOf.has(c._id)).map((c) => c._id) : []
  const [more, byBuilding] = await Promise.all([
    unsure.length ? ctx.db.collection<ComplaintDoc>(COMPLAINTS).where({ _id: ctx._.in(unsure) }).limit(unsure.length).get() : Promise.resolve({ data: [] as ComplaintDoc[] }),
    companiesByBuilding(ctx, res.data),
  ])
  for (const m of more.data) markOf.set(m._id, m)
  const names = [...markOf.values()].some((m) => !m.companyName) ? await companyNames(ctx, communityId) : new Map<string, string>()
  const rows = res.data.map((c) => complaintOut(c, markOf.get(c._id) ?? null, names, byBuilding))
  return pageResult(rows, input)
}

/** One mark per case (its id): marking again replaces it, while its quarter is still open. */
export const markComplaint: H['markComplaint'] = async (input, ctx) => {
  const communityId = communityOf(ctx)
  const note = input.note?.trim() ? input.note.trim() : null
  const pending = {
    company: started(companyOfCommunity(ctx, input.companyId, communityId)),
    before: started(getOrNull<ComplaintDoc>(ctx, COMPLAINTS, input.caseId)),
    locked: started(closesByQuarter(ctx, communityId)),
    clean: started(note ? requireCleanText(ctx, note, 'note') : Promise.resolve()),
  }
  const found = await getOrNull<CaseLite>(ctx, 'cases', input.caseId)
  if (!found || found.communityId !== communityId) throw new AppError('NOT_FOUND', '没有找到这件事项')
  const c = found
  if (c.category !== '物业') throw new AppError('PRECONDITION_FAILED', '只有“物业”类的纠纷和留言才能认定为物业投诉')
  if (c.status !== 'closed') throw new AppError('PRECONDITION_FAILED', '事项办结后才能认定投诉是否属实')
  const company = await pending.company
  const [before, locked] = await Promise.all([pending.before, pending.locked])
  if (before) checkOpenQuarter(ctx, before.quarter, locked.get(before.quarter))
  const quarter = input.quarter ?? currentQuarter(ctx)
  checkOpenQuarter(ctx, quarter, locked.get(quarter))
  await pending.clean
  await markStale(ctx, [before ? locked.get(before.quarter) : null, locked.get(quarter)])
  const mark: Omit<ComplaintDoc, '_id'> = {
    communityId,
    companyId: company._id,
    companyName: company.name,
    caseClosedAt: c.closedAt,
    quarter,
    substantiated: input.substantiated,
    note,
    by: ctx.openid,
    byName: ctx.user?.name ?? '社区工作人员',
    at: ctx.clock.now(),
  }
  const [, byBuilding] = await Promise.all([ctx.db.collection(COMPLAINTS).doc(c._id).set({ data: mark }), companiesByBuilding(ctx, [c])])
  return complaintOut(c, { _id: c._id, ...mark }, new Map(), byBuilding)
}

const BURST_LABELS: Record<BurstOutT['status'], string> = { flagged: '待核查', excluded: '已剔除', dismissed: '已保留' }

function burstOut(b: BurstDoc, name: string | undefined): BurstOutT {
  const start = sh(b.hourStart)
  return {
    id: b._id,
    companyId: b.companyId,
    companyName: b.companyName ?? name ?? '物业公司',
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
  // Bursts keep their company's name; older ones are named from the community's companies.
  const names = res.data.some((b) => !b.companyName) ? await companyNames(ctx, communityId) : new Map<string, string>()
  return pageResult(
    res.data.map((b) => burstOut(b, names.get(b.companyId))),
    input,
  )
}

/** Hours the job looks back over: the current one and the two before (a run late or missed still sees each hour whole). */
const BURST_HOURS = 3
/** The least threshold a community may set (`saveSettings`: at least 3): fewer ratings in an hour are never a burst. */
const MIN_BURST = 3

/**
 * The job's part (close.ts `tick`): bursts counted from the ratings themselves, off the rating's
 * path. The ratings of the last hours are read by their `hour` (set by a household's first rating,
 * never moved by an edit), counted per community, company and hour; an hour at or over the
 * community's `burstPerHour` is flagged for staff (created, or a legacy `counting` one switched),
 * and a reviewed one keeps its status with the count brought up to date. Each run recounts, so a
 * rerun or two runs at once agree. Returns how many were flagged now.
 */
export async function flagBursts(ctx: Ctx): Promise<number> {
  const now = ctx.clock.now()
  const hours = Array.from({ length: BURST_HOURS }, (_, k) => hourOf(new Date(now.getTime() - k * 3600_000)))
  const groups = new Map<string, { communityId: string; companyId: string; hour: string; count: number }>()
  await Promise.all(
    hours.map(async (hour) => {
      for (let skip = 0; ; skip += 1000) {
        const page = await ctx.db.collection<RatingDoc>(RATINGS).where({ hour }).field({ communityId: true, companyId: true }).skip(skip).limit(1000).get()
        for (const r of page.data) {
          const id = burstId(r.communityId, r.companyId, hour)
          const g = groups.get(id) ?? { communityId: r.communityId, companyId: r.companyId, hour, count: 0 }
          g.count++
          groups.set(id, g)
        }
        if (page.data.length < 1000) return
      }
    }),
  )
  const candidates = [...groups.entries()].filter(([, g]) => g.count >= MIN_BURST)
  if (candidates.length === 0) return 0
  const communities = [...new Set(candidates.map(([, g]) => g.communityId))]
  const threshold = new Map(await Promise.all(communities.map(async (c) => [c, (await loadSettings(ctx, c)).burstPerHour] as const)))
  const over = candidates.filter(([, g]) => g.count >= threshold.get(g.communityId)!)
  if (over.length === 0) return 0
  const found = await ctx.db
    .collection<BurstDoc>(BURSTS)
    .where({ _id: ctx._.in(over.map(([id]) => id)) })
    .limit(over.length)
    .get()
  const known = new Map(found.data.map((b) => [b._id, b]))
  const fresh = over.filter(([id]) => !known.has(id))
  const names = fresh.length ? await companyNamesById(ctx, [...new Set(fresh.map(([, g]) => g.companyId))]) : new Map<string, string>()
  const flagged = await Promise.all(
    over.map(async ([id, g]): Promise<number> => {
      const b = known.get(id)
      if (!b) {
        const doc: BurstDoc = {
          _id: id,
          communityId: g.communityId,
          companyId: g.companyId,
          companyName: names.get(g.companyId),
          quarter: quarterOf(hourStartOf(g.hour)),
          hour: g.hour,
          hourStart: hourStartOf(g.hour),
          count: g.count,
          status: 'flagged',
          reason: null,
          reviewedBy: null,
          reviewedAt: null,
        }
        try {
          await ctx.db.collection(BURSTS).add({ data: doc as unknown as Record<string, unknown> })
          return 1
        } catch (e) {
          if (!isDbError(e, DB_DUPLICATE_KEY)) throw e
          return 0 // another run added it a moment ago
        }
      }
      if (b.status === 'counting') {
        // Counted on the rating's path before the job took over: flagged now.
        const r = await ctx.db.collection(BURSTS).where({ _id: id, status: 'counting' }).update({ data: { status: 'flagged', count: g.count } })
        return r.stats.updated
      }
      if (b.count !== g.count) await ctx.db.collection(BURSTS).doc(id).update({ data: { count: g.count } })
      return 0
    }),
  )
  return flagged.reduce((a, b) => a + b, 0)
}

const hourStartOf = (hour: string): Date => atShanghai(hour.slice(0, 10), Number(hour.slice(11, 13)) * 60)

async function companyNamesById(ctx: Ctx, ids: string[]): Promise<Map<string, string>> {
  const res = await ctx.db.collection<CompanyDoc>(COMPANIES).where({ _id: ctx._.in(ids) }).field({ _id: true, name: true }).limit(ids.length).get()
  return new Map(res.data.map((c) => [c._id, c.name]))
}

/**
 * Excluding a burst takes each of its ratings out of the sums, one transaction per rating (marked
 * excluded in the same write, so a rerun after a crash skips it), then closes the burst. A
 * published quarter keeps its published result: staff correct it (close.ts `correct`).
 */
export const reviewBurst: H['reviewBurst'] = async (input, ctx) => {
  const communityId = communityOf(ctx)
  const clean = started(requireCleanText(ctx, input.reason, 'reason'))
  const b = await getOrNull<BurstDoc>(ctx, BURSTS, input.id)
  if (!b || b.communityId !== communityId || b.status === 'counting') throw new AppError('NOT_FOUND', '没有找到这条待核查的集中评价')
  if (b.status !== 'flagged') throw new AppError('CONFLICT', `这条集中评价已${BURST_LABELS[b.status]}`)
  await clean
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
  const [r, named] = await Promise.all([
    ctx.db.collection(BURSTS).where({ _id: b._id, status: 'flagged' }).update({ data: { status, reason: input.reason, reviewedBy: ctx.openid, reviewedAt: now } }),
    b.companyName ? Promise.resolve(null) : getOrNull<CompanyDoc>(ctx, COMPANIES, b.companyId),
  ])
  if (r.stats.updated !== 1) throw new AppError('CONFLICT', '这条集中评价刚刚已被他人处理')
  return burstOut({ ...b, status, reason: input.reason, reviewedBy: ctx.openid, reviewedAt: now }, named?.name)
}

/** One rating out of the sums: its document marked excluded, the sums moved by `inc` (no read of them). */
async function excludeRating(ctx: Ctx, id: string, excluded: NonNullable<RatingDoc['excluded']>): Promise<void> {
  await ctx.db.runTransaction(async (tx) => {
    const r = (await tx.collection<RatingDoc>(RATINGS).doc(id).get()).data
    if (r.excluded) return
    await tx.collection(RATINGS).doc(id).update({ data: { excluded: ctx._.set(excluded), commentShown: false } })
    const data: Record<string, unknown> = { n: ctx._.inc(-1), updatedAt: excluded.at }
    for (const d of DIMENSIONS) data[`sums.${d}`] = ctx._.inc(-r.stars[d])
    await tx.collection(SUMS).doc(sumsId(r.communityId, r.companyId, r.quarter)).update({ data })
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

/** Answers the settings as stored, derived from what was written. */
export const saveSettings: H['saveSettings'] = async (input, ctx) => {
  const communityId = communityOf(ctx)
  await saveStoredSettings(ctx, SETTINGS, communityId, input)
  return settingsOut({ ...DEFAULT_SCORE_SETTINGS, ...input })
}

