/** 居民留言 and the engine's gaps, through serve() on the local cloud with a fake clock. */
import { testCloud, type TestCloud } from '../support/cloud'
import { DEMO } from '../../cloudfunctions/src/local/seed'
import { coldStart } from '../../cloudfunctions/src/runtime/instance'
import { recountMonth, statsId } from '../../cloudfunctions/src/handlers/cases/stats'
import type { CaseDetailT } from '../../src/shared/api/cases'

const P = DEMO.people
const CUIHU = DEMO.communities.cuihu
let t: TestCloud
beforeEach(async () => {
  // Monday 2026-11-23 10:00 Shanghai
  t = await testCloud({ start: '2026-11-23T02:00:00Z' })
})
afterEach(() => t.close())

const message = { category: '咨询', text: '请问小区什么时候统一更换老旧水管？' }
const write = (who: string = P.resident, extra: Record<string, unknown> = {}) => t.ok<CaseDetailT>(who, 'cases', 'write', { ...message, ...extra })
const act = (who: string, action: string, c: { id: string; version: number }, extra: Record<string, unknown> = {}) =>
  t.call<CaseDetailT>(who, 'cases', action, { id: c.id, version: c.version, ...extra })
async function ok(who: string, action: string, c: { id: string; version: number }, extra: Record<string, unknown> = {}): Promise<CaseDetailT> {
  const r = await act(who, action, c, extra)
  if (!r.ok) throw new Error(`${action}: ${JSON.stringify(r.error)}`)
  return r.data
}
const get = (who: string, id: string) => t.ok<CaseDetailT>(who, 'cases', 'get', { id })

describe('writing and replying', () => {
  it('a message goes to the writer’s grid with a 24 h first-reply deadline; 水电气暖 gets 2 h', async () => {
    const m = await write()
    expect(m).toMatchObject({ kind: 'message', status: 'submitted', statusLabel: '待受理', level: 'grid', gridName: '翠湖第一网格', viewerRole: 'owner' })
    expect(m.dueAt).toBe('2026-11-24T02:00:00.000Z')
    expect(m.thread).toEqual([expect.objectContaining({ side: 'resident', text: message.text, byName: '孙丽' })])
    const urgent = await write(P.resident, { category: '报修', text: '3栋地下室水管爆裂，正在漏水！', utility: true })
    expect(urgent.dueAt).toBe('2026-11-23T04:00:00.000Z')
    expect(urgent.urgency).toBe('urgent')
    expect((await t.ok(P.mediator1, 'inbox', 'unread')).count).toBe(2)
  })

  it('a reply is the first response: the thread grows, unread marks move, reading clears them', async () => {
    const m = await write()
    const inbox = await t.ok(P.mediator1, 'cases', 'queue', { kind: 'message' })
    expect(inbox.items[0]).toMatchObject({ id: m.id, unread: 1 })
    const replied = await ok(P.mediator1, 'reply', m, { text: '您好，水管更换计划已报街道，预计明年三月施工。' })
    expect(replied).toMatchObject({ status: 'accepted', assigneeName: '张伟', viewerRole: 'handler' })
    expect(replied.thread.map((p) => p.side)).toEqual(['resident', 'staff'])
    const mine = await t.ok(P.resident, 'cases', 'mine', { kind: 'message' })
    expect(mine.items[0]).toMatchObject({ id: m.id, unread: 1 })
    const read = await get(P.resident, m.id)
    expect(read.unread).toBe(0)
    expect((await t.ok(P.resident, 'cases', 'mine', { kind: 'message' })).items[0].unread).toBe(0)
    const answered = await ok(P.resident, 'answer', read, { text: '好的，谢谢！施工期间会停水吗？' })
    expect(answered.thread).toHaveLength(3)
    // Nothing left for a job: the notices and figures were written with each change.
    expect(await t.count('cases', { effectsDue: t.cloud.db.command.exists(true) })).toBe(0)
    const stored = (await t.cloud.db.collection<{ effects?: Record<string, unknown> }>('cases').doc(m.id).get()).data
    expect(stored.effects ?? {}).toEqual({})
    expect((await t.ok(P.mediator1, 'cases', 'queue', { kind: 'message' })).items[0].unread).toBe(1)
    // The figures: one response, on time.
    const stats = await t.ok(P.staff, 'cases', 'stats', { kind: 'message', month: '2026-11' })
    expect(stats.total).toMatchObject({ received: 1, accepted: 1, acceptedOnTime: 1, onTimeRate: 100 })
    expect(stats.byStaff).toEqual([expect.objectContaining({ name: '张伟', row: expect.objectContaining({ accepted: 1, acceptedOnTime: 1 }) })])
  })

  it('要求补充 pauses the clock across a Shanghai midnight and resumes it with the time left', async () => {
    const m = await write()
    const accepted = await ok(P.mediator1, 'reply', m, { text: '收到，正在了解。' })
    const resolveBy = new Date(accepted.dueAt!).getTime()
    expect(accepted.dueAt).toBe('2026-11-30T15:59:59.000Z') // end of the 7th day, Shanghai
    t.clock.set('2026-11-24T14:00:00Z') // 22:00 Shanghai
    const waiting = await ok(P.mediator1, 'requestInfo', accepted, { text: '请拍一张漏水位置的照片。' })
    expect(waiting).toMatchObject({ status: 'waiting_info', paused: true, dueAt: null })
    expect(waiting.thread[waiting.thread.length - 1]).toMatchObject({ side: 'staff', asksInfo: true })
    // The job never escalates a paused message, however late it is.
    t.clock.set('2026-12-05T02:00:00Z')
    expect(await t.cloud.runTimer('cases', 'tick')).toMatchObject({ ok: true, data: { escalated: 0 } })
    t.clock.set('2026-11-25T17:30:00Z') // 01:30 Shanghai, the next-but-one day: paused 27.5 h
    const back = await ok(P.resident, 'answer', await get(P.resident, m.id), { text: '照片如下，在卫生间顶上。' })
    expect(back).toMatchObject({ status: 'accepted', paused: false })
    expect(new Date(back.dueAt!).getTime() - resolveBy).toBe(27.5 * 3600_000)
    expect(back.timeline.map((e) => e.action)).toContain('supplyInfo')
  })

  it('only the assignee handles; others read with the phone masked; staff take over with a recorded 改派', async () => {
    const m = await write()
    const replied = await ok(P.mediator1, 'reply', m, { text: '收到。' })
    expect((await get(P.mediator1, m.id)).submitter.phone).toBe('13800001008')
    const asStaff = await get(P.staff, m.id)
    expect(asStaff).toMatchObject({ viewerRole: 'observer', submitter: { phone: '138****1008' } })
    expect(asStaff.can).toContain('takeOver')
    expect(asStaff.can).not.toContain('reply')
    const denied = await act(P.staff, 'reply', replied, { text: '我来回复' })
    expect(denied).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('张伟') } })
    const taken = await ok(P.staff, 'takeOver', replied, { reason: '张伟休假' })
    expect(taken).toMatchObject({ assigneeName: '李秀梅', viewerRole: 'handler' })
    expect(taken.timeline[taken.timeline.length - 1]).toMatchObject({ action: 'takeOver', label: '改派', note: expect.stringContaining('张伟休假') })
    const nowDenied = await act(P.mediator1, 'reply', taken, { text: '还是我来' })
    expect(!nowDenied.ok && nowDenied.error.code).toBe('FORBIDDEN')
    expect((await get(P.mediator1, m.id)).viewerRole).toBe('observer')
  })

  it('转办 to a colleague or a grid keeps the whole timeline', async () => {
    const m = await write()
    const replied = await ok(P.mediator1, 'reply', m, { text: '收到。' })
    const toAdmin = await ok(P.staff, 'reassign', replied, { gridId: null, staffId: P.admin, note: '请书记协调' })
    expect(toAdmin).toMatchObject({ assigneeName: '王建华', status: 'accepted' })
    const toGrid = await ok(P.staff, 'reassign', toAdmin, { gridId: 'g-cuihu-2', note: '属第二网格' })
    expect(toGrid).toMatchObject({ status: 'submitted', level: 'grid', gridName: '翠湖第二网格' })
    expect(toGrid.timeline.map((e) => e.action)).toEqual(['submit', 'reply', 'reassign', 'reassign'])
    const colleagues = await t.ok(P.staff, 'user', 'colleagues', {})
    expect(colleagues.items.map((i: { name: string }) => i.name).sort()).toEqual(['李秀梅', '王建华'])
    const bad = await act(P.staff, 'reassign', toGrid, { gridId: null, staffId: P.otherStaff, note: '转给金桥' })
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ path: 'staffId' }] } })
  })
})

describe('a failed case reaches 已办结 by each path', () => {
  const dispute = { kind: 'dispute', category: '噪音', description: '楼上夜间噪音', location: { buildingId: 'b-cy-1' } }
  async function failed(): Promise<CaseDetailT> {
    const c = await t.ok<CaseDetailT>(P.resident, 'cases', 'submit', dispute)
    const a = await ok(P.mediator1, 'accept', c)
    return ok(P.mediator1, 'fail', a, { reason: '双方分歧较大' })
  }
  it('the resident asks for the 人民调解委员会', async () => {
    const f = await failed()
    const mine = await get(P.resident, f.id)
    expect(mine.can).toEqual(expect.arrayContaining(['refer', 'close']))
    expect(await ok(P.resident, 'refer', mine, { note: '希望人民调解委员会介入' })).toMatchObject({ status: 'closed' })
    expect(await t.count('notifications', { to: P.mediator1, title: '居民申请转人民调解委员会，请转交材料' })).toBe(1)
  })
  it('the resident closes it', async () => {
    const f = await failed()
    expect(await ok(P.resident, 'close', f, { note: '不再追究' })).toMatchObject({ status: 'closed', statusLabel: '已办结' })
  })
  it('the handler closes it with a result', async () => {
    const f = await failed()
    const closed = await ok(P.mediator1, 'close', f, { note: '已告知居民可拨打 12345' })
    expect(closed.timeline[closed.timeline.length - 1].note).toContain('办理结果')
  })
  it('the job closes it after the community’s failedCloseDays', async () => {
    const f = await failed()
    t.clock.advanceHours(24 * 7 + 1)
    expect(await t.cloud.runTimer('cases', 'tick')).toMatchObject({ ok: true, data: { closed: 1 } })
    expect((await get(P.resident, f.id)).status).toBe('closed')
  })
})

describe('settings, the street and privacy', () => {
  it('a per-community setting changes a deadline, within bounds only an admin may set', async () => {
    const denied = await t.call(P.staff, 'cases', 'saveSettings', { acceptHours: 12 })
    expect(!denied.ok && denied.error.code).toBe('FORBIDDEN')
    const bad = await t.call(P.admin, 'cases', 'saveSettings', { acceptHours: 1, urgentAcceptHours: 2 })
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ path: 'urgentAcceptHours' }] } })
    const out = await t.call(P.admin, 'cases', 'saveSettings', { acceptHours: 500 })
    expect(!out.ok && out.error.code).toBe('INVALID_INPUT')
    expect(await t.ok(P.admin, 'cases', 'saveSettings', { acceptHours: 12 })).toMatchObject({ acceptHours: 12, resolveDays: 7 })
    const m = await write()
    expect(m.dueAt).toBe('2026-11-23T14:00:00.000Z')
    // Another community keeps the default.
    const other = await t.ok<CaseDetailT>(P.otherResident, 'cases', 'write', message)
    expect(other.dueAt).toBe('2026-11-24T02:00:00.000Z')
  })

  it('the street accepts a street-level case, sends one back, and sees each community’s figures side by side', async () => {
    const m = await write()
    let c = await ok(P.mediator1, 'escalate', m, { reason: '需要街道协调' })
    c = await ok(P.staff, 'escalate', await get(P.staff, m.id), { reason: '需街道协调水务' })
    expect(c.level).toBe('street')
    const queue = await t.ok(P.street, 'cases', 'queue', { kind: 'message' })
    expect(queue.items.map((i: { id: string }) => i.id)).toEqual([m.id])
    const accepted = await ok(P.street, 'accept', await get(P.street, m.id))
    expect(accepted).toMatchObject({ status: 'accepted', assigneeName: '周国强' })
    const back = await ok(P.street, 'sendBack', accepted, { note: '请社区先与水务对接' })
    expect(back).toMatchObject({ level: 'community', status: 'submitted' })
    await t.ok(P.otherResident, 'cases', 'write', message)
    const figures = await t.ok(P.street, 'cases', 'stats', { kind: 'message', month: '2026-11' })
    expect(figures.byCommunity).toEqual([
      expect.objectContaining({ name: '翠湖社区', row: expect.objectContaining({ received: 1 }) }),
      expect.objectContaining({ name: '金桥社区', row: expect.objectContaining({ received: 1 }) }),
    ])
    expect(figures.total.received).toBe(2)
  })

  it('a resident never sees another’s private message, nor another community’s staff', async () => {
    const m = await write()
    for (const who of [P.resident2, P.otherResident, P.otherStaff]) {
      const r = await t.call(who, 'cases', 'get', { id: m.id })
      expect(r).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    }
    expect((await t.ok(P.resident2, 'cases', 'mine', { kind: 'message' })).items).toEqual([])
  })
})

describe('the 留言墙', () => {
  it('shows only messages staff approved, redacted: phone, room and registered names gone', async () => {
    const text = '我是3栋1202的孙丽，电话13812345678，楼下李秀梅家装修太吵，建议规定装修时间。'
    const m = await write(P.resident, { category: '建议', text, wantsPublic: true })
    await write(P.resident2, { category: '建议', text: '希望增加健身器材', wantsPublic: false })
    const replied = await ok(P.staff, 'reply', m, { text: '已制定装修管理规定，孙丽您好，感谢建议。' })
    expect((await t.ok(P.resident2, 'cases', 'wall', {})).items).toEqual([])
    const draft = await t.ok(P.staff, 'cases', 'wallDraft', { id: m.id })
    expect(draft.text).not.toMatch(/13812345678|1202|孙丽|李秀梅/)
    expect(draft.reply).not.toContain('孙丽')
    expect(draft.hidden.map((h: { kind: string }) => h.kind)).toEqual(expect.arrayContaining(['phone', 'room', 'name']))
    // What staff approve is redacted again: a phone typed back in does not get through.
    const published = await ok(P.staff, 'publish', replied, { text: `${draft.text} 联系13812345678`, reply: draft.reply })
    expect(published.wall).toMatchObject({ status: 'published' })
    const wall = await t.ok(P.resident2, 'cases', 'wall', {})
    expect(wall.items).toHaveLength(1)
    expect(wall.items[0].text).not.toMatch(/13812345678|1202|孙丽|李秀梅/)
    expect(wall.items[0].reply).toContain('感谢建议')
    expect((await t.ok(P.otherResident, 'cases', 'wall', {})).items).toEqual([]) // another community's wall
    await ok(P.staff, 'unpublish', published, { reason: '居民要求撤下' })
    expect((await t.ok(P.resident2, 'cases', 'wall', {})).items).toEqual([])
  })

  it('a fresh instance starts from the names kept by the last gathering, and still hides a name registered since', async () => {
    const first = await write(P.resident, { category: '建议', text: '孙丽建议增加健身器材', wantsPublic: true })
    expect((await t.ok(P.staff, 'cases', 'wallDraft', { id: first.id })).text).not.toContain('孙丽')
    const kept = (await t.cloud.db.collection<{ names: string[] }>('wall_names').doc(CUIHU).get()).data
    expect(kept.names).toEqual(expect.arrayContaining(['孙丽', '李秀梅']))
    // A day and a half later a new resident registers with her name; another day and a half later a
    // fresh instance (nothing kept in memory) drafts a message naming her: older than the last day,
    // so found by reading what changed since the kept names were gathered.
    t.clock.advance(36 * 3600_000)
    await t.ok('wall-new-person', 'user', 'onboard', { communityId: CUIHU, estateId: 'e-cuiyuan', buildingId: 'b-cy-1', unitId: 'b-cy-1-u1', room: '1902', name: '钱多多' })
    t.clock.advance(36 * 3600_000)
    coldStart(t.cloud.platform)
    const m = await write(P.resident2, { category: '建议', text: '钱多多和孙丽都说楼道灯坏了', wantsPublic: true })
    const draft = await t.ok(P.staff, 'cases', 'wallDraft', { id: m.id })
    expect(draft.text).not.toMatch(/钱多多|孙丽/)
    expect((await t.cloud.db.collection<{ names: string[] }>('wall_names').doc(CUIHU).get()).data.names).toContain('钱多多')
  })

  it('a message the resident did not want public cannot be published', async () => {
    const m = await write()
    const r = await act(P.staff, 'publish', m, { text: '内容' })
    expect(r).toMatchObject({ ok: false, error: { code: 'PRECONDITION_FAILED', message: expect.stringContaining('没有选择公开') } })
  })
})

describe('templates', () => {
  it('create, edit, list and delete per community; another community cannot touch them', async () => {
    const tpl = await t.ok(P.staff, 'cases', 'saveTemplate', { title: '已收到', text: '您好，您的留言已收到，我们会尽快处理。' })
    const edited = await t.ok(P.mediator1, 'cases', 'saveTemplate', { id: tpl.id, title: '已收到', text: '您好，已收到，三个工作日内答复。' })
    expect(edited.text).toContain('三个工作日')
    expect((await t.ok(P.mediator1, 'cases', 'templates', {})).items).toHaveLength(1)
    expect((await t.ok(P.otherStaff, 'cases', 'templates', {})).items).toEqual([])
    const foreign = await t.call(P.otherStaff, 'cases', 'saveTemplate', { id: tpl.id, title: '改', text: '改掉' })
    expect(foreign).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    const foreignDelete = await t.call(P.otherStaff, 'cases', 'deleteTemplate', { id: tpl.id })
    expect(!foreignDelete.ok && foreignDelete.error.code).toBe('NOT_FOUND')
    expect((await t.ok(P.staff, 'cases', 'templates', {})).items[0].text).toContain('三个工作日')
    await t.ok(P.staff, 'cases', 'deleteTemplate', { id: tpl.id })
    expect(await t.count('reply_templates')).toBe(0)
    const resident = await t.call(P.resident, 'cases', 'templates', {})
    expect(!resident.ok && resident.error.code).toBe('FORBIDDEN')
  })
})

describe('bad input: a clear Chinese error and nothing written', () => {
  it.each([
    ['empty text', { text: '   ' }, 'text', /请写下/],
    ['1001 characters', { text: '字'.repeat(1001) }, 'text', /最多 1000 个字/],
    ['a dispute category', { category: '噪音' }, 'category', /留言类型/],
  ])('writing with %s', async (_l, extra, path, msg) => {
    const r = await t.call(P.resident, 'cases', 'write', { ...message, ...extra })
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.issues?.find((i) => i.path === path)?.message).toMatch(msg)
    expect(await t.count('cases')).toBe(0)
  })

  it('a resident answering someone else’s message, staff approving another community’s, a template of another community', async () => {
    const m = await write()
    const before = (await t.cloud.db.collection('cases').doc(m.id).get()).data
    const foreign = await act(P.resident2, 'answer', m, { text: '我也有同样的问题' })
    expect(foreign).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringMatching(/没有找到/) } })
    const mm = await write(P.resident, { wantsPublic: true })
    const publish = await act(P.otherStaff, 'publish', mm, { text: '内容' })
    expect(publish).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringContaining('本社区') } })
    const tpl = await t.ok(P.staff, 'cases', 'saveTemplate', { title: '已收到', text: '已收到。' })
    const foreignTpl = await t.call(P.otherStaff, 'cases', 'deleteTemplate', { id: tpl.id })
    expect(!foreignTpl.ok && foreignTpl.error.message).toMatch(/没有找到这条常用回复/)
    expect((await t.cloud.db.collection('cases').doc(m.id).get()).data).toEqual(before)
    expect(await t.count('reply_templates')).toBe(1)
  })
})

it('after a scripted month of messages the counters equal a from-scratch count, per category and per staff member', async () => {
  const who = [P.resident, P.resident2, P.volunteer, P.party]
  const cats = ['咨询', '建议', '投诉', '报修', '表扬']
  for (let day = 0; day < 20; day++) {
    const todays: CaseDetailT[] = []
    for (let i = 0; i < 3; i++) todays.push(await write(who[(day + i) % 4], { category: cats[(day + i) % 5], utility: i === 2 }))
    t.clock.advanceHours(day % 4 === 0 ? 26 : 3)
    for (const [i, m] of todays.entries()) {
      const handler = m.level === 'grid' ? (m.gridName === '翠湖第一网格' ? P.mediator1 : P.mediator2) : P.staff
      const r = await act(handler, i === 1 ? 'requestInfo' : 'reply', m, { text: '收到，正在处理。' })
      if (!r.ok) throw new Error(JSON.stringify(r.error))
      let c = r.data
      if (i === 1) c = await ok(m.level === 'grid' ? who[(day + i) % 4] : who[(day + i) % 4], 'answer', await get(who[(day + i) % 4], m.id), { text: '补充如下。' })
      c = await get(handler, m.id)
      c = day % 5 === 4 ? await ok(handler, 'fail', c, { reason: '超出社区职责范围' }) : await ok(handler, 'resolve', c, { agreement: '已处理完毕。' })
      if (c.status === 'resolved' && i === 0) await ok(who[(day + i) % 4], 'rate', await get(who[(day + i) % 4], m.id), { satisfaction: day % 2 ? 'satisfied' : 'basically' })
    }
    t.clock.advanceHours(12)
  }
  t.clock.advanceHours(24 * 10)
  await t.cloud.runTimer('cases', 'tick')
  for (const month of ['2026-11', '2026-12']) {
    const stored = await t.cloud.db
      .collection<Record<string, unknown>>('case_stats')
      .doc(statsId('message', CUIHU, month))
      .get()
      .then((r) => r.data)
      .catch(() => null)
    if (!stored) continue
    const { _id, ...rest } = stored
    void _id
    expect(rest).toEqual(await recountMonth({ db: t.cloud.db, _: t.cloud.db.command }, 'message', CUIHU, month))
  }
  const figures = await t.ok(P.staff, 'cases', 'stats', { kind: 'message', month: '2026-11' })
  expect(figures.total.received).toBeGreaterThan(20)
  expect(figures.byStaff.length).toBeGreaterThanOrEqual(2)
  expect(figures.total.rated).toBeGreaterThan(0)
})
