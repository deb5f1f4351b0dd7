/**
 * The quarter close (季度评定) of one community: compute (and recompute) → preview → the companies'
 * 7-day appeal window → decide appeals → publish. Each step is a compare-and-set on the close's
 * state and version, so two staff acting at once cannot both win. A published quarter is frozen:
 * a correction is appended to a result with its reason, beside the original, never written over it.
 */
import { AppError } from '../../../../src/shared/errors'
import type { CloseOutT, propertyApi } from '../../../../src/shared/api/property'
import { APPEAL_DAYS, CLOSE_STATE_LABELS, emptyStars, previousQuarter, quarterLabel, quarterRange, type CloseState, type ScoreInput } from '../../../../src/shared/rules/property'
import { formatDateTime } from '../../../../src/shared/time'
import type { HandlersOf } from '../../runtime/serve'
import type { Ctx } from '../../runtime/context'
import { checkedPhotos, requireCleanText } from '../common/content'
import { notifyEffect, pendingFields, settleNow, sweepEffects, effectKey, type Effect } from '../common/effects'
import { knownPlaces } from '../common/places'
import { flagBursts } from './admin'
import {
  CLOSES,
  COMPANIES,
  RESULTS,
  allContacts,
  closeId,
  communityName,
  communityOf,
  computeScore,
  currentQuarter,
  effective,
  ended,
  getOrNull,
  loadCompany,
  loadSettings,
  publishedCopy,
  publishedRows,
  recordOf,
  resultId,
  resultOut,
  scoreInputsOf,
  sumsId,
  SUMS,
  type CloseDoc,
  type CompanyDoc,
  type Contact,
  type ResultDoc,
  type SumsDoc,
} from './model'

type H = HandlersOf<typeof propertyApi>

const STALE = '评定状态刚刚有变化，请刷新后再试'
const RESULTS_LINK = '/packages/property/pages/results/index'
const CLOSE_LINK = '/packages/property/pages/close/index'

/** The ended quarters staff may pick: the last eight. */
function endedQuarters(ctx: Ctx): string[] {
  const out: string[] = []
  let q = previousQuarter(currentQuarter(ctx))
  for (let i = 0; i < 8; i++, q = previousQuarter(q)) out.push(q)
  return out
}

/** A close as its page shows it: the quarter's close, the states of the quarters to pick, the quarter's results. */
interface CloseView {
  close: CloseDoc | null
  states: Map<string, CloseState>
  results: ResultDoc[]
}

/** Everything a close's page shows, in one wait: the closes of the quarters to pick (the chosen one among them) and the quarter's results. */
async function readClose(ctx: Ctx, communityId: string, quarter: string): Promise<CloseView> {
  const wanted = [...new Set([...endedQuarters(ctx), quarter])]
  const [closes, results] = await Promise.all([
    ctx.db.collection<CloseDoc>(CLOSES).where({ communityId, quarter: ctx._.in(wanted) }).limit(wanted.length).get(),
    ctx.db.collection<ResultDoc>(RESULTS).where({ communityId, quarter }).limit(200).get(),
  ])
  const close = closes.data.find((c) => c.quarter === quarter) ?? null
  return { close, states: new Map(closes.data.map((c) => [c.quarter, c.state])), results: results.data }
}

/** The page, from what was read (and what the action changed in it). */
async function closeOut(ctx: Ctx, communityId: string, quarter: string, view: CloseView): Promise<CloseOutT> {
  const { close } = view
  const results = close ? view.results.filter((r) => close.companyIds.includes(r.companyId)) : []
  const name = await communityName(ctx, communityId)
  const now = ctx.clock.now()
  const isEnded = ended(ctx, quarter)
  const can: string[] = []
  let waitReason: string | null = null
  if (isEnded && (!close || close.state === 'draft')) can.push('compute')
  if (close?.state === 'draft') can.push('openAppeal')
  if (close?.state === 'appeal') {
    const pending = results.filter((r) => r.appeal?.state === 'pending').length
    if (close.appealUntil && now < close.appealUntil) waitReason = `申诉期至 ${formatDateTime(close.appealUntil)} 结束，之后才能公布`
    else if (pending > 0) waitReason = `还有 ${pending} 条申诉未处理`
    else can.push('publish')
  }
  if (close?.state === 'published') can.push('correct')
  const states = new Map(view.states)
  if (close) states.set(quarter, close.state)
  return {
    quarter,
    quarterLabel: quarterLabel(quarter),
    state: close?.state ?? null,
    stateLabel: close ? CLOSE_STATE_LABELS[close.state] : isEnded ? '未评定' : '季度未结束',
    version: close?.version ?? 0,
    ended: isEnded,
    appealUntil: close?.appealUntil ? close.appealUntil.toISOString() : null,
    publishedAt: close?.publishedAt ? close.publishedAt.toISOString() : null,
    results: await Promise.all(
      results
        .sort((a, b) => effective(recordOf(b, close)).score.overall - effective(recordOf(a, close)).score.overall)
        .map((r) => resultOut(ctx, r, close!, { community: name }, false)),
    ),
    can,
    waitReason,
    quarters: endedQuarters(ctx).map((q) => ({ quarter: q, label: quarterLabel(q), state: states.get(q) ?? null })),
  }
}

export const close: H['close'] = async (input, ctx) => {
  const communityId = communityOf(ctx)
  const quarter = input.quarter ?? previousQuarter(currentQuarter(ctx))
  return closeOut(ctx, communityId, quarter, await readClose(ctx, communityId, quarter))
}

/**
 * Batch work bounded by the community's companies: the close, the settings, the companies and the
 * quarter's records of every company are read in one wait (a fixed handful of queries); then one
 * result per company is written, all in one wait; then the close.
 */
export const compute: H['compute'] = async (input, ctx) => {
  const communityId = communityOf(ctx)
  const { quarter } = input
  if (!ended(ctx, quarter)) throw new AppError('PRECONDITION_FAILED', `${quarterLabel(quarter)}到 ${formatDateTime(quarterRange(quarter).end)} 才结束，结束后才能评定`)
  const id = closeId(communityId, quarter)
  const [view, settings, known, records] = await Promise.all([
    readClose(ctx, communityId, quarter),
    loadSettings(ctx, communityId),
    ctx.db.collection<CompanyDoc>(COMPANIES).where({ communityIds: communityId }).field({ pages: false }).limit(200).get(),
    scoreInputsOf(ctx, communityId, quarter),
  ])
  const before = view.close
  if (before?.state === 'published') throw new AppError('CONFLICT', '本季度结果已公布，不能重新计算；如需更正请对该公司使用“更正”')
  if (before?.state === 'appeal') throw new AppError('PRECONDITION_FAILED', '申诉期内不能重新计算；采纳申诉时会重新计算该公司的结果')
  // Every company the community knows, and any other one its households rated that quarter.
  const knownIds = new Set(known.data.map((c) => c._id))
  const extra = await Promise.all(records.rated.filter((c) => !knownIds.has(c)).map((c) => loadCompany(ctx, c)))
  const companies = [...known.data, ...extra]
  const now = ctx.clock.now()
  const results: ResultDoc[] = companies.map((c) => {
    const scoreInput = records.inputOf(c._id)
    return {
      _id: resultId(communityId, c._id, quarter),
      communityId,
      companyId: c._id,
      companyName: c.name,
      quarter,
      input: scoreInput,
      score: computeScore(scoreInput, settings),
      settings,
      computedAt: now,
      appeal: null,
      corrections: [],
      version: 1,
    }
  })
  await Promise.all(
    results.map(({ _id, ...doc }) =>
      ctx.db
        .collection(RESULTS)
        .doc(_id)
        .set({ data: doc }),
    ),
  )
  const companyIds = companies.map((c) => c._id)
  let next: CloseDoc
  if (!before) {
    next = { _id: id, communityId, quarter, state: 'draft', companyIds, computedAt: now, computedBy: ctx.openid, appealUntil: null, publishedAt: null, publishedBy: null, settings, stale: false, version: 1 }
    try {
      await ctx.db.collection(CLOSES).add({ data: next as unknown as Record<string, unknown> })
    } catch {
      throw new AppError('CONFLICT', STALE)
    }
  } else {
    next = { ...before, companyIds, computedAt: now, computedBy: ctx.openid, settings, stale: false, version: before.version + 1 }
    const r = await ctx.db
      .collection(CLOSES)
      .where({ _id: id, state: 'draft', version: before.version })
      .update({ data: { companyIds, computedAt: now, computedBy: ctx.openid, settings: ctx._.set(settings), stale: false, version: before.version + 1 } })
    if (r.stats.updated !== 1) throw new AppError('CONFLICT', STALE)
  }
  return closeOut(ctx, communityId, quarter, { ...view, close: next, results })
}

/** Tell each company's contacts, carried by the close's own write (common/effects.ts). */
function tellContacts(ctx: Ctx, contacts: Map<string, Contact[]>, companyIds: string[], title: string, body: string): Effect[] {
  const people = companyIds.flatMap((c) => contacts.get(c) ?? []).map((p) => p.openid)
  if (people.length === 0) return []
  return [notifyEffect(ctx, [{ people }], { title, body, link: RESULTS_LINK, template: 'property_result', fields: { subject: title, time: ctx.clock.now() } })]
}

export const openAppeal: H['openAppeal'] = async (input, ctx) => {
  const communityId = communityOf(ctx)
  const id = closeId(communityId, input.quarter)
  const [view, contacts] = await Promise.all([readClose(ctx, communityId, input.quarter), allContacts(ctx)])
  const c = view.close
  if (!c) throw new AppError('PRECONDITION_FAILED', '请先计算本季度结果')
  if (c.state !== 'draft' || c.version !== input.version) throw new AppError('CONFLICT', STALE)
  if (c.stale) throw new AppError('PRECONDITION_FAILED', '计算后本季度的违规记录或投诉认定有变化，请重新计算后再告知物业公司')
  const until = new Date(ctx.clock.now().getTime() + APPEAL_DAYS * 24 * 3600_000)
  const effects = tellContacts(ctx, contacts, c.companyIds, `${quarterLabel(input.quarter)}物业评定结果待确认`, `申诉截止 ${formatDateTime(until)}，如有异议请在此前提出申诉。`)
  const version = c.version + 1
  const r = await ctx.db
    .collection(CLOSES)
    .where({ _id: id, state: 'draft', version: c.version, stale: ctx._.neq(true) })
    .update({ data: { state: 'appeal', appealUntil: until, version, ...pendingFields(ctx, effectKey(version), effects) } })
  if (r.stats.updated !== 1) throw new AppError('CONFLICT', STALE)
  await settleNow(ctx, CLOSES, id, effectKey(version), effects)
  return closeOut(ctx, communityId, input.quarter, { ...view, close: { ...c, state: 'appeal', appealUntil: until, version } })
}

export const decideAppeal: H['decideAppeal'] = async (input, ctx) => {
  const communityId = communityOf(ctx)
  const clean = requireCleanText(ctx, input.reason, 'reason')
  clean.catch(() => undefined)
  // Accepting means staff corrected the records the appeal was about: the result is recomputed from them
  // (its ratings: the other records are locked since the results went to the companies), read beside the close.
  const sums = input.accept ? getOrNull<SumsDoc>(ctx, SUMS, sumsId(communityId, input.companyId, input.quarter)) : null
  sums?.catch(() => undefined)
  const view = await readClose(ctx, communityId, input.quarter)
  const c = view.close
  if (!c || c.state !== 'appeal') throw new AppError('PRECONDITION_FAILED', '本季度不在申诉期')
  const rid = resultId(communityId, input.companyId, input.quarter)
  const r = view.results.find((x) => x._id === rid)
  if (!r || !r.appeal) throw new AppError('NOT_FOUND', '这家公司没有提出申诉')
  if (r.appeal.state !== 'pending') throw new AppError('CONFLICT', '这条申诉已处理')
  await clean
  const now = ctx.clock.now()
  const appeal = { ...r.appeal, state: input.accept ? ('accepted' as const) : ('rejected' as const), decision: input.reason, decidedBy: ctx.openid, decidedAt: now }
  const data: Record<string, unknown> = {
    'appeal.state': appeal.state,
    'appeal.decision': input.reason,
    'appeal.decidedBy': ctx.openid,
    'appeal.decidedAt': now,
    version: r.version + 1,
  }
  let next: ResultDoc = { ...r, appeal, version: r.version + 1 }
  if (sums) {
    const found = await sums
    const scoreInput: ScoreInput = { ...r.input, n: found?.n ?? 0, sums: found?.sums ?? emptyStars() }
    const score = computeScore(scoreInput, r.settings)
    data.input = ctx._.set(scoreInput)
    data.score = ctx._.set(score)
    data.computedAt = now
    next = { ...next, input: scoreInput, score, computedAt: now }
  }
  const effects: Effect[] = [
    notifyEffect(ctx, [{ people: [r.appeal.by] }], {
      title: `申诉${input.accept ? '已采纳' : '未采纳'}`,
      body: `${quarterLabel(input.quarter)}评定申诉：${input.reason}`,
      link: RESULTS_LINK,
      template: 'property_result',
      fields: { subject: `申诉${input.accept ? '已采纳' : '未采纳'}`, time: now },
    }),
  ]
  Object.assign(data, pendingFields(ctx, effectKey(r.version + 1), effects))
  const w = await ctx.db.collection(RESULTS).where({ _id: rid, version: r.version, 'appeal.state': 'pending' }).update({ data })
  if (w.stats.updated !== 1) throw new AppError('CONFLICT', '这条申诉刚刚已被他人处理')
  await settleNow(ctx, RESULTS, rid, effectKey(r.version + 1), effects)
  return closeOut(ctx, communityId, input.quarter, { ...view, results: view.results.map((x) => (x._id === rid ? next : x)) })
}

/**
 * The switch to published is one write on the close, carrying the published list (`rows`, from the
 * results read beside it): the public pages read that one document.
 */
export const publish: H['publish'] = async (input, ctx) => {
  const communityId = communityOf(ctx)
  const id = closeId(communityId, input.quarter)
  const [view, contacts] = await Promise.all([readClose(ctx, communityId, input.quarter), allContacts(ctx)])
  const c = view.close
  if (!c) throw new AppError('PRECONDITION_FAILED', '请先计算本季度结果')
  if (c.state === 'published') throw new AppError('CONFLICT', '本季度结果已公布，不能重复公布')
  if (c.state === 'draft') throw new AppError('PRECONDITION_FAILED', '请先把结果告知物业公司，申诉期满后才能公布')
  const now = ctx.clock.now()
  if (c.appealUntil && now < c.appealUntil) throw new AppError('PRECONDITION_FAILED', `申诉期至 ${formatDateTime(c.appealUntil)} 结束，之后才能公布`)
  const results = view.results.filter((r) => c.companyIds.includes(r.companyId))
  const pending = results.filter((r) => r.appeal?.state === 'pending').length
  if (pending > 0) throw new AppError('PRECONDITION_FAILED', `还有 ${pending} 条申诉未处理，处理后才能公布`)
  if (c.version !== input.version) throw new AppError('CONFLICT', STALE)
  const version = c.version + 1
  const rows = publishedRows(results)
  // The contacts told, and each company's public page given its row (CompanyPage), carried by the switch's own write.
  const effects = [
    ...tellContacts(ctx, contacts, c.companyIds, `${quarterLabel(input.quarter)}物业评定结果已公布`, '结果已在物业红黑榜公布。'),
    ...rows.map((row) => publishedCopy(communityId, input.quarter, row)),
  ]
  const r = await ctx.db
    .collection(CLOSES)
    .where({ _id: id, state: 'appeal', version: c.version })
    .update({ data: { state: 'published', publishedAt: now, publishedBy: ctx.openid, rows: ctx._.set(rows), version, ...pendingFields(ctx, effectKey(version), effects) } })
  if (r.stats.updated !== 1) {
    const again = await getOrNull<CloseDoc>(ctx, CLOSES, id)
    throw new AppError('CONFLICT', again?.state === 'published' ? '本季度结果已公布，不能重复公布' : STALE)
  }
  await settleNow(ctx, CLOSES, id, effectKey(version), effects)
  return closeOut(ctx, communityId, input.quarter, { ...view, close: { ...c, state: 'published', publishedAt: now, publishedBy: ctx.openid, rows, version } })
}

/**
 * A correction is appended to the published list on the close (compare-and-set on its version),
 * beside the original; a close published before it kept its list takes it on the result.
 */
export const correct: H['correct'] = async (input, ctx) => {
  const communityId = communityOf(ctx)
  const clean = requireCleanText(ctx, input.reason, 'reason')
  clean.catch(() => undefined)
  // The records are locked since the results went to the companies: only the ratings can have changed (a burst excluded).
  const sums = getOrNull<SumsDoc>(ctx, SUMS, sumsId(communityId, input.companyId, input.quarter))
  sums.catch(() => undefined)
  const view = await readClose(ctx, communityId, input.quarter)
  const c = view.close
  if (!c || c.state !== 'published') throw new AppError('PRECONDITION_FAILED', '只有已公布的季度才需要更正；公布前请重新计算')
  const rid = resultId(communityId, input.companyId, input.quarter)
  const r = view.results.find((x) => x._id === rid)
  if (!r) throw new AppError('NOT_FOUND', '这家公司在该季度没有评定结果')
  await clean
  const found = await sums
  const scoreInput: ScoreInput = { ...r.input, n: found?.n ?? 0, sums: found?.sums ?? emptyStars() }
  const next = computeScore(scoreInput, r.settings)
  if (JSON.stringify(next) === JSON.stringify(effective(recordOf(r, c)).score)) {
    throw new AppError('PRECONDITION_FAILED', '按现有记录重新计算的结果与公布结果相同，无需更正；请先改正有误的记录（如撤销违规、剔除集中评价）')
  }
  const correction = { at: ctx.clock.now(), by: ctx.openid, byName: ctx.user?.name ?? '社区工作人员', reason: input.reason, input: scoreInput, score: next }
  // The corrected row goes to the company's public page too (CompanyPage), carried by the correction's own write.
  if (c.rows?.some((x) => x.companyId === r.companyId)) {
    const rows = c.rows.map((x) => (x.companyId === r.companyId ? { ...x, corrections: [...x.corrections, correction] } : x))
    const version = c.version + 1
    const effects = [publishedCopy(communityId, input.quarter, rows.find((x) => x.companyId === r.companyId)!)]
    const w = await ctx.db
      .collection(CLOSES)
      .where({ _id: c._id, version: c.version })
      .update({ data: { rows: ctx._.set(rows), version, ...pendingFields(ctx, effectKey(version), effects) } })
    if (w.stats.updated !== 1) throw new AppError('CONFLICT', STALE)
    await settleNow(ctx, CLOSES, c._id, effectKey(version), effects)
    return closeOut(ctx, communityId, input.quarter, { ...view, close: { ...c, rows, version } })
  }
  const fixed: ResultDoc = { ...r, corrections: [...r.corrections, correction], version: r.version + 1 }
  const effects = publishedRows([fixed]).map((row) => publishedCopy(communityId, input.quarter, row))
  const w = await ctx.db
    .collection(RESULTS)
    .where({ _id: rid, version: r.version })
    .update({ data: { corrections: ctx._.push(correction), version: fixed.version, ...pendingFields(ctx, effectKey(fixed.version), effects) } })
  if (w.stats.updated !== 1) throw new AppError('CONFLICT', STALE)
  await settleNow(ctx, RESULTS, rid, effectKey(fixed.version), effects)
  return closeOut(ctx, communityId, input.quarter, { ...view, results: view.results.map((x) => (x._id === rid ? fixed : x)) })
}

// ---- the company contact ----

function contactCompany(ctx: Ctx): string {
  const id = ctx.user?.companyId
  if (!id) throw new AppError('FORBIDDEN', '您还不是物业公司联系人，请联系社区工作人员设置')
  return id
}

/** The company's results and the closes that include it, in one wait (the company's name comes with its results). */
export const results: H['results'] = async (_input, ctx) => {
  const companyId = contactCompany(ctx)
  const [res, closes] = await Promise.all([
    ctx.db.collection<ResultDoc>(RESULTS).where({ companyId }).orderBy('quarter', 'desc').limit(40).get(),
    // Four a year per community it serves: all of them, unordered (they are matched to the results).
    ctx.db.collection<CloseDoc>(CLOSES).where({ companyIds: companyId }).limit(1000).get(),
  ])
  const closeOf = new Map(closes.data.map((c) => [c._id, c]))
  const pairs = res.data
    .map((r) => [r, closeOf.get(closeId(r.communityId, r.quarter)) ?? null] as const)
    // A draft is staff's preview: the company sees its result once the appeal window opens.
    .filter((pair): pair is readonly [ResultDoc, CloseDoc] => pair[1] !== null && pair[1].state !== 'draft' && pair[1].companyIds.includes(pair[0].companyId))
  const [company, places] = await Promise.all([
    res.data[0] ? Promise.resolve({ _id: companyId, name: res.data[0].companyName }) : loadCompany(ctx, companyId),
    knownPlaces(ctx, [...new Set(pairs.map(([r]) => r.communityId))]),
  ])
  const items = await Promise.all(pairs.map(([r, c]) => resultOut(ctx, r, c, { community: places.get(r.communityId)?.name ?? '本社区' }, true)))
  return { company: { id: company._id, name: company.name }, items }
}

export const appeal: H['appeal'] = async (input, ctx) => {
  const companyId = contactCompany(ctx)
  const rid = resultId(input.communityId, companyId, input.quarter)
  const clean = requireCleanText(ctx, input.text, 'text')
  clean.catch(() => undefined)
  const [c, found] = await Promise.all([getOrNull<CloseDoc>(ctx, CLOSES, closeId(input.communityId, input.quarter)), getOrNull<ResultDoc>(ctx, RESULTS, rid)])
  const r = c && c.state !== 'draft' && c.companyIds.includes(companyId) ? found : null
  if (!c || !r) throw new AppError('NOT_FOUND', '没有找到本公司在该季度的评定结果')
  const now = ctx.clock.now()
  if (c.state !== 'appeal' || !c.appealUntil || now >= c.appealUntil) {
    throw new AppError('PRECONDITION_FAILED', c.appealUntil ? `申诉期已于 ${formatDateTime(c.appealUntil)} 结束` : '本季度不在申诉期')
  }
  if (r.appeal) throw new AppError('CONFLICT', '本季度已提交过申诉，请等待社区处理')
  await clean
  const photos = await checkedPhotos(ctx, input.photos, { collection: RESULTS, docId: rid })
  const appealDoc = { text: input.text, photos, by: ctx.openid, byName: ctx.user?.name ?? '物业联系人', at: now, state: 'pending' as const, decision: null, decidedBy: null, decidedAt: null }
  const effects: Effect[] = [
    notifyEffect(ctx, [{ communityStaff: input.communityId }], {
      title: '物业公司提出申诉',
      body: `${r.companyName}对${quarterLabel(input.quarter)}评定结果提出申诉，请在申诉期内处理。`,
      link: CLOSE_LINK,
      template: 'property_result',
      fields: { subject: '物业公司提出申诉', time: now },
    }),
  ]
  const version = r.version + 1
  const w = await ctx.db
    .collection(RESULTS)
    .where({ _id: rid, version: r.version, appeal: null })
    .update({ data: { appeal: ctx._.set(appealDoc), version, ...pendingFields(ctx, effectKey(version), effects) } })
  if (w.stats.updated !== 1) throw new AppError('CONFLICT', '本季度已提交过申诉，请等待社区处理')
  const [, name] = await Promise.all([settleNow(ctx, RESULTS, rid, effectKey(version), effects), communityName(ctx, input.communityId)])
  return resultOut(ctx, { ...r, appeal: appealDoc, version }, c, { community: name }, true)
}

/** The job: flag the last hours' bursts of ratings (admin.ts `flagBursts`); settle what a crash left on closes and results (notices, the companies' page copies). */
export const tick: H['tick'] = async (_input, ctx) => {
  const flagged = await flagBursts(ctx)
  const settled = (await sweepEffects(ctx, CLOSES)) + (await sweepEffects(ctx, RESULTS))
  return { settled, flagged }
}
