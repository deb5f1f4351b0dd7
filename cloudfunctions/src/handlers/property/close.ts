/**
 * The quarter close (季度评定) of one community: compute (and recompute) → preview → the companies'
 * 7-day appeal window → decide appeals → publish. Each step is a compare-and-set on the close's
 * state and version, so two staff acting at once cannot both win. A published quarter is frozen:
 * a correction is appended to a result with its reason, beside the original, never written over it.
 */
import { AppError } from '../../../../src/shared/errors'
import type { CloseOutT, propertyApi } from '../../../../src/shared/api/property'
import { APPEAL_DAYS, CLOSE_STATE_LABELS, previousQuarter, quarterLabel, quarterRange } from '../../../../src/shared/rules/property'
import { formatDateTime } from '../../../../src/shared/time'
import type { HandlersOf } from '../../runtime/serve'
import type { Ctx } from '../../runtime/context'
import { checkedPhotos, requireCleanText } from '../common/content'
import { notifyEffect, pendingFields, settleNow, sweepEffects, effectKey, type Effect } from '../common/effects'
import {
  CLOSES,
  COMPANIES,
  RESULTS,
  SUMS,
  closeId,
  communityName,
  communityOf,
  computeScore,
  contactsOf,
  currentQuarter,
  effective,
  ended,
  getOrNull,
  loadCompany,
  loadSettings,
  resultId,
  resultOut,
  scoreInputOf,
  type CloseDoc,
  type CompanyDoc,
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

async function closeOut(ctx: Ctx, communityId: string, quarter: string): Promise<CloseOutT> {
  const quarters = endedQuarters(ctx)
  const [close, closes, name] = await Promise.all([
    getOrNull<CloseDoc>(ctx, CLOSES, closeId(communityId, quarter)),
    ctx.db.collection<CloseDoc>(CLOSES).where({ communityId, quarter: ctx._.in(quarters) }).field({ quarter: true, state: true }).limit(quarters.length).get(),
    communityName(ctx, communityId),
  ])
  const results = close ? (await ctx.db.collection<ResultDoc>(RESULTS).where({ communityId, quarter }).limit(200).get()).data.filter((r) => close.companyIds.includes(r.companyId)) : []
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
  const stateOf = new Map(closes.data.map((c) => [c.quarter, c.state]))
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
        .sort((a, b) => effective(b).score.overall - effective(a).score.overall)
        .map((r) => resultOut(ctx, r, close!, { community: name }, false)),
    ),
    can,
    waitReason,
    quarters: quarters.map((q) => ({ quarter: q, label: quarterLabel(q), state: stateOf.get(q) ?? null })),
  }
}

export const close: H['close'] = async (input, ctx) => closeOut(ctx, communityOf(ctx), input.quarter ?? previousQuarter(currentQuarter(ctx)))

/** Every company the community knows, and any other one its households rated that quarter. */
async function companiesFor(ctx: Ctx, communityId: string, quarter: string): Promise<CompanyDoc[]> {
  const [known, rated] = await Promise.all([
    ctx.db.collection<CompanyDoc>(COMPANIES).where({ communityIds: communityId }).limit(200).get(),
    ctx.db.collection<SumsDoc>(SUMS).where({ communityId, quarter }).field({ companyId: true }).limit(200).get(),
  ])
  const ids = new Set(known.data.map((c) => c._id))
  const extra = await Promise.all(rated.data.filter((s) => !ids.has(s.companyId)).map((s) => loadCompany(ctx, s.companyId)))
  return [...known.data, ...extra]
}

export const compute: H['compute'] = async (input, ctx) => {
  const communityId = communityOf(ctx)
  const { quarter } = input
  if (!ended(ctx, quarter)) throw new AppError('PRECONDITION_FAILED', `${quarterLabel(quarter)}到 ${formatDateTime(quarterRange(quarter).end)} 才结束，结束后才能评定`)
  const id = closeId(communityId, quarter)
  const before = await getOrNull<CloseDoc>(ctx, CLOSES, id)
  if (before?.state === 'published') throw new AppError('CONFLICT', '本季度结果已公布，不能重新计算；如需更正请对该公司使用“更正”')
  if (before?.state === 'appeal') throw new AppError('PRECONDITION_FAILED', '申诉期内不能重新计算；采纳申诉时会重新计算该公司的结果')
  const [settings, companies] = await Promise.all([loadSettings(ctx, communityId), companiesFor(ctx, communityId, quarter)])
  const now = ctx.clock.now()
  await Promise.all(
    companies.map(async (c) => {
      const scoreInput = await scoreInputOf(ctx, communityId, c._id, quarter)
      const doc: Omit<ResultDoc, '_id'> = {
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
      await ctx.db.collection(RESULTS).doc(resultId(communityId, c._id, quarter)).set({ data: doc })
    }),
  )
  const companyIds = companies.map((c) => c._id)
  if (!before) {
    const doc: CloseDoc = { _id: id, communityId, quarter, state: 'draft', companyIds, computedAt: now, computedBy: ctx.openid, appealUntil: null, publishedAt: null, publishedBy: null, version: 1 }
    try {
      await ctx.db.collection(CLOSES).add({ data: doc as unknown as Record<string, unknown> })
    } catch {
      throw new AppError('CONFLICT', STALE)
    }
  } else {
    const r = await ctx.db
      .collection(CLOSES)
      .where({ _id: id, state: 'draft', version: before.version })
      .update({ data: { companyIds, computedAt: now, computedBy: ctx.openid, version: before.version + 1 } })
    if (r.stats.updated !== 1) throw new AppError('CONFLICT', STALE)
  }
  return closeOut(ctx, communityId, quarter)
}

/** Tell each company's contacts, carried by the close's own write (common/effects.ts). */
async function tellContacts(ctx: Ctx, companyIds: string[], title: string, body: string): Promise<Effect[]> {
  const people = (await Promise.all(companyIds.map((c) => contactsOf(ctx, c)))).flat().map((p) => p.openid)
  if (people.length === 0) return []
  return [notifyEffect(ctx, [{ people }], { title, body, link: RESULTS_LINK, template: 'property_result', fields: { subject: title, time: ctx.clock.now() } })]
}

export const openAppeal: H['openAppeal'] = async (input, ctx) => {
  const communityId = communityOf(ctx)
  const id = closeId(communityId, input.quarter)
  const c = await getOrNull<CloseDoc>(ctx, CLOSES, id)
  if (!c) throw new AppError('PRECONDITION_FAILED', '请先计算本季度结果')
  if (c.state !== 'draft' || c.version !== input.version) throw new AppError('CONFLICT', STALE)
  const until = new Date(ctx.clock.now().getTime() + APPEAL_DAYS * 24 * 3600_000)
  const effects = await tellContacts(ctx, c.companyIds, `${quarterLabel(input.quarter)}物业评定结果待确认`, `申诉截止 ${formatDateTime(until)}，如有异议请在此前提出申诉。`)
  const version = c.version + 1
  const r = await ctx.db
    .collection(CLOSES)
    .where({ _id: id, state: 'draft', version: c.version })
    .update({ data: { state: 'appeal', appealUntil: until, version, ...pendingFields(ctx, effectKey(version), effects) } })
  if (r.stats.updated !== 1) throw new AppError('CONFLICT', STALE)
  await settleNow(ctx, CLOSES, id, effectKey(version), effects)
  return closeOut(ctx, communityId, input.quarter)
}

export const decideAppeal: H['decideAppeal'] = async (input, ctx) => {
  const communityId = communityOf(ctx)
  const c = await getOrNull<CloseDoc>(ctx, CLOSES, closeId(communityId, input.quarter))
  if (!c || c.state !== 'appeal') throw new AppError('PRECONDITION_FAILED', '本季度不在申诉期')
  const rid = resultId(communityId, input.companyId, input.quarter)
  const r = await getOrNull<ResultDoc>(ctx, RESULTS, rid)
  if (!r || !r.appeal) throw new AppError('NOT_FOUND', '这家公司没有提出申诉')
  if (r.appeal.state !== 'pending') throw new AppError('CONFLICT', '这条申诉已处理')
  await requireCleanText(ctx, input.reason, 'reason')
  const now = ctx.clock.now()
  const data: Record<string, unknown> = {
    'appeal.state': input.accept ? 'accepted' : 'rejected',
    'appeal.decision': input.reason,
    'appeal.decidedBy': ctx.openid,
    'appeal.decidedAt': now,
    version: r.version + 1,
  }
  if (input.accept) {
    // Accepting means staff corrected the records the appeal was about: the result is recomputed from them.
    const scoreInput = await scoreInputOf(ctx, communityId, input.companyId, input.quarter)
    data.input = ctx._.set(scoreInput)
    data.score = ctx._.set(computeScore(scoreInput, r.settings))
    data.computedAt = now
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
  return closeOut(ctx, communityId, input.quarter)
}

export const publish: H['publish'] = async (input, ctx) => {
  const communityId = communityOf(ctx)
  const id = closeId(communityId, input.quarter)
  const c = await getOrNull<CloseDoc>(ctx, CLOSES, id)
  if (!c) throw new AppError('PRECONDITION_FAILED', '请先计算本季度结果')
  if (c.state === 'published') throw new AppError('CONFLICT', '本季度结果已公布，不能重复公布')
  if (c.state === 'draft') throw new AppError('PRECONDITION_FAILED', '请先把结果告知物业公司，申诉期满后才能公布')
  const now = ctx.clock.now()
  if (c.appealUntil && now < c.appealUntil) throw new AppError('PRECONDITION_FAILED', `申诉期至 ${formatDateTime(c.appealUntil)} 结束，之后才能公布`)
  const pending = await ctx.db.collection(RESULTS).where({ communityId, quarter: input.quarter, 'appeal.state': 'pending' }).count()
  if (pending.total > 0) throw new AppError('PRECONDITION_FAILED', `还有 ${pending.total} 条申诉未处理，处理后才能公布`)
  if (c.version !== input.version) throw new AppError('CONFLICT', STALE)
  const version = c.version + 1
  const effects = await tellContacts(ctx, c.companyIds, `${quarterLabel(input.quarter)}物业评定结果已公布`, '结果已在物业红黑榜公布。')
  const r = await ctx.db
    .collection(CLOSES)
    .where({ _id: id, state: 'appeal', version: c.version })
    .update({ data: { state: 'published', publishedAt: now, publishedBy: ctx.openid, version, ...pendingFields(ctx, effectKey(version), effects) } })
  if (r.stats.updated !== 1) {
    const again = await getOrNull<CloseDoc>(ctx, CLOSES, id)
    throw new AppError('CONFLICT', again?.state === 'published' ? '本季度结果已公布，不能重复公布' : STALE)
  }
  await settleNow(ctx, CLOSES, id, effectKey(version), effects)
  return closeOut(ctx, communityId, input.quarter)
}

export const correct: H['correct'] = async (input, ctx) => {
  const communityId = communityOf(ctx)
  const c = await getOrNull<CloseDoc>(ctx, CLOSES, closeId(communityId, input.quarter))
  if (!c || c.state !== 'published') throw new AppError('PRECONDITION_FAILED', '只有已公布的季度才需要更正；公布前请重新计算')
  const rid = resultId(communityId, input.companyId, input.quarter)
  const r = await getOrNull<ResultDoc>(ctx, RESULTS, rid)
  if (!r) throw new AppError('NOT_FOUND', '这家公司在该季度没有评定结果')
  await requireCleanText(ctx, input.reason, 'reason')
  const scoreInput = await scoreInputOf(ctx, communityId, input.companyId, input.quarter)
  const next = computeScore(scoreInput, r.settings)
  if (JSON.stringify(next) === JSON.stringify(effective(r).score)) {
    throw new AppError('PRECONDITION_FAILED', '按现有记录重新计算的结果与公布结果相同，无需更正；请先改正有误的记录（如撤销违规、剔除集中评价）')
  }
  const correction = { at: ctx.clock.now(), by: ctx.openid, byName: ctx.user?.name ?? '社区工作人员', reason: input.reason, input: scoreInput, score: next }
  const w = await ctx.db
    .collection(RESULTS)
    .where({ _id: rid, version: r.version })
    .update({ data: { corrections: ctx._.push(correction), version: r.version + 1 } })
  if (w.stats.updated !== 1) throw new AppError('CONFLICT', STALE)
  return closeOut(ctx, communityId, input.quarter)
}

// ---- the company contact ----

function contactCompany(ctx: Ctx): string {
  const id = ctx.user?.companyId
  if (!id) throw new AppError('FORBIDDEN', '您还不是物业公司联系人，请联系社区工作人员设置')
  return id
}

export const results: H['results'] = async (_input, ctx) => {
  const companyId = contactCompany(ctx)
  const company = await loadCompany(ctx, companyId)
  const res = await ctx.db.collection<ResultDoc>(RESULTS).where({ companyId }).orderBy('quarter', 'desc').limit(40).get()
  const closes = await Promise.all(res.data.map((r) => getOrNull<CloseDoc>(ctx, CLOSES, closeId(r.communityId, r.quarter))))
  const names = new Map<string, string>()
  for (const r of res.data) if (!names.has(r.communityId)) names.set(r.communityId, await communityName(ctx, r.communityId))
  const items = await Promise.all(
    res.data
      .map((r, i) => [r, closes[i]] as const)
      // A draft is staff's preview: the company sees its result once the appeal window opens.
      .filter((pair): pair is readonly [ResultDoc, CloseDoc] => pair[1] !== null && pair[1].state !== 'draft' && pair[1].companyIds.includes(pair[0].companyId))
      .map(([r, c]) => resultOut(ctx, r, c, { community: names.get(r.communityId)! }, true)),
  )
  return { company: { id: company._id, name: company.name }, items }
}

export const appeal: H['appeal'] = async (input, ctx) => {
  const companyId = contactCompany(ctx)
  const c = await getOrNull<CloseDoc>(ctx, CLOSES, closeId(input.communityId, input.quarter))
  const rid = resultId(input.communityId, companyId, input.quarter)
  const r = c && c.state !== 'draft' && c.companyIds.includes(companyId) ? await getOrNull<ResultDoc>(ctx, RESULTS, rid) : null
  if (!c || !r) throw new AppError('NOT_FOUND', '没有找到本公司在该季度的评定结果')
  const now = ctx.clock.now()
  if (c.state !== 'appeal' || !c.appealUntil || now >= c.appealUntil) {
    throw new AppError('PRECONDITION_FAILED', c.appealUntil ? `申诉期已于 ${formatDateTime(c.appealUntil)} 结束` : '本季度不在申诉期')
  }
  if (r.appeal) throw new AppError('CONFLICT', '本季度已提交过申诉，请等待社区处理')
  await requireCleanText(ctx, input.text, 'text')
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
  await settleNow(ctx, RESULTS, rid, effectKey(version), effects)
  const fresh = (await getOrNull<ResultDoc>(ctx, RESULTS, rid))!
  return resultOut(ctx, fresh, c, { community: await communityName(ctx, input.communityId) }, true)
}

/** The job: settle notifications a crash left on closes and results. */
export const tick: H['tick'] = async (_input, ctx) => {
  const settled = (await sweepEffects(ctx, CLOSES)) + (await sweepEffects(ctx, RESULTS))
  return { settled }
}
