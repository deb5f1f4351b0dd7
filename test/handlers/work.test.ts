/**
 * 工作台 (`work.summary`, `work.badge`) through serve() on the local cloud with a fake clock. One
 * world, built through the real functions a week apart so some things are overdue:
 *
 * Monday 2026-11-16 10:00 (a week before):
 * - dispute A (孙丽, grid 1): 张伟 accepts and starts it — its 7-day deadline ends with the 23rd;
 * - message M1 (赵磊, grid 1): never answered — its 24 h passed;
 * - 金桥: dispute E (郭晓燕) sent to the street by 郑晓 — its 24 h at the street passed;
 * - a 书画室 booking (吴敏) for the 24th at 11:00, confirmed — started, not checked in.
 * Tuesday 2026-11-24 12:00 (now):
 * - disputes B (吴敏, grid 2) and C (赵磊, grid 1, 紧急: 2 h); message M2 (孙丽, grid 1);
 *   a patrol report (张伟); 金桥: dispute F (郭晓燕) at the community;
 * - pending bookings of 多功能活动室: tomorrow 09:00 (within 24 h: overdue) and in 3 days;
 *   a 书画室 booking today at 15:00; 金桥活动室: one pending;
 * - the seed's 文明养犬劝导 today at 18:30 (its QR), an activity on the 26th (its roster);
 * - 20 households rate 安居物业 within the hour (a flagged burst); an appeal of 锦华物业 pending;
 * - a new resident of grid 1 not verified (and the seed's 黄海, grid 3);
 * - 何桂英 (grid 1) visited 16 days ago (overdue), 孙丽's household 12 days ago (due in 2 days).
 */
import { testCloud, type TestCloud } from '../support/cloud'
import { DEMO, demoPlaces, seedDemoActivity } from '../../cloudfunctions/src/local/seed'
import type { WorkGroupT, WorkSummaryT } from '../../src/shared/api/work'
import type { UserDoc } from '../../src/shared/domain/user'

const P = DEMO.people
const C = DEMO.communities.cuihu
const J = DEMO.communities.jinqiao
let t: TestCloud
const ids: Record<string, string> = {}

type Ref = { id: string; version: number }
const ref = (c: Ref) => ({ id: c.id, version: c.version })
const dispute = (who: string, buildingId: string, description: string, urgency: 'normal' | 'urgent' = 'normal') =>
  t.ok<Ref>(who, 'cases', 'submit', { kind: 'dispute', category: '噪音', description, location: { buildingId }, urgency })

/** `n` verified households of 翠园小区 (served by 安居物业), written as records (as property.test does). */
async function raters(n: number): Promise<string[]> {
  const units = demoPlaces().places.filter((p) => p.kind === 'unit' && p.estateId === 'e-cuiyuan')
  const now = t.clock.now()
  const docs: UserDoc[] = Array.from({ length: n }, (_, i) => {
    const u = units[i % units.length]
    const room = String(1600 + i)
    return {
      _id: `work-rater-${i}`,
      name: `住户${i}`,
      roles: ['resident'],
      verified: true,
      address: { streetId: u.streetId, communityId: C, estateId: u.estateId!, buildingId: u.buildingId!, unitId: u._id, room, gridId: u.gridId ?? null },
      householdId: `${u._id}:${room}`,
      gridIds: [],
      createdAt: now,
      updatedAt: now,
      version: 1,
    }
  })
  await t.cloud.db.collection('users').add({ data: docs as unknown as Record<string, unknown>[] })
  return docs.map((d) => d._id)
}

const book = (who: string, roomId: string, date: string, start: string, end: string, name: string, phone: string) =>
  t.ok<Ref>(who, 'booking', 'book', { roomId, date, start, end, purpose: '居民活动', attendees: 6, contactName: name, contactPhone: phone })

beforeAll(async () => {
  // Monday 2026-11-16 10:00 Shanghai.
  t = await testCloud({ start: '2026-11-16T02:00:00Z' })
  let a = await dispute(P.resident, 'b-cy-1', '楼上每晚拖动家具')
  a = await t.ok(P.mediator1, 'cases', 'accept', ref(a))
  a = await t.ok(P.mediator1, 'cases', 'start', ref(a))
  ids.A = a.id
  ids.M1 = (await t.ok<Ref>(P.party, 'cases', 'write', { category: '报修', text: '2 栋 2 单元楼道灯坏了' })).id
  const e = await t.ok<Ref>(P.otherResident, 'cases', 'submit', { kind: 'dispute', category: '宠物', description: '隔壁的狗每天夜里叫', location: { buildingId: 'b-jq-2' } })
  ids.E = (await t.ok<Ref>(P.otherStaff, 'cases', 'escalate', { ...ref(e), reason: '需街道协调执法' })).id
  ids.lateCheckin = (await book(P.resident2, 'room-shuhua', '2026-11-24', '11:00', '12:00', '吴敏', '13800001009')).id

  // Tuesday 2026-11-24 12:00.
  t.clock.set('2026-11-24T04:00:00Z')
  ids.B = (await dispute(P.resident2, 'b-cy-3', '楼上漏水')).id
  ids.C = (await dispute(P.party, 'b-cy-2', '楼道被堵', 'urgent')).id
  ids.M2 = (await t.ok<Ref>(P.resident, 'cases', 'write', { category: '咨询', text: '加装电梯的补贴怎么申请？' })).id
  ids.EV = (await t.ok<Ref>(P.mediator1, 'cases', 'report', { type: '安全隐患', description: '消防通道被电动车堵住', location: { buildingId: 'b-cy-2' } })).id
  ids.F = (await t.ok<Ref>(P.otherResident, 'cases', 'submit', { kind: 'dispute', category: '停车', description: '车位被长期占用', location: { buildingId: 'b-jq-1' } })).id
  ids.soon = (await book(P.volunteer, 'room-duogong', '2026-11-25', '09:00', '10:00', '陈静', '13800001006')).id
  ids.later = (await book(P.resident, 'room-duogong', '2026-11-27', '14:00', '15:00', '孙丽', '13800001008')).id
  ids.checkin = (await book(P.party, 'room-shuhua', '2026-11-24', '15:00', '16:00', '赵磊', '13800001007')).id
  ids.jqBooking = (await book(P.otherResident, 'room-jq-huodong', '2026-11-26', '10:00', '11:00', '郭晓燕', '13800001012')).id
  const act = await t.ok<Ref>(P.staff, 'volunteer', 'save', {
    title: '垃圾分类宣传', category: '文明劝导', description: '在南门设点讲解垃圾分类', place: '翠园小区南门', capacity: 10, points: 10, contact: '李秀梅',
    startAt: '2026-11-26T06:00:00Z', endAt: '2026-11-26T08:00:00Z', signupDeadline: '2026-11-25T12:00:00Z',
  })
  ids.activity = (await t.ok<Ref>(P.staff, 'volunteer', 'publish', ref(act))).id
  for (const who of await raters(20)) await t.ok(who, 'property', 'rate', { companyId: 'pc-anju', stars: { security: 1, cleaning: 1, repair: 1, greening: 1, attitude: 1, fees: 1 } })
  // The job counts bursts from the ratings: flagged at its next run.
  expect((await t.cloud.runTimer('property', 'tick')).ok).toBe(true)
  // An appeal the company's contact made against the published 2026Q3 result (fixture: the close itself is property.test's).
  await t.cloud.db.collection('property_results').doc(`${C}:pc-jinhua:2026Q3`).update({
    data: { appeal: t.cloud.db.command.set({ text: '违规记录有误', photos: [], by: P.propertyAnju, byName: '钱国平', at: t.clock.now(), state: 'pending', decision: null, decidedBy: null, decidedAt: null }) },
  })
  await t.ok('work-newcomer', 'user', 'onboard', { communityId: C, estateId: 'e-cuiyuan', buildingId: 'b-cy-1', unitId: 'b-cy-1-u2', room: '808', name: '新住户' })
  const elder = 'b-cy-2-u1:201'
  const sun = 'b-cy-1-u1:1202'
  for (const [id, days] of [[elder, 16], [sun, 12]] as const) {
    await t.ok(P.mediator1, 'grid', 'tag', { id, tag: '独居老人', on: true, reason: '独居' })
    await t.ok(P.mediator1, 'grid', 'visit', { id, at: new Date(t.clock.now().getTime() - days * 24 * 3600_000).toISOString(), found: '一切正常' })
  }
}, 120_000)
afterAll(() => t.close())

const summary = (who: string) => t.ok<WorkSummaryT>(who, 'work', 'summary', {})
const groupOf = (s: WorkSummaryT, key: WorkGroupT['key']) => {
  const g = s.groups.find((x) => x.key === key)
  if (!g) throw new Error(`no group ${key} in ${s.groups.map((x) => x.key).join(',')}`)
  return g
}
const brief = (g: WorkGroupT) => ({ count: g.count, overdue: g.overdue, items: g.items.map((i) => [i.id, i.overdue]) })

describe('work.summary: community staff', () => {
  let s: WorkSummaryT
  beforeAll(async () => {
    t.reports.length = 0
    s = await summary(P.staff)
  })

  it('lists every feature’s waiting items with their counts, overdue first then by deadline', () => {
    expect(brief(groupOf(s, 'disputes'))).toEqual({ count: 3, overdue: 1, items: [[ids.A, true], [ids.C, false], [ids.B, false]] })
    expect(brief(groupOf(s, 'messages'))).toEqual({ count: 2, overdue: 1, items: [[ids.M1, true], [ids.M2, false]] })
    expect(brief(groupOf(s, 'events'))).toEqual({ count: 1, overdue: 0, items: [[ids.EV, false]] })
    expect(brief(groupOf(s, 'approvals'))).toEqual({ count: 2, overdue: 1, items: [[ids.soon, true], [ids.later, false]] })
    expect(brief(groupOf(s, 'checkins'))).toEqual({ count: 2, overdue: 1, items: [[ids.lateCheckin, true], [ids.checkin, false]] })
    expect(brief(groupOf(s, 'activities'))).toEqual({ count: 2, overdue: 0, items: [['act-civil', false], [ids.activity, false]] })
    const property = groupOf(s, 'property')
    expect({ count: property.count, note: property.note, tags: property.items.map((i) => i.tag) }).toEqual({ count: 2, note: '申诉 1 · 集中评价 1', tags: ['待处理申诉', '待核查'] })
    expect(brief(groupOf(s, 'residents'))).toEqual({ count: 2, overdue: 0, items: [['work-newcomer', false], [P.unverified, false]] })
    expect(brief(groupOf(s, 'visits'))).toEqual({ count: 2, overdue: 1, items: [['b-cy-2-u1:201', true], ['b-cy-1-u1:1202', false]] })
    expect(s.groups.some((g) => g.key === 'escalated')).toBe(false)
    expect(s.communities).toBeNull()
    expect({ total: s.total, overdue: s.overdue }).toEqual({ total: 3 + 2 + 1 + 2 + 2 + 2 + 2 + 2 + 2, overdue: 1 + 1 + 1 + 1 + 1 })
  })

  it('puts the groups with overdue items first', () => {
    expect(s.groups.map((g) => g.key)).toEqual(['disputes', 'messages', 'approvals', 'checkins', 'visits', 'events', 'activities', 'property', 'residents'])
  })

  it('links each item to the page where it is handled, with its id', () => {
    const links = Object.fromEntries(s.groups.map((g) => [g.key, g.items[0].link]))
    expect(links).toEqual({
      disputes: `/packages/dispute/pages/detail/index?id=${ids.A}`,
      messages: `/packages/message/pages/detail/index?id=${ids.M1}`,
      events: `/packages/grid/pages/event/index?id=${ids.EV}`,
      approvals: `/packages/booking/pages/detail/index?id=${ids.soon}`,
      checkins: `/packages/booking/pages/detail/index?id=${ids.lateCheckin}`,
      activities: '/packages/volunteer/pages/qr/index?id=act-civil',
      property: '/packages/property/pages/close/index?quarter=2026Q3',
      residents: '/packages/staff/pages/residents/index?filter=unverified',
      visits: '/packages/grid/pages/household/index?id=b-cy-2-u1%3A201&visit=1',
    })
    expect(groupOf(s, 'activities').items[1].link).toBe(`/packages/volunteer/pages/roster/index?id=${ids.activity}`)
    expect(groupOf(s, 'disputes').items[0]).toMatchObject({ tag: '调解中', dueText: '11月23日 23:59 前办结', overdue: true })
    expect(groupOf(s, 'disputes').items[1]).toMatchObject({ tag: '待受理', dueText: '11月24日 14:00 前受理' })
    expect(groupOf(s, 'messages').items[1]).toMatchObject({ tag: '待回复' })
  })

  it('reads every list through an index', () => {
    expect(t.reports.map((r) => `${r.kind} ${r.collection} ${JSON.stringify(r.where)}`)).toEqual([])
  })

  it('the badge counts the same without listing', async () => {
    expect(await t.ok(P.staff, 'work', 'badge', {})).toEqual({ total: s.total, overdue: s.overdue, countedAt: t.clock.now().getTime() })
  })
})

describe('work.summary: scope', () => {
  it('a grid worker sees the cases, residents and visits of their grids only', async () => {
    const s = await summary(P.mediator1)
    expect(s.groups.map((g) => g.key).sort()).toEqual(['disputes', 'messages', 'residents', 'visits'])
    expect(brief(groupOf(s, 'disputes'))).toEqual({ count: 2, overdue: 1, items: [[ids.A, true], [ids.C, false]] })
    expect(brief(groupOf(s, 'messages'))).toEqual({ count: 2, overdue: 1, items: [[ids.M1, true], [ids.M2, false]] })
    expect(brief(groupOf(s, 'residents'))).toEqual({ count: 1, overdue: 0, items: [['work-newcomer', false]] })
    expect(groupOf(s, 'visits').count).toBe(2)
  })

  it('staff of 金桥 never see 翠湖’s items, nor 翠湖’s staff 金桥’s', async () => {
    const [jq, cuihu] = await Promise.all([summary(P.otherStaff), summary(P.staff)])
    expect(brief(groupOf(jq, 'disputes'))).toEqual({ count: 1, overdue: 0, items: [[ids.F, false]] })
    expect(brief(groupOf(jq, 'approvals'))).toEqual({ count: 1, overdue: 0, items: [[ids.jqBooking, false]] })
    for (const k of ['messages', 'events', 'checkins', 'activities', 'property', 'residents', 'visits'] as const) expect([k, groupOf(jq, k).count]).toEqual([k, 0])
    const itemIds = (x: WorkSummaryT) => new Set(x.groups.flatMap((g) => g.items.map((i) => i.id)))
    const mine = itemIds(jq)
    const theirs = itemIds(cuihu)
    expect([...mine].filter((id) => theirs.has(id))).toEqual([])
    expect(theirs.has(ids.F) || theirs.has(ids.E) || theirs.has(ids.jqBooking)).toBe(false)
  })

  it('the street sees the cases escalated to it and each community’s figures', async () => {
    const s = await summary(P.street)
    expect(s.groups.map((g) => g.key)).toEqual(['escalated'])
    expect(brief(groupOf(s, 'escalated'))).toEqual({ count: 1, overdue: 1, items: [[ids.E, true]] })
    // 翠湖: A, B, C, M1, M2 and the patrol report (A and M1 overdue); 金桥: E (at the street, overdue) and F.
    expect(s.communities).toEqual([
      { id: C, name: '翠湖社区', open: 6, overdue: 2 },
      { id: J, name: '金桥社区', open: 2, overdue: 1 },
    ])
    expect(await t.ok(P.street, 'work', 'badge', {})).toMatchObject({ total: 1, overdue: 1 })
  })

  it('a resident, a property contact or a department calling: FORBIDDEN', async () => {
    for (const who of [P.resident, P.propertyAnju, P.department, P.volunteer]) {
      for (const action of ['summary', 'badge']) {
        const r = await t.call(who, 'work', action, {})
        expect([who, action, !r.ok && r.error.code]).toEqual([who, action, 'FORBIDDEN'])
      }
    }
  })
})

describe('work.summary: handling an item', () => {
  it('approving a booking and accepting a case take them off the workbench', async () => {
    const before = await summary(P.staff)
    const b = await t.ok(P.staff, 'booking', 'get', { id: ids.soon })
    await t.ok(P.staff, 'booking', 'approve', { id: ids.soon, version: b.version })
    const c = await t.ok(P.staff, 'cases', 'get', { id: ids.C })
    await t.ok(P.staff, 'cases', 'accept', ref(c))
    const after = await summary(P.staff)
    expect(brief(groupOf(after, 'approvals'))).toEqual({ count: 1, overdue: 0, items: [[ids.later, false]] })
    expect(brief(groupOf(after, 'disputes'))).toEqual({ count: 2, overdue: 1, items: [[ids.A, true], [ids.B, false]] })
    expect({ total: after.total, overdue: after.overdue }).toEqual({ total: before.total - 2, overdue: before.overdue - 1 })
    // The booking approved for tomorrow is not today's: check-ins are unchanged.
    expect(groupOf(after, 'checkins').count).toBe(2)
  })

  it('the badge is kept two minutes per scope: another staff member of the community reads it; after that it is counted again', async () => {
    const first = await t.ok<{ total: number; countedAt: number }>(P.staff, 'work', 'badge', {})
    const b = await t.ok(P.staff, 'booking', 'get', { id: ids.later })
    await t.ok(P.staff, 'booking', 'approve', { id: ids.later, version: b.version })
    t.clock.advance(90_000)
    // Within the two minutes: the kept count, and when it was counted (the client keeps the newer of it and the workbench's).
    expect(await t.ok(P.admin, 'work', 'badge', {})).toEqual(first)
    t.clock.advance(31_000)
    const again = await t.ok<{ total: number; countedAt: number }>(P.admin, 'work', 'badge', {})
    const now = await summary(P.admin)
    expect(again).toEqual({ total: now.total, overdue: now.overdue, countedAt: t.clock.now().getTime() })
    expect(again.total).toBeLessThan(first.total)
    // A grid worker's scope is their grids: not the community's count.
    expect((await t.ok<{ total: number }>(P.mediator1, 'work', 'badge', {})).total).toBe((await summary(P.mediator1)).total)
  })
})

describe('the demo data', () => {
  it('gives the demo staff something in every group, and the street its escalated case and both communities', async () => {
    // Monday 2026-11-23 10:00: today still has a slot for the demo's booking and activity.
    const demo = await testCloud({ start: '2026-11-23T02:00:00Z' })
    try {
      await seedDemoActivity((openid, fn, action, payload) => demo.cloud.call(fn, { action, payload }, openid), demo.clock.now(), (fn, trigger) => demo.cloud.runTimer(fn, trigger))
      const staff = await demo.ok<WorkSummaryT>(P.staff, 'work', 'summary', {})
      expect(Object.fromEntries(staff.groups.map((g) => [g.key, g.count > 0]))).toEqual({
        disputes: true, messages: true, events: true, approvals: true, checkins: true, activities: true, property: true, residents: true, visits: true,
      })
      const street = await demo.ok<WorkSummaryT>(P.street, 'work', 'summary', {})
      expect(street.groups.map((g) => [g.key, g.count])).toEqual([['escalated', 1]])
      expect(street.communities!.map((c) => [c.name, c.open > 0])).toEqual([['翠湖社区', true], ['金桥社区', true]])
    } finally {
      await demo.close()
    }
  })
})
