/**
 * The backend half of `npm run bench` (bundled by scripts/bench.mjs): cold start of each built
 * function, database round trips per action, and latency of key actions at scale.
 */
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { createLocalCloud, type LocalCloud } from '../cloudfunctions/src/local/cloud'
import { DEMO, seedDemo } from '../cloudfunctions/src/local/seed'
import { quietLogger } from '../cloudfunctions/src/platform/local/services'
import { MANIFEST } from '../cloudfunctions/src/functions/manifest'
import type { Database } from '../cloudfunctions/src/platform/db'
import { existsSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { startGateway } from '../cloudfunctions/src/local/gateway'

/** Wrap the database so every call that reaches the store (a promise-returning method) is counted. */
function counting(db: Database): { db: Database; reset(): void; count(): number } {
  let n = 0
  const wrap = <T extends object>(o: T): T =>
    new Proxy(o, {
      get(target, prop, recv) {
        const v = Reflect.get(target, prop, recv)
        if (typeof v !== 'function') return v
        return (...args: unknown[]) => {
          const r = (v as (...a: unknown[]) => unknown).apply(target, args)
          if (r instanceof Promise) {
            n++
            return r
          }
          return r && typeof r === 'object' ? wrap(r as object) : r
        }
      },
    })
  const proxied = new Proxy(db, {
    get(target, prop, recv) {
      if (prop === 'collection') return (name: string) => wrap(target.collection(name))
      if (prop === 'runTransaction')
        return (fn: (tx: unknown) => Promise<unknown>) => {
          n++
          return target.runTransaction((tx) => fn(wrap(tx)))
        }
      return Reflect.get(target, prop, recv)
    },
  })
  return { db: proxied, reset: () => (n = 0), count: () => n }
}

function coldStart(root: string): Record<string, number> {
  const script = `
    const Module = require('node:module')
    const stub = { init() {}, DYNAMIC_CURRENT_ENV: Symbol('env'), getWXContext: () => ({ OPENID: '' }), database: () => ({ command: {}, serverDate() {}, collection() { return {} } }), openapi: {} }
    const load = Module._load
    Module._load = function (r, p, m) { return r === 'wx-server-sdk' ? stub : load.call(this, r, p, m) }
    const t0 = process.hrtime.bigint()
    const mod = require(process.argv[1])
    mod.main({ action: 'nope' }).then(() => console.log(Number(process.hrtime.bigint() - t0) / 1e6))
  `
  const res: Record<string, number> = {}
  for (const name of Object.keys(MANIFEST)) {
    const runs = Array.from({ length: 5 }, () =>
      Number(execFileSync(process.execPath, ['-e', script, join(root, 'cloudfunctions/dist', name, 'index.js')], { encoding: 'utf8' }).trim()),
    ).sort((a, b) => a - b)
    res[name] = Math.round(runs[2] * 10) / 10
  }
  return res
}

async function call(cloud: LocalCloud, who: string, fn: string, action: string, payload: unknown): Promise<{ id: string; version: number }> {
  const r = await cloud.call(fn, { action, payload }, who)
  if (!r.ok) throw new Error(`${fn}.${action}: ${JSON.stringify(r.error)}`)
  return r.data as { id: string; version: number }
}

async function roundTrips(): Promise<Record<string, number>> {
  const cloud = await createLocalCloud({ log: quietLogger })
  await seedDemo(cloud.db)
  // A full activity, for the waitlist path.
  await cloud.db.collection('activities').add({ data: { _id: 'act-full', communityId: 'c-cuihu', title: '满员活动', category: '其他', startAt: new Date(Date.now() + 3 * 86400_000), endAt: new Date(Date.now() + 3 * 86400_000 + 7200_000), signupDeadline: new Date(Date.now() + 2 * 86400_000), place: '党群服务中心', capacity: 1, taken: 1, waiting: 0, hours: 2, points: 10, contact: '李秀梅', status: 'published', createdBy: DEMO.people.staff, createdAt: new Date() } })
  const c = counting(cloud.db)
  cloud.platform.db = c.db
  const P = DEMO.people
  const out: Record<string, number> = {}
  const measure = async (label: string, who: string, fn: string, action: string, payload: unknown) => {
    c.reset()
    const data = await call(cloud, who, fn, action, payload)
    out[label] = c.count()
    return data
  }
  await measure('user.me', P.resident, 'user', 'me', {})
  await measure('user.onboard', 'bench-new', 'user', 'onboard', { communityId: 'c-cuihu', estateId: 'e-cuiyuan', buildingId: 'b-cy-1', unitId: 'b-cy-1-u1', room: '808' })
  const dispute = { kind: 'dispute', category: '噪音', description: '夜间噪音扰民', location: { buildingId: 'b-cy-1' } }
  let k = await measure('cases.submit', P.resident, 'cases', 'submit', dispute)
  await measure('cases.get', P.resident, 'cases', 'get', { id: k.id })
  await measure('cases.mine', P.resident, 'cases', 'mine', {})
  await measure('cases.queue', P.mediator1, 'cases', 'queue', {})
  k = await measure('cases.accept', P.mediator1, 'cases', 'accept', { id: k.id, version: k.version })
  await measure('inbox.unread', P.resident, 'inbox', 'unread', {})
  // 居民留言
  let m = await measure('cases.write (message)', P.resident, 'cases', 'write', { category: '咨询', text: '请问什么时候更换水管？电话13812345678', wantsPublic: true })
  m = await measure('cases.reply (first reply)', P.mediator1, 'cases', 'reply', { id: m.id, version: m.version, text: '预计明年三月施工。' })
  m = await measure('cases.get (message, marks read)', P.resident, 'cases', 'get', { id: m.id })
  m = await measure('cases.answer', P.resident, 'cases', 'answer', { id: m.id, version: m.version, text: '谢谢！' })
  await measure('cases.wallDraft', P.staff, 'cases', 'wallDraft', { id: m.id })
  m = await measure('cases.publish', P.staff, 'cases', 'publish', { id: m.id, version: m.version, text: '请问什么时候更换水管？' })
  await measure('cases.wall', P.resident2, 'cases', 'wall', {})
  await measure('cases.templates', P.staff, 'cases', 'templates', {})
  // 志愿服务 (issue 10 budgets: sign-up, cancel and check-in ≤ 3 sequential steps; the list one query a page)
  await measure('volunteer.list', P.volunteer, 'volunteer', 'list', {})
  await measure('volunteer.signUp', P.volunteer, 'volunteer', 'signUp', { id: 'act-clean' })
  await measure('volunteer.signUp (waitlist)', P.resident2, 'volunteer', 'signUp', { id: 'act-full' })
  await measure('volunteer.get', P.volunteer, 'volunteer', 'get', { id: 'act-clean' })
  await measure('volunteer.cancel', P.volunteer, 'volunteer', 'cancel', { id: 'act-clean' })
  // 物业红黑榜: rating is one transaction (rating + sums + burst counter); the pages read sums and results, never ratings
  await measure('property.board', P.resident, 'property', 'board', {})
  await measure('property.company', P.resident, 'property', 'company', { id: 'pc-anju' })
  await measure('property.mine', P.resident, 'property', 'mine', {})
  await measure('property.rate', P.resident, 'property', 'rate', { companyId: 'pc-anju', stars: { security: 5, cleaning: 4, repair: 4, greening: 5, attitude: 5, fees: 4 } })
  await measure('property.rate (edit)', P.resident, 'property', 'rate', { companyId: 'pc-anju', stars: { security: 4, cleaning: 4, repair: 4, greening: 5, attitude: 5, fees: 4 } })
  // 网格化管理: a visit is one transaction (visit + household + month figures); a report is a case like any other
  await measure('grid.households', P.mediator1, 'grid', 'households', { gridId: 'g-cuihu-1' })
  await measure('grid.tag', P.mediator1, 'grid', 'tag', { id: 'b-cy-2-u1:201', tag: '独居老人', on: true, reason: '独居' })
  await measure('grid.visit', P.mediator1, 'grid', 'visit', { id: 'b-cy-2-u1:201', found: '一切正常' })
  const ev = await measure('cases.report (event)', P.mediator1, 'cases', 'report', { type: '安全隐患', description: '消防通道堵塞', location: { buildingId: 'b-cy-2' } })
  await measure('cases.route (event)', P.staff, 'cases', 'route', { id: ev.id, version: ev.version, departmentId: 'dp-chengguan', days: 3, note: '请清理' })
  c.reset()
  await cloud.runTimer('cases', 'tick')
  out['cases.tick (nothing due)'] = c.count()
  await cloud.close()
  return out
}

async function atScale(): Promise<Record<string, { p50: number; p95: number }>> {
  const cloud = await createLocalCloud({ log: quietLogger })
  await seedDemo(cloud.db)
  const P = DEMO.people
  const N = 20_000
  const now = Date.now()
  for (let i = 0; i < N; i += 1000) {
    const docs = Array.from({ length: 1000 }, (_, j) => {
      const n = i + j
      const grid = ['g-cuihu-1', 'g-cuihu-2', 'g-cuihu-3'][n % 3]
      return {
        kind: 'dispute', communityId: 'c-cuihu', streetId: 'st-cuihu', gridId: grid, level: 'grid', assigneeId: null, assigneeName: null,
        ownerId: n % 50 === 0 ? P.resident : `bench-${n % 5000}`, ownerName: '居民', ownerPhone: null, householdId: 'h', category: '噪音',
        description: `第 ${n} 件`, photos: [], location: { buildingId: 'b-cy-1', unitId: null, text: '翠园小区 1栋' }, otherParty: null,
        urgency: 'normal', complex: false, status: ['submitted', 'accepted', 'closed'][n % 3], statusBeforeWait: null,
        submittedAt: new Date(now - n * 60_000), acceptedAt: null, resolvedAt: null, closedAt: null, levelSince: null, pausedMs: 0,
        waitingSince: null, dueAt: n % 3 === 2 ? null : new Date(now + (n % 100) * 3600_000), overdue: false, agreement: null, failReason: null,
        satisfaction: null, satisfactionComment: null, reopenCount: 0, timeline: [], version: 1, updatedAt: new Date(now),
      }
    })
    await cloud.db.collection('cases').add({ data: docs })
  }
  const out: Record<string, { p50: number; p95: number }> = {}
  const time = async (label: string, who: string, fn: string, action: string, payload: unknown) => {
    const ms: number[] = []
    for (let i = 0; i < 50; i++) {
      const t0 = process.hrtime.bigint()
      await call(cloud, who, fn, action, payload)
      ms.push(Number(process.hrtime.bigint() - t0) / 1e6)
    }
    ms.sort((a, b) => a - b)
    out[label] = { p50: Math.round(ms[24] * 10) / 10, p95: Math.round(ms[47] * 10) / 10 }
  }
  await time(`cases.queue (${N} cases)`, P.mediator1, 'cases', 'queue', {})
  await time(`cases.mine (${N} cases)`, P.resident, 'cases', 'mine', {})
  await time(`user.me`, P.resident, 'user', 'me', {})
  await cloud.close()
  return out
}

/**
 * What the browser really downloads to show the home page (index.html, the entry chunks and the
 * home page's own chunks, API answers excluded), gzipped as a server would send it. The size
 * budget counts the entry only (bench-size.mjs); this is the honest first-screen number beside it.
 */
async function firstScreen(root: string): Promise<{ files: number; gzipKB: number } | null> {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
  if (!existsSync(chromium) || !existsSync(join(root, 'dist/h5/index.html'))) return null
  const { chromium: pw } = await import('playwright-core')
  const cloud = await createLocalCloud({ log: quietLogger })
  await seedDemo(cloud.db)
  const gw = await startGateway({ cloud, port: 0, staticDir: join(root, 'dist/h5') })
  const browser = await pw.launch({ executablePath: chromium, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] })
  let bytes = 0
  let files = 0
  try {
    const ctx = await browser.newContext({ extraHTTPHeaders: { 'x-dev-openid': DEMO.people.resident } })
    const page = await ctx.newPage()
    const pending: Promise<void>[] = []
    page.on('response', (res) => {
      if (new URL(res.url()).pathname.startsWith('/api/')) return
      pending.push(
        res.body().then(
          (b) => {
            bytes += gzipSync(b).length
            files++
          },
          () => undefined,
        ),
      )
    })
    await page.goto(`${gw.url}/#/pages/home/index`)
    await page.locator('.entry-dispute').waitFor()
    await page.waitForLoadState('networkidle')
    await Promise.all(pending)
  } finally {
    await browser.close()
    await gw.close()
    await cloud.close()
  }
  return { files, gzipKB: Math.round((bytes / 1024) * 10) / 10 }
}

/**
 * Booking under contention (issue 8): 200 residents ask at once for overlapping ranges of one
 * room's morning (8 half-hour slots, 1–8 slots each). Reports how many won, how many were told
 * "taken" and how many of those were told so while no live booking overlapped their range at the
 * end (false "taken" — the figure that must be 0), how many were told to retry, and free slots.
 */
async function contention(): Promise<Record<string, number>> {
  const cloud = await createLocalCloud({ log: quietLogger, settings: { rateLimits: false } })
  await seedDemo(cloud.db)
  const units = (await cloud.db.collection<{ _id: string; kind: string; communityId: string; streetId: string; estateId: string; buildingId: string; gridId: string | null }>('places').where({ kind: 'unit', communityId: 'c-cuihu' }).limit(100).get()).data
  const now = new Date()
  const people = Array.from({ length: 200 }, (_, i) => {
    const u = units[i % units.length]
    return {
      _id: `bench-res-${i}`, name: `居民${i}`, roles: ['resident'], verified: true, gridIds: [], createdAt: now, updatedAt: now, version: 1,
      address: { streetId: u.streetId, communityId: u.communityId, estateId: u.estateId, buildingId: u.buildingId, unitId: u._id, room: String(101 + i), gridId: u.gridId ?? null },
      householdId: `${u._id}:${101 + i}`,
    }
  })
  await cloud.db.collection('users').add({ data: people })
  // The next Monday-to-Saturday day at least two days ahead, Shanghai.
  const day = new Date(now.getTime() + 2 * 86400_000)
  if (day.getUTCDay() === 0) day.setTime(day.getTime() + 86400_000)
  const date = new Date(day.getTime() + 8 * 3600_000).toISOString().slice(0, 10)
  let seed = 20261123
  const rand = (n: number) => {
    seed = (seed * 48271) % 2147483647 // Park–Miller: exact in doubles
    return seed % n
  }
  const ranges: Array<[number, number]> = []
  const results = await Promise.all(
    people.map((p, i) => {
      const slotCount = 1 + rand(8)
      const start = 8 * 60 + rand(8 - slotCount + 1) * 30
      ranges.push([start, start + slotCount * 30])
      const startSlot = `${String(Math.floor(start / 60)).padStart(2, '0')}:${String(start % 60).padStart(2, '0')}`
      return cloud.call('booking', { action: 'book', payload: { roomId: 'room-duogong', date, startSlot, slotCount, purpose: '楼栋议事', attendees: 10, contactName: `居民${i}`, contactPhone: '13900000000' } }, p._id)
    }),
  )
  const live = (await cloud.db.collection<{ start: number; end: number; status: string }>('bookings').where({ date }).limit(1000).get()).data.filter((b) => ['pending', 'confirmed'].includes(b.status))
  const overlaps = ([s, e]: [number, number]) => live.some((b) => b.start < e && s < b.end)
  let taken = 0
  let falseTaken = 0
  let retry = 0
  results.forEach((r, i) => {
    if (r.ok) return
    if (/已被预约/.test(r.error.message)) {
      taken++
      if (!overlaps(ranges[i])) falseTaken++
    } else retry++
  })
  const booked = live.reduce((n, b) => n + (b.end - b.start) / 30, 0)
  await cloud.close()
  return { requests: 200, won: results.filter((r) => r.ok).length, toldTaken: taken, falseTaken, toldRetry: retry, slotsFree: 8 - booked }
}

export async function runBackendBench(root: string): Promise<Record<string, unknown>> {
  const h5FirstScreen = await firstScreen(root)
  if (h5FirstScreen) console.log(`\nH5 first screen (home page, everything the browser fetched but API answers): ${h5FirstScreen.files} files, ${h5FirstScreen.gzipKB} KB gzip`)
  const coldStartMs = coldStart(root)
  console.log('\ncold start (require + first answer, median of 5, ms):', coldStartMs)
  const dbRoundTrips = await roundTrips()
  console.log('\ndatabase round trips per action:')
  for (const [k, v] of Object.entries(dbRoundTrips)) console.log(`  ${k.padEnd(28)} ${v}`)
  const bookingContention = await contention()
  console.log('\nbooking contention (200 overlapping requests for 8 slots at once):', bookingContention)
  const latency = await atScale()
  console.log('\nlatency on the local cloud at scale (ms):')
  for (const [k, v] of Object.entries(latency)) console.log(`  ${k.padEnd(28)} p50 ${v.p50}  p95 ${v.p95}`)
  return { h5FirstScreen, coldStartMs, dbRoundTrips, bookingContention, latencyMs: latency }
}
