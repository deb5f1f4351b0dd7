/**
 * 长辈模式 and accessibility, on every page (issue 14): the built H5 app at 375 px against the real
 * local cloud with the demo data and the demo activity (cases, bookings, messages, a patrol
 * report…), signed in as someone who may open each page.
 *
 * The pages are read from src/app.config.ts, so a page added later is swept too (by default as
 * the resident 孙丽, without parameters: give it a role or an id in SETUP below if it needs one).
 * For each page:
 * - 长辈模式: the smallest computed font size of any visible text is ≥ 18 px, and every tappable
 *   element (buttons, links, inputs, anything with a role a person activates or a tab stop — on H5
 *   every View with onClick gets role="button", src/components/a11y.ts) is ≥ 44 × 44 px;
 * - axe-core reports no critical and no serious violation, in 长辈模式 and in the normal mode
 *   (contrast ≥ 4.5:1 is axe's color-contrast rule);
 * - the page shows its content, not a load error (else the sweep would check an error page);
 * and the viewport lets a person pinch-zoom.
 * Every finding names the page, the mode and the element, and all of them are reported at once.
 *
 * Speed: one browser, one tab; each person signs in once per mode and then moves from page to page
 * inside the app (a hash change, as a tap on a link would), so the bundle loads a dozen times, not
 * a hundred and twenty.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { CONDITION_TIMEOUT_MS } from '../support/poll'
import { settled, setupBrowser } from './harness'
import { startAppServer, type AppServer } from './app-server'
import { DEMO, seedDemoActivity } from '../../cloudfunctions/src/local/seed'

const e2e = setupBrowser()
let app: AppServer
const P = DEMO.people

const MIN_FONT_PX = 18
const MIN_TAP_PX = 44

interface AppConfig {
  pages: string[]
  subPackages: Array<{ root: string; pages: string[] }>
}

/** Every page of the app, as app.json lists it. */
function appPages(): string[] {
  // app.config.ts calls Taro's build-time global; here it only has to hand the object back.
  const g = globalThis as unknown as { defineAppConfig?: (c: AppConfig) => AppConfig }
  g.defineAppConfig = (c) => c
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const config = (require('../../src/app.config') as { default: AppConfig }).default
  return [...config.pages, ...config.subPackages.flatMap((s) => s.pages.map((p) => `${s.root}/${p}`))]
}

/** Real demo records for the pages that show one. */
interface Ids {
  dispute: string
  message: string
  event: string
  booking: string
  room: string
  activity: string
  soonActivity: string
  company: string
  household: string
  grid: string
}

interface Setup {
  /** Who opens it (default: the resident 孙丽). */
  as?: string
  /** The query string, from the demo records. */
  query?: (ids: Ids) => string
}

const ADMIN = P.admin
/** Who may open the pages of a package, unless SETUP says otherwise. */
const PACKAGE_ROLE: Record<string, string> = {
  'packages/staff/': ADMIN,
  'packages/grid/': P.mediator1,
  'packages/work/': ADMIN,
  'packages/stats/': ADMIN,
}
const q = encodeURIComponent
const SETUP: Record<string, Setup> = {
  'packages/dispute/pages/detail/index': { query: (i) => `id=${q(i.dispute)}` },
  'packages/dispute/pages/queue/index': { as: ADMIN },
  'packages/dispute/pages/stats/index': { as: ADMIN },
  'packages/message/pages/detail/index': { query: (i) => `id=${q(i.message)}` },
  'packages/message/pages/inbox/index': { as: ADMIN },
  'packages/message/pages/templates/index': { as: ADMIN },
  'packages/booking/pages/room/index': { query: (i) => `id=${q(i.room)}` },
  'packages/booking/pages/detail/index': { query: (i) => `id=${q(i.booking)}` },
  'packages/booking/pages/pending/index': { as: ADMIN },
  'packages/booking/pages/calendar/index': { as: ADMIN },
  'packages/booking/pages/verify/index': { as: ADMIN },
  'packages/booking/pages/manage/index': { as: ADMIN },
  'packages/booking/pages/edit/index': { as: ADMIN, query: (i) => `id=${q(i.room)}` },
  'packages/volunteer/pages/detail/index': { query: (i) => `id=${q(i.activity)}` },
  'packages/volunteer/pages/edit/index': { as: ADMIN, query: (i) => `id=${q(i.activity)}` },
  'packages/volunteer/pages/roster/index': { as: ADMIN, query: (i) => `id=${q(i.activity)}` },
  'packages/volunteer/pages/qr/index': { as: ADMIN, query: (i) => `id=${q(i.soonActivity)}` },
  'packages/volunteer/pages/export/index': { as: ADMIN },
  'packages/property/pages/company/index': { query: (i) => `id=${q(i.company)}` },
  'packages/property/pages/close/index': { as: ADMIN },
  'packages/property/pages/companies/index': { as: ADMIN },
  'packages/property/pages/violations/index': { as: ADMIN, query: (i) => `companyId=${q(i.company)}` },
  'packages/property/pages/complaints/index': { as: ADMIN },
  'packages/property/pages/bursts/index': { as: ADMIN },
  'packages/property/pages/settings/index': { as: ADMIN },
  'packages/property/pages/results/index': { as: P.propertyAnju },
  'packages/grid/pages/households/index': { query: (i) => `gridId=${q(i.grid)}` },
  'packages/grid/pages/household/index': { query: (i) => `id=${q(i.household)}` },
  'packages/grid/pages/due/index': { query: (i) => `gridId=${q(i.grid)}` },
  'packages/grid/pages/event/index': { query: (i) => `id=${q(i.event)}` },
  'packages/grid/pages/departments/index': { as: P.street },
  'packages/grid/pages/settings/index': { as: ADMIN },
}

/** Pages photographed in 长辈模式 (test/e2e/screens/care-*.png) for a person to look at. */
const SHOTS = new Set([
  'pages/home/index',
  'pages/mine/index',
  'packages/dispute/pages/new/index',
  'packages/dispute/pages/detail/index',
  'packages/booking/pages/room/index',
  'packages/booking/pages/calendar/index',
  'packages/volunteer/pages/list/index',
  'packages/property/pages/company/index',
  'packages/grid/pages/household/index',
])

function roleOf(route: string): string {
  const setup = SETUP[route]
  if (setup?.as) return setup.as
  const pkg = Object.keys(PACKAGE_ROLE).find((prefix) => route.startsWith(prefix))
  return pkg ? PACKAGE_ROLE[pkg] : P.resident
}

async function findIds(): Promise<Ids> {
  const db = app.cloud.db
  const first = async (collection: string, where: Record<string, unknown>): Promise<string> => {
    const { data } = await db.collection(collection).where(where).limit(1).get()
    const id = (data[0] as { _id?: string } | undefined)?._id
    if (!id) throw new Error(`no demo record in ${collection} for ${JSON.stringify(where)}`)
    return id
  }
  const zhang = (await db.collection('users').doc(P.mediator1).get()).data as unknown as { gridIds: string[] }
  // The organiser's check-in QR opens 30 minutes before the start: one activity starts in 10.
  const soonActivity = 'act-civil'
  const startAt = new Date(Date.now() + 10 * 60_000)
  await db.collection('activities').doc(soonActivity).update({ data: { startAt, endAt: new Date(startAt.getTime() + 2 * 3600_000), signupDeadline: startAt } })
  return {
    dispute: await first('cases', { kind: 'dispute', ownerId: P.resident }),
    message: await first('cases', { kind: 'message', ownerId: P.resident }),
    event: await first('cases', { kind: 'event' }),
    booking: await first('bookings', { ownerId: P.resident }),
    room: 'room-duogong',
    activity: 'act-clean',
    soonActivity,
    company: 'pc-anju',
    household: await first('households', {}),
    grid: zhang.gridIds[0],
  }
}

/**
 * In the page, before the app: counts the requests to the local cloud still under way, so a page
 * is measured once its data has arrived (the gateway calls `fetch('/api/…')`).
 */
function countRequests(): void {
  const w = window as unknown as { __apiPending: number }
  w.__apiPending = 0
  const original = window.fetch.bind(window)
  window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    if (!url.includes('/api/')) return original(input, init)
    w.__apiPending += 1
    return original(input, init).finally(() => {
      w.__apiPending -= 1
    })
  }
}

/** The page `route` is shown, its data loaded and drawn (no request, skeleton or spinner left). */
function pageReady(route: string): boolean {
  const pages = Array.from(document.querySelectorAll('.taro_page')).filter((el) => !el.classList.contains('taro_page_shade'))
  const top = pages[pages.length - 1]
  if (!top || !top.id.startsWith(`/${route}`) || !top.classList.contains('taro_page_stationed')) return false
  if (!top.querySelector('.page-root')) return false
  if (top.querySelector('[aria-busy="true"], .ui-pw--loading, .ui-loadmore--loading')) return false
  return (window as unknown as { __apiPending: number }).__apiPending === 0
}

interface Finding {
  kind: string
  detail: string
}

/** In the page: texts under `minFont` and tap targets under `minTap` (0 skips a check), and a shown load error. */
function measure([minFont, minTap]: [number, number]): Finding[] {
  const out: Finding[] = []
  const shown = (el: Element): boolean => {
    for (let e: Element | null = el; e; e = e.parentElement) {
      const s = getComputedStyle(e)
      if (s.display === 'none' || s.visibility === 'hidden' || s.opacity === '0') return false
    }
    const r = el.getBoundingClientRect()
    return r.width > 0 && r.height > 0
  }
  const name = (el: Element): string => {
    const cls = (el.getAttribute('class') ?? '').trim().split(/\s+/).filter(Boolean).slice(0, 3).join('.')
    const text = (el.textContent || el.getAttribute('placeholder') || el.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' ').slice(0, 24)
    return `<${el.tagName.toLowerCase()}${cls ? `.${cls}` : ''}> "${text}"`
  }
  const error = Array.from(document.querySelectorAll('.taro_page:not(.taro_page_shade) .ui-pw--error')).find(shown)
  if (error) out.push({ kind: 'load error', detail: (error.textContent ?? '').trim() })
  if (minFont) {
    const seen = new Set<Element>()
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement
      if (!el || !n.textContent?.trim() || seen.has(el) || el.closest('script, style, noscript')) continue
      seen.add(el)
      const range = document.createRange()
      range.selectNodeContents(n)
      const box = range.getBoundingClientRect()
      if (box.width === 0 || box.height === 0 || !shown(el)) continue
      const size = parseFloat(getComputedStyle(el).fontSize)
      if (size < minFont) out.push({ kind: `text ${size}px`, detail: name(el) })
    }
    for (const el of Array.from(document.querySelectorAll('input:not([type=hidden]), textarea'))) {
      const size = parseFloat(getComputedStyle(el).fontSize)
      if (shown(el) && size < minFont) out.push({ kind: `input text ${size}px`, detail: name(el) })
    }
  }
  if (minTap) {
    const TAPPABLE = [
      'button',
      'a[href]',
      'input:not([type=hidden])',
      'textarea',
      'select',
      '[tabindex]:not([tabindex="-1"])',
      ...['button', 'link', 'checkbox', 'radio', 'switch', 'tab', 'menuitem', 'option'].map((r) => `[role=${r}]`),
    ].join(', ')
    for (const el of Array.from(document.querySelectorAll(TAPPABLE))) {
      if (!shown(el)) continue
      const r = el.getBoundingClientRect()
      if (r.width < minTap || r.height < minTap) out.push({ kind: `tap target ${Math.round(r.width)}×${Math.round(r.height)}px`, detail: name(el) })
    }
  }
  return out
}

interface AxeFinding {
  id: string
  impact: string
  help: string
  nodes: string[]
}

/** axe-core's critical and serious violations of the whole document (axe is injected first). */
async function axeRun(): Promise<AxeFinding[]> {
  const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[]; html: string }> }> }> } }).axe
  const result = await axe.run(document, { resultTypes: ['violations'] })
  return result.violations
    .filter((v) => v.impact === 'critical' || v.impact === 'serious')
    .map((v) => ({ id: v.id, impact: v.impact ?? '', help: v.help, nodes: v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} ${n.html.slice(0, 120)}`) }))
}

const AXE_SOURCE = fs.readFileSync(path.resolve(__dirname, '..', '..', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8')

/** Pages grouped by who opens them, in the order of app.json. */
const BY_ROLE = new Map<string, string[]>()
for (const route of appPages()) BY_ROLE.set(roleOf(route), [...(BY_ROLE.get(roleOf(route)) ?? []), route])

let ids: Ids
let page: Page
const pageErrors: string[] = []

beforeAll(async () => {
  app = await startAppServer()
  e2e.onClose(() => app.close())
  // The demo activity `npm start` writes: cases in every state, bookings, messages, a patrol report…
  await seedDemoActivity(async (openid, fn, action, payload) => app.cloud.call(fn, { action, payload }, openid))
  ids = await findIds()
  page = await e2e.newPage()
  await page.addInitScript(countRequests)
  page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`))
})

/** Signs in as `openid` in `care` mode and sweeps `routes`; returns the findings. */
async function sweep(openid: string, routes: string[], care: boolean): Promise<string[]> {
  const mode = care ? '长辈模式' : '标准模式'
  const failures: string[] = []
  const report = (route: string, what: string) => failures.push(`${route} [${mode}] ${what}`)
  await page.goto(app.signInUrl(openid))
  await page.evaluate((on) => localStorage.setItem('elderMode', JSON.stringify({ data: on })), care)
  // The app loads once per person and mode; then each page is reached by a hash change.
  await page.goto(`${app.url}/?as=${openid}&care=${care}#/pages/home/index`)
  await page.waitForFunction(() => document.querySelector('.taro_page .page-root'))
  // Pinch-zoom stays allowed (axe's meta-viewport says so too; this names the cause).
  const viewport = await page.evaluate(() => document.querySelector('meta[name=viewport]')?.getAttribute('content') ?? '')
  if (/user-scalable\s*=\s*(no|0)|maximum-scale/i.test(viewport)) failures.push(`index.html [${mode}] the viewport forbids zooming: "${viewport}"`)
  await page.addScriptTag({ content: AXE_SOURCE })
  for (const route of routes) {
    const query = SETUP[route]?.query?.(ids)
    const hash = `#/${route}${query ? `?${query}` : ''}`
    await page.evaluate((h) => {
      window.location.hash = h
    }, hash)
    try {
      await page.waitForFunction(pageReady, route, { timeout: CONDITION_TIMEOUT_MS, polling: 'raf' })
      await settled(page)
      await page.waitForFunction(pageReady, route, { timeout: CONDITION_TIMEOUT_MS, polling: 'raf' })
    } catch {
      report(route, `did not finish loading as ${openid}`)
      continue
    }
    const rootClass = await page.locator('.taro_page_stationed .page-root').last().getAttribute('class')
    if (/\belder\b/.test(rootClass ?? '') !== care) report(route, `page root is "${rootClass}"`)
    const found = await page.evaluate(measure, [care ? MIN_FONT_PX : 0, care ? MIN_TAP_PX : 0] as [number, number])
    for (const f of found) report(route, `${f.kind}: ${f.detail}`)
    for (const v of await page.evaluate(axeRun)) report(route, `axe ${v.impact} ${v.id} (${v.help}): ${v.nodes.join(' | ')}`)
    if (care && SHOTS.has(route)) await e2e.screenshot(`care-${route.replace(/^packages\//, '').replace(/\/index$/, '').replace(/\//g, '-')}`, page)
  }
  return failures
}

describe.each([
  ['长辈模式', true],
  ['标准模式', false],
])('%s: every page of app.config.ts', (_mode, care) => {
  it.each([...BY_ROLE.entries()])(`as %s: ${care ? 'text ≥ 18 px, tap targets ≥ 44 px, ' : ''}no critical or serious axe finding`, async (openid, routes) => {
    pageErrors.length = 0
    const failures = await sweep(openid, routes, care)
    expect(pageErrors).toEqual([])
    expect(failures).toEqual([])
  })
})
