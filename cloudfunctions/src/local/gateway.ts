/**
 * The local HTTP gateway: what `wx.cloud.callFunction` is in production, for the H5 client,
 * scripts and tests.
 *   POST /api/<function>      body = the event { action, payload, requestId? } → the envelope
 *   GET  /api                 every function and action with JSON Schemas of input and output
 *   GET  /dev/login           the dev sign-in page (demo people by role); ?as=<openid> signs in
 *   POST /upload              raw file body (X-File-Name header) → { fileId } in the caller's folder
 *   GET  /files/<path>        signed, short-lived file URLs handed out by storage.tempUrls
 *   GET  /dev/outbox          what production would have sent (subscribe messages, content checks)
 *   everything else           the H5 build (dist/h5)
 * Identity: the `X-Dev-OpenId` header (scripts, tests) or the `dev_openid` cookie (the browser).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { extname, join, normalize } from 'node:path'
import { toJSONSchema } from 'zod/mini'
import { ROLE_LABELS, type Role } from '../../../src/shared/api/define'
import type { UserDoc } from '../../../src/shared/domain/user'
import type { LocalCloud } from './cloud'

export interface GatewayOptions {
  cloud: LocalCloud
  port?: number
  host?: string
  /** The H5 build to serve; omitted = API only. */
  staticDir?: string
}

export interface Gateway {
  url: string
  port: number
  server: Server
  close(): Promise<void>
}

const OPENID_RE = /^[A-Za-z0-9_-]{1,64}$/
const MAX_JSON = 1024 * 1024
const MAX_UPLOAD = 10 * 1024 * 1024

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
}

function cookies(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {}
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=')
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim())
  }
  return out
}

export function identityOf(req: IncomingMessage): string | null {
  const header = req.headers['x-dev-openid']
  const h = Array.isArray(header) ? header[0] : header
  const id = h ?? cookies(req).dev_openid
  return id && OPENID_RE.test(id) ? id : null
}

function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > max) {
        reject(new Error('too large'))
        req.destroy()
        return
      }
      chunks.push(c)
    })
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
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

export async function startGateway(opts: GatewayOptions): Promise<Gateway> {
  const { cloud } = opts
  const host = opts.host ?? '127.0.0.1'
  const staticDir = opts.staticDir && existsSync(opts.staticDir) ? opts.staticDir : undefined

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local')
    const path = url.pathname

    if (path === '/api' && req.method === 'GET') return send(res, 200, apiListing(cloud))

    const apiMatch = /^\/api\/([A-Za-z0-9_-]+)$/.exec(path)
    if (apiMatch) {
      if (req.method !== 'POST') return send(res, 405, { ok: false, error: { code: 'INVALID_INPUT', message: '请使用 POST 调用云函数' } })
      let event: unknown
      try {
        const body = await readBody(req, MAX_JSON)
        event = JSON.parse(body.toString('utf8') || '{}')
      } catch {
        return send(res, 400, { ok: false, error: { code: 'INVALID_INPUT', message: '请求格式不正确' } })
      }
      const result = await cloud.call(apiMatch[1], event, identityOf(req))
      return send(res, 200, result)
    }

    if (path === '/dev/login' && req.method === 'GET') {
      const as = url.searchParams.get('as')
      if (as) {
        const openid = as === 'new' ? `visitor-${Math.random().toString(36).slice(2, 10)}` : as
        if (!OPENID_RE.test(openid)) return send(res, 400, '<p>身份格式不正确</p>')
        res.writeHead(302, { location: '/', 'set-cookie': `dev_openid=${encodeURIComponent(openid)}; Path=/; SameSite=Lax; HttpOnly` })
        return void res.end()
      }
      return send(res, 200, await loginPage(cloud, identityOf(req)))
    }
    if (path === '/dev/logout') {
      res.writeHead(302, { location: '/dev/login', 'set-cookie': 'dev_openid=; Path=/; Max-Age=0' })
      return void res.end()
    }
    if (path === '/dev/outbox' && req.method === 'GET') {
      const rows = await cloud.db.collection('outbox').orderBy('at', 'desc').limit(100).get()
      return send(res, 200, rows.data)
    }

    if (path === '/upload' && req.method === 'POST') {
      const openid = identityOf(req)
      if (!openid) return send(res, 401, { ok: false, error: { code: 'UNAUTHENTICATED', message: '请先登录后再上传' } })
      let bytes: Buffer
      try {
        bytes = await readBody(req, MAX_UPLOAD)
      } catch {
        return send(res, 413, { ok: false, error: { code: 'INVALID_INPUT', message: '图片不能超过 10MB' } })
      }
      if (bytes.length === 0) return send(res, 400, { ok: false, error: { code: 'INVALID_INPUT', message: '没有收到文件' } })
      const name = decodeURIComponent(String(req.headers['x-file-name'] ?? 'photo.jpg'))
      const fileId = cloud.platform.saveUpload(openid, name, bytes)
      return send(res, 200, { ok: true, data: { fileId } })
    }

    if (path.startsWith('/files/') && req.method === 'GET') {
      const rel = decodeURIComponent(path.slice('/files/'.length))
      const bytes = cloud.platform.readSigned(rel, url.searchParams.get('exp') ?? '', url.searchParams.get('sig') ?? '')
      if (!bytes) return send(res, 403, { ok: false, error: { code: 'FORBIDDEN', message: '链接已失效，请刷新页面' } })
      res.writeHead(200, { 'content-type': TYPES[extname(rel).toLowerCase()] ?? 'application/octet-stream', 'cache-control': 'private, max-age=3600' })
      return void res.end(bytes)
    }

    if (staticDir && (req.method === 'GET' || req.method === 'HEAD')) {
      const rel = normalize(decodeURIComponent(path)).replace(/^([/\\])+/, '')
      if (rel.startsWith('..')) return send(res, 404, { ok: false })
      let file = join(staticDir, rel)
      if (!existsSync(file) || statSync(file).isDirectory()) file = join(staticDir, 'index.html')
      const type = TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream'
      const immutable = /\.[0-9a-f]{8}\.(js|css)$/.test(file)
      res.writeHead(200, { 'content-type': type, 'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache' })
      return void res.end(req.method === 'HEAD' ? undefined : readFileSync(file))
    }
    return send(res, 404, { ok: false, error: { code: 'NOT_FOUND', message: '没有这个地址' } })
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      cloud.platform.log.error('gateway error', { error: String(e) })
      if (!res.headersSent) send(res, 500, { ok: false, error: { code: 'INTERNAL', message: '系统开小差了，请稍后再试' } })
      else res.end()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, host, () => resolve())
  })
  const addr = server.address()
  const port = typeof addr === 'object' && addr ? addr.port : 0
  return {
    url: `http://${host}:${port}`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.()
        server.close(() => resolve())
      }),
  }
}
