/**
 * The backend half of `npm run bench` (bundled by scripts/bench.mjs): the H5 first screen, cold
 * start of each built function against the SDK's own, database round trips per action, and the
 * booking contention figure. Latency at district scale is scripts/bench-scale.ts (a child process
 * per size).
 */
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { createLocalCloud, type LocalCloud } from '../cloudfunctions/src/local/cloud'
import { DEMO, seedDemo } from '../cloudfunctions/src/local/seed'
import { quietLogger } from '../cloudfunctions/src/platform/local/services'
import { MANIFEST } from '../cloudfunctions/src/functions/manifest'
import { existsSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { startGateway } from '../cloudfunctions/src/local/gateway'
import { BUDGET, countTrips, type Trips } from '../test/support/trips'

export { BUDGET as TRIP_BUDGET }

const r1 = (x: number) => Math.round(x * 10) / 10

/**
 * Cold start as CloudBase pays it: a fresh Node process requiring the built function (with the real
 * wx-server-sdk, which needs no network until a database call) and answering its first event,
 * against the floor: the same process requiring `wx-server-sdk` alone. Runs alternate between the
 * floor and each function; the best of `runs` each (what the machine's other work did not add).
 */
export function coldStart(root: string, runs = 5): { floorMs: number; functions: Record<string, number> } {
  const floorScript = `
    const t0 = process.hrtime.bigint()
    require('wx-server-sdk')
    console.log(Number(process.hrtime.bigint() - t0) / 1e6)
  `
  const fnScript = `
    const t0 = process.hrtime.bigint()
    const mod = require(process.argv[1])
    mod.main({ action: 'nope' }, {}).then(() => { console.log(Number(process.hrtime.bigint() - t0) / 1e6); process.exit(0) })
  `
  const run = (script: string, args: string[]) => Number(execFileSync(process.execPath, ['-e', script, ...args], { encoding: 'utf8', cwd: root }).trim().split('\n').pop())
  const floor: number[] = []
  const fns: Record<string, number[]> = {}
  for (let i = 0; i < runs; i++) {
    floor.push(run(floorScript, []))
    for (const name of Object.keys(MANIFEST)) (fns[name] ??= []).push(run(fnScript, [join(root, 'cloudfunctions/dist', name, 'index.js')]))
  }
  return { floorMs: r1(Math.min(...floor)), functions: Object.fromEntries(Object.entries(fns).map(([k, v]) => [k, r1(Math.min(...v))])) }
}

async function call(cloud: LocalCloud, who: string, fn: string, action: string, payload: unknown): Promise<{ id: string; version: number }> {
  const r = await cloud.call(fn, { action, payload }, who)
  if (!r.ok) throw new Error(`${fn}.${action}: ${JSON.stringify(r.error)}`)
  return r.data as { id: string; version: number }
}

export interface ActionTrips extends Trips {
  /** From the action's contract (`read: true`); the timer's own runs are `timer` and the first pass's `cold` (no budget). */
  kind: 'read' | 'write' | 'timer' | 'cold'
}

/**
 * Database round trips of each action on the demo data, counted as CloudBase waits and bills
 * (test/support/trips.ts: `sequential` waits, `total` requests, the caller's own record included).
 *
 * The sequence runs twice on one cloud, each time by other people of the same community. The
 * second pass is the budgeted figure: an instance serving a district is warm (its caches of the
 * place tree, grid names and settings filled, runtime/instance.ts), as in the trips tests
 * (test/handlers/trips-*.test.ts). The first pass — every path the first time on a fresh instance —
 * is reported beside it as `(cold instance)`, without a budget: what a call after a cold start pays.
 */
export async function roundTrips(): Promise<Record<string, ActionTrips>> {
  const cloud = await createLocalCloud({ log: quietLogger })
  await seedDemo(cloud.db)
  const P = DEMO.people
  // Full activities, for the waitlist path (one per pass).
  const inDays = (d: number) => new Date(Date.now() + d * 86400_000)
  for (const id of ['act-full', 'act-full-2']) {
    await cloud.db.collection('activities').add({ data: { _id: id, communityId: 'c-cuihu', title: '满员活动', category: '其他', startAt: inDays(3), endAt: new Date(inDays(3).getTime() + 7200_000), signupDeadline: inDays(2), place: '党群服务中心', capacity: 1, taken: 1, waiting: 0, hours: 2, points: 10, contact: '李秀梅', status: 'published', createdBy: P.staff, createdAt: new Date() } })
  }
  const c = countTrips(cloud.platform.db)
  cloud.platform.db = c.db
  const out: Record<string, ActionTrips> = {}
  // Pass 1 and pass 2: the same paths, by different people of 翠湖社区 (a second pass by the same
  // people would take other paths: a rating edited instead of created, a sign-up refused as a repeat).
  const passes = [
    { suffix: ' (cold instance)', resident: P.resident, reader: P.resident2, volunteer: P.volunteer, waiter: P.resident2, full: 'act-full', newcomer: 'bench-new', room: '808', tag: '独居老人' },
    { suffix: '', resident: P.admin, reader: P.party, volunteer: P.elder, waiter: P.mediator2, full: 'act-full-2', newcomer: 'bench-new-2', room: '809', tag: '高龄' },
  ]
  for (const pass of passes) {
    const measure = async (label: string, who: string, fn: string, action: string, payload: unknown) => {
      c.take()
      const data = await call(cloud, who, fn, action, payload)
      const kind = cloud.functions[fn]?.fn.def.actions[action]?.read ? 'read' : 'write'
      out[`${label}${pass.suffix}`] = { ...c.take(), kind: pass.suffix ? 'cold' : kind }
      return data
    }
    await measure('user.me', pass.resident, 'user', 'me', {})
    await measure('user.onboard', pass.newcomer, 'user', 'onboard', { communityId: 'c-cuihu', estateId: 'e-cuiyuan', buildingId: 'b-cy-1', unitId: 'b-cy-1-u1', room: pass.room })
    const dispute = { kind: 'dispute', category: '噪音', description: '夜间噪音扰民', location: { buildingId: 'b-cy-1' } }
    let k = await measure('cases.submit', pass.resident, 'cases', 'submit', dispute)
    await measure('cases.get', pass.resident, 'cases', 'get', { id: k.id })
    await measure('cases.mine', pass.resident, 'cases', 'mine', {})
    await measure('cases.queue', P.mediator1, 'cases', 'queue', {})
    k = await measure('cases.accept', P.mediator1, 'cases', 'accept', { id: k.id, version: k.version })
    await measure('inbox.unread', pass.resident, 'inbox', 'unread', {})
    // 居民留言
    let m = await measure('cases.write (message)', pass.resident, 'cases', 'write', { category: '咨询', text: '请问什么时候更换水管？电话13812345678', wantsPublic: true })
    m = await measure('cases.reply (first reply)', P.mediator1, 'cases', 'reply', { id: m.id, version: m.version, text: '预计明年三月施工。' })
    m = await measure('cases.get (message, marks read)', pass.resident, 'cases', 'get', { id: m.id })
    m = await measure('cases.answer', pass.resident, 'cases', 'answer', { id: m.id, version: m.version, text: '谢谢！' })
    await measure('cases.wallDraft', P.staff, 'cases', 'wallDraft', { id: m.id })
    m = await measure('cases.publish', P.staff, 'cases', 'publish', { id: m.id, version: m.version, text: '请问什么时候更换水管？' })
    await measure('cases.wall', pass.reader, 'cases', 'wall', {})
    await measure('cases.templates', P.staff, 'cases', 'templates', {})
    // 志愿服务 (issue 10 budgets: sign-up, cancel and check-in ≤ 3 sequential steps; the list one query a page)
    await measure('volunteer.list', pass.volunteer, 'volunteer', 'list', {})
    await measure('volunteer.signUp', pass.volunteer, 'volunteer', 'signUp', { id: 'act-clean' })
    await measure('volunteer.signUp (waitlist)', pass.waiter, 'volunteer', 'signUp', { id: pass.full })
    await measure('volunteer.get', pass.volunteer, 'volunteer', 'get', { id: 'act-clean' })
    await measure('volunteer.cancel', pass.volunteer, 'volunteer', 'cancel', { id: 'act-clean' })
    // 物业红黑榜: rating is one transaction (rating + sums; bursts are the job's); the pages read the closes, the company (its page kept on it) and the sums, never ratings
    await measure('property.board', pass.resident, 'property', 'board', {})
    await measure('property.company', pass.resident, 'property', 'company', { id: 'pc-anju' })
    await measure('property.mine', pass.resident, 'property', 'mine', {})
    await measure('property.rate', pass.resident, 'property', 'rate', { companyId: 'pc-anju', stars: { security: 5, cleaning: 4, repair: 4, greening: 5, attitude: 5, fees: 4 } })
    await measure('property.rate (edit)', pass.resident, 'property', 'rate', { companyId: 'pc-anju', stars: { security: 4, cleaning: 4, repair: 4, greening: 5, attitude: 5, fees: 4 } })
    // 网格化管理: a visit is one transaction (visit + household + month figures); a report is a case like any other
    await measure('grid.households', P.mediator1, 'grid', 'households', { gridId: 'g-cuihu-1' })
    await measure('grid.tag', P.mediator1, 'grid', 'tag', { id: 'b-cy-2-u1:201', tag: pass.tag, on: true, reason: '八十岁以上，独居' })
    await measure('grid.visit', P.mediator1, 'grid', 'visit', { id: 'b-cy-2-u1:201', found: '一切正常' })
    const ev = await measure('cases.report (event)', P.mediator1, 'cases', 'report', { type: '安全隐患', description: '消防通道堵塞', location: { buildingId: 'b-cy-2' } })
    await measure('cases.route (event)', P.staff, 'cases', 'route', { id: ev.id, version: ev.version, departmentId: 'dp-chengguan', days: 3, note: '请清理' })
  }
  c.take()
  await cloud.runTimer('cases', 'tick')
  out['cases.tick (nothing due)'] = { ...c.take(), kind: 'timer' }
  await cloud.close()
  return out
}

export interface FirstScreen {
  files: number
  /** Every file gzipped (level 6, as a server sends it): the budgeted figure. */
  gzipKB: number
  /** What the local gateway really sent (brotli where the browser accepts it). */
  sentKB: number
  list: Array<{ path: string; rawKB: number; gzipKB: number }>
}

/**
 * What the browser really downloads to show the home page (index.html, the entry chunks and the
 * home page's own chunks, everything fetched until the network is idle, API answers excluded),
 * gzipped as a server would send it. The size budget of bench-size.mjs counts the entry only;
 * this is the first screen's whole download.
 */
export async function firstScreen(root: string): Promise<FirstScreen | null> {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
  if (!existsSync(chromium) || !existsSync(join(root, 'dist/h5/index.html'))) return null
  const { chromium: pw } = await import('playwright-core')
  const cloud = await createLocalCloud({ log: quietLogger })
  await seedDemo(cloud.db)
  const gw = await startGateway({ cloud, port: 0, staticDir: join(root, 'dist/h5') })
  const browser = await pw.launch({ executablePath: chromium, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] })
  const list: FirstScreen['list'] = []
  let sent = 0
  let gzipped = 0
  const kb = (n: number) => r1(n / 1024)
  try {
    const ctx = await browser.newContext({ extraHTTPHeaders: { 'x-dev-openid': DEMO.people.resident } })
    const page = await ctx.newPage()
    const pending: Promise<void>[] = []
    page.on('response', (res) => {
      const path = new URL(res.url()).pathname
      if (path.startsWith('/api/')) return
      pending.push(
        Promise.all([res.body(), res.request().sizes()]).then(
          ([b, sizes]) => {
            const gz = gzipSync(b).length
            list.push({ path, rawKB: kb(b.length), gzipKB: kb(gz) })
            gzipped += gz
            sent += sizes.responseBodySize
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
  list.sort((x, y) => y.gzipKB - x.gzipKB)
  return { files: list.length, gzipKB: kb(gzipped), sentKB: kb(sent), list }
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
  if (h5FirstScreen) {
    console.log(`\nH5 first screen (home page, everything the browser fetched but API answers): ${h5FirstScreen.files} files, ${h5FirstScreen.gzipKB} KB gzip (${h5FirstScreen.sentKB} KB sent)`)
    for (const f of h5FirstScreen.list) console.log(`  ${f.path.padEnd(36)} ${String(f.rawKB).padStart(7)} KB  ${f.gzipKB} KB gzip`)
  } else console.log('\n(H5 first screen skipped: no chromium or no dist/h5)')
  const coldStartMs = coldStart(root)
  console.log(`\ncold start (fresh process: require + first answer, best of 5, ms; require('wx-server-sdk') alone: ${coldStartMs.floorMs}):`, coldStartMs.functions)
  const dbRoundTrips = await roundTrips()
  console.log('\ndatabase round trips per action (sequential / total):')
  for (const [k, v] of Object.entries(dbRoundTrips)) console.log(`  ${k.padEnd(34)} ${v.sequential} / ${v.total}  (${v.kind})`)
  const bookingContention = await contention()
  console.log('\nbooking contention (200 overlapping requests for 8 slots at once):', bookingContention)
  return { h5FirstScreen, coldStartMs, dbRoundTrips, bookingContention }
}
