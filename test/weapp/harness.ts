/**
 * Renders pages of the BUILT mini-program (dist/weapp, from `npm run build:weapp`) with
 * miniprogram-simulate 1.6.2 and its official WXML compiler. What runs is exactly what WeChat
 * would run: Taro's runtime, our bundles, the generated base.wxml templates.
 *
 *   const mp = await launchApp()                  // once per test file: defines wx, App, Page…
 *   const page = await mp.openPage('pages/home/index')  // resolves once the first render landed
 *   await page.waitForText('翠湖社区')                // data arrives asynchronously: wait for it
 *   page.text()                                   // all rendered text, as it is now
 *   page.query('.entry-dispute')                  // by class (not id or tag: Taro renames those)
 *   await page.tap('.elder-switch')               // waits for the target, then taps
 *   await page.until(() => expect(page.classOf('.page-root')).toMatch(/elder/))
 *   page.close()
 *
 * Rendering is asynchronous (React schedules, Taro batches into setData): never read right after
 * opening or tapping and never sleep "long enough" — wait for the condition the test expects
 * (`waitForText`, `waitFor`, `until`). See test/support/poll.ts.
 *
 * Globals defined here: wx (a small fake: storage, navigation and UI calls recorded, and
 * `wx.cloud.callFunction` answering from `backend` handlers with envelopes), App, getApp,
 * getCurrentPages, Page (converted to a Component for j-component).
 *
 *   const mp = await launchApp({ backend: { 'user.me': () => ({ openid: 'o1', profile: null }) } })
 *   mp.fake.backendCalls('user.places')             // payloads sent, in order
 *   await launchApp({ env: { TARO_APP_TPL_STAFF: 'tplA,tplB' } })  // build settings (LaunchOptions.env)
 * Needs the jest `weapp` project (jsdom: j-component renders into a DOM).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- j-component and the page objects are untyped */
import fs from 'node:fs'
import path from 'node:path'
import simulate from 'miniprogram-simulate'
import { eventually, type PollOptions } from '../support/poll'

/** dist/weapp, or `$DIST_DIR/weapp` (a copy of dist/ that another build cannot replace mid-run). */
export const DIST_WEAPP = path.resolve(process.env.DIST_DIR ?? path.resolve(__dirname, '..', '..', 'dist'), 'weapp')

type AnyFn = (...args: any[]) => any
type Options = Record<string, any>

export interface WxCall {
  api: string
  args: unknown
}

export interface FakeWxOptions {
  /** Merged into getSystemInfoSync / getAppBaseInfo results (e.g. { fontSizeScaleFactor: 1.4 }). */
  systemInfo?: Record<string, unknown>
  /** Initial storage content. */
  storage?: Record<string, unknown>
  /**
   * Answers `wx.cloud.callFunction({ name, data })` (data = the gateway's event
   * `{ action, payload, requestId? }`) with an envelope `{ ok, data | error }`. Unset: every call
   * answers from `backend` (below). Calls are recorded as api `cloud.callFunction`.
   */
  callFunction?: (name: string, event: { action: string; payload: any; requestId?: string }) => unknown
  /**
   * Simpler than `callFunction`: `'<function>.<action>'` → handler(payload) returning the data
   * (sent as `{ ok: true, data }`) or an envelope as is; unknown actions answer NOT_FOUND.
   * Handlers can be replaced later through `fake.backend`; payloads are in `fake.backendCalls`.
   */
  backend?: Record<string, BackendHandler>
  /**
   * More wx APIs, answered by the test: `name` → what its `success` receives (a thrown error
   * goes to `fail`). Defined before app.js loads (Taro copies wx's APIs once, at launch), and
   * recorded like the others. E.g. `{ scanCode: () => ({ result: token }) }`.
   */
  apis?: Record<string, (options: Options) => unknown>
}

export interface LaunchOptions extends FakeWxOptions {
  /**
   * Build settings the app reads as `process.env.TARO_APP_*` (template ids …), for this test
   * file. Taro replaces only the variables its .env files define; an undefined one stays a
   * guarded read of `process.env` in the bundle, which in WeChat has no `process` (so: unset)
   * and here reads jest's `process.env`. So a build without .env files (as `npm test` makes)
   * takes these; a build that baked a value in is refused with a clear error.
   */
  env?: Record<string, string>
}

/** Sets `env` for the bundles about to load; throws when the build has a value of its own. */
function applyBuildEnv(env: Record<string, string>): void {
  const keys = Object.keys(env)
  if (keys.length === 0) return
  const bundles: string[] = []
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name)
      if (e.isDirectory()) walk(p)
      else if (e.name.endsWith('.js')) bundles.push(fs.readFileSync(p, 'utf8'))
    }
  }
  walk(DIST_WEAPP)
  for (const key of keys) {
    if (!bundles.some((b) => b.includes(`process.env.${key}`))) {
      throw new Error(`${DIST_WEAPP} was built with ${key} defined (a .env file?): the weapp tests set it themselves; build without it`)
    }
    process.env[key] = env[key]
  }
}

export type BackendHandler = (payload: any) => unknown

export interface FakeWx {
  wx: Record<string, AnyFn | unknown>
  storage: Map<string, unknown>
  calls: WxCall[]
  callsOf(api: string): unknown[]
  /** The cloud function handlers (mutable). */
  backend: Record<string, BackendHandler>
  /** Payloads sent to one `'<function>.<action>'`, in order. */
  backendCalls(key: string): any[]
}

function isEnvelope(v: unknown): boolean {
  return typeof v === 'object' && v !== null && 'ok' in v && ((v as { ok: unknown }).ok === false || 'data' in v)
}

const SYSTEM_INFO = {
  brand: 'devtools',
  model: 'iPhone 12',
  pixelRatio: 3,
  screenWidth: 390,
  screenHeight: 844,
  windowWidth: 390,
  windowHeight: 844,
  statusBarHeight: 47,
  language: 'zh_CN',
  version: '8.0.50',
  system: 'iOS 17.0',
  platform: 'devtools',
  fontSizeSetting: 17,
  fontSizeScaleFactor: 1,
  SDKVersion: '3.5.0',
  theme: 'light',
  safeArea: { top: 47, left: 0, right: 390, bottom: 810, width: 390, height: 763 },
}

/** UI / navigation APIs that succeed immediately and are recorded. */
const ASYNC_OK_APIS = [
  'navigateTo',
  'redirectTo',
  'switchTab',
  'reLaunch',
  'navigateBack',
  'showToast',
  'hideToast',
  'showLoading',
  'hideLoading',
  'showModal',
  'showActionSheet',
  'stopPullDownRefresh',
  'startPullDownRefresh',
  'setNavigationBarTitle',
  'setNavigationBarColor',
  'setTabBarBadge',
  'removeTabBarBadge',
  'showTabBarRedDot',
  'hideTabBarRedDot',
  'pageScrollTo',
  'vibrateShort',
  'requestSubscribeMessage',
  'setClipboardData',
]

export function createFakeWx(opts: FakeWxOptions = {}): FakeWx {
  const storage = new Map<string, unknown>(Object.entries(opts.storage ?? {}))
  const calls: WxCall[] = []
  const info = { ...SYSTEM_INFO, ...opts.systemInfo }
  const backend: Record<string, BackendHandler> = { ...opts.backend }
  const sent: Array<{ key: string; payload: unknown }> = []
  /** `backend` handlers: the data becomes `{ ok: true, data }`; an envelope is passed as is. */
  const answer = async (name: string, event: { action?: string; payload?: unknown }): Promise<unknown> => {
    const key = `${name}.${String(event.action)}`
    sent.push({ key, payload: event.payload })
    const h = backend[key]
    if (!h) return { ok: false, error: { code: 'NOT_FOUND', message: `no fake for ${key}` } }
    const out = await h(event.payload)
    return isEnvelope(out) ? out : { ok: true, data: out }
  }
  const wx: Record<string, unknown> = {
    getSystemInfoSync: () => ({ ...info }),
    getAppBaseInfo: () => ({ ...info }),
    getWindowInfo: () => ({ ...info }),
    getDeviceInfo: () => ({ ...info }),
    getSystemInfo: (o: Options = {}) => {
      o.success?.({ ...info, errMsg: 'getSystemInfo:ok' })
      o.complete?.()
    },
    getStorageSync: (key: string) => (storage.has(key) ? storage.get(key) : ''),
    setStorageSync: (key: string, value: unknown) => {
      storage.set(key, value)
    },
    removeStorageSync: (key: string) => {
      storage.delete(key)
    },
    clearStorageSync: () => storage.clear(),
    canIUse: () => true,
    nextTick: (fn: () => void) => setTimeout(fn, 0),
    getLaunchOptionsSync: () => ({ path: 'pages/home/index', query: {}, scene: 1001 }),
    getEnterOptionsSync: () => ({ path: 'pages/home/index', query: {}, scene: 1001 }),
    onAppShow: () => undefined,
    onAppHide: () => undefined,
    offAppShow: () => undefined,
    offAppHide: () => undefined,
  }
  // wx.cloud: Taro copies it to Taro.cloud when the app starts, so it exists before app.js loads.
  wx.cloud = {
    init: () => undefined,
    callFunction: (o: Options = {}) => {
      calls.push({ api: 'cloud.callFunction', args: o })
      const p = Promise.resolve()
        .then(() => (opts.callFunction ? opts.callFunction(o.name, o.data) : answer(String(o.name), o.data ?? {})))
        .then((result) => ({ result, errMsg: 'cloud.callFunction:ok', requestID: 'fake' }))
      p.then((res) => o.success?.(res)).catch((err: unknown) => o.fail?.(err))
      return p
    },
  }
  for (const api of ASYNC_OK_APIS) {
    wx[api] = (o: Options = {}) => {
      calls.push({ api, args: o })
      const res = { errMsg: `${api}:ok` }
      o.success?.(res)
      o.complete?.(res)
    }
  }
  for (const [api, answer] of Object.entries(opts.apis ?? {})) {
    wx[api] = (o: Options = {}) => {
      calls.push({ api, args: o })
      Promise.resolve()
        .then(() => answer(o))
        .then(
          (res) => {
            const out = { errMsg: `${api}:ok`, ...(res as object) }
            o.success?.(out)
            o.complete?.(out)
          },
          (err: unknown) => {
            const out = { errMsg: `${api}:fail ${err instanceof Error ? err.message : String(err)}` }
            o.fail?.(out)
            o.complete?.(out)
          },
        )
    }
  }
  return {
    wx,
    storage,
    calls,
    callsOf: (api) => calls.filter((c) => c.api === api).map((c) => c.args),
    backend,
    backendCalls: (key) => sent.filter((c) => c.key === key).map((c) => c.payload),
  }
}

export interface SimPage {
  /** The j-component instance (see miniprogram-simulate docs). */
  comp: any
  /** The rendered DOM of the page. */
  dom: Element
  text(): string
  /** First element with this selector (classes work; Taro generates ids). */
  query(selector: string): Element | null
  queryAll(selector: string): Element[]
  /** Class list of the first match ('' when missing). */
  classOf(selector: string): string
  /**
   * Waits for the selector in the page's shadow tree, then dispatches a tap on it. Does not wait
   * for what the tap changes: wait for that condition next (`until`, `waitForText`, `waitFor`).
   */
  tap(selector: string, opts?: PollOptions): Promise<void>
  /** Waits until the rendered text contains every one of `texts`; returns the text. */
  waitForText(texts: string | string[], opts?: PollOptions): Promise<string>
  /** Waits until an element matches `selector`; returns it. */
  waitFor(selector: string, opts?: PollOptions): Promise<Element>
  /** Retries `check` (an assertion, or a predicate) until it holds. */
  until<T>(check: () => T | Promise<T>, opts?: PollOptions): Promise<Exclude<T, false>>
  close(): void
}

export interface MiniApp {
  fake: FakeWx
  app: Options
  openPage(pagePath: string, query?: Record<string, string>): Promise<SimPage>
}

/** Class tokens without j-component's style-isolation prefix (`main--x`, `comp--x` → `x`). */
function unprefixed(cls: string | null | undefined): string[] {
  return (cls ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((c) => c.replace(/^(main|comp)--/, ''))
}

/** `.a.b` → ['a', 'b']; null for anything else. */
function classesOf(selector: string): string[] | null {
  return /^(\.[\w-]+)+$/.test(selector) ? selector.slice(1).split('.') : null
}

/**
 * Defines the mini-program globals, loads dist/weapp/app.js (Taro runtime + App) and runs
 * onLaunch / onShow. Call once per test file (jest isolates globals and modules per file).
 */
export async function launchApp(opts: LaunchOptions = {}): Promise<MiniApp> {
  if (!fs.existsSync(path.join(DIST_WEAPP, 'app.js'))) {
    throw new Error(`${DIST_WEAPP}/app.js not found: run \`npm run build:weapp\` first`)
  }
  applyBuildEnv(opts.env ?? {})
  const g = globalThis as any
  const fake = createFakeWx(opts)
  g.wx = fake.wx

  let appInstance: Options | null = null
  const pageStack: Options[] = []
  // The page being attached: a page bundle runs once per app (webpack caches its module), so
  // one registered component per route is rendered again for every openPage().
  let attaching: { route: string; query: Record<string, string> } | null = null
  const componentIds = new Map<string, string>()

  g.App = (options: Options) => {
    appInstance = options
  }
  g.getApp = () => appInstance
  g.getCurrentPages = () => pageStack.slice()
  /** Page(options) → Component: page lifecycles become component lifetimes, functions become methods. */
  g.Page = (options: Options) => {
    const methods: Record<string, AnyFn> = {}
    for (const [key, value] of Object.entries(options)) {
      if (typeof value === 'function') methods[key] = value
    }
    g.Component({
      data: options.data ?? {},
      methods,
      lifetimes: {
        attached(this: Options) {
          if (!attaching) throw new Error('a page was attached outside openPage()')
          const { route, query } = attaching
          this.route = route
          this.__route__ = route
          this.options = query
          pageStack.push(this)
          methods.onLoad?.call(this, query)
          methods.onShow?.call(this)
        },
        ready(this: Options) {
          methods.onReady?.call(this)
        },
        detached(this: Options) {
          methods.onHide?.call(this)
          methods.onUnload?.call(this)
          const i = pageStack.indexOf(this)
          if (i >= 0) pageStack.splice(i, 1)
        },
      },
    })
  }

  // Taro's bundles: app.js requires common, vendors, taro, runtime and calls App().
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- run the CommonJS bundle synchronously
  require(path.join(DIST_WEAPP, 'app.js'))
  if (!appInstance) throw new Error('dist/weapp/app.js did not call App()')
  const app: Options = appInstance
  const launch = { path: 'pages/home/index', query: {}, scene: 1001 }
  app.onLaunch?.call(app, launch)
  app.onShow?.call(app, launch)

  async function openPage(pagePath: string, query: Record<string, string> = {}): Promise<SimPage> {
    const route = pagePath.replace(/^\//, '')
    let id = componentIds.get(route)
    if (!id) {
      id = simulate.load(path.join(DIST_WEAPP, route), { rootPath: DIST_WEAPP })
      componentIds.set(route, id)
    }
    const comp: any = simulate.render(id)
    const parent = document.createElement('parent-wrapper')
    document.body.appendChild(parent)
    attaching = { route, query }
    try {
      comp.attach(parent)
    } finally {
      attaching = null
    }
    const dom: Element = comp.dom
    const find = (selector: string): Element[] => {
      // j-component resolves classes through its style-isolation prefix (`main--x`)…
      const viaComp: any[] = comp.querySelectorAll(selector) ?? []
      if (viaComp.length > 0) return viaComp.map((n) => n.dom as Element)
      // …but only inside the page's own shadow tree. Deep trees continue in Taro's recursive
      // `comp` components: fall back to matching plain class selectors on the whole DOM.
      const wanted = classesOf(selector)
      if (!wanted) return []
      return Array.from(dom.querySelectorAll('*')).filter((el) => {
        const have = new Set(unprefixed(el.getAttribute('class')))
        return wanted.every((c) => have.has(c))
      })
    }
    const page: SimPage = {
      comp,
      dom,
      text: () => (dom.textContent ?? '').replace(/\s+/g, ' ').trim(),
      query: (selector) => find(selector)[0] ?? null,
      queryAll: (selector) => find(selector),
      classOf: (selector) => unprefixed(find(selector)[0]?.getAttribute('class')).join(' '),
      async tap(selector, opts) {
        const target = await eventually(() => {
          const found = comp.querySelector(selector)
          if (!found) throw new Error(`tap: nothing matches ${selector} in the shadow tree of ${route}`)
          return found
        }, opts)
        target.dispatchEvent('tap')
      },
      async waitForText(texts, opts) {
        const wanted = Array.isArray(texts) ? texts : [texts]
        return eventually(() => {
          const text = page.text()
          const missing = wanted.filter((t) => !text.includes(t))
          if (missing.length) throw new Error(`${route}: waiting for ${JSON.stringify(missing)} in the text:\n${text}`)
          return text
        }, opts)
      },
      async waitFor(selector, opts) {
        return eventually(() => {
          const el = find(selector)[0]
          if (!el) throw new Error(`${route}: waiting for an element matching ${selector}`)
          return el
        }, opts)
      },
      until: (check, opts) => eventually(check, opts),
      close() {
        comp.detach()
        parent.remove()
      },
    }
    // The first render: Taro's root gets its React tree through setData, asynchronously.
    await eventually(() => {
      if (!dom.querySelector('*') || !page.text()) throw new Error(`${route}: the page did not render`)
    })
    return page
  }

  return { fake, app, openPage }
}
