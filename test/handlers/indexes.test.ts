/**
 * Every list the product shows is served by a declared index (functions/indexes.ts), on a
 * database of realistic size: the engine reports any query no index serves (a `scan` of the
 * collection, or a `sort` of its candidates in memory, as CloudBase's slow-query log would list
 * it), and this test turns those reports into failures for the reads people page through.
 */
import { DEMO } from '../../cloudfunctions/src/local/seed'
import { testCloud, type TestCloud } from '../support/cloud'

const P = DEMO.people
let t: TestCloud

beforeAll(async () => {
  t = await testCloud()
  // A community's worth of history beside the demo, cloned from records the product itself wrote:
  // cases of both kinds across grids and statuses, and residents.
  const dispute = await t.ok(P.resident, 'cases', 'submit', { kind: 'dispute', category: '噪音', description: '夜间噪音扰民', location: { buildingId: 'b-cy-1' } })
  const message = await t.ok(P.resident, 'cases', 'write', { category: '咨询', text: '请问什么时候更换水管？', wantsPublic: false })
  const templates = await Promise.all([dispute.id, message.id].map(async (id: string) => (await t.cloud.db.collection('cases').doc(id).get()).data))
  const resident = (await t.cloud.db.collection('users').doc(P.resident2).get()).data
  const now = t.clock.now().getTime()
  const statuses = ['submitted', 'accepted', 'mediating', 'resolved', 'closed']
  for (let i = 0; i < 4000; i += 1000) {
    await t.cloud.db.collection('cases').add({
      data: Array.from({ length: 1000 }, (_v, j) => {
        const n = i + j
        const { _id, ...base } = templates[n % 5 === 0 ? 1 : 0]
        return {
          ...base, gridId: ['g-cuihu-1', 'g-cuihu-2', 'g-cuihu-3'][n % 3], ownerId: `bulk-${n % 400}`, status: statuses[n % 5],
          submittedAt: new Date(now - n * 60_000), dueAt: n % 5 >= 3 ? null : new Date(now + (n % 97) * 3600_000),
        }
      }),
    })
    await t.cloud.db.collection('users').add({
      data: Array.from({ length: 1000 }, (_v, j) => {
        const { _id, ...base } = resident
        return { ...base, _id: `bulk-user-${i + j}`, name: `居民${i + j}`, verified: (i + j) % 2 === 0, createdAt: new Date(now - (i + j) * 60_000) }
      }),
    })
  }
})
afterAll(() => t.close())

const READS: Array<[string, string, string, string, unknown]> = [
  ['网格员的待办纠纷', P.mediator1, 'cases', 'queue', {}],
  ['工作人员的留言办理', P.staff, 'cases', 'queue', { kind: 'message' }],
  ['超时的纠纷', P.staff, 'cases', 'queue', { overdueOnly: true }],
  ['街道督办', P.street, 'cases', 'queue', {}],
  ['我的纠纷', P.resident, 'cases', 'mine', {}],
  ['留言墙', P.resident, 'cases', 'wall', {}],
  ['消息', P.resident, 'inbox', 'list', {}],
  ['居民认证', P.staff, 'user', 'residents', {}],
  ['我的预约', P.resident, 'booking', 'mine', {}],
  ['我的预约：未结束的', P.resident, 'booking', 'mine', { scope: 'upcoming' }],
  ['我的预约：已结束的', P.resident, 'booking', 'mine', { scope: 'past' }],
  ['待审核的预约', P.staff, 'booking', 'pending', {}],
  ['志愿活动', P.volunteer, 'volunteer', 'list', {}],
  ['我的报名', P.volunteer, 'volunteer', 'mine', {}],
  ['积分明细', P.volunteer, 'volunteer', 'ledger', {}],
  ['物业红黑榜', P.resident, 'property', 'board', {}],
  ['积分榜（本月）', P.volunteer, 'volunteer', 'leaderboard', { period: 'month' }],
  ['积分榜（本年）', P.volunteer, 'volunteer', 'leaderboard', { period: 'year' }],
  ['网格的住户', P.mediator1, 'grid', 'households', { gridId: 'g-cuihu-1' }],
  ['网格的住户：下一页', P.staff, 'grid', 'households', { gridId: 'g-cuihu-2', pageSize: 2, cursor: '3' }],
  ['网格的住户：重点户', P.mediator1, 'grid', 'households', { gridId: 'g-cuihu-1', filter: 'tagged' }],
  ['网格的住户：待走访', P.mediator1, 'grid', 'households', { gridId: 'g-cuihu-1', filter: 'due' }],
  ['到期走访', P.mediator1, 'grid', 'due', { gridId: 'g-cuihu-1' }],
]

it.each(READS)('%s: every query is served by an index', async (_label, who, fn, action, payload) => {
  t.reports.length = 0
  const r = await t.call(who, fn, action, payload)
  expect(r.ok ? 'ok' : JSON.stringify(r.error)).toBe('ok')
  expect(t.reports.map((x) => `${x.kind} ${x.collection} ${JSON.stringify(x.where)} ${JSON.stringify(x.orders)}`)).toEqual([])
})

it('the scheduled job finds what is due without scanning the cases', async () => {
  t.reports.length = 0
  const r = await t.cloud.runTimer('cases', 'tick')
  expect(r.ok).toBe(true)
  expect(t.reports.filter((x) => x.collection === 'cases')).toEqual([])
})
