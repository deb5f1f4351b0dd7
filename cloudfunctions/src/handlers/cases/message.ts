/**
 * 居民留言 (kind `message`) on the case engine: writing to the community, the thread of replies
 * and answers with unread marks on both sides, asking for more information (the clock pauses),
 * saved reply templates, and the public 留言墙 (redacted, reviewed by staff). Every state change
 * goes through the engine's applyChange (compare-and-set, timeline, effects in the same write).
 */
import { AppError } from '../../../../src/shared/errors'
import type { casesApi } from '../../../../src/shared/api/cases'
import { MESSAGE_CATEGORIES, acceptDeadline, type CaseStatus } from '../../../../src/shared/rules/cases'
import { redact } from '../../../../src/shared/rules/redact'
import { formatShort } from '../../../../src/shared/time'
import type { HandlersOf } from '../../runtime/serve'
import type { Ctx } from '../../runtime/context'
import { createdId } from '../../runtime/requests'
import { instanceMap } from '../../runtime/instance'
import { DB_NOT_FOUND, isDbError } from '../../platform/db'
import { gridsById, knownPlaces } from '../common/places'
import { checkedPhotos, requireCleanText } from '../common/content'
import { MAX_PAGE, allPages, allPagesCounted, pageArgs, pageResult } from '../common/paging'
import { getOrNull } from '../common/docs'
import { notifyEffect, type Effect } from '../common/effects'
import { createCase, createdBefore, newCase } from './create'
import { applyChange, authorize, caseLink, detailOf, entry, isHandler, isRepeat, loadCase, viewerOf, type CaseDoc, type ThreadDoc } from './model'
import { answer, assigneeOrHandlers, caseNotice, firstResponse, firstResponseCount, handlersAt } from './act'
import { countEffect } from './stats'
import { caseSettings } from './settings'

type H = HandlersOf<typeof casesApi>

const OPEN: CaseStatus[] = ['submitted', 'accepted', 'mediating', 'waiting_info']
/** A thread never grows past this (a conversation that long belongs on the phone). */
const MAX_THREAD = 200

function post(ctx: Ctx, side: ThreadDoc['side'], text: string, photos: ThreadDoc['photos'] = [], asksInfo = false): ThreadDoc {
  return { at: ctx.clock.now(), by: ctx.openid, byName: ctx.user?.name ?? (side === 'staff' ? '社区工作人员' : '居民'), side, text, photos, asksInfo }
}

function withPost(c: CaseDoc, p: ThreadDoc): ThreadDoc[] {
  const thread = c.thread ?? []
  if (thread.length >= MAX_THREAD) throw new AppError('PRECONDITION_FAILED', '这条留言的往来已经很多了，请直接电话联系社区')
  return [...thread, p]
}

const messageNotice = (c: CaseDoc, title: string, body: string, phrase: string) =>
  caseNotice(c, { title, body, template: 'case_progress', fields: { subject: `${c.category}留言`, status: phrase, note: body } })

/** 写留言: the resident writes to the community; routed like a dispute (their grid, else the community). */
export const write: H['write'] = async (input, ctx) => {
  const user = ctx.user!
  const id = createdId(ctx, 'ms')
  if (ctx.retry) {
    const found = await createdBefore(ctx, id)
    if (found) return found
  }
  if (!(MESSAGE_CATEGORIES as readonly string[]).includes(input.category)) {
    throw new AppError('INVALID_INPUT', '请选择留言类型', [{ path: 'category', message: '请选择留言类型' }])
  }
  const a = user.address
  // The text check, the place names (the instance's tree), the grid with its workers (fresh: they
  // route the message) and the deadlines, together; photos once the text passed.
  const [, places, grids, settings] = await Promise.all([
    requireCleanText(ctx, input.text, 'text'),
    knownPlaces(ctx, [a.estateId, a.buildingId, a.unitId]),
    gridsById(ctx, a.gridId ? [a.gridId] : []),
    caseSettings(ctx, a.communityId),
  ])
  const photos = await checkedPhotos(ctx, input.photos, { collection: 'cases', docId: id })
  const grid = a.gridId ? grids.get(a.gridId) : undefined
  const level = grid && grid.workerIds.length > 0 ? 'grid' : 'community'
  const now = ctx.clock.now()
  // 水电气暖 emergencies (utility) get the 2 h first-reply deadline: the engine's urgent.
  const urgency = input.utility ? 'urgent' : 'normal'
  const c = newCase(ctx, {
    _id: id,
    kind: 'message',
    communityId: a.communityId,
    streetId: a.streetId,
    gridId: a.gridId ?? null,
    gridName: grid?.name ?? null,
    level,
    householdId: user.householdId,
    category: input.category,
    description: input.text,
    photos,
    location: {
      buildingId: a.buildingId,
      unitId: a.unitId,
      text: [places.get(a.estateId)?.name, places.get(a.buildingId)?.name, places.get(a.unitId)?.name].filter(Boolean).join(' '),
    },
    otherParty: null,
    urgency,
    dueAt: acceptDeadline(now, urgency, settings),
    thread: [],
    unreadOwner: 0,
    unreadHandler: 1,
    wall: { wanted: input.wantsPublic, status: 'none', text: null, reply: null, publishedAt: null, publishedBy: null },
  })
  const effects: Effect[] = [
    ...countEffect(c, { received: 1 }),
    notifyEffect(ctx, [handlersAt(c)], {
      title: `新的${input.utility ? '紧急（水电气暖）' : ''}居民留言待回复`,
      body: `${c.location.text}：【${input.category}】${input.text.slice(0, 40)}，请在 ${formatShort(c.dueAt!)} 前回复`,
      link: caseLink(c),
      ref: `case:${id}`,
      template: 'case_new',
      fields: { subject: `${input.category}留言`, time: now, note: '待回复' },
    }),
  ]
  const found = await createCase(ctx, c, effects, { grids })
  if (found) return found
  return detailOf(ctx, c, 'owner', new Map())
}

async function loadMessage(ctx: Ctx, id: string): Promise<CaseDoc> {
  const c = await loadCase(ctx, id)
  if (c.kind !== 'message') {
    if (viewerOf(ctx.user, c)) throw new AppError('PRECONDITION_FAILED', '只有居民留言可以这样回复')
    throw new AppError('NOT_FOUND', '没有找到该事项，可能无权查看')
  }
  return c
}

function mustHandle(ctx: Ctx, c: CaseDoc): void {
  if (isHandler(ctx.user, c)) return
  if (viewerOf(ctx.user, c)) throw new AppError('FORBIDDEN', c.assigneeName ? `该留言由${c.assigneeName}承办，如需接手请由社区工作人员改派` : '该留言目前不由您承办')
  throw new AppError('NOT_FOUND', '没有找到该事项，可能无权查看')
}

/** 回复: a post in the thread; the first reply is the response (受理) the 响应率 counts. */
export const reply: H['reply'] = async (input, ctx) => {
  await requireCleanText(ctx, input.text, 'text')
  const c0 = await loadMessage(ctx, input.id)
  if (isRepeat(ctx, c0, input.version, 'reply')) return answer(ctx, c0)
  mustHandle(ctx, c0)
  if (input.version !== c0.version) throw new AppError('CONFLICT', '这条留言已有新的回复或变化，请刷新后再回复')
  if (!OPEN.includes(c0.status)) throw new AppError('PRECONDITION_FAILED', '已办结的留言不能再回复')
  const now = ctx.clock.now()
  const first = c0.status === 'submitted'
  const c = await applyChange(
    ctx,
    c0,
    input.version,
    {
      ...(first ? { status: 'accepted' as const, ...firstResponse(ctx, c0, now), assigneeId: ctx.openid, assigneeName: ctx.user?.name ?? null } : {}),
      thread: withPost(c0, post(ctx, 'staff', input.text)),
      unreadOwner: (c0.unreadOwner ?? 0) + 1,
      unreadHandler: 0,
    },
    entry(ctx, 'reply', c0.status, first ? 'accepted' : c0.status, null),
    (n) => [...firstResponseCount(n, c0), notifyEffect(ctx, [{ people: [n.ownerId] }], messageNotice(n, '社区回复了您的留言', input.text, '已回复'))],
  )
  return answer(ctx, c)
}

/** 要求补充: ask the resident; the deadline clock pauses until they answer. */
export const requestInfo: H['requestInfo'] = async (input, ctx) => {
  await requireCleanText(ctx, input.text, 'text')
  const c0 = await loadMessage(ctx, input.id)
  if (isRepeat(ctx, c0, input.version, 'requestInfo')) return answer(ctx, c0)
  authorize(ctx, c0, 'requestInfo', input.version)
  const now = ctx.clock.now()
  const first = c0.status === 'submitted'
  const c = await applyChange(
    ctx,
    c0,
    input.version,
    {
      status: 'waiting_info',
      statusBeforeWait: first ? 'accepted' : c0.status,
      waitingSince: now,
      ...(first ? { ...firstResponse(ctx, c0, now), assigneeId: ctx.openid, assigneeName: ctx.user?.name ?? null } : {}),
      thread: withPost(c0, post(ctx, 'staff', input.text, [], true)),
      unreadOwner: (c0.unreadOwner ?? 0) + 1,
      unreadHandler: 0,
    },
    entry(ctx, 'requestInfo', c0.status, 'waiting_info', input.text),
    (n) => [...firstResponseCount(n, c0), notifyEffect(ctx, [{ people: [n.ownerId] }], messageNotice(n, '社区请您补充说明', input.text, '待补充'))],
  )
  return answer(ctx, c)
}

/** The resident's post in their own message; an answer to 要求补充 resumes the clock with the time left. */
export const answerPost: H['answer'] = async (input, ctx) => {
  await requireCleanText(ctx, input.text, 'text')
  const c0 = await loadMessage(ctx, input.id)
  if (c0.ownerId !== ctx.openid) {
    if (viewerOf(ctx.user, c0)) throw new AppError('FORBIDDEN', '只有留言人可以在这里补充，工作人员请使用回复')
    throw new AppError('NOT_FOUND', '没有找到该事项，可能无权查看')
  }
  const action = c0.status === 'waiting_info' ? 'supplyInfo' : 'answer'
  if (isRepeat(ctx, c0, input.version, action)) return answer(ctx, c0)
  if (input.version !== c0.version) throw new AppError('CONFLICT', '这条留言有了新的回复，请刷新后查看再补充')
  if (!OPEN.includes(c0.status)) throw new AppError('PRECONDITION_FAILED', '这条留言已办结，如有新情况请另写一条留言')
  const photos = await checkedPhotos(ctx, input.photos, { collection: 'cases', docId: c0._id })
  const now = ctx.clock.now()
  const resumed =
    c0.status === 'waiting_info'
      ? {
          status: c0.statusBeforeWait ?? ('accepted' as const),
          statusBeforeWait: null,
          waitingSince: null,
          pausedMs: c0.pausedMs + Math.max(0, now.getTime() - (c0.waitingSince ?? now).getTime()),
        }
      : {}
  const to = resumed.status ?? c0.status
  const c = await applyChange(
    ctx,
    c0,
    input.version,
    { ...resumed, thread: withPost(c0, post(ctx, 'resident', input.text, photos)), unreadHandler: (c0.unreadHandler ?? 0) + 1, unreadOwner: 0 },
    entry(ctx, action, c0.status, to, null),
    (n) => [
      notifyEffect(
        ctx,
        [assigneeOrHandlers(n)],
        messageNotice(n, action === 'supplyInfo' ? '居民已补充说明，办理时限继续计算' : '居民在留言中补充了内容', input.text, action === 'supplyInfo' ? '已补充' : '居民补充'),
      ),
    ],
  )
  return answer(ctx, c)
}

// ---------------------------------------------------------------- reply templates (常用回复)

interface TemplateDoc {
  _id: string
  communityId: string
  title: string
  text: string
  createdBy: string
  updatedAt: Date
}
const TEMPLATES = 'reply_templates'
const MAX_TEMPLATES = 100

const templateOut = (t: TemplateDoc) => ({ id: t._id, title: t.title, text: t.text, updatedAt: t.updatedAt.toISOString() })

export const templates: H['templates'] = async (_input, ctx) => {
  const res = await ctx.db
    .collection<TemplateDoc>(TEMPLATES)
    .where({ communityId: ctx.user!.address.communityId })
    .orderBy('updatedAt', 'desc')
    .limit(MAX_TEMPLATES)
    .get()
  return { items: res.data.map(templateOut) }
}

async function ownTemplate(ctx: Ctx, id: string): Promise<TemplateDoc> {
  try {
    const t = (await ctx.db.collection<TemplateDoc>(TEMPLATES).doc(id).get()).data
    if (t.communityId === ctx.user!.address.communityId) return t
  } catch (e) {
    if (!isDbError(e, DB_NOT_FOUND)) throw e
  }
  throw new AppError('NOT_FOUND', '没有找到这条常用回复，可能已被删除')
}

export const saveTemplate: H['saveTemplate'] = async (input, ctx) => {
  await requireCleanText(ctx, `${input.title}\n${input.text}`, 'text')
  const communityId = ctx.user!.address.communityId
  const now = ctx.clock.now()
  if (input.id) {
    const t = await ownTemplate(ctx, input.id)
    await ctx.db.collection(TEMPLATES).doc(t._id).update({ data: { title: input.title, text: input.text, updatedAt: now } })
    return templateOut({ ...t, title: input.title, text: input.text, updatedAt: now })
  }
  const count = await ctx.db.collection(TEMPLATES).where({ communityId }).count()
  if (count.total >= MAX_TEMPLATES) throw new AppError('PRECONDITION_FAILED', `常用回复最多 ${MAX_TEMPLATES} 条，请先删除不用的`)
  const doc: TemplateDoc = { _id: createdId(ctx, 'tp'), communityId, title: input.title, text: input.text, createdBy: ctx.openid, updatedAt: now }
  await ctx.db.collection(TEMPLATES).add({ data: doc as unknown as Record<string, unknown> })
  return templateOut(doc)
}

export const deleteTemplate: H['deleteTemplate'] = async (input, ctx) => {
  const t = await ownTemplate(ctx, input.id)
  await ctx.db.collection(TEMPLATES).doc(t._id).remove()
  return { ok: true as const }
}

// ---------------------------------------------------------------- 留言墙

/** A community's registered names as last gathered (`wall_names/<communityId>`), shared by every instance. */
interface NamesDoc {
  _id: string
  names: string[]
  /** The latest `updatedAt` among the records gathered. */
  since: Date
}
const WALL_NAMES = 'wall_names'
/** Records changed this recently are read on every first look of an instance, beside the kept names. */
const RECENT_MS = 24 * 3600_000
/** For clocks that differ between instances. */
const NAMES_MARGIN_MS = 10 * 60_000

/**
 * The names of the people registered in the community, for the redaction rule — every one of
 * them, as the rule hides any registered name. Gathering them means reading every record of the
 * community (thousands), so it is done once and kept, and later looks read only what changed:
 * - an instance keeps the names with the latest `updatedAt` it saw (runtime/instance.ts); its next
 *   call reads only the records changed since (one indexed query, usually empty);
 * - a fresh instance reads the names kept in `wall_names` by the last gathering, beside the records
 *   changed in the last day (one wait); only when the kept ones are older than that does it read
 *   the records changed since them too. With none kept (a community's first publication) it reads
 *   the community a page of 1,000 at a time (the count and the first page together, then the rest
 *   together) and keeps them.
 * Whatever it learns that the kept document lacks is written back, so the next fresh instance
 * starts from there; a failed write costs that instance a longer read, never this answer. A name
 * changed away stays in the list: hiding one word too many is the safe side.
 */
async function communityNames(ctx: Ctx, communityId: string): Promise<string[]> {
  const kept = instanceMap<{ names: Set<string>; since: Date }>(ctx, 'communityNames')
  const users = ctx.db.collection<{ _id: string; name?: string; updatedAt?: Date }>('users')
  const changedSince = (from: Date) =>
    allPages((skip) =>
      users
        .where({ 'address.communityId': communityId, updatedAt: ctx._.gte(new Date(from.getTime() - NAMES_MARGIN_MS)) })
        .orderBy('updatedAt', 'asc')
        .skip(skip)
        .limit(MAX_PAGE)
        .field({ name: true, updatedAt: true })
        .get(),
    )
  const seen = kept.get(communityId)
  const names = new Set(seen?.names ?? [])
  let since = seen?.since ?? new Date(0)
  const take = (rows: Array<{ name?: string; updatedAt?: Date }>): boolean => {
    const n = names.size
    for (const u of rows) {
      if (u.name) names.add(u.name)
      if (u.updatedAt && u.updatedAt.getTime() > since.getTime()) since = u.updatedAt
    }
    return names.size > n
  }
  if (seen) {
    take(await changedSince(since))
  } else {
    const recentFrom = new Date(ctx.clock.now().getTime() - RECENT_MS)
    const [doc, recent] = await Promise.all([getOrNull<NamesDoc>(ctx, WALL_NAMES, communityId), changedSince(recentFrom)])
    let learned: boolean
    if (!doc) {
      const q = () => users.where({ 'address.communityId': communityId })
      take(await allPagesCounted(() => q().count(), (skip) => q().orderBy('createdAt', 'desc').skip(skip).limit(MAX_PAGE).field({ name: true, updatedAt: true }).get()))
      learned = true
    } else {
      for (const n of doc.names) names.add(n)
      since = doc.since
      learned = doc.since.getTime() - NAMES_MARGIN_MS < recentFrom.getTime() ? take(await changedSince(doc.since)) : false
    }
    if (take(recent) || learned) {
      await ctx.db
        .collection(WALL_NAMES)
        .doc(communityId)
        .set({ data: { names: [...names], since } })
        .catch((e: unknown) => ctx.log.warn('wall names not kept', { communityId, error: e instanceof Error ? e.message : String(e) }))
    }
  }
  if (kept.size > 1000) kept.clear()
  kept.set(communityId, { names, since })
  return [...names]
}

function lastReply(c: CaseDoc): string | null {
  const staff = (c.thread ?? []).filter((t) => t.side === 'staff')
  return c.agreement ?? staff[staff.length - 1]?.text ?? null
}

function mustBeStaffHere(ctx: Ctx, c: CaseDoc): void {
  if (c.communityId !== ctx.user!.address.communityId || c.kind !== 'message') throw new AppError('NOT_FOUND', '没有找到该留言，可能不属于本社区')
}

export const wallDraft: H['wallDraft'] = async (input, ctx) => {
  const c = await loadCase(ctx, input.id)
  mustBeStaffHere(ctx, c)
  const names = [...(await communityNames(ctx, c.communityId)), c.ownerName]
  const text = redact(c.description, { names })
  const replyText = lastReply(c)
  const reply = replyText ? redact(replyText, { names }) : null
  return {
    text: text.text,
    reply: reply?.text ?? null,
    hidden: [...text.hits, ...(reply?.hits ?? [])].map((h) => ({ kind: h.kind, original: h.original })),
  }
}

/** Publish (公开) after review: the text staff approved goes through the rule again, so nothing personal slips back in. */
export const publish: H['publish'] = async (input, ctx) => {
  const c0 = await loadCase(ctx, input.id)
  mustBeStaffHere(ctx, c0)
  if (isRepeat(ctx, c0, input.version, 'publish')) return answer(ctx, c0)
  if (input.version !== c0.version) throw new AppError('CONFLICT', '这条留言有了新的变化，请刷新后再审核')
  if (!c0.wall?.wanted) throw new AppError('PRECONDITION_FAILED', '留言人没有选择公开，不能发布到留言墙')
  if (c0.status === 'withdrawn') throw new AppError('PRECONDITION_FAILED', '留言人已撤回这条留言')
  if (c0.wall.status === 'published') throw new AppError('PRECONDITION_FAILED', '这条留言已在留言墙上')
  await requireCleanText(ctx, `${input.text}\n${input.reply ?? ''}`, 'text')
  const names = [...(await communityNames(ctx, c0.communityId)), c0.ownerName]
  const now = ctx.clock.now()
  const wall = {
    wanted: true,
    status: 'published' as const,
    text: redact(input.text, { names }).text,
    reply: input.reply ? redact(input.reply, { names }).text : null,
    publishedAt: now,
    publishedBy: ctx.openid,
  }
  const c = await applyChange(ctx, c0, input.version, { wall }, entry(ctx, 'publish', c0.status, c0.status, null), (n) => [
    notifyEffect(ctx, [{ people: [n.ownerId] }], messageNotice(n, '您的留言已公开到留言墙', '已隐去电话、门牌号、姓名等个人信息', '已公开')),
  ])
  return answer(ctx, c)
}

export const unpublish: H['unpublish'] = async (input, ctx) => {
  await requireCleanText(ctx, input.reason, 'reason')
  const c0 = await loadCase(ctx, input.id)
  mustBeStaffHere(ctx, c0)
  if (isRepeat(ctx, c0, input.version, 'unpublish')) return answer(ctx, c0)
  if (input.version !== c0.version) throw new AppError('CONFLICT', '这条留言有了新的变化，请刷新后再操作')
  if (c0.wall?.status !== 'published') throw new AppError('PRECONDITION_FAILED', '这条留言不在留言墙上')
  const c = await applyChange(ctx, c0, input.version, { wall: { ...c0.wall, status: 'withdrawn' } }, entry(ctx, 'unpublish', c0.status, c0.status, input.reason, true))
  return answer(ctx, c)
}

export const wall: H['wall'] = async (input, ctx) => {
  const { skip, limit } = pageArgs(input)
  const res = await ctx.db
    .collection<CaseDoc>('cases')
    .where({ communityId: ctx.user!.address.communityId, kind: 'message', 'wall.status': 'published' })
    .orderBy('wall.publishedAt', 'desc')
    .skip(skip)
    .limit(limit + 1)
    .field({ _id: true, category: true, wall: true, status: true })
    .get()
  return pageResult(
    res.data.map((c) => ({ id: c._id, category: c.category, text: c.wall!.text ?? '', reply: c.wall!.reply ?? null, status: c.status, publishedAt: c.wall!.publishedAt!.toISOString() })),
    input,
  )
}

/** Opening a message clears the viewer's side of the unread marks (only if nothing new came meanwhile). */
export async function markSeen(ctx: Ctx, c: CaseDoc, side: 'owner' | 'handler'): Promise<CaseDoc> {
  const field = side === 'owner' ? 'unreadOwner' : 'unreadHandler'
  if (c.kind !== 'message' || !(c[field] ?? 0)) return c
  const res = await ctx.db.collection('cases').where({ _id: c._id, version: c.version }).update({ data: { [field]: 0 } })
  return res.stats.updated === 1 ? { ...c, [field]: 0 } : c
}
