/**
 * The local HTTP gateway: what `wx.cloud.callFunction` is in production, for the H5 client,
 * scripts and tests.
 *   POST /api/<function>      body = the event { action, payload, requestId? } → the envelope
 *   GET  /api                 every function and action with JSON Schemas of input and output
 *   GET  /dev/login           the dev sign-in page (demo people by role); ?as=<openid> signs in
 *   POST /upload              raw image body (X-File-Name header) → { fileId } in the caller's folder
 *   GET  /files/<path>        signed, short-lived file URLs handed out by storage.tempUrls
 *   GET  /dev/outbox          what production would have sent (subscribe messages, content checks)
 *   POST /dev/tcb/admin       the CloudBase database endpoint the real wx-server-sdk talks to (local/cloudbase)
 *   everything else           the H5 build (dist/h5), gzip / brotli compressed when the browser accepts it
 * Identity: the `X-Dev-OpenId` header (scripts, tests) or the `dev_openid` cookie (the browser) —
 * only while the dev sign-in is on (`devLogin`: by default when listening on a loopback address,
 * or with DEV_LOGIN=1); otherwise nobody is signed in and /dev/* answers 403.
 * Edges: a body over its limit (1 MB for /api, 10 MB for /upload) is read and discarded and
 * answered 413; malformed percent-encoding answers 400; every response says
 * `X-Content-Type-Options: nosniff`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { existsSync, readFileSync, statSync, type Stats } from 'node:fs'
import { extname, join, normalize } from 'node:path'
import { createCloudBaseEndpoint } from './cloudbase/endpoint'
import { promisify } from 'node:util'
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib'
import { toJSONSchema } from 'zod/mini'
import { ROLE_LABELS, type Role } from '../../../src/shared/api/define'
import type { UserDoc } from '../../../src/shared/domain/user'
import type { ErrorCode } from '../../../src/shared/errors'
import { DB_NOT_FOUND, isDbError, type Database } from '../platform/db'
import { imageTypeOf } from '../platform/local/services'
import type { LocalCloud } from './cloud'
import { dailyCounterId, takeUnder } from '../runtime/limits'

export interface GatewayOptions {
  cloud: LocalCloud
  port?: number
  host?: string
  /** The H5 build to serve; omitted = API only. */
  staticDir?: string
  /**
   * The dev sign-in (/dev/login, /dev/logout, /dev/outbox) and the dev identities (X-Dev-OpenId
   * header, dev_openid cookie). Default: on when the server listens on a loopback address
   * (127.0.0.0/8, ::1, localhost) or the environment has DEV_LOGIN=1; off otherwise, because
   * anybody who can reach the port could then act as anybody.
   */
  devLogin?: boolean
  /** Uploads per person per Shanghai calendar day. Default: UPLOAD_DAILY_LIMIT, else 50. */
  uploadDailyLimit?: number
}

export interface Gateway {
  url: string
  port: number
  server: Server
  /** Whether the dev sign-in and dev identities are on (see GatewayOptions.devLogin). */
  devLogin: boolean
  close(): Promise<void>
}

const OPENID_RE = /^[A-Za-z0-9_-]{1,64}$/
export const MAX_JSON = 1024 * 1024
export const MAX_UPLOAD = 10 * 1024 * 1024
export const DEFAULT_UPLOAD_DAILY_LIMIT = 50
/** Bodies over their limit are still read (and discarded) up to this, so the client reads the 413. */
const drainCapOf = (max: number) => Math.max(4 * max, 16 * 1024 * 1024)

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  // Exports the functions generate (the 工作台账, storage.save).
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
}

/** Loopback: 127.0.0.0/8 (also IPv4-mapped), ::1, localhost. */
export function isLoopback(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1')
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true
  const v4 = h.startsWith('::ffff:') ? h.slice('::ffff:'.length) : h
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4)
}

/**
 * Whether the dev sign-in is on when GatewayOptions.devLogin is not given: every address the
 * server is reached by (the host asked for and the address bound) is loopback, or DEV_LOGIN=1.
 */
export function devLoginDefault(addresses: string[], env: Record<string, string | undefined> = process.env): boolean {
  return env.DEV_LOGIN === '1' || addresses.every(isLoopback)
}

/** decodeURIComponent, or null for malformed percent-encoding (which would throw). */
export function safeDecode(s: string): string | null {
  try {
    return decodeURIComponent(s)
  } catch {
    return null
  }
}

function cookies(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {}
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=')
    if (i <= 0) continue
    // A cookie with malformed percent-encoding is ignored, as if it were not there.
    const value = safeDecode(part.slice(i + 1).trim())
    if (value !== null) out[part.slice(0, i).trim()] = value
  }
  return out
}

/** The dev identity of a request, or null (also whenever the dev sign-in is off). */
export function identityOf(req: IncomingMessage, devLogin = true): string | null {
  if (!devLogin) return null
  const header = req.headers['x-dev-openid']
  const h = Array.isArray(header) ? header[0] : header
  const id = h ?? cookies(req).dev_openid
  return id && OPENID_RE.test(id) ? id : null
}

/** Which encoding to send for an Accept-Encoding header: br preferred, then gzip, else none. */
export function pickEncoding(header: string | string[] | undefined): 'br' | 'gzip' | null {
  const weights: Record<string, number> = {}
  for (const part of (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',')) {
    const [name, ...params] = part.split(';').map((x) => x.trim().toLowerCase())
    if (!name) continue
    let q = 1
    for (const p of params) {
      const m = /^q=([0-9.]+)$/.exec(p)
      if (m) q = Number(m[1])
    }
    weights[name] = Number.isFinite(q) ? q : 0
  }
  const w = (name: string) => weights[name] ?? weights['*'] ?? 0
  const br = w('br')
  const gz = w('gzip')
  if (br > 0 && br >= gz) return 'br'
  if (gz > 0) return 'gzip'
  return null
}

type Body = { ok: true; bytes: Buffer } | { ok: false; tooLarge: true; abandoned: boolean }

/**
 * Reads a request body of at most `max` bytes. A longer one is read to its end and discarded
 * (so the client, still sending, gets to read the 413 instead of a reset), up to a drain cap;
 * past the cap (or a declared length past it) reading stops and the answer closes the connection.
 */
function readBody(req: IncomingMessage, max: number): Promise<Body> {
  const cap = drainCapOf(max)
  const declared = Number(req.headers['content-length'] ?? NaN)
  if (Number.isFinite(declared) && declared > cap) return Promise.resolve({ ok: false, tooLarge: true, abandoned: true })
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let over = Number.isFinite(declared) && declared > max
    const onData = (c: Buffer) => {
      size += c.length
      if (size > cap) {
        req.off('data', onData)
        req.pause()
        resolve({ ok: false, tooLarge: true, abandoned: true })
        return
      }
      if (size > max) over = true
      if (over) chunks.length = 0
      else chunks.push(c)
    }
    req.on('data', onData)
    req.on('end', () => resolve(over ? { ok: false, tooLarge: true, abandoned: false } : { ok: true, bytes: Buffer.concat(chunks) }))
    req.on('error', reject)
    req.on('close', () => reject(new Error('request closed before its body ended')))
  })
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  })
  res.end(text)
}

const fail = (res: ServerResponse, status: number, code: ErrorCode, message: string, headers: Record<string, string> = {}) =>
  send(res, status, { ok: false, error: { code, message } }, headers)

function tooLarge(res: ServerResponse, body: Body & { ok: false }, message: string): void {
  fail(res, 413, 'INVALID_INPUT', message, body.abandoned ? { connection: 'close' } : {})
}

const BAD_ADDRESS = '地址格式不正确'

/**
 * One upload off today's quota of `openid` (Shanghai calendar day), on the same counters as the
 * functions' rate limits (runtime/limits.ts: `rate_counters/<openid>:d:uploads:<YYYY-MM-DD>`, a
 * conditional `inc`), so parallel uploads never pass the limit. False when the quota is used up.
 */
export async function takeUploadQuota(db: Database, openid: string, now: Date, limit: number): Promise<boolean> {
  return takeUnder({ db, clock: { now: () => now } }, dailyCounterId(openid, 'uploads', now), limit)
}

async function isOnboarded(db: Database, openid: string): Promise<boolean> {
  try {
    await db.collection('users').doc(openid).get()
    return true
  } catch (e) {
    if (isDbError(e, DB_NOT_FOUND)) return false
    throw e
  }
}

/** Text types worth compressing, and the smallest file worth it. */
const COMPRESSIBLE = new Set(['.js', '.css', '.html', '.json', '.svg'])
const MIN_COMPRESS = 1024
const PACK_CACHE_FILES = 256
const gzipAsync = promisify(gzip)
const brotliAsync = promisify(brotliCompress)

interface Packed {
  mtimeMs: number
  size: number
  gzip?: Promise<Buffer>
  br?: Promise<Buffer>
}

/** Compressed bytes per file, kept while the file's mtime and size stay the same. */
function packCache() {
  const cache = new Map<string, Packed>()
  return (file: string, stat: Stats, encoding: 'br' | 'gzip'): Promise<Buffer> => {
    let entry = cache.get(file)
    if (!entry || entry.mtimeMs !== stat.mtimeMs || entry.size !== stat.size) {
      entry = { mtimeMs: stat.mtimeMs, size: stat.size }
      cache.delete(file)
      if (cache.size >= PACK_CACHE_FILES) cache.delete(cache.keys().next().value as string)
      cache.set(file, entry)
    }
    const packed =
      entry[encoding] ??
      (entry[encoding] = (async () => {
        const raw = readFileSync(file)
        return encoding === 'br'
          ? brotliAsync(raw, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 9, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: raw.length } })
          : gzipAsync(raw, { level: 9 })
      })())
    // A failed compression is not kept: the next request tries again.
    packed.catch(() => {
      if (cache.get(file) === entry && entry[encoding] === packed) delete entry[encoding]
    })
    return packed
  }
}

function apiListing(cloud: LocalCloud): unknown {
  const functions = Object.entries(cloud.functions).map(([name, entry]) => ({
    name,
    triggers: entry.triggers,
    actions: Object.entries(entry.fn.def.actions).map(([action, def]) => ({
      action,
      summary: def.summary,
      access: def.access,
      idempotent: !!def.idempotent,
      input: toJSONSchema(def.input, { io: 'input', unrepresentable: 'any' }),
      output: toJSONSchema(def.output, { io: 'output', unrepresentable: 'any' }),
    })),
  }))
  return { functions }
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

async function loginPage(cloud: LocalCloud, current: string | null): Promise<string> {
  const res = await cloud.db.collection<UserDoc>('users').orderBy('createdAt', 'asc').limit(200).get()
  const order: Role[] = ['admin', 'staff', 'street', 'grid_worker', 'volunteer', 'party_member', 'resident']
  const groups = order.map((role) => ({
    role,
    people: res.data.filter((u) => order.find((r) => u.roles.includes(r)) === role),
  }))
  const rows = groups
    .filter((g) => g.people.length)
    .map(
      (g) => `<h2>${ROLE_LABELS[g.role]}</h2><div class="grid">${g.people
        .map(
          (u) =>
            `<a class="person${u._id === current ? ' on' : ''}" href="/dev/login?as=${encodeURIComponent(u._id)}"><b>${esc(u.name ?? '未留姓名')}</b><span>${esc(
              u.roles.map((r) => ROLE_LABELS[r]).join(' · '),
            )}${u.verified ? '' : ' · 未认证'}</span><small>${esc(u._id)}</small></a>`,
        )
        .join('')}</div>`,
    )
    .join('')
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>开发登录 · 邻里共治</title><style>
body{font-family:-apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0;background:#f5f6f8;color:#1f2329}
header{background:#c8161d;color:#fff;padding:20px 16px}header h1{margin:0;font-size:20px}header p{margin:6px 0 0;opacity:.9;font-size:14px}
main{padding:8px 16px 32px;max-width:960px;margin:0 auto}h2{font-size:16px;color:#646a73;margin:20px 0 8px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:10px}
.person{display:flex;flex-direction:column;gap:4px;background:#fff;border-radius:10px;padding:12px 14px;text-decoration:none;color:inherit;border:2px solid transparent;min-height:44px}
.person b{font-size:17px}.person span{font-size:14px;color:#646a73}.person small{font-size:12px;color:#8f959e}.person.on{border-color:#c8161d}
.new{display:inline-block;margin-top:16px;padding:12px 18px;background:#fff;border-radius:10px;color:#c8161d;text-decoration:none;border:1px solid #c8161d;font-size:16px}
</style></head><body><header><h1>邻里共治 · 开发登录</h1><p>本地云专用：选择一位演示用户进入应用（生产环境身份来自微信 OPENID）。${current ? `当前：${esc(current)}` : '当前未登录'}</p></header>
<main>${rows || '<p>还没有用户。先运行演示数据（npm start 会自动完成）。</p>'}
<a class="new" href="/dev/login?as=new">以新访客身份进入（体验入驻流程）</a></main></body></html>`
}

function devLoginOffPage(): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>开发登录已关闭 · 邻里共治</title></head>
<body style="font-family:-apple-system,'PingFang SC','Noto Sans CJK SC',sans-serif;padding:24px;color:#1f2329"><h1 style="font-size:20px">开发登录已关闭</h1>
<p>本地云正在监听非本机地址，任何能访问此端口的人都可以冒用他人身份，所以开发登录已关闭。</p>
<p>如确需在局域网内调试，请以环境变量 <code>DEV_LOGIN=1</code> 重新启动；否则请用 <code>HOST=127.0.0.1</code> 启动后在本机访问。</p></body></html>`
}

export async function startGateway(opts: GatewayOptions): Promise<Gateway> {
  const { cloud } = opts
  const host = opts.host ?? '127.0.0.1'
  const staticDir = opts.staticDir && existsSync(opts.staticDir) ? opts.staticDir : undefined
  const envLimit = Number(process.env.UPLOAD_DAILY_LIMIT)
  const uploadDailyLimit = opts.uploadDailyLimit ?? (process.env.UPLOAD_DAILY_LIMIT && Number.isInteger(envLimit) && envLimit >= 0 ? envLimit : DEFAULT_UPLOAD_DAILY_LIMIT)
  // Decided once the address is bound (a host name may resolve to a public address); off until then.
  let devLogin = false
  const packed = packCache()
  // Every environment name is this local cloud's one database.
  const tcb = createCloudBaseEndpoint({ database: () => cloud.db })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let url: URL
    try {
      url = new URL(req.url ?? '/', 'http://local')
    } catch {
      return fail(res, 400, 'INVALID_INPUT', BAD_ADDRESS)
    }
    const path = url.pathname

    if (path === '/api' && req.method === 'GET') return send(res, 200, apiListing(cloud))

    const apiMatch = /^\/api\/([A-Za-z0-9_-]+)$/.exec(path)
    if (apiMatch) {
      if (req.method !== 'POST') return fail(res, 405, 'INVALID_INPUT', '请使用 POST 调用云函数')
      const body = await readBody(req, MAX_JSON)
      if (!body.ok) return tooLarge(res, body, '提交的内容过大（不能超过 1MB），请精简后重试')
      let event: unknown
      try {
        event = JSON.parse(body.bytes.toString('utf8') || '{}')
      } catch {
        return fail(res, 400, 'INVALID_INPUT', '请求格式不正确')
      }
      const result = await cloud.call(apiMatch[1], event, identityOf(req, devLogin))
      return send(res, 200, result)
    }

    if (path.startsWith('/dev/') && !devLogin) {
      if (path === '/dev/login' || path === '/dev/logout') return send(res, 403, devLoginOffPage())
      return fail(res, 403, 'FORBIDDEN', '开发登录已关闭（本地云正在监听非本机地址）')
    }
    if (path === '/dev/login' && req.method === 'GET') {
      const as = url.searchParams.get('as')
      if (as) {
        const openid = as === 'new' ? `visitor-${Math.random().toString(36).slice(2, 10)}` : as
        if (!OPENID_RE.test(openid)) return send(res, 400, '<p>身份格式不正确</p>')
        res.writeHead(302, { location: '/', 'set-cookie': `dev_openid=${encodeURIComponent(openid)}; Path=/; SameSite=Lax; HttpOnly` })
        return void res.end()
      }
      return send(res, 200, await loginPage(cloud, identityOf(req, devLogin)))
    }
    if (path === '/dev/logout') {
      res.writeHead(302, { location: '/dev/login', 'set-cookie': 'dev_openid=; Path=/; Max-Age=0' })
      return void res.end()
    }
    if (path === '/dev/tcb/admin') {
      // The CloudBase database endpoint (local/cloudbase): the real wx-server-sdk, pointed here by
      // TCB_CONTEXT_CNFG={"URL":"<this gateway>/dev/tcb/admin"}, reads and writes this local cloud.
      // Signatures are not checked, so like every /dev route it exists only with the dev sign-in on.
      if (req.method !== 'POST') return fail(res, 405, 'INVALID_INPUT', '请使用 POST')
      const body = await readBody(req, MAX_JSON)
      if (!body.ok) return tooLarge(res, body, '提交的内容过大（不能超过 1MB）')
      let params: unknown
      try {
        params = JSON.parse(body.bytes.toString('utf8'))
      } catch {
        params = null
      }
      if (typeof params !== 'object' || params === null || Array.isArray(params)) return fail(res, 400, 'INVALID_INPUT', '请求格式不正确')
      return send(res, 200, await tcb.handle(params as Record<string, unknown>))
    }
    if (path === '/dev/outbox' && req.method === 'GET') {
      const rows = await cloud.db.collection('outbox').orderBy('at', 'desc').limit(100).get()
      return send(res, 200, rows.data)
    }

    if (path === '/upload' && req.method === 'POST') {
      const openid = identityOf(req, devLogin)
      // The body is read (or drained) whatever the answer, so the client always reads it.
      const body = await readBody(req, MAX_UPLOAD)
      if (!openid) return fail(res, 401, 'UNAUTHENTICATED', '请先登录后再上传', body.ok ? {} : { connection: 'close' })
      if (!body.ok) return tooLarge(res, body, '图片不能超过 10MB')
      if (!(await isOnboarded(cloud.db, openid))) return fail(res, 403, 'FORBIDDEN', '请先完成入驻（选择您所在的小区和楼栋）后再上传图片')
      if (body.bytes.length === 0) return fail(res, 400, 'INVALID_INPUT', '没有收到文件')
      const rawName = req.headers['x-file-name']
      const name = safeDecode(String((Array.isArray(rawName) ? rawName[0] : rawName) ?? 'photo.jpg'))
      if (name === null) return fail(res, 400, 'INVALID_INPUT', '文件名格式不正确')
      if (!imageTypeOf(body.bytes)) return fail(res, 415, 'INVALID_INPUT', '只能上传图片（JPG、PNG、GIF 或 WEBP 格式）')
      if (!(await takeUploadQuota(cloud.db, openid, cloud.platform.clock.now(), uploadDailyLimit)))
        return fail(res, 429, 'RATE_LIMITED', `今天已上传 ${uploadDailyLimit} 张图片，达到每日上限，请明天再试`)
      const fileId = cloud.platform.saveUpload(openid, name, body.bytes)
      return send(res, 200, { ok: true, data: { fileId } })
    }

    if (path.startsWith('/files/') && req.method === 'GET') {
      const rel = safeDecode(path.slice('/files/'.length))
      if (rel === null) return fail(res, 400, 'INVALID_INPUT', BAD_ADDRESS)
      const bytes = cloud.platform.readSigned(rel, url.searchParams.get('exp') ?? '', url.searchParams.get('sig') ?? '')
      if (!bytes) return fail(res, 403, 'FORBIDDEN', '链接已失效，请刷新页面')
      res.writeHead(200, { 'content-type': TYPES[extname(rel).toLowerCase()] ?? 'application/octet-stream', 'cache-control': 'private, max-age=3600' })
      return void res.end(bytes)
    }

    if (staticDir && (req.method === 'GET' || req.method === 'HEAD')) {
      const decoded = safeDecode(path)
      if (decoded === null || decoded.includes('\0')) return fail(res, 400, 'INVALID_INPUT', BAD_ADDRESS)
      const rel = normalize(decoded).replace(/^([/\\])+/, '')
      if (rel.startsWith('..')) return fail(res, 404, 'NOT_FOUND', '没有这个地址')
      let file = join(staticDir, rel)
      if (!existsSync(file) || statSync(file).isDirectory()) file = join(staticDir, 'index.html')
      if (!existsSync(file)) return fail(res, 404, 'NOT_FOUND', '没有这个地址')
      const stat = statSync(file)
      const ext = extname(file).toLowerCase()
      const headers: Record<string, string> = {
        'content-type': TYPES[ext] ?? 'application/octet-stream',
        'cache-control': /\.[0-9a-f]{8}\.(js|css)$/.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache',
      }
      let bytes: Buffer
      const compressible = COMPRESSIBLE.has(ext) && stat.size >= MIN_COMPRESS
      const encoding = compressible ? pickEncoding(req.headers['accept-encoding']) : null
      if (compressible) headers.vary = 'Accept-Encoding'
      if (encoding) {
        bytes = await packed(file, stat, encoding)
        headers['content-encoding'] = encoding
      } else bytes = readFileSync(file)
      headers['content-length'] = String(bytes.length)
      res.writeHead(200, headers)
      return void res.end(req.method === 'HEAD' ? undefined : bytes)
    }
    return fail(res, 404, 'NOT_FOUND', '没有这个地址')
  }

  function run(req: IncomingMessage, res: ServerResponse): void {
    // Every answer, files and pages included: the browser must not guess a type we did not say.
    res.setHeader('x-content-type-options', 'nosniff')
    handle(req, res).catch((e: unknown) => {
      cloud.platform.log.error('gateway error', { error: String(e) })
      if (!res.headersSent) fail(res, 500, 'INTERNAL', '系统开小差了，请稍后再试')
      else res.end()
    })
  }

  const server = createServer(run)
  // `Expect: 100-continue` with a declared length over the route's limit: answer 413 at once and
  // let the client skip sending the body; otherwise continue as usual.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?')[0]
    const max = path === '/upload' ? MAX_UPLOAD : MAX_JSON
    const declared = Number(req.headers['content-length'] ?? NaN)
    if (Number.isFinite(declared) && declared > max) {
      res.setHeader('x-content-type-options', 'nosniff')
      return fail(res, 413, 'INVALID_INPUT', path === '/upload' ? '图片不能超过 10MB' : '提交的内容过大（不能超过 1MB），请精简后重试', { connection: 'close' })
    }
    res.writeContinue()
    run(req, res)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, host, () => {
      const addr = server.address()
      const bound = typeof addr === 'object' && addr ? addr.address : host
      devLogin = opts.devLogin ?? devLoginDefault([host, bound])
      resolve()
    })
  })
  const addr = server.address()
  const port = typeof addr === 'object' && addr ? addr.port : 0
  return {
    url: `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`,
    port,
    server,
    devLogin,
    close: async () => {
      await tcb.close()
      await new Promise<void>((resolve) => {
        server.closeAllConnections?.()
        server.close(() => resolve())
      })
    },
  }
}
