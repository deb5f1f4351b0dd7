/**
 * 代办 (issue 14) through serve() on the local cloud: a grid worker (or staff) submits a dispute or
 * books a room for an elderly resident of their grid, with the resident's consent recorded; the
 * record is the resident's own; nobody else may act for them.
 */
import { testCloud, type TestCloud } from '../support/cloud'
import { DEMO } from '../../cloudfunctions/src/local/seed'
import type { CaseDetailT } from '../../src/shared/api/cases'
import type { BookingDetailT } from '../../src/shared/api/booking'

const P = DEMO.people
let t: TestCloud
beforeEach(async () => {
  // Monday 2026-11-23 10:00 Shanghai
  t = await testCloud({ start: '2026-11-23T02:00:00Z' })
})
afterEach(() => t.close())

/** 何桂英, an elderly resident of 2栋 1单元 201, grid g-cuihu-1 (张伟's). */
const forElder = (how: 'in_person' | 'phone' = 'in_person') => ({ openid: P.elder, consent: true, how })
const dispute = (extra: Record<string, unknown> = {}) => ({
  kind: 'dispute',
  category: '噪音',
  description: '楼上夜里搬动家具，老人睡不好。',
  location: { buildingId: 'b-cy-2', unitId: 'b-cy-2-u1' },
  urgency: 'normal',
  ...extra,
})
const booking = (extra: Record<string, unknown> = {}) => ({
  roomId: 'room-huiyi',
  date: '2026-11-24',
  startSlot: '09:00',
  slotCount: 2,
  purpose: '老年书法小组',
  attendees: 6,
  contactName: '何桂英',
  contactPhone: '13800001015',
  ...extra,
})

describe('代办 a dispute', () => {
  it('is the resident’s own: 我的纠纷, their name, their notices; the record shows who submitted it and how they agreed', async () => {
    const c = await t.ok<CaseDetailT>(P.mediator1, 'cases', 'submit', dispute({ onBehalfOf: forElder('phone') }))
    expect(c).toMatchObject({ status: 'submitted', proxy: { byName: '张伟', byRole: '网格员', how: 'phone', text: '由网格员 张伟 代办（居民电话同意）' } })
    expect(c.submitter.name).toBe('何桂英')
    const mine = await t.ok(P.elder, 'cases', 'mine', { kind: 'dispute' })
    expect(mine.items.map((i: { id: string }) => i.id)).toEqual([c.id])
    const seen = await t.ok<CaseDetailT>(P.elder, 'cases', 'get', { id: c.id })
    expect(seen).toMatchObject({ viewerRole: 'owner', proxy: { text: '由网格员 张伟 代办（居民电话同意）' } })
    expect(seen.can).toContain('withdraw')
    expect(seen.timeline[0]).toMatchObject({ byName: '张伟', byRole: '网格员', note: '由网格员 张伟 代办（居民电话同意）' })
    expect((await t.ok(P.mediator1, 'cases', 'mine', { kind: 'dispute' })).items).toEqual([])
    // Notices go to the resident: that it was submitted for them, and every change after.
    expect(await t.count('notifications', { to: P.elder, title: '网格员为您代办了一件纠纷' })).toBe(1)
    const accepted = await t.ok<CaseDetailT>(P.mediator1, 'cases', 'accept', { id: c.id, version: c.version })
    expect(accepted.status).toBe('accepted')
    expect(await t.count('notifications', { to: P.elder })).toBe(2)
  })

  it('a retry of the same request submits it once', async () => {
    const payload = dispute({ onBehalfOf: forElder() })
    const a = await t.call<CaseDetailT>(P.mediator1, 'cases', 'submit', payload, 'proxy-req-0001')
    const b = await t.call<CaseDetailT>(P.mediator1, 'cases', 'submit', payload, 'proxy-req-0001')
    expect(a.ok && b.ok && a.data.id === b.data.id).toBe(true)
    expect(await t.count('cases', { ownerId: P.elder })).toBe(1)
  })

  it('only for a resident of one’s grid (staff: community), with consent; everyone else FORBIDDEN', async () => {
    const noConsent = await t.call(P.mediator1, 'cases', 'submit', dispute({ onBehalfOf: { openid: P.elder, consent: false, how: 'phone' } }))
    expect(noConsent).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    const noWay = await t.call(P.mediator1, 'cases', 'submit', dispute({ onBehalfOf: { openid: P.elder, consent: true } }))
    expect(noWay).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    for (const who of [P.mediator2, P.resident, P.volunteer, P.otherStaff, P.street]) {
      const r = await t.call(who, 'cases', 'submit', dispute({ onBehalfOf: forElder() }))
      expect([who, r.ok === false && r.error.code]).toEqual([who, 'FORBIDDEN'])
    }
    // Someone who is not there at all is refused the same way.
    expect(await t.call(P.mediator1, 'cases', 'submit', dispute({ onBehalfOf: { ...forElder(), openid: 'nobody' } }))).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await t.count('cases')).toBe(0)
    // Community staff may, for anyone of the community.
    const byStaff = await t.ok<CaseDetailT>(P.staff, 'cases', 'submit', dispute({ onBehalfOf: forElder() }))
    expect(byStaff.proxy).toMatchObject({ byName: '李秀梅', byRole: '社区工作人员' })
  })
})

describe('代办 a booking', () => {
  it('is the resident’s: their weekly quota, 我的预约, their notices; the record shows who booked it', async () => {
    const b = await t.ok<BookingDetailT>(P.mediator1, 'booking', 'book', booking({ onBehalfOf: forElder() }))
    expect(b).toMatchObject({ status: 'confirmed', ownerName: '何桂英', proxy: { text: '由网格员 张伟 代办（居民当面同意）' } })
    expect(b.checkCode).toMatch(/^\d{6}$/) // to pass on to the resident
    const mine = await t.ok(P.elder, 'booking', 'mine', {})
    expect(mine.items.map((i: { id: string }) => i.id)).toEqual([b.id])
    expect((await t.ok(P.mediator1, 'booking', 'mine', {})).items).toEqual([])
    const seen = await t.ok<BookingDetailT>(P.elder, 'booking', 'get', { id: b.id })
    expect(seen).toMatchObject({ viewerRole: 'owner', proxy: { byName: '张伟' }, timeline: [{ byName: '张伟', note: '由网格员 张伟 代办（居民当面同意）' }] })
    expect(seen.can).toContain('cancel')
    // The weekly quota place is the resident's.
    expect(await t.count('booking_quota', { openid: P.elder })).toBe(1)
    expect(await t.count('booking_quota', { openid: P.mediator1 })).toBe(0)
    expect(await t.count('notifications', { to: P.elder, title: '网格员为您代办了场地预约' })).toBe(1)
  })

  it('only for a resident of one’s grid; everyone else FORBIDDEN, nothing claimed', async () => {
    for (const who of [P.mediator2, P.resident, P.otherStaff]) {
      const r = await t.call(who, 'booking', 'book', booking({ onBehalfOf: forElder() }))
      expect([who, r.ok === false && r.error.code]).toEqual([who, 'FORBIDDEN'])
    }
    expect(await t.count('bookings')).toBe(0)
    expect(await t.count('slot_claims')).toBe(0)
    expect(await t.count('booking_quota')).toBe(0)
  })
})
