/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers and stored records are read loosely in these tests */
/**
 * The media check that completes: verdicts held back as in production (mediaCheckAsync answers a
 * trace id; WeChat pushes the verdict later as `wxa_media_check` to the `media` function), and
 * delivered by the test when it chooses — never by waiting.
 */
import { testCloud, type TestCloud } from '../support/cloud'
import { DEMO } from '../../cloudfunctions/src/local/seed'
import type { CaseDetailT } from '../../src/shared/api/cases'
import { eventually } from '../support/poll'

const P = DEMO.people
let t: TestCloud
beforeEach(async () => {
  t = await testCloud({ start: '2026-11-23T02:00:00Z', mediaVerdictDelayMs: 'manual' })
})
afterEach(() => t.close())

const photo = (owner: string, name = 'leak.jpg') => t.cloud.platform.saveUpload(owner, name, Buffer.from([0xff, 0xd8, 0xff, 0xd9]))

const dispute = {
  kind: 'dispute',
  category: '漏水',
  description: '楼上卫生间漏水，我家天花板已经发霉，请帮忙协调。',
  location: { buildingId: 'b-cy-1', unitId: 'b-cy-1-u1' },
  urgency: 'normal',
}
const submit = (photos: string[]) => t.ok<CaseDetailT>(P.resident, 'cases', 'submit', { ...dispute, photos })
const get = (who: string, id: string) => t.ok<CaseDetailT>(who, 'cases', 'get', { id })
const stored = async (collection: string, id: string) => (await t.cloud.db.collection<any>(collection).doc(id).get()).data
const traceOf = async (id: string, i = 0): Promise<string> => (await stored('cases', id)).photos[i].traceId

/** The push WeChat sends for mediaCheckAsync v2. */
const verdictEvent = (traceId: string, suggest = 'pass', extra: Record<string, unknown> = {}) => ({
  ToUserName: 'gh_local',
  FromUserName: P.resident,
  CreateTime: 1763863200,
  MsgType: 'event',
  Event: 'wxa_media_check',
  appid: 'local',
  trace_id: traceId,
  version: 2,
  detail: [{ strategy: 'content_model', errcode: 0, suggest, label: 100, prob: 90 }],
  errcode: 0,
  errmsg: 'ok',
  result: { suggest, label: 100 },
  ...extra,
})

async function snapshot(): Promise<unknown> {
  const all = async (c: string) => (await t.cloud.db.collection<any>(c).orderBy('_id', 'asc').limit(1000).get()).data
  return { cases: await all('cases'), rooms: await all('rooms'), media_checks: await all('media_checks') }
}

describe('a case photo', () => {
  it('stays pending and hidden from others until the verdict arrives, then shows to everyone who sees the case', async () => {
    const c = await submit([photo(P.resident)])
    // The uploader sees it, marked 审核中; the mediator sees a placeholder without a URL.
    expect(c.photos).toEqual([{ fileId: expect.any(String), url: expect.stringMatching(/^\/files\/u\/demo-res-sun\//), checking: true }])
    const handler = await get(P.mediator1, c.id)
    expect(handler.photos).toEqual([{ fileId: c.photos[0].fileId, url: null, checking: true }])
    const observer = await get(P.staff, c.id)
    expect(observer.photos[0]).toMatchObject({ url: null, checking: true })
    // The trace id is kept with the photo and with where it lives; it never leaves the server.
    const traceId = await traceOf(c.id)
    expect(traceId).toMatch(/^[0-9a-f]+-[0-9a-f]{8}-[0-9a-f]{8}$/)
    expect(JSON.stringify([c, handler, observer])).not.toContain(traceId)
    expect(await stored('media_checks', traceId)).toMatchObject({ fileId: c.photos[0].fileId, openid: P.resident, verdict: 'pending', homes: [{ collection: 'cases', docId: c.id }] })
    // Still pending however often it is read.
    expect((await get(P.mediator1, c.id)).photos[0].url).toBeNull()

    expect(await t.cloud.deliverMediaVerdicts()).toBe(1)
    expect((await get(P.mediator1, c.id)).photos).toEqual([{ fileId: c.photos[0].fileId, url: expect.stringMatching(/^\/files\//), checking: false }])
    expect((await get(P.resident, c.id)).photos[0].checking).toBe(false)
    expect((await stored('cases', c.id)).photos[0]).toMatchObject({ check: 'pass', traceId, by: P.resident })
    expect(await stored('media_checks', traceId)).toMatchObject({ verdict: 'pass', suggest: 'pass' })

    // Delivered twice (WeChat retries): nothing changes.
    const before = await snapshot()
    const again = await t.cloud.push('media', verdictEvent(traceId))
    expect(again).toEqual({ ok: true, data: { known: true, verdict: 'pass', updated: 0 } })
    // A later push that contradicts the first verdict does not flip it.
    const flip = await t.cloud.push('media', verdictEvent(traceId, 'risky'))
    expect(flip).toEqual({ ok: true, data: { known: true, verdict: 'pass', updated: 0 } })
    expect(await snapshot()).toEqual(before)
  })

  it('a rejected photo never shows, to anyone; its uploader is told', async () => {
    const c = await submit([photo(P.resident, 'reject-me.jpg'), photo(P.resident, 'ok.jpg')])
    expect(c.photos.map((p) => p.checking)).toEqual([true, true])
    expect((await get(P.mediator1, c.id)).photos.map((p) => p.url)).toEqual([null, null])

    expect(await t.cloud.deliverMediaVerdicts()).toBe(2)
    const owner = await get(P.resident, c.id)
    expect(owner.photos).toEqual([{ fileId: c.photos[1].fileId, url: expect.any(String), checking: false }])
    expect(owner.rejectedPhotos).toBe(1)
    const handler = await get(P.mediator1, c.id)
    expect(handler.photos.map((p) => p.fileId)).toEqual([c.photos[1].fileId])
    expect(handler.rejectedPhotos).toBeUndefined()
    expect(JSON.stringify(handler)).not.toContain(c.photos[0].fileId)
    expect((await stored('cases', c.id)).photos.map((p: any) => p.check)).toEqual(['reject', 'pass'])
  })

  it('`review` (not confirmed safe) is treated as rejected; a failed check leaves the photo pending', async () => {
    const c = await submit([photo(P.resident, 'a.jpg'), photo(P.resident, 'b.jpg')])
    const [a, b] = [await traceOf(c.id, 0), await traceOf(c.id, 1)]
    expect((await t.cloud.push('media', verdictEvent(a, 'review'))).ok).toBe(true)
    const failed = await t.cloud.push('media', { ...verdictEvent(b), errcode: 43104, errmsg: 'this appid does not have permission', result: undefined, detail: [] })
    expect(failed).toEqual({ ok: true, data: { known: true, verdict: 'pending', updated: 0 } })
    const handler = await get(P.mediator1, c.id)
    expect(handler.photos).toEqual([{ fileId: c.photos[1].fileId, url: null, checking: true }])
    expect(await stored('media_checks', b)).toMatchObject({ verdict: 'pending', errcode: 43104 })
  })

  it('the callback for an unknown trace id changes nothing (and answers OK, so WeChat does not retry)', async () => {
    const c = await submit([photo(P.resident)])
    const before = await snapshot()
    const r = await t.cloud.push('media', verdictEvent('6931a2b0-0badc0de-0badf00d'))
    expect(r).toEqual({ ok: true, data: { known: false, verdict: null, updated: 0 } })
    expect(await snapshot()).toEqual(before)
    expect((await get(P.mediator1, c.id)).photos[0]).toMatchObject({ url: null, checking: true })
  })

  it('a person cannot deliver a verdict: not as an action, not shaped like the push, not signed out', async () => {
    const c = await submit([photo(P.resident, 'reject-me.jpg')])
    const event = verdictEvent(await traceOf(c.id), 'pass')
    const before = await snapshot()
    const asAction = await t.call(P.resident, 'media', 'wxa_media_check', event)
    expect(!asAction.ok && asAction.error.code).toBe('FORBIDDEN')
    for (const who of [P.resident, P.staff, null]) {
      const shaped = await t.cloud.call('media', event, who)
      expect(shaped.ok).toBe(false)
    }
    // A push reaches only push actions: it cannot run another function's actions either.
    const elsewhere = await t.cloud.push('cases', { ...event, Event: 'submit' })
    expect(elsewhere.ok).toBe(false)
    expect(await snapshot()).toEqual(before)
    // The real verdict still arrives and rejects it.
    expect(await t.cloud.deliverMediaVerdicts()).toBe(1)
    expect((await get(P.resident, c.id)).photos).toEqual([])
  })

  it('a copy whose write-back was lost (the record rewritten meanwhile) still follows the settled verdict', async () => {
    const c = await submit([photo(P.resident)])
    await t.cloud.deliverMediaVerdicts()
    // As if a concurrent rewrite of the record put back the copy it had read before the verdict.
    await t.cloud.db.collection('cases').doc(c.id).update({ data: { 'photos.0.check': 'pending' } })
    expect((await get(P.mediator1, c.id)).photos[0]).toMatchObject({ url: expect.any(String), checking: false })
  })
})

describe('the local cloud’s delayed verdicts (MEDIA_VERDICT_DELAY_MS)', () => {
  it('deliver themselves once the delay has passed, through the same push', async () => {
    await t.close()
    t = await testCloud({ start: '2026-11-23T02:00:00Z', mediaVerdictDelayMs: 60_000 })
    const c = await submit([photo(P.resident)])
    expect(await t.cloud.deliverMediaVerdicts({ dueOnly: true })).toBe(0) // not due yet
    expect((await get(P.mediator1, c.id)).photos[0]).toMatchObject({ url: null, checking: true })
    t.clock.advance(60_000)
    await eventually(async () => expect((await get(P.mediator1, c.id)).photos[0]).toMatchObject({ url: expect.any(String), checking: false }))
    // The outbox marks the verdict delivered once the push has been answered: a moment after the photo shows.
    await eventually(async () => expect(await t.count('outbox', { kind: 'mediaCheck', delivered: true })).toBe(1))
  })
})

describe('a message thread post', () => {
  it('a photo added to the thread is hidden from staff until it passes', async () => {
    const m = await t.ok<CaseDetailT>(P.resident, 'cases', 'write', { category: '咨询', text: '请问小区什么时候统一更换老旧水管？' })
    const answered = await t.ok<CaseDetailT>(P.resident, 'cases', 'answer', { id: m.id, version: m.version, text: '补充一张照片', photos: [photo(P.resident)] })
    expect(answered.thread.at(-1)!.photos).toEqual([{ fileId: expect.any(String), url: expect.any(String), checking: true }])
    const staffView = await get(P.mediator1, m.id)
    expect(staffView.thread.at(-1)!.photos).toEqual([{ fileId: expect.any(String), url: null, checking: true }])
    expect(await t.cloud.deliverMediaVerdicts()).toBe(1)
    const after = await stored('cases', m.id)
    expect(after.thread.at(-1).photos[0].check).toBe('pass')
    expect((await get(P.mediator1, m.id)).thread.at(-1)!.photos[0]).toMatchObject({ url: expect.any(String), checking: false })
  })
})

describe('a room photo', () => {
  const hours = Array(7).fill({ open: '09:00', close: '18:00' })
  const room = (extra: Record<string, unknown>) => ({ name: '舞蹈室', capacity: 20, openHours: hours, bookableBy: 'residents', needsApproval: false, ...extra })

  it('goes through the same path: the uploader sees it, residents and other staff do not, until it passes', async () => {
    const created = await t.ok(P.staff, 'booking', 'saveRoom', room({ photos: [photo(P.staff, 'room.jpg')] }))
    expect(created.photos).toEqual([{ fileId: expect.any(String), url: expect.any(String), checking: true }])
    const fileId = created.photos[0].fileId
    const forResident = await t.ok(P.resident, 'booking', 'room', { id: created.id })
    expect(forResident.photos).toEqual([{ fileId, url: null, checking: true }])
    expect((await t.ok(P.resident, 'booking', 'rooms', {})).items.find((r: any) => r.id === created.id).photos).toEqual([{ fileId, url: null, checking: true }])
    // Another staff member edits the room meanwhile: the photo stays, still pending, and the verdict still reaches it.
    const edited = await t.ok(P.admin, 'booking', 'saveRoom', room({ id: created.id, version: 1, capacity: 25, photos: [fileId] }))
    expect(edited.photos).toEqual([{ fileId, url: null, checking: true }])
    expect(await stored('media_checks', (await stored('rooms', created.id)).photos[0].traceId)).toMatchObject({ homes: [{ collection: 'rooms', docId: created.id }] })

    expect(await t.cloud.deliverMediaVerdicts()).toBe(1)
    expect((await t.ok(P.resident, 'booking', 'room', { id: created.id })).photos).toEqual([{ fileId, url: expect.any(String), checking: false }])
    expect((await stored('rooms', created.id)).photos[0]).toMatchObject({ fileId, check: 'pass', by: P.staff })
  })

  it('a rejected room photo never shows; the room keeps its other photos', async () => {
    const created = await t.ok(P.staff, 'booking', 'saveRoom', room({ photos: [photo(P.staff, 'reject-room.jpg'), photo(P.staff, 'fine.jpg')] }))
    await t.cloud.deliverMediaVerdicts()
    const forResident = await t.ok(P.resident, 'booking', 'room', { id: created.id })
    expect(forResident.photos).toEqual([{ fileId: created.photos[1].fileId, url: expect.any(String), checking: false }])
    expect((await t.ok(P.staff, 'booking', 'room', { id: created.id })).photos.map((p: any) => p.fileId)).toEqual([created.photos[1].fileId])
  })

  it('rooms saved before checks were kept (bare file ids) still show', async () => {
    const fileId = photo(P.staff, 'old.jpg')
    await t.cloud.db.collection('rooms').doc('room-huiyi').update({ data: { photos: t.cloud.db.command.set([fileId]) } })
    expect((await t.ok(P.resident, 'booking', 'room', { id: 'room-huiyi' })).photos).toEqual([{ fileId, url: expect.any(String), checking: false }])
  })
})

describe('other photos on the same path', () => {
  it('a property violation photo and a grid visit photo are hidden from others until they pass', async () => {
    const v = await t.ok(P.staff, 'property', 'recordViolation', { companyId: 'pc-anju', level: 'general', description: '电梯年检逾期', photos: [photo(P.staff, 'lift.jpg')] })
    expect(v.photos[0]).toMatchObject({ checking: true, url: expect.any(String) })
    const company = async () => (await t.ok(P.resident, 'property', 'company', { id: 'pc-anju' })).violations.find((x: any) => x.id === v.id)
    expect((await company()).photos).toEqual([{ fileId: v.photos[0].fileId, url: null, checking: true }])
    const ELDER = 'b-cy-2-u1:201' // on 张伟's grid
    const visited = await t.ok(P.mediator1, 'grid', 'visit', { id: ELDER, found: '老人身体不错。', photos: [photo(P.mediator1, 'visit.jpg')] })
    expect(visited.visits[0].photos[0]).toMatchObject({ checking: true, url: expect.any(String) })
    const forStaff = async () => (await t.ok(P.staff, 'grid', 'household', { id: ELDER })).visits[0].photos
    expect(await forStaff()).toEqual([{ fileId: visited.visits[0].photos[0].fileId, url: null, checking: true }])

    expect(await t.cloud.deliverMediaVerdicts()).toBe(2)
    expect((await company()).photos[0]).toMatchObject({ url: expect.any(String), checking: false })
    // The verdict reached both homes: the violation and its copy on the company's public page.
    const kept = (await t.cloud.db.collection<any>('companies').doc('pc-anju').get()).data.pages['c-cuihu'].violations[v.id]
    expect(kept.photos[0].check).toBe('pass')
    expect((await forStaff())[0]).toMatchObject({ url: expect.any(String), checking: false })
  })
})
