/**
 * Crash safety through serve() with a fake clock: a case's change, its notice and its figures
 * commit together or not at all (a failure is an error answer, nothing half done, the retry makes
 * it once), figures equal a recount of the records, two-collection writes end consistent, and rate
 * limits answer RATE_LIMITED.
 */
import { testCloud, type TestCloud } from '../support/cloud'
import { DEMO } from '../../cloudfunctions/src/local/seed'
import { recountMonth, statsId } from '../../cloudfunctions/src/handlers/cases/stats'
import { SWEEP_AFTER_MS } from '../../cloudfunctions/src/handlers/common/effects'
import { clearRateCache } from '../../cloudfunctions/src/runtime/limits'
import type { CaseDetailT } from '../../src/shared/api/cases'
import type { Database } from '../../cloudfunctions/src/platform/db'

const P = DEMO.people
let t: TestCloud
afterEach(() => t.close())

const dispute = {
  kind: 'dispute',
  category: '噪音',
  description: '楼上每天夜里十二点以后还在拖动家具，影响休息。',
  location: { buildingId: 'b-cy-1', unitId: 'b-cy-1-u1' },
  urgency: 'normal',
}
const act = (who: string, action: string, c: { id: string; version: number }, extra: Record<string, unknown> = {}) =>
  t.call<CaseDetailT>(who, 'cases', action, { id: c.id, version: c.version, ...extra })

/**
 * Make the database fail where an effect is settled: the transaction that moves the counters and
 * the adds of notifications. `rate` in [0, 1]; a seeded sequence so a failure is reproducible.
 */
function failEffects(db: Database, rate: number, seed = 7): { restore(): void; failed(): number } {
  const realTx = db.runTransaction.bind(db)
  const realCollection = db.collection.bind(db)
  let n = seed
  let failed = 0
  const roll = () => {
    n = (n * 48271) % 2147483647 // Park–Miller: exact in doubles
    const hit = n / 2147483647 < rate
    if (hit) failed++
    return hit
  }
  db.runTransaction = (async (fn: Parameters<Database['runTransaction']>[0]) => {
    if (roll()) throw new Error('injected: transaction failed')
    return realTx(fn)
  }) as Database['runTransaction']
  db.collection = ((name: string) => {
    const col = realCollection(name)
    if (name !== 'notifications') return col
    return Object.assign(Object.create(col), {
      add: async (opts: never) => {
        if (roll()) throw new Error('injected: notification write failed')
        return col.add(opts)
      },
    })
  }) as Database['collection']
  return {
    restore() {
      db.runTransaction = realTx
      db.collection = realCollection
    },
    failed: () => failed,
  }
}

async function runJobs() {
  t.clock.advance(SWEEP_AFTER_MS + 1000)
  for (const [fn, trigger] of [
    ['cases', 'tick'],
    ['booking', 'tick'],
    ['user', 'tick'],
  ]) {
    const r = await t.cloud.runTimer(fn, trigger)
    if (!r.ok) throw new Error(`${fn}.${trigger}: ${JSON.stringify(r.error)}`)
  }
}

describe('a change and what follows from it, together', () => {
  beforeEach(async () => {
    t = await testCloud({ start: '2026-11-23T02:00:00Z' })
  })

  it('a change whose notice or figures cannot be written is not made (one transaction): an error answer, nothing half done; the retry makes it once', async () => {
    const c = await t.ok(P.resident, 'cases', 'submit', dispute)
    const inject = failEffects(t.cloud.db, 1)
    const failed = await act(P.mediator1, 'accept', c)
    expect(failed).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
    expect(inject.failed()).toBeGreaterThan(0)
    inject.restore()
    // Nothing of it was written: the case as it was, nobody told, nothing counted.
    expect(await t.ok(P.resident, 'cases', 'get', { id: c.id })).toMatchObject({ status: 'submitted', version: c.version })
    expect(await t.count('notifications', { to: P.resident })).toBe(0)
    const month = (await t.cloud.db.collection<{ total: { accepted?: number } }>('case_stats').doc(statsId('dispute', DEMO.communities.cuihu, '2026-11')).get()).data
    expect(month.total.accepted ?? 0).toBe(0)
    // The retry makes the change, its notice and its figures together; no job has anything left to do.
    expect(await act(P.mediator1, 'accept', c)).toMatchObject({ ok: true, data: { status: 'accepted' } })
    expect(await t.count('notifications', { to: P.resident })).toBe(1)
    const after = (await t.cloud.db.collection<{ total: { accepted?: number } }>('case_stats').doc(statsId('dispute', DEMO.communities.cuihu, '2026-11')).get()).data
    expect(after.total.accepted).toBe(1)
    await runJobs()
    expect(await t.count('notifications', { to: P.resident })).toBe(1)
    expect(await t.count('cases', { effectsDue: t.cloud.db.command.exists(true) })).toBe(0)
  })

  it('a retried action whose answer was lost answers with the case as it is, not CONFLICT', async () => {
    const c = await t.ok(P.resident, 'cases', 'submit', dispute)
    const first = await act(P.mediator1, 'accept', c)
    const retry = await act(P.mediator1, 'accept', c)
    expect(first.ok && retry.ok).toBe(true)
    expect(retry.ok && retry.data.version).toBe(c.version + 1)
    const other = await act(P.staff, 'accept', c)
    expect(!other.ok && other.error.code).toBe('CONFLICT')
  })

  it('after a scripted month with a third of all transactions and notices failing, the figures equal a recount of the cases', async () => {
    const inject = failEffects(t.cloud.db, 0.33)
    // A person whose action failed (an error answer: nothing of it was made) tries again, as one would.
    const persist = async <T,>(call: () => Promise<{ ok: boolean; data?: T; error?: { code: string } }>) => {
      for (let i = 0; ; i++) {
        const r = await call()
        if (r.ok || i === 5 || r.error?.code !== 'INTERNAL') return r
      }
    }
    const who = [P.resident, P.resident2, P.volunteer, P.party]
    const cases: CaseDetailT[] = []
    for (let day = 0; day < 20; day++) {
      for (let i = 0; i < 3; i++) {
        const r = await persist(() =>
          t.call<CaseDetailT>(who[(day + i) % who.length], 'cases', 'submit', {
            ...dispute,
            category: ['噪音', '漏水', '停车'][i],
            urgency: i === 2 ? 'urgent' : 'normal',
          }),
        )
        if (r.ok) cases.push(r.data!)
      }
      t.clock.advanceHours(day % 3 === 0 ? 30 : 6) // some are accepted late
      for (const c of cases.splice(0)) {
        const step = (c.description.length + day) % 4
        const a = await persist(() => act(P.mediator1, 'accept', c))
        if (!a.ok) continue
        if (step === 0) continue
        const s = await persist(() => act(P.mediator1, 'start', a.data!))
        if (!s.ok) continue
        if (step === 3) await persist(() => act(P.mediator1, 'fail', s.data!, { reason: '双方分歧较大' }))
        else await persist(() => act(P.mediator1, 'resolve', s.data!, { agreement: '双方同意晚十点后不再拖动家具' }))
      }
      t.clock.advanceHours(12)
    }
    // Residents rate what was resolved; the rest close by default after 7 days.
    const resolved = (await t.cloud.db.collection<{ _id: string; ownerId: string; version: number }>('cases').where({ status: 'resolved' }).limit(1000).get()).data
    for (const [i, c] of resolved.entries()) {
      if (i % 2 === 0) await persist(() => act(c.ownerId, 'rate', { id: c._id, version: c.version }, { satisfaction: i % 4 === 0 ? 'satisfied' : 'unsatisfied' }))
    }
    expect(inject.failed()).toBeGreaterThan(5)
    t.clock.advanceHours(24 * 8)
    await t.cloud.runTimer('cases', 'tick') // closes the unrated, still under failures
    inject.restore()
    await runJobs()
    for (const month of ['2026-11', '2026-12']) {
      const id = statsId('dispute', DEMO.communities.cuihu, month)
      const stored = await t.cloud.db
        .collection('case_stats')
        .doc(id)
        .get()
        .then((r) => r.data as Record<string, unknown>)
        .catch(() => null)
      const recount = await recountMonth({ db: t.cloud.db, _: t.cloud.db.command }, 'dispute', DEMO.communities.cuihu, month)
      if (!stored) {
        expect(recount.total).toEqual({})
        continue
      }
      const { _id, ...rest } = stored
      void _id
      expect(rest).toEqual(recount)
    }
    const all = await recountMonth({ db: t.cloud.db, _: t.cloud.db.command }, 'dispute', DEMO.communities.cuihu, '2026-11')
    const dec = await recountMonth({ db: t.cloud.db, _: t.cloud.db.command }, 'dispute', DEMO.communities.cuihu, '2026-12')
    // Nearly all 60 submits were made in the end (each failure an error answer, then a retry).
    expect((all.total.received ?? 0) + (dec.total.received ?? 0)).toBeGreaterThan(50)
    expect((all.total.rated ?? 0) + (dec.total.rated ?? 0)).toBeGreaterThan(10)
  })
})

describe('two-collection writes', () => {
  beforeEach(async () => {
    t = await testCloud({ start: '2026-11-23T02:00:00Z' })
  })

  it('a role change and the grids’ worker lists move together (one transaction): a failure leaves neither, the retry both', async () => {
    const inject = failEffects(t.cloud.db, 1)
    const failed = await t.call(P.staff, 'user', 'setRoles', { openid: P.volunteer, roles: ['resident', 'volunteer', 'grid_worker'], gridIds: ['g-cuihu-3'] })
    inject.restore()
    expect(!failed.ok && failed.error.code).toBe('INTERNAL')
    const person = (await t.cloud.db.collection<{ roles: string[]; gridIds: string[] }>('users').doc(P.volunteer).get()).data
    expect(person).toMatchObject({ roles: ['resident', 'volunteer'], gridIds: [] })
    expect((await t.cloud.db.collection<{ workerIds: string[] }>('grids').doc('g-cuihu-3').get()).data.workerIds).not.toContain(P.volunteer)
    await t.ok(P.staff, 'user', 'setRoles', { openid: P.volunteer, roles: ['resident', 'volunteer', 'grid_worker'], gridIds: ['g-cuihu-3'] })
    expect((await t.cloud.db.collection<{ workerIds: string[] }>('grids').doc('g-cuihu-3').get()).data.workerIds).toContain(P.volunteer)
    // The grid routes to the new worker; no job had anything left to do.
    const c = await t.ok(P.resident, 'cases', 'submit', { ...dispute, location: { buildingId: 'b-hp-2' } })
    expect(c.level).toBe('grid')
    expect(await t.count('users', { effectsDue: t.cloud.db.command.exists(true) })).toBe(0)
    // And taking the role away again takes them off the list.
    await t.ok(P.staff, 'user', 'setRoles', { openid: P.volunteer, roles: ['resident', 'volunteer'] })
    expect((await t.cloud.db.collection<{ workerIds: string[] }>('grids').doc('g-cuihu-3').get()).data.workerIds).not.toContain(P.volunteer)
  })

  it('an invitation code used by an onboarding that failed is not charged: the use and the record commit together', async () => {
    const invite = await t.ok(P.mediator1, 'user', 'createInvite', { gridId: 'g-cuihu-1' })
    const onboard = {
      communityId: DEMO.communities.cuihu,
      estateId: 'e-cuiyuan',
      buildingId: 'b-cy-1',
      unitId: 'b-cy-1-u1',
      room: '802',
      name: '新居民',
      inviteCode: invite.code,
    }
    // The first attempt dies inside its transaction (simulated: the transaction fails once).
    const inject = failEffects(t.cloud.db, 1)
    const first = await t.call('newcomer-1', 'user', 'onboard', onboard)
    inject.restore()
    expect(!first.ok && first.error.code).toBe('INTERNAL')
    expect(await t.count('users', { _id: 'newcomer-1' })).toBe(0)
    expect((await t.cloud.db.collection<{ uses: number }>('invites').doc(invite.code).get()).data.uses).toBe(0)
    const second = await t.ok('newcomer-1', 'user', 'onboard', onboard)
    expect(second.verified).toBe(true)
    const again = await t.ok('newcomer-1', 'user', 'onboard', onboard)
    expect(again.verified).toBe(true)
    const doc = (await t.cloud.db.collection<{ uses: number; redeemedBy: string[] }>('invites').doc(invite.code).get()).data
    expect(doc.uses).toBe(1)
    expect(doc.redeemedBy).toEqual(['newcomer-1'])
  })
})

describe('rate limits', () => {
  beforeEach(async () => {
    clearRateCache()
    t = await testCloud({ start: '2026-11-23T02:00:00Z', rateLimits: true })
  })

  it('60 writes a minute per person, then RATE_LIMITED with nothing written; reads are not counted; the next minute is open', async () => {
    const results = []
    for (let i = 0; i < 61; i++) results.push(await t.call(P.resident, 'inbox', 'markRead', {}))
    expect(results.slice(0, 60).every((r) => r.ok)).toBe(true)
    expect(results[60]).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', message: expect.stringMatching(/太频繁.*1 分钟/) } })
    const submit = await t.call(P.resident, 'cases', 'submit', dispute)
    expect(!submit.ok && submit.error.code).toBe('RATE_LIMITED')
    expect(await t.count('cases')).toBe(0)
    for (let i = 0; i < 5; i++) expect((await t.call(P.resident, 'inbox', 'unread')).ok).toBe(true)
    expect((await t.call(P.resident2, 'inbox', 'markRead', {})).ok).toBe(true) // someone else is not affected
    t.clock.advance(60_000)
    expect((await t.call(P.resident, 'cases', 'submit', dispute)).ok).toBe(true)
  })

  it('20 disputes a day per person; a community may set its own number; the next day is open', async () => {
    for (let i = 0; i < 20; i++) {
      expect((await t.call(P.resident, 'cases', 'submit', dispute)).ok).toBe(true)
      if (i % 10 === 9) t.clock.advance(60_000)
    }
    const over = await t.call(P.resident, 'cases', 'submit', dispute)
    expect(over).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', message: expect.stringMatching(/今天提交纠纷已达 20 次上限/) } })
    expect(await t.count('cases')).toBe(20)

    await t.cloud.db.collection('rate_settings').doc(DEMO.communities.cuihu).set({ data: { daily: { cases: 2 } } })
    clearRateCache()
    expect((await t.call(P.resident2, 'cases', 'submit', dispute)).ok).toBe(true)
    expect((await t.call(P.resident2, 'cases', 'submit', dispute)).ok).toBe(true)
    const third = await t.call(P.resident2, 'cases', 'submit', dispute)
    expect(!third.ok && third.error.message).toMatch(/已达 2 次上限/)

    t.clock.advanceHours(24)
    expect((await t.call(P.resident, 'cases', 'submit', dispute)).ok).toBe(true)
  })

  it('200 submits at once by one person stop exactly at the daily cap', async () => {
    await t.cloud.db.collection('rate_settings').doc(DEMO.communities.cuihu).set({ data: { writesPerMinute: 600, daily: { cases: 7 } } })
    const results = await Promise.all(Array.from({ length: 200 }, () => t.call(P.resident, 'cases', 'submit', dispute)))
    expect(results.filter((r) => r.ok)).toHaveLength(7)
    expect(results.filter((r) => !r.ok && r.error.code === 'RATE_LIMITED')).toHaveLength(193)
    expect(await t.count('cases')).toBe(7)
  })

  it('a community’s own numbers hold from a person’s first call on an instance (counted before their record is read, checked after)', async () => {
    await t.cloud.db.collection('rate_settings').doc(DEMO.communities.jinqiao).set({ data: { writesPerMinute: 5 } })
    // This instance has never seen 郭晓燕 (金桥社区): her first count is taken under the defaults, then checked against 5.
    await t.cloud.db.collection('rate_counters').add({ data: { _id: `${P.otherResident}:2026-11-23`, openid: P.otherResident, at: t.clock.now(), m: { t1000: 5 }, d: {} } })
    const first = await t.call(P.otherResident, 'inbox', 'markRead', {})
    expect(first).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } })
    const doc = (await t.cloud.db.collection<{ m: Record<string, number> }>('rate_counters').doc(`${P.otherResident}:2026-11-23`).get()).data
    expect(doc.m.t1000).toBe(5) // given back: the refused call changed nothing
    t.clock.advance(60_000)
    const results = []
    for (let i = 0; i < 6; i++) results.push(await t.call(P.otherResident, 'inbox', 'markRead', {}))
    expect(results.map((r) => r.ok)).toEqual([true, true, true, true, true, false])
  })

  it('a call refused before it acts (no role, invalid input) counts nothing: its count is given back', async () => {
    const counted = async () => {
      const docs = (await t.cloud.db.collection<{ m: Record<string, number>; d: Record<string, number> }>('rate_counters').where({ openid: P.resident }).get()).data
      return docs.reduce((n, d) => n + Object.values(d.m).reduce((a, b) => a + b, 0) + Object.values(d.d).reduce((a, b) => a + b, 0), 0)
    }
    const forbidden = await t.call(P.resident, 'cases', 'takeOver', { id: 'x', version: 1, reason: '试试' })
    expect(!forbidden.ok && forbidden.error.code).toBe('FORBIDDEN')
    const invalid = await t.call(P.resident, 'cases', 'submit', { ...dispute, description: '' })
    expect(!invalid.ok && invalid.error.code).toBe('INVALID_INPUT')
    expect(await counted()).toBe(0)
    expect((await t.call(P.resident, 'cases', 'submit', dispute)).ok).toBe(true)
    expect(await counted()).toBe(2) // the minute and the day's 提交纠纷
  })

  it('old counters are pruned by the user job', async () => {
    await t.call(P.resident, 'inbox', 'markRead', {})
    expect(await t.count('rate_counters')).toBe(1)
    t.clock.advanceHours(49)
    await t.cloud.runTimer('user', 'tick')
    expect(await t.count('rate_counters')).toBe(0)
  })
})
