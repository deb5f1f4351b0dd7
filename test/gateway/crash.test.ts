/**
 * The local cloud killed with SIGKILL at random points during idempotent creates, 20 times, and
 * restarted each time: every acknowledged write is there, every retry of an interrupted request
 * succeeds once its lease has run out, no request created two cases, and after the jobs ran the
 * figures equal a recount of the cases.
 *
 * The cloud runs as its own process (the real `npm start` entry, bundled), driven over HTTP like
 * the H5 client. The kill moments are chosen by conditions (a random number of acknowledged
 * submits in the round), never by time.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { testCloud } from '../support/cloud'
import { DEMO, demoPlaces } from '../../cloudfunctions/src/local/seed'
import { recountMonth, statsId } from '../../cloudfunctions/src/handlers/cases/stats'
import { SWEEP_AFTER_MS } from '../../cloudfunctions/src/handlers/common/effects'
import type { UserDoc } from '../../src/shared/domain/user'

const ROOT = resolve(__dirname, '../..')
const LEASE_MS = 1500
const ROUNDS = 20
const PEOPLE = 24

let work: string
let bundle: string
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'linli-crash-'))
  // Inside the repository, so the bundle's external packages resolve from node_modules.
  bundle = join(ROOT, '.build', `crash-cloud-${process.pid}.cjs`)
  // esbuild's JS API misbehaves inside jest's sandbox: bundle from a plain node process.
  const options = { entryPoints: [join(ROOT, 'cloudfunctions/src/local/main.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile: bundle, packages: 'external' }
  execFileSync(process.execPath, ['-e', `require('esbuild').buildSync(${JSON.stringify(options)})`], { cwd: ROOT })
})
afterAll(() => {
  rmSync(work, { recursive: true, force: true })
  rmSync(bundle, { force: true })
})

interface Running {
  child: ChildProcess
  url: string
  exited: Promise<void>
}

/** Start the local cloud on a free port over `dataDir`; resolves once it prints its address. */
function start(dataDir: string): Promise<Running> {
  const child = spawn(process.execPath, [bundle], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', NO_TIMERS: '1', REQUEST_LEASE_MS: String(LEASE_MS), RATE_LIMITS: '0', // a few people write hundreds of cases here on purpose
       H5_DIR: join(work, 'no-h5') },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  return new Promise((resolveStart, reject) => {
    let out = ''
    let err = ''
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()))
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString()
      const m = /接口清单:\s+(http:\/\/127\.0\.0\.1:\d+)\/api/.exec(out)
      if (m) resolveStart({ child, url: m[1], exited })
    })
    child.once('exit', (code) => reject(new Error(`local cloud exited (${code}) before listening: ${out}\n${err}`)))
  })
}

async function submit(url: string, who: string, requestId: string): Promise<{ ok: true; id: string } | { ok: false; code: string } | null> {
  try {
    const res = await fetch(`${url}/api/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-dev-openid': who },
      body: JSON.stringify({
        action: 'submit',
        requestId,
        payload: { kind: 'dispute', category: ['噪音', '漏水', '停车'][requestId.length % 3], description: `夜里楼上有响动，请协调（${requestId}）`, location: { buildingId: 'b-cy-1' }, urgency: 'normal' },
      }),
    })
    const body = (await res.json()) as { ok: boolean; data?: { id: string }; error?: { code: string } }
    return body.ok ? { ok: true, id: body.data!.id } : { ok: false, code: body.error!.code }
  } catch {
    return null // the connection died with the process: not acknowledged
  }
}

it(
  'survives 20 SIGKILLs during idempotent creates: acknowledged writes kept, retries succeed after the lease, no duplicates, figures equal a recount',
  async () => {
    const dataDir = join(work, 'data')
    // Seed the demo data and the people who will write, then let the child process own the files.
    const people: string[] = []
    {
      const t = await testCloud({ dataDir, start: new Date().toISOString() })
      const { places } = demoPlaces()
      const unit = places.find((p) => p._id === 'b-cy-1-u1')!
      const now = new Date()
      const docs: UserDoc[] = Array.from({ length: PEOPLE }, (_, i) => ({
        _id: `crash-res-${i}`,
        name: `居民${i}`,
        roles: ['resident'],
        verified: true,
        address: { streetId: unit.streetId, communityId: unit.communityId!, estateId: unit.estateId!, buildingId: unit.buildingId!, unitId: unit._id, room: String(201 + i), gridId: unit.gridId ?? null },
        householdId: `${unit._id}:${201 + i}`,
        gridIds: [],
        createdAt: now,
        updatedAt: now,
        version: 1,
      }))
      await t.cloud.db.collection('users').add({ data: docs as unknown as Record<string, unknown>[] })
      people.push(...docs.map((d) => d._id))
      await t.close()
    }

    const acknowledged = new Map<string, { who: string; id: string }>() // requestId → case
    const pending = new Map<string, string>() // requestId → who: sent, never answered
    let seed = 4242
    const rand = (n: number) => {
      seed = (seed * 48271) % 2147483647
      return seed % n
    }
    let next = 0

    for (let round = 0; round < ROUNDS; round++) {
      const cloud = await start(dataDir)
      const killAt = 3 + rand(25)
      let acksThisRound = 0
      // Retry what earlier kills interrupted: CONFLICT while the dead process's lease runs, then success.
      const retries = [...pending].map(async ([rid, who]) => {
        for (;;) {
          const r = await submit(cloud.url, who, rid)
          if (r === null) return // killed again mid-retry: stays pending
          if (r.ok) {
            acknowledged.set(rid, { who, id: r.id })
            pending.delete(rid)
            return
          }
          expect(r.code).toBe('CONFLICT')
          await new Promise((w) => setTimeout(w, 100)) // the lease is real time in the child process
        }
      })
      // Fresh submits from every person until the kill.
      const streams = people.map(async (who, idx) => {
        while (cloud.child.exitCode === null && cloud.child.signalCode === null) {
          const rid = `req${round}x${next++}x${idx}`
          pending.set(rid, who)
          const r = await submit(cloud.url, who, rid)
          if (r === null) return
          if (!r.ok) throw new Error(`fresh submit refused: ${r.code}`)
          acknowledged.set(rid, { who, id: r.id })
          pending.delete(rid)
          if (++acksThisRound >= killAt && cloud.child.exitCode === null) cloud.child.kill('SIGKILL')
        }
      })
      await Promise.all(streams)
      if (cloud.child.exitCode === null && cloud.child.signalCode === null) cloud.child.kill('SIGKILL')
      await cloud.exited
      await Promise.all(retries)
      expect(cloud.child.signalCode).toBe('SIGKILL')
    }

    // Last start: every interrupted request is retried until its lease has run out, and succeeds.
    const cloud = await start(dataDir)
    const interrupted = pending.size
    for (const [rid, who] of [...pending]) {
      for (;;) {
        const r = await submit(cloud.url, who, rid)
        expect(r).not.toBeNull()
        if (r!.ok) {
          acknowledged.set(rid, { who, id: r!.id })
          pending.delete(rid)
          break
        }
        expect(r!.ok === false && r!.code).toBe('CONFLICT')
        await new Promise((w) => setTimeout(w, 100))
      }
    }
    // A retry of an acknowledged request answers the same case.
    const [someRid, some] = [...acknowledged][0]
    expect(await submit(cloud.url, some.who, someRid)).toEqual({ ok: true, id: some.id })
    cloud.child.kill('SIGTERM')
    await cloud.exited

    // Check the data on the disk the child left, with the jobs run as the timer would.
    const t = await testCloud({ dataDir, seed: false, start: new Date(Date.now() + SWEEP_AFTER_MS + 60_000).toISOString() })
    try {
      expect(acknowledged.size).toBeGreaterThan(ROUNDS * 3)
      // Every case, a page at a time: a busy machine acknowledges more before each kill lands, and
      // one read returns at most 1000 (as in CloudBase) — reading one page once hid the rest.
      const cases: Array<{ _id: string; ownerId: string; description: string }> = []
      for (;;) {
        const page = (await t.cloud.db.collection<{ _id: string; ownerId: string; description: string }>('cases').orderBy('_id', 'asc').skip(cases.length).limit(1000).get()).data
        cases.push(...page)
        if (page.length < 1000) break
      }
      const byId = new Map(cases.map((c) => [c._id, c]))
      for (const [rid, { who, id }] of acknowledged) {
        expect(byId.get(id)?.ownerId).toBe(who)
        expect(byId.get(id)?.description).toContain(rid)
      }
      // No request created two cases: one case per request id, and nothing else.
      const perRequest = new Map<string, number>()
      for (const c of cases) {
        const rid = /（(req\d+x\d+x\d+)）/.exec(c.description)![1]
        perRequest.set(rid, (perRequest.get(rid) ?? 0) + 1)
      }
      expect([...perRequest.values()].every((n) => n === 1)).toBe(true)
      expect(cases).toHaveLength(acknowledged.size)

      for (const [fn, trigger] of [
        ['cases', 'tick'],
        ['user', 'tick'],
      ]) {
        const r = await t.cloud.runTimer(fn, trigger)
        expect(r.ok).toBe(true)
      }
      const months = [...new Set(cases.map(() => 0))].length ? await monthsOf(t) : []
      for (const month of months) {
        const stored = (await t.cloud.db.collection<Record<string, unknown>>('case_stats').doc(statsId('dispute', DEMO.communities.cuihu, month)).get()).data
        const { _id, ...rest } = stored
        void _id
        expect(rest).toEqual(await recountMonth({ db: t.cloud.db, _: t.cloud.db.command }, 'dispute', DEMO.communities.cuihu, month))
      }
      expect(await t.count('cases', { effectsDue: t.cloud.db.command.exists(true) })).toBe(0)
      console.info(`crash test: ${ROUNDS} kills, ${acknowledged.size} cases acknowledged, ${interrupted} requests still interrupted before the last start, all retried`)
    } finally {
      await t.close()
    }
  },
  600_000,
)

async function monthsOf(t: Awaited<ReturnType<typeof testCloud>>): Promise<string[]> {
  const docs = (await t.cloud.db.collection<{ month: string; kind: string }>('case_stats').where({ kind: 'dispute', communityId: DEMO.communities.cuihu }).limit(100).get()).data
  return docs.map((d) => d.month)
}
