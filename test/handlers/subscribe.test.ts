/**
 * Subscribe messages after the commit: what the local cloud records (our fields, and the template
 * data production would send by the mapping), and every refusal counted per person and template
 * in `subscribe_log` with WeChat's errcode — a sent message costs no write (its notification is
 * its record) — without ever turning the done change into an error answer.
 */
import { testCloud, type TestCloud } from '../support/cloud'
import { DEMO } from '../../cloudfunctions/src/local/seed'
import type { Notifier, SubscribeMessage } from '../../cloudfunctions/src/platform/port'
import type { SubscribeLogDoc } from '../../cloudfunctions/src/handlers/common/notify'

const P = DEMO.people
let t: TestCloud
beforeEach(async () => {
  // Monday 2026-11-23 10:00 Shanghai
  t = await testCloud({ start: '2026-11-23T02:00:00Z' })
})
afterEach(() => {
  delete process.env.TPL_CASE_NEW_FIELDS
  return t.close()
})

const dispute = {
  kind: 'dispute',
  category: '漏水',
  description: '楼上卫生间漏水，我家天花板已经发霉，请帮忙协调。',
  location: { buildingId: 'b-cy-1', unitId: 'b-cy-1-u1' },
  urgency: 'normal',
}
const submit = () => t.call(P.resident, 'cases', 'submit', dispute)

async function logOf(openid: string, template: string): Promise<SubscribeLogDoc | null> {
  const res = await t.cloud.db.collection<SubscribeLogDoc>('subscribe_log').where({ _id: `${openid}:${template}` }).get()
  return res.data[0] ?? null
}

it('records our fields and the default template data in the outbox; a sent message writes nothing more', async () => {
  expect(await logOf(P.mediator1, 'case_new')).toBeNull()
  expect((await submit()).ok).toBe(true)
  const out = (await t.cloud.db.collection('outbox').where({ kind: 'subscribe', touser: P.mediator1 }).get()).data
  expect(out).toEqual([
    expect.objectContaining({
      template: 'case_new',
      fields: { subject: '漏水纠纷', time: new Date('2026-11-23T02:00:00Z'), note: '待受理' },
      data: { thing1: { value: '漏水纠纷' }, time2: { value: '2026年11月23日 10:00' }, thing3: { value: '待受理' } },
    }),
  ])
  expect(await logOf(P.mediator1, 'case_new')).toBeNull()
  expect((await submit()).ok).toBe(true)
  expect(await t.count('outbox', { kind: 'subscribe', touser: P.mediator1 })).toBe(2)
  expect(await logOf(P.mediator1, 'case_new')).toBeNull()
})

it('maps by TPL_<KEY>_FIELDS when it is set', async () => {
  process.env.TPL_CASE_NEW_FIELDS = 'subject:thing4,time:date2'
  expect((await submit()).ok).toBe(true)
  const out = (await t.cloud.db.collection('outbox').where({ kind: 'subscribe', touser: P.mediator1 }).get()).data
  expect(out[0].data).toEqual({ thing4: { value: '漏水纠纷' }, date2: { value: '2026年11月23日 10:00' } })
})

it('counts refusals per person with WeChat’s errcode, and the change still answers ok', async () => {
  const local = t.cloud.platform.notify
  const tried: SubscribeMessage[] = []
  const refusing: Notifier = {
    async subscribe(msg) {
      tried.push(msg)
      return { outcome: 'refused', errCode: 43101, reason: 'errCode: 43101 | errMsg: user refuse to accept the msg' }
    },
  }
  t.cloud.platform.notify = refusing
  expect((await submit()).ok).toBe(true)
  expect(tried).toEqual([expect.objectContaining({ touser: P.mediator1, template: 'case_new' })])
  expect(await logOf(P.mediator1, 'case_new')).toMatchObject({ openid: P.mediator1, template: 'case_new', refused: 1, lastErrCode: 43101, lastReason: expect.stringContaining('43101') })
  // The in-app notification went out all the same.
  expect((await t.ok(P.mediator1, 'inbox', 'unread')).count).toBe(1)

  // The person subscribes (in the queue page); the next one reaches them, and the refusals stand as counted.
  t.cloud.platform.notify = local
  expect((await submit()).ok).toBe(true)
  expect(await t.count('outbox', { kind: 'subscribe', touser: P.mediator1 })).toBe(1)
  expect(await logOf(P.mediator1, 'case_new')).toMatchObject({ refused: 1, lastErrCode: 43101 })
})

it('an adapter that throws, or a template without an id, never fails the change; a throw counts as refused without errcode, a skip not at all', async () => {
  t.cloud.platform.notify = {
    async subscribe() {
      throw new Error('network down')
    },
  }
  expect((await submit()).ok).toBe(true)
  expect(await logOf(P.mediator1, 'case_new')).toMatchObject({ refused: 1, lastErrCode: null, lastReason: 'Error: network down' })

  t.cloud.platform.notify = { subscribe: async () => ({ outcome: 'skipped', reason: 'no template id configured for case_new' }) }
  expect((await submit()).ok).toBe(true)
  expect(await logOf(P.mediator1, 'case_new')).toMatchObject({ refused: 1 })
  expect((await t.ok(P.mediator1, 'inbox', 'unread')).count).toBe(2)
})

it('counts parallel refusals to one person exactly (the record is created once)', async () => {
  t.cloud.platform.notify = { subscribe: async () => ({ outcome: 'refused', errCode: 43101, reason: 'errCode: 43101' }) }
  const results = await Promise.all(Array.from({ length: 8 }, () => submit()))
  expect(results.every((r) => r.ok)).toBe(true)
  expect(await logOf(P.mediator1, 'case_new')).toMatchObject({ refused: 8, lastErrCode: 43101 })
})
