/**
 * Drives the H5 build in Debian's chromium through playwright-core (`npx playwright install`
 * does not work on these machines; the system browser does).
 *
 *   const e2e = setupBrowser()                       // registers beforeAll / afterAll
 *   const page = await e2e.newPage()
 *   await page.goto(`${baseUrl}/#/pages/home/index`)
 *   await e2e.screenshot('home')                   // → test/e2e/screens/home.png (gitignored)
 *
 * Each run uses a fresh --user-data-dir in the OS temp folder, removed in afterAll with the
 * browser, its pages and anything registered with `e2e.onClose()`.
 *
 * Tests wait for conditions, never for time: Playwright's locator actions and `waitFor` wait for
 * their element; a value read at once (`textContent()`, `count()`, `getAttribute()`) is read
 * through `poll()` (test/support/poll.ts) so that it may still be arriving; a picture is taken
 * once the page is `settled()`, never after a fixed pause.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { CONDITION_TIMEOUT_MS } from '../support/poll'

export { eventually, poll } from '../support/poll'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const SCREENS_DIR = path.resolve(__dirname, 'screens')
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]
/** A phone-sized viewport (the app is designed for 375-px-wide screens). */
export const PHONE = { width: 375, height: 812 }
/** Starting chromium on a busy machine can take long; still fail before jest's hook timeout. */
const LAUNCH_TIMEOUT_MS = 90_000
/** A page load (the whole H5 bundle) on a busy machine. */
const NAVIGATION_TIMEOUT_MS = 60_000

/**
 * Waits until the page is still: Taro's top page has finished sliding in, no toast is showing
 * and no finite CSS animation or transition is running (spinners, which never end, are ignored).
 */
export async function settled(page: Page): Promise<void> {
  // Taro's router marks a page taro_page_show, then taro_page_stationed when it has slid in, and
  // taro_page_shade once hidden: still means some page is shown and none is half-way.
  await page.waitForFunction(() => {
    const pages = Array.from(document.querySelectorAll('.taro_page'))
    const still = (el: Element) => el.classList.contains('taro_page_shade') || (el.classList.contains('taro_page_show') && el.classList.contains('taro_page_stationed'))
    return pages.length > 0 && pages.every(still) && pages.some((el) => !el.classList.contains('taro_page_shade'))
  })
  // Taro's toast element has no box of its own (its content is fixed): wait for its display:none.
  // A toast that stays (a loading one) must not fail a picture: wait for it, then go on.
  await page
    .waitForFunction(() => Array.from(document.querySelectorAll<HTMLElement>('.taro__toast')).every((el) => el.style.display === 'none'))
    .catch(() => undefined)
  await page.waitForFunction(() =>
    document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().endTime === Infinity),
  )
  // …and the frame after that has been painted.
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))))
}

export interface E2E {
  context(): BrowserContext
  newPage(): Promise<Page>
  /** Saves a full-page PNG of `page` (default: the last opened page); returns its path. */
  screenshot(name: string, page?: Page): Promise<string>
  /**
   * A picture of the whole Taro page: waits until the page is `settled()` (page transition,
   * toasts, animations), then grows the viewport to the content (the H5 page scrolls inside
   * Taro's page container, so a "full page" screenshot of the document would show only the
   * first screen).
   */
  pageShot(page: Page, name: string): Promise<string>
  /** See `settled()` above. */
  settled(page: Page): Promise<void>
  /** Runs `fn` in afterAll, before the browser closes (e.g. stop a server). */
  onClose(fn: () => unknown): void
}

export function setupBrowser(): E2E {
  let ctx: BrowserContext | null = null
  let userDataDir = ''
  let lastPage: Page | null = null
  const closers: Array<() => unknown> = []

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM_PATH)) {
      throw new Error(`${CHROMIUM_PATH} not found: apt-get install -y chromium (or set CHROMIUM_PATH)`)
    }
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-e2e-'))
    ctx = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: PHONE,
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      timeout: LAUNCH_TIMEOUT_MS,
    })
    ctx.setDefaultTimeout(CONDITION_TIMEOUT_MS)
    ctx.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT_MS)
  })

  afterAll(async () => {
    for (const fn of closers.splice(0).reverse()) await fn()
    await ctx?.close()
    ctx = null
    if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true })
  })

  const api: E2E = {
    context() {
      if (!ctx) throw new Error('the browser is not running (use inside tests, after beforeAll)')
      return ctx
    },
    async newPage() {
      const page = await api.context().newPage()
      lastPage = page
      return page
    },
    async screenshot(name, page = lastPage ?? undefined) {
      if (!page) throw new Error('screenshot: no page open')
      fs.mkdirSync(SCREENS_DIR, { recursive: true })
      const file = path.join(SCREENS_DIR, `${name.replace(/[^\w.-]+/g, '-')}.png`)
      await page.screenshot({ path: file, fullPage: true })
      return file
    },
    async pageShot(page, name) {
      await settled(page)
      const height = await page.evaluate(() =>
        Math.max(
          0,
          ...Array.from(document.querySelectorAll<HTMLElement>('.taro_page'))
            .filter((el) => el.offsetParent !== null || getComputedStyle(el).display !== 'none')
            .filter((el) => el.getBoundingClientRect().width > 0)
            .map((el) => el.scrollHeight),
        ),
      )
      const size = page.viewportSize() ?? PHONE
      const tall = Math.max(size.height, Math.min(height, 4000))
      await page.setViewportSize({ width: size.width, height: tall })
      await page.waitForFunction((h) => window.innerHeight === h, tall)
      await settled(page)
      const file = await api.screenshot(name, page)
      await page.setViewportSize(size)
      return file
    },
    onClose(fn) {
      closers.push(fn)
    },
    settled,
  }
  return api
}
