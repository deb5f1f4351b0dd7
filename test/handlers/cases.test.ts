/** Disputes on the case engine, through serve() on the local cloud with a fake clock. */
import { testCloud, type TestCloud } from '../support/cloud'
import { DEMO } from '../../cloudfunctions/src/local/seed'
import type { CaseDetailT } from '../../src/shared/api/cases'

const P = DEMO.people
let t: TestCloud
beforeEach(async () => {
  // Monday 2026-11-23 10:00 Shanghai
  t = await testCloud({ start: '2026-11-23T02:00:00Z' })
})
afterEach(() => t.close())

function photo(owner: string, name = 'leak.jpg'): string {
  return t.cloud.platform.saveUpload(owner, name, Buffer.from([0xff, 0xd8, 0xff, 0xd9]))
}

const base = {
  kind: 'dispute',
  category: '漏水',
  description: '楼上卫生间漏水，我家天花板已经发霉，请帮忙协调。',
  location: { buildingId: 'b-cy-1', unitId: 'b-cy-1-u1' },
  otherParty: { buildingId: 'b-cy-1', unitId: 'b-cy-1-u1', room: '1302' },
  urgency: 'normal',
}

async function submit(extra: Record<string, unknown> = {}, who: string = P.resident): Promise<CaseDetailT> {
  return t.ok(who, 'cases', 'submit', { ...base, ...extra })
}

const act = (who: string, action: string, c: { id: string; version: number }, extra: Record<string, unknown> = {}) =>
  t.call<CaseDetailT>(who, 'cases', action, { id: c.id, version: c.version, ...extra })

describe('submitting', () => {
  it('routes to the grid mediator, sets the accept deadline, notifies in-app and by subscribe message', async () => {
    const c = await submit({ photos: [photo(P.resident)] })
    expect(c).toMatchObject({ status: 'submitted', statusLabel: '待受理', level: 'grid', gridName: '翠湖第一网格', viewerRole: 'owner' })
    expect(c.dueAt).toBe('2026-11-24T02:00:00.000Z')
    expect(c.photos).toHaveLength(1)
    expect(c.photos[0].url).toMatch(/^\/files\/u\/demo-res-sun\/.+\?exp=\d+&sig=/)
    expect(c.otherParty).toBeNull() // never shown back to residents
    const unread = await t.ok(P.mediator1, 'inbox', 'unread')
    expect(unread.count).toBe(1)
    const outbox = await t.cloud.db.collection('outbox').where({ kind: 'subscribe', touser: P.mediator1 }).get()
    expect(outbox.data).toHaveLength(1)
    const checks = await t.cloud.db.collection('outbox').where({ kind: 'mediaCheck' }).count()
    expect(checks.total).toBe(1)
  })

  it('sends a case from a grid without a mediator to the community queue', async () => {
    const c = await t.ok(P.unverified, 'cases', 'submit', { ...base, location: { buildingId: 'b-hp-2' }, otherParty: undefined })
    expect(c.level).toBe('community')
    expect((await t.ok(P.staff, 'inbox', 'unread')).count).toBe(1)
  })

  it.each([
    ['an empty description', { description: '   ' }, 'description', /请描述/],
    ['a 501-character description', { description: '吵'.repeat(501) }, 'description', /最多 500 个字/],
    ['an unknown category', { category: '打架' }, 'category', /请选择纠纷类型/],
    ['7 photos', { photos: Array.from({ length: 7 }, (_, i) => `local://u/demo-res-sun/p${i}.jpg`) }, 'photos', /最多上传 6 张/],
    ['a building of another community', { location: { buildingId: 'b-jq-1' } }, 'location.buildingId', /本社区/],
    ['a photo of someone else', { photos: ['local://u/demo-res-wu/x.jpg'] }, 'photos', /重新上传/],
  ])('rejects %s with a clear error and writes nothing', async (_l, extra, path, message) => {
    const r = await t.call(P.resident, 'cases', 'submit', { ...base, ...extra })
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.error.issues?.find((i) => i.path === path)?.message).toMatch(message)
    expect(await t.count('cases')).toBe(0)
    expect(await t.count('notifications')).toBe(0)
  })

  it('rejects text and photos that fail the content checks', async () => {
    const text = await t.call(P.resident, 'cases', 'submit', { ...base, description: '这里有人聚众赌博' })
    expect(!text.ok && text.error.code).toBe('CONTENT_REJECTED')
    const img = await t.call(P.resident, 'cases', 'submit', { ...base, photos: [photo(P.resident, 'reject-me.jpg')] })
    expect(!img.ok && img.error.code).toBe('CONTENT_REJECTED')
    expect(await t.count('cases')).toBe(0)
  })

  it('is idempotent with a request id', async () => {
    const a = await t.call(P.resident, 'cases', 'submit', base, 'req-dispute-1')
    const b = await t.call(P.resident, 'cases', 'submit', base, 'req-dispute-1')
    expect(a).toEqual(b)
    expect(await t.count('cases')).toBe(1)
  })
})

describe('the whole flow', () => {
  it('submit → accept → mediate → resolve → rate, every step on the timeline', async () => {
    let c = await submit()
    c = (await t.ok(P.mediator1, 'cases', 'accept', { id: c.id, version: c.version })) as CaseDetailT
    expect(c).toMatchObject({ status: 'accepted', assigneeName: '张伟', viewerRole: 'handler' })
    expect(c.submitter.phone).toBe('13800001008') // the handler sees the full number
    expect(c.otherParty).toMatch(/1302/)
    c = await t.ok(P.mediator1, 'cases', 'start', { id: c.id, version: c.version })
    c = await t.ok(P.mediator1, 'cases', 'addNote', { id: c.id, version: c.version, text: '已电话联系楼上住户', shared: false })
    c = await t.ok(P.mediator1, 'cases', 'resolve', { id: c.id, version: c.version, agreement: '楼上住户本周内维修防水层并承担天花板修复费用' })
    expect(c.status).toBe('resolved')
    const mine = await t.ok(P.resident, 'cases', 'get', { id: c.id })
    expect(mine.can).toEqual(['rate'])
    expect(mine.submitter.phone).toBe('138****1008')
    expect(mine.timeline.some((e: { action: string }) => e.action === 'note')).toBe(false) // private note hidden
    const rated = await t.ok(P.resident, 'cases', 'rate', { id: c.id, version: mine.version, satisfaction: 'satisfied', comment: '处理及时' })
    expect(rated.status).toBe('closed')
    expect(rated.timeline.map((e: { action: string }) => e.action)).toEqual(['submit', 'accept', 'start', 'resolve', 'rate'])
    const stats = await t.ok(P.staff, 'cases', 'stats', { month: '2026-11' })
    expect(stats.total).toMatchObject({ received: 1, accepted: 1, acceptedOnTime: 1, resolved: 1, rated: 1, satisfied: 1, onTimeRate: 100, satisfactionRate: 100 })
    expect(stats.byCategory.find((r: { key: string }) => r.key === '漏水').row.received).toBe(1)
    expect(stats.byGrid.find((r: { key: string }) => r.key === 'g-cuihu-1').row.resolved).toBe(1)
    // The resident was told of every step in the 消息 tab.
    expect((await t.ok(P.resident, 'inbox', 'unread')).count).toBeGreaterThanOrEqual(3)
  })

  it('不满意 reopens once; the second 不满意 closes it', async () => {
    let c = await submit()
    c = await t.ok(P.mediator1, 'cases', 'accept', { id: c.id, version: c.version })
    c = await t.ok(P.mediator1, 'cases', 'resolve', { id: c.id, version: c.version, agreement: '双方同意错峰' })
    c = await t.ok(P.resident, 'cases', 'rate', { id: c.id, version: c.version, satisfaction: 'unsatisfied', comment: '问题没解决' })
    expect(c).toMatchObject({ status: 'mediating', reopenCount: 1 })
    c = await t.ok(P.mediator1, 'cases', 'resolve', { id: c.id, version: c.version, agreement: '更换防水层' })
    c = await t.ok(P.resident, 'cases', 'rate', { id: c.id, version: c.version, satisfaction: 'unsatisfied' })
    expect(c.status).toBe('closed')
    expect(c.satisfaction).toBe('unsatisfied')
  })

  it('a failed mediation escalates to the community and then the street, recording who took over; or is referred', async () => {
    let c = await submit()
    c = await t.ok(P.mediator1, 'cases', 'accept', { id: c.id, version: c.version })
    c = await t.ok(P.mediator1, 'cases', 'fail', { id: c.id, version: c.version, reason: '对方拒绝沟通' })
    c = await t.ok(P.mediator1, 'cases', 'escalate', { id: c.id, version: c.version, reason: '需社区出面' })
    expect(c).toMatchObject({ status: 'submitted', level: 'community' })
    const mediatorNow = await t.call(P.mediator1, 'cases', 'accept', { id: c.id, version: c.version })
    expect(!mediatorNow.ok && mediatorNow.error.code).toBe('FORBIDDEN') // the grid no longer handles it
    c = await t.ok(P.staff, 'cases', 'accept', { id: c.id, version: c.version })
    expect(c.assigneeName).toBe('李秀梅')
    c = await t.ok(P.staff, 'cases', 'fail', { id: c.id, version: c.version, reason: '仍未达成一致' })
    c = await t.ok(P.staff, 'cases', 'escalate', { id: c.id, version: c.version, reason: '提请街道' })
    expect(c.level).toBe('street')
    c = await t.ok(P.street, 'cases', 'accept', { id: c.id, version: c.version })
    expect(c.assigneeName).toBe('周国强')
    c = await t.ok(P.street, 'cases', 'fail', { id: c.id, version: c.version, reason: '分歧较大' })
    c = await t.ok(P.street, 'cases', 'refer', { id: c.id, version: c.version, note: '转区人民调解委员会' })
    expect(c.status).toBe('closed')
    expect(c.timeline.at(-1)!.note).toMatch(/人民调解委员会/)
  })

  it('the resident can withdraw before resolution but not after', async () => {
    const c = await submit()
    const w = await t.ok(P.resident, 'cases', 'withdraw', { id: c.id, version: c.version })
    expect(w.status).toBe('withdrawn')
    let d = await submit()
    d = await t.ok(P.mediator1, 'cases', 'accept', { id: d.id, version: d.version })
    d = await t.ok(P.mediator1, 'cases', 'resolve', { id: d.id, version: d.version, agreement: '已和解' })
    const late = await t.call(P.resident, 'cases', 'withdraw', { id: d.id, version: d.version })
    expect(!late.ok && late.error.code).toBe('PRECONDITION_FAILED')
  })

  it('a transition not allowed from the current state changes nothing', async () => {
    const c = await submit()
    const early = await t.call(P.resident, 'cases', 'rate', { id: c.id, version: c.version, satisfaction: 'satisfied' })
    expect(!early.ok && early.error.code).toBe('PRECONDITION_FAILED')
    expect(!early.ok && early.error.message).toMatch(/待受理/)
    const residentAccept = await t.call(P.resident, 'cases', 'accept', { id: c.id, version: c.version })
    expect(!residentAccept.ok && residentAccept.error.code).toBe('FORBIDDEN')
    const after = await t.ok(P.resident, 'cases', 'get', { id: c.id })
    expect(after.version).toBe(c.version)
    expect(after.timeline).toHaveLength(1)
  })
})

describe('deadlines and the scheduled job', () => {
  it('escalates a case not accepted in 24 h, once, however often the job runs', async () => {
    const c = await submit()
    t.clock.advanceHours(23.9)
    expect(await t.cloud.runTimer('cases', 'tick')).toEqual({ ok: true, data: { escalated: 0, flagged: 0, closed: 0 } })
    t.clock.advanceHours(0.2)
    expect(await t.cloud.runTimer('cases', 'tick')).toEqual({ ok: true, data: { escalated: 1, flagged: 0, closed: 0 } })
    expect(await t.cloud.runTimer('cases', 'tick')).toEqual({ ok: true, data: { escalated: 0, flagged: 0, closed: 0 } })
    const now = await t.ok(P.staff, 'cases', 'get', { id: c.id })
    expect(now).toMatchObject({ level: 'community', status: 'submitted', overdue: true })
    expect(now.timeline.at(-1)).toMatchObject({ action: 'autoEscalate', byName: '系统' })
    // Both levels were told: the grid mediator and the community staff (one notification tells them all).
    for (const who of [P.mediator1, P.staff, P.admin]) {
      const inbox = await t.ok(who, 'inbox', 'list', {})
      expect(inbox.items.map((n: { title: string }) => n.title)).toContain('纠纷超时，已自动上报社区')
    }
    // …and the resident is told too, in their own words, in the app and by subscribe message.
    const told = await t.ok(P.resident, 'inbox', 'list', {})
    expect(told.items.map((n: { body: string }) => n.body)).toEqual(expect.arrayContaining([expect.stringMatching(/自动上报社区/)]))
    expect(await t.count('outbox', { kind: 'subscribe', touser: P.resident })).toBeGreaterThanOrEqual(1)
  })

  it('escalates an urgent case after 2 h, then to the street, then flags it once', async () => {
    const c = await submit({ urgency: 'urgent' })
    t.clock.advanceHours(2.05)
    expect((await t.cloud.runTimer('cases', 'tick')).ok).toBe(true)
    expect((await t.ok(P.staff, 'cases', 'get', { id: c.id })).level).toBe('community')
    t.clock.advanceHours(2.05)
    await t.cloud.runTimer('cases', 'tick')
    expect((await t.ok(P.street, 'cases', 'get', { id: c.id })).level).toBe('street')
    t.clock.advanceHours(2.05)
    expect(await t.cloud.runTimer('cases', 'tick')).toEqual({ ok: true, data: { escalated: 0, flagged: 1, closed: 0 } })
    t.clock.advanceHours(10)
    expect(await t.cloud.runTimer('cases', 'tick')).toEqual({ ok: true, data: { escalated: 0, flagged: 0, closed: 0 } })
  })

  it('two job runs at the same moment escalate once', async () => {
    await submit()
    await submit({ urgency: 'urgent' })
    t.clock.advanceHours(25)
    const [a, b] = await Promise.all([t.cloud.runTimer('cases', 'tick'), t.cloud.runTimer('cases', 'tick')])
    const total = [a, b].reduce((n, r) => n + (r.ok ? (r.data as { escalated: number }).escalated : 0), 0)
    expect(total).toBe(2)
    const timelines = await t.cloud.db.collection('cases').get()
    for (const c of timelines.data as unknown as Array<{ timeline: Array<{ action: string }> }>) {
      expect(c.timeline.filter((e) => e.action === 'autoEscalate')).toHaveLength(1)
    }
  })

  it('closes a resolved case nobody rated in 7 days as 默认满意', async () => {
    let c = await submit()
    c = await t.ok(P.mediator1, 'cases', 'accept', { id: c.id, version: c.version })
    c = await t.ok(P.mediator1, 'cases', 'resolve', { id: c.id, version: c.version, agreement: '已协商' })
    t.clock.advanceHours(24 * 7 - 1)
    expect((await t.cloud.runTimer('cases', 'tick')).ok && (await t.ok(P.resident, 'cases', 'get', { id: c.id })).status).toBe('resolved')
    t.clock.advanceHours(2)
    const r = await t.cloud.runTimer('cases', 'tick')
    expect(r).toEqual({ ok: true, data: { escalated: 0, flagged: 0, closed: 1 } })
    const done = await t.ok(P.resident, 'cases', 'get', { id: c.id })
    expect(done).toMatchObject({ status: 'closed', satisfaction: 'default' })
  })

  it('a person cannot run the job', async () => {
    const r = await t.call(P.admin, 'cases', 'tick', {})
    expect(!r.ok && r.error.code).toBe('FORBIDDEN')
  })
})

describe('concurrency', () => {
  it('two mediators accepting at once: exactly one wins, the other gets CONFLICT', async () => {
    const c = await submit()
    const [a, b] = await Promise.all([act(P.mediator1, 'accept', c), act(P.staff, 'accept', c)])
    const results = [a, b]
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    const loser = results.find((r) => !r.ok)!
    expect(!loser.ok && loser.error.code).toBe('CONFLICT')
    const final = await t.ok(P.staff, 'cases', 'get', { id: c.id })
    expect(final.timeline.filter((e: { action: string }) => e.action === 'accept')).toHaveLength(1)
  })

  it('200 handlers acting at once on one case: one state change, no lost update', async () => {
    const c = await submit()
    const who = [P.mediator1, P.staff, P.admin]
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => act(who[i % 3], 'accept', c)))
    // One state change. The winner's own duplicates (the same person, the same version: a retried
    // call) are answered with the case as it is; everyone else gets CONFLICT.
    const wins = results.filter((r) => r.ok)
    expect(wins.length).toBeGreaterThanOrEqual(1)
    expect(new Set(wins.map((r) => (r.ok ? (r.data as { assigneeName: string }).assigneeName : '')))).toHaveProperty('size', 1)
    expect(results.filter((r) => !r.ok && r.error.code === 'CONFLICT')).toHaveLength(200 - wins.length)
    const stored = (await t.cloud.db.collection<{ version: number; timeline: Array<{ action: string }> }>('cases').doc(c.id).get()).data
    expect(stored.version).toBe(c.version + 1)
    expect(stored.timeline.filter((e) => e.action === 'accept')).toHaveLength(1)
  })
})

describe('privacy', () => {
  it('another resident and a mediator of another grid cannot see the case, its photos or its timeline', async () => {
    const c = await submit({ photos: [photo(P.resident)] })
    for (const who of [P.resident2, P.mediator2, P.otherStaff, P.otherResident]) {
      const r = await t.call(who, 'cases', 'get', { id: c.id })
      expect(!r.ok && r.error.code).toBe('NOT_FOUND')
      const q = await t.ok(who === P.resident2 || who === P.otherResident ? P.mediator2 : who, 'cases', 'queue', {})
      expect(q.items.map((i: { id: string }) => i.id)).not.toContain(c.id)
      const accept = await act(who, 'accept', c)
      expect(!accept.ok && ['NOT_FOUND', 'FORBIDDEN'].includes(accept.error.code)).toBe(true)
    }
    const mine = await t.ok(P.resident2, 'cases', 'mine', {})
    expect(mine.items).toHaveLength(0)
  })

  it('the queue shows the grid mediator their grid, overdue first, and staff the whole community', async () => {
    const a = await submit()
    t.clock.advanceHours(1)
    const b = await submit({ urgency: 'urgent' })
    const q = await t.ok(P.mediator1, 'cases', 'queue', {})
    expect(q.items.map((i: { id: string }) => i.id)).toEqual([b.id, a.id]) // the urgent deadline comes first
    t.clock.advanceHours(2.5)
    const overdue = await t.ok(P.mediator1, 'cases', 'queue', { overdueOnly: true })
    expect(overdue.items.map((i: { id: string; overdue: boolean }) => [i.id, i.overdue])).toEqual([[b.id, true]])
    expect((await t.ok(P.mediator2, 'cases', 'queue', {})).items).toHaveLength(0)
    expect((await t.ok(P.staff, 'cases', 'queue', {})).items).toHaveLength(2)
  })
})

describe('found in review', () => {
  it('a staff member who moves to another community loses staff rights and cannot see the old cases', async () => {
    const c = await submit()
    const moved = await t.ok(P.otherStaff, 'user', 'onboard', { communityId: 'c-cuihu', estateId: 'e-cuiyuan', buildingId: 'b-cy-2', unitId: 'b-cy-2-u2', room: '999' })
    expect(moved.roles).toEqual(['resident'])
    const r = await t.call(P.otherStaff, 'cases', 'get', { id: c.id })
    expect(!r.ok && r.error.code).toBe('NOT_FOUND')
  })

  it('a grid worker who moves away keeps no grid and is no longer routed new cases', async () => {
    await t.ok(P.mediator1, 'user', 'onboard', { communityId: 'c-jinqiao', estateId: 'e-jinqiao', buildingId: 'b-jq-1', unitId: 'b-jq-1-u1', room: '808' })
    const grid = (await t.cloud.db.collection('grids').doc('g-cuihu-1').get()).data as unknown as { workerIds: string[] }
    expect(grid.workerIds).not.toContain(P.mediator1)
    const c = await submit()
    expect(c.level).toBe('community') // the grid has no mediator now
    const r = await t.call(P.mediator1, 'cases', 'accept', { id: c.id, version: c.version })
    expect(!r.ok && ['NOT_FOUND', 'FORBIDDEN'].includes(r.error.code)).toBe(true)
  })

  it('escalating answers with the phone masked: the mediator no longer handles the case', async () => {
    let c = await submit()
    c = await t.ok(P.mediator1, 'cases', 'accept', { id: c.id, version: c.version })
    expect(c.submitter.phone).toBe('13800001008')
    c = await t.ok(P.mediator1, 'cases', 'escalate', { id: c.id, version: c.version, reason: '需社区协调' })
    expect(c.submitter.phone).toBe('138****1008')
    expect(c.can).toEqual([])
  })

  it('the street sees a case only once it reaches the street', async () => {
    let c = await submit()
    c = await t.ok(P.mediator1, 'cases', 'accept', { id: c.id, version: c.version })
    await t.ok(P.mediator1, 'cases', 'addNote', { id: c.id, version: c.version, text: '私下备注', shared: false })
    const r = await t.call(P.street, 'cases', 'get', { id: c.id })
    expect(!r.ok && r.error.code).toBe('NOT_FOUND')
  })

  it('a reopened case gets a fresh resolve window instead of being escalated on the next run', async () => {
    let c = await submit()
    c = await t.ok(P.mediator1, 'cases', 'accept', { id: c.id, version: c.version })
    t.clock.advanceHours(24 * 6)
    c = await t.ok(P.mediator1, 'cases', 'resolve', { id: c.id, version: c.version, agreement: '已和解' })
    t.clock.advanceHours(24 * 5)
    c = await t.ok(P.resident, 'cases', 'rate', { id: c.id, version: c.version, satisfaction: 'unsatisfied' })
    expect(c.status).toBe('mediating')
    expect(new Date(c.dueAt!).getTime()).toBeGreaterThan(t.clock.now().getTime() + 6 * 24 * 3600_000)
    expect(await t.cloud.runTimer('cases', 'tick')).toEqual({ ok: true, data: { escalated: 0, flagged: 0, closed: 0 } })
  })

  it('a case failed at the grid and resolved by the community counts once, as resolved', async () => {
    let c = await submit()
    c = await t.ok(P.mediator1, 'cases', 'accept', { id: c.id, version: c.version })
    c = await t.ok(P.mediator1, 'cases', 'fail', { id: c.id, version: c.version, reason: '对方拒绝沟通' })
    c = await t.ok(P.mediator1, 'cases', 'escalate', { id: c.id, version: c.version, reason: '需社区出面' })
    c = await t.ok(P.staff, 'cases', 'accept', { id: c.id, version: c.version })
    await t.ok(P.staff, 'cases', 'resolve', { id: c.id, version: c.version, agreement: '社区协调后和解' })
    const stats = await t.ok(P.staff, 'cases', 'stats', { month: '2026-11' })
    expect(stats.total).toMatchObject({ received: 1, resolved: 1, failed: 0, successRate: 100 })
  })
})
