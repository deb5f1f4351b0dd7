/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are read loosely in these tests */
/**
 * 我的数据 and 注销 (issue 14) through serve() on the local cloud with a fake clock: the export holds
 * the person's records of every feature and nothing of anyone else's; after a deletion no read
 * action answers their name, phone or room, while the figures stay as they were.
 */
import readXlsxFile from 'read-excel-file/node'
import { testCloud, type TestCloud } from '../support/cloud'
import { DEMO } from '../../cloudfunctions/src/local/seed'
import type { CaseDetailT } from '../../src/shared/api/cases'
import type { MyDataOutT } from '../../src/shared/api/privacy'

const P = DEMO.people
const ME = 'test-ouyang'
const NAME = '欧阳丽娜'
const PHONE = '13912345678'
const MASKED = '139****5678'
const ROOM = 'X907'
const HOUSEHOLD = `b-cy-1-u1:${ROOM}`
const LEAKS = [NAME, PHONE, MASKED, ROOM]

let t: TestCloud
beforeEach(async () => {
  // Monday 2026-11-23 10:00 Shanghai
  t = await testCloud({ start: '2026-11-23T02:00:00Z' })
})
afterEach(() => t.close())

const ref = (c: { id: string; version: number }) => ({ id: c.id, version: c.version })

/** A new resident of 翠园小区 1栋 1单元 X907 (grid 张伟), verified by staff. */
async function onboard(): Promise<void> {
  await t.ok(ME, 'user', 'onboard', { communityId: 'c-cuihu', estateId: 'e-cuiyuan', buildingId: 'b-cy-1', unitId: 'b-cy-1-u1', room: ROOM, name: NAME, phone: PHONE })
  await t.ok(P.staff, 'user', 'verify', { openid: ME })
}

/** Something in every feature, with the person's name, phone and room in their own words and in others'. */
async function liveALife(): Promise<{ dispute: CaseDetailT; message: CaseDetailT; bookingId: string }> {
  // 邻里纠纷: submitted, handled, rated.
  let d = await t.ok<CaseDetailT>(ME, 'cases', 'submit', {
    kind: 'dispute',
    category: '漏水',
    description: `我是1栋${ROOM}的${NAME}，电话${PHONE}，楼上卫生间漏水。`,
    location: { buildingId: 'b-cy-1', unitId: 'b-cy-1-u1' },
    urgency: 'normal',
  })
  d = await t.ok(P.mediator1, 'cases', 'accept', ref(d))
  d = await t.ok(P.mediator1, 'cases', 'start', ref(d))
  d = await t.ok(P.mediator1, 'cases', 'resolve', { ...ref(d), agreement: `已联系楼上维修，${NAME}（${PHONE}）确认。` })
  d = await t.ok(ME, 'cases', 'rate', { ...ref(d), satisfaction: 'satisfied', comment: `${NAME}很满意` })
  expect(d.status).toBe('closed')
  // 居民留言: answered by name, published to the wall, closed.
  let m = await t.ok<CaseDetailT>(ME, 'cases', 'write', { category: '建议', text: `我是${ROOM}的${NAME}，建议楼道加装扶手，电话${PHONE}。`, wantsPublic: true })
  m = await t.ok(P.staff, 'cases', 'reply', { ...ref(m), text: `${NAME}您好，扶手已列入计划。` })
  const draft = await t.ok(P.staff, 'cases', 'wallDraft', { id: m.id })
  m = await t.ok(P.staff, 'cases', 'publish', { ...ref(m), text: draft.text, reply: draft.reply })
  m = await t.ok(P.staff, 'cases', 'resolve', { ...ref(m), agreement: '已列入明年计划' })
  m = await t.ok(ME, 'cases', 'rate', { ...ref(m), satisfaction: 'satisfied' })
  // 场地预约 (needs approval: staff are told the contact's name), then cancelled.
  const b = await t.ok(ME, 'booking', 'book', {
    roomId: 'room-duogong',
    date: '2026-11-25',
    startSlot: '14:00',
    slotCount: 2,
    purpose: `${NAME}组织的楼栋议事会`,
    attendees: 10,
    contactName: NAME,
    contactPhone: PHONE,
  })
  await t.ok(ME, 'booking', 'cancel', { id: b.id, version: b.version, reason: '改期' })
  // 志愿服务: signed up with name and phone, a bonus, the activity over (the boards keep the name).
  await t.ok(ME, 'volunteer', 'signUp', { id: 'act-clean', name: NAME, phone: PHONE, consent: true })
  await t.ok(P.staff, 'volunteer', 'bonus', { openid: ME, points: 15, reason: `${NAME}主动组织邻居参与` })
  // 物业评价 with a comment that names them.
  await t.ok(ME, 'property', 'rate', {
    companyId: 'pc-anju',
    stars: { security: 4, cleaning: 3, repair: 2, greening: 4, attitude: 5, fees: 3 },
    comment: `我是${ROOM}的${NAME}，维修太慢`,
  })
  // 网格: a care tag and a visit naming them.
  await t.ok(P.mediator1, 'grid', 'tag', { id: HOUSEHOLD, tag: '独居老人', on: true, reason: `${NAME}独居` })
  await t.ok(P.mediator1, 'grid', 'visit', { id: HOUSEHOLD, found: `${NAME}身体不错，电话${PHONE}畅通。` })
  return { dispute: d, message: m, bookingId: b.id }
}

/** Someone else's records beside theirs: none of it may appear in their export. */
async function neighbour(): Promise<void> {
  await t.ok(P.resident, 'cases', 'submit', {
    kind: 'dispute',
    category: '噪音',
    description: '邻居孙丽家的狗夜里一直叫，影响休息。',
    location: { buildingId: 'b-cy-1', unitId: 'b-cy-1-u1' },
    urgency: 'normal',
  })
  await t.ok(P.resident, 'booking', 'book', {
    roomId: 'room-huiyi',
    date: '2026-11-24',
    startSlot: '09:00',
    slotCount: 2,
    purpose: '孙丽的读书会',
    attendees: 8,
    contactName: '孙丽',
    contactPhone: '13800001008',
  })
  await t.ok(P.resident, 'volunteer', 'signUp', { id: 'act-clean' })
  await t.ok(P.resident, 'property', 'rate', { companyId: 'pc-anju', stars: { security: 5, cleaning: 5, repair: 5, greening: 5, attitude: 5, fees: 5 }, comment: '孙丽觉得保洁很好' })
}

describe('我的数据: the export', () => {
  it('holds the person’s records of every feature, and nothing of anyone else’s', async () => {
    await onboard()
    await neighbour()
    const { dispute, message, bookingId } = await liveALife()
    const data = await t.ok<MyDataOutT>(ME, 'privacy', 'mine', {})
    const byKey = Object.fromEntries(data.sections.map((s) => [s.key, s]))
    expect(Object.keys(byKey)).toEqual(['profile', 'disputes', 'messages', 'bookings', 'volunteer', 'points', 'ratings', 'notices', 'grid'])
    const text = (key: string) => JSON.stringify(byKey[key])
    expect(text('profile')).toContain(NAME)
    expect(text('profile')).toContain(PHONE) // their own phone, in full
    expect(text('profile')).toContain(ROOM)
    expect(byKey.disputes.items.map((i) => i.id)).toEqual([dispute.id])
    expect(text('disputes')).toContain('楼上卫生间漏水')
    expect(byKey.messages.items.map((i) => i.id)).toEqual([message.id])
    expect(text('messages')).toContain('扶手已列入计划') // the reply in their thread
    expect(byKey.bookings.items.map((i) => i.id)).toEqual([bookingId])
    expect(text('bookings')).toContain('已取消')
    expect(byKey.volunteer.items).toHaveLength(1)
    expect(text('volunteer')).toContain('翠园小区楼道清理')
    expect(text('points')).toContain('主动组织邻居参与')
    expect(byKey.ratings.items).toHaveLength(1)
    expect(text('ratings')).toContain('维修太慢')
    expect(byKey.notices.count).toBeGreaterThan(0)
    // Grid records: that they exist, never the tag or the visit's words.
    expect(text('grid')).toMatch(/1 项/)
    expect(text('grid')).not.toMatch(/独居|身体不错/)
    expect(data.deletion).toBeNull()
    // Nothing of the neighbour's: their words, name, phone, booking, rating.
    const all = JSON.stringify(data)
    for (const other of ['孙丽', '13800001008', '狗夜里', '读书会', '保洁很好', P.resident]) expect([other, all.includes(other)]).toEqual([other, false])
    // And the neighbour's export holds nothing of theirs.
    const theirs = JSON.stringify(await t.ok(P.resident, 'privacy', 'mine', {}))
    for (const leak of [...LEAKS, '楼上卫生间漏水', '维修太慢']) expect([leak, theirs.includes(leak)]).toEqual([leak, false])
  })

  it('a visitor who never onboarded holds nothing', async () => {
    const data = await t.ok<MyDataOutT>('stranger', 'privacy', 'mine', {})
    expect(data).toMatchObject({ sections: [], deletion: null })
  })
})

/** Every read action that shows people, as the people who may call it. */
async function everyRead(ids: { dispute: string; message: string; booking: string }): Promise<Array<[string, unknown]>> {
  const calls: Array<[string, string, string, unknown]> = [
    [P.staff, 'cases', 'queue', { kind: 'dispute', status: 'closed' }],
    [P.staff, 'cases', 'queue', { kind: 'message', status: 'closed' }],
    [P.mediator1, 'cases', 'queue', { kind: 'dispute', status: 'closed' }],
    [P.staff, 'cases', 'get', { id: ids.dispute }],
    [P.mediator1, 'cases', 'get', { id: ids.dispute }],
    [P.staff, 'cases', 'get', { id: ids.message }],
    [P.staff, 'cases', 'wallDraft', { id: ids.message }],
    [P.resident2, 'cases', 'wall', {}],
    [P.staff, 'cases', 'stats', { kind: 'dispute', month: '2026-11' }],
    [P.staff, 'booking', 'get', { id: ids.booking }],
    [P.staff, 'booking', 'pending', {}],
    [P.staff, 'booking', 'calendar', { date: '2026-11-23', span: 'week' }],
    [P.staff, 'volunteer', 'roster', { id: 'act-clean' }],
    [P.staff, 'volunteer', 'leaderboard', { period: 'month' }],
    [P.resident2, 'volunteer', 'leaderboard', { period: 'year' }],
    [P.resident2, 'property', 'comments', { id: 'pc-anju' }],
    [P.staff, 'property', 'comments', { id: 'pc-anju' }],
    [P.staff, 'grid', 'mine', {}],
    [P.mediator1, 'grid', 'households', { gridId: 'g-cuihu-1' }],
    [P.mediator1, 'grid', 'household', { id: HOUSEHOLD }],
    [P.mediator1, 'grid', 'due', { gridId: 'g-cuihu-1' }],
    [P.staff, 'user', 'residents', { pageSize: 50 }],
    [P.mediator1, 'user', 'residents', { pageSize: 50 }],
    [P.staff, 'inbox', 'list', { pageSize: 50 }],
    [P.mediator1, 'inbox', 'list', { pageSize: 50 }],
    [P.staff, 'privacy', 'deletions', { state: 'pending' }],
    [P.staff, 'privacy', 'deletions', { state: 'done' }],
    [ME, 'privacy', 'mine', {}],
    [ME, 'user', 'me', {}],
  ]
  const out: Array<[string, unknown]> = []
  for (const [who, fn, action, payload] of calls) out.push([`${fn}.${action} as ${who}`, await t.call(who, fn, action, payload)])
  // The volunteer export (.xlsx), read back.
  const x = await t.ok(P.staff, 'volunteer', 'export', { from: '2026-11-01', to: '2026-11-30' })
  out.push(['volunteer.export rows', await readXlsxFile(Buffer.from(x.base64, 'base64'))])
  return out
}

describe('注销: a deletion', () => {
  it('removes their name, phone and room from every read action; cases stay anonymised; figures unchanged', async () => {
    await onboard()
    await neighbour()
    const { dispute, message, bookingId } = await liveALife()
    // The activity is over: the job credits it and keeps the volunteers' names for the boards.
    t.clock.set('2026-11-26T05:00:00Z')
    await t.cloud.runTimer('volunteer', 'tick')
    expect(JSON.stringify(await t.ok(P.staff, 'volunteer', 'leaderboard', { period: 'month' }))).toContain(NAME)

    const figures = async () => ({
      disputes: (await t.ok(P.staff, 'cases', 'stats', { kind: 'dispute', month: '2026-11' })).total,
      messages: (await t.ok(P.staff, 'cases', 'stats', { kind: 'message', month: '2026-11' })).total,
      visits: (await t.ok(P.staff, 'grid', 'stats', { month: '2026-11' })).grids.map((g: any) => [g.gridId, g.visits, g.visitsOnTime]),
      board: (await t.ok(P.staff, 'volunteer', 'leaderboard', { period: 'month' })).items.map((i: any) => [i.points, i.hours]),
      sums: (await t.cloud.db.collection('rating_sums').doc('c-cuihu:pc-anju:2026Q4').get()).data,
      cases: await t.count('cases'),
      bookings: await t.count('bookings'),
      ratings: await t.count('property_ratings'),
      visitsKept: await t.count('visits'),
    })
    const before = await figures()
    // The sweep below reaches their data: before the deletion, most of its answers show them.
    const ids = { dispute: dispute.id, message: message.id, booking: bookingId }
    const showing = (await everyRead(ids)).filter(([, answer]) => LEAKS.some((leak) => JSON.stringify(answer).includes(leak))).map(([what]) => what)
    expect(showing).toEqual(expect.arrayContaining(['cases.get as demo-staff-li', 'booking.get as demo-staff-li', 'volunteer.roster as demo-staff-li', 'property.comments as demo-res-wu', 'grid.household as demo-grid-zhang', 'inbox.list as demo-staff-li', 'volunteer.leaderboard as demo-res-wu', 'user.residents as demo-staff-li', 'volunteer.export rows']))

    const asked = await t.ok(ME, 'privacy', 'requestDeletion', { reason: '搬离本社区' })
    expect(asked).toMatchObject({ state: 'pending', stateLabel: '待社区办理' })
    const pending = await t.ok(P.staff, 'privacy', 'deletions', { state: 'pending' })
    expect(pending.items).toMatchObject([{ openid: ME, name: NAME, phoneMasked: MASKED, state: 'pending' }])
    // Only the community's staff complete it.
    expect(await t.call(P.resident, 'privacy', 'completeDeletion', { openid: ME })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await t.call(ME, 'privacy', 'completeDeletion', { openid: ME })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await t.call(P.mediator1, 'privacy', 'completeDeletion', { openid: ME })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await t.call(P.otherStaff, 'privacy', 'completeDeletion', { openid: ME })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await t.count('users', { _id: ME })).toBe(1)

    const done = await t.ok(P.staff, 'privacy', 'completeDeletion', { openid: ME })
    expect(done).toMatchObject({ state: 'done', stateLabel: '已注销', name: '已注销居民', phoneMasked: null, doneByName: '李秀梅' })
    // Pressing again answers the same (nothing left to do).
    expect(await t.ok(P.staff, 'privacy', 'completeDeletion', { openid: ME })).toMatchObject({ state: 'done' })

    // The person sees the request's state (their record is gone: they are a visitor again).
    const theirs = await t.ok<MyDataOutT>(ME, 'privacy', 'mine', {})
    expect(theirs).toMatchObject({ sections: [], deletion: { state: 'done', stateLabel: '已注销' } })
    expect(await t.ok(ME, 'user', 'me', {})).toMatchObject({ profile: null })

    // Cases stay, anonymised.
    const kept = await t.ok<CaseDetailT>(P.staff, 'cases', 'get', { id: dispute.id })
    expect(kept).toMatchObject({ status: 'closed', submitter: { name: '已注销居民', phone: null } })
    expect(kept.description).toContain('楼上卫生间漏水')
    expect(kept.timeline.map((e) => e.byName)).toContain('已注销居民')
    expect((await t.ok<CaseDetailT>(P.staff, 'cases', 'get', { id: message.id })).thread[0].byName).toBe('已注销居民')

    // No read action answers their name, phone or room, to anyone.
    for (const [what, answer] of await everyRead(ids)) {
      const s = JSON.stringify(answer)
      for (const leak of LEAKS) expect([what, leak, s.includes(leak)]).toEqual([what, leak, false])
    }
    // Nor does any stored document (the records the figures count stay, without them).
    for (const c of ['users', 'cases', 'bookings', 'signups', 'points_ledger', 'volunteer_totals', 'property_ratings', 'households', 'visits', 'notifications', 'deletion_requests']) {
      const docs = JSON.stringify((await t.cloud.db.collection(c).limit(1000).get()).data)
      for (const leak of LEAKS) expect([c, leak, docs.includes(leak)]).toEqual([c, leak, false])
    }
    expect(await figures()).toEqual(before)
  })

  it('waits while something is in progress, and a person may withdraw a request not yet done', async () => {
    await onboard()
    const d = await t.ok<CaseDetailT>(ME, 'cases', 'submit', {
      kind: 'dispute',
      category: '噪音',
      description: '楼上夜里装修太吵。',
      location: { buildingId: 'b-cy-1' },
      urgency: 'normal',
    })
    await t.ok(ME, 'privacy', 'requestDeletion', {})
    const busy = await t.call(P.staff, 'privacy', 'completeDeletion', { openid: ME })
    expect(busy).toMatchObject({ ok: false, error: { code: 'PRECONDITION_FAILED', message: expect.stringContaining('纠纷 1 件') } })
    expect(await t.count('users', { _id: ME })).toBe(1)
    await t.ok(ME, 'cases', 'withdraw', ref(d))
    expect(await t.ok(ME, 'privacy', 'cancelDeletion', {})).toMatchObject({ state: 'cancelled' })
    expect(await t.call(P.staff, 'privacy', 'completeDeletion', { openid: ME })).toMatchObject({ ok: false, error: { code: 'PRECONDITION_FAILED' } })
    expect((await t.ok(P.staff, 'privacy', 'deletions', { state: 'pending' })).items).toEqual([])
    // Staff with a working role are refused at once.
    expect(await t.call(P.mediator1, 'privacy', 'requestDeletion', {})).toMatchObject({ ok: false, error: { code: 'PRECONDITION_FAILED' } })
  })
})
