/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are read loosely in these tests */
/**
 * The gateway's edges (issue 8, item 6), over a real port on an in-memory local cloud with a fake
 * clock: oversize bodies get a 413 envelope, malformed percent-encoding a 400, invisible and
 * control characters are refused by the one text rule, uploads are images from onboarded people
 * within a daily quota, the dev sign-in is off off-loopback, and H5 assets are compressed.
 */
import { request, type IncomingHttpHeaders } from 'node:http'
import { connect } from 'node:net'
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { devLoginDefault, isLoopback, MAX_JSON, MAX_UPLOAD, pickEncoding, startGateway, type Gateway } from '../../cloudfunctions/src/local/gateway'
import { DEMO } from '../../cloudfunctions/src/local/seed'
import { imageTypeOf } from '../../cloudfunctions/src/platform/local/services'
import { optionalText, text, UNSAFE_TEXT_MESSAGE, unsafeCharAt, z, type Schema } from '../../src/shared/z'
import { testCloud, type TestCloud } from '../support/cloud'

jest.setTimeout(60_000)

const P = DEMO.people
const CHINESE = /[\u4e00-\u9fff]/

// Real, tiny images: a 1×1 PNG, and the leading bytes of the other three types.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64')
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0xff, 0xd9])
const GIF = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1')
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x1a, 0, 0, 0]), Buffer.from('WEBPVP8L'), Buffer.alloc(14)])

let t: TestCloud
let gw: Gateway
let staticDir: string

beforeAll(async () => {
  t = await testCloud()
  staticDir = mkdtempSync(join(tmpdir(), 'linli-edges-h5-'))
  writeFileSync(join(staticDir, 'index.html'), `<!doctype html><html><body>${'<p>邻里共治</p>'.repeat(200)}</body></html>`)
  writeFileSync(join(staticDir, 'app.js'), `console.log(${JSON.stringify('邻里共治 '.repeat(2000))});\n`.repeat(3))
  writeFileSync(join(staticDir, 'tiny.css'), 'a{color:red}')
  writeFileSync(join(staticDir, 'logo.png'), Buffer.concat([PNG, Buffer.alloc(4096)]))
  gw = await startGateway({ cloud: t.cloud, port: 0, staticDir })
})
afterAll(async () => {
  await gw?.close()
  await t?.close()
  if (staticDir) rmSync(staticDir, { recursive: true, force: true })
})

interface Raw {
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
}

/** One HTTP exchange without fetch's URL normalisation or automatic decompression. */
function raw(
  g: Gateway,
  opts: { method?: string; path: string; headers?: Record<string, string | number>; body?: Buffer | string; chunks?: Buffer[]; sendBody?: boolean },
): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: g.port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) })
        req.destroy()
      })
      res.on('error', reject)
    })
    req.on('error', reject)
    if (opts.sendBody === false) return void req.flushHeaders() // headers only: the server must answer before the body
    if (opts.chunks) {
      const write = (i: number): void => {
        if (i === opts.chunks!.length) return void req.end()
        if (req.write(opts.chunks![i])) write(i + 1)
        else req.once('drain', () => write(i + 1))
      }
      write(0)
    } else req.end(opts.body)
  })
}

const json = (r: Raw): any => JSON.parse(r.body.toString('utf8'))

const api = (g: Gateway, fn: string, event: unknown, headers: Record<string, string> = {}) =>
  fetch(`${g.url}/api/${fn}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(event) }).then(
    async (r) => ({ status: r.status, headers: r.headers, json: (await r.json()) as any }),
  )

const upload = (g: Gateway, openid: string | null, bytes: Buffer, name = 'photo.jpg') =>
  fetch(`${g.url}/upload`, {
    method: 'POST',
    headers: { ...(openid ? { 'x-dev-openid': openid } : {}), 'x-file-name': name, 'content-type': 'application/octet-stream' },
    body: new Uint8Array(bytes),
  }).then(async (r) => ({ status: r.status, headers: r.headers, json: (await r.json()) as any }))

function expectEnvelope(body: any, code: string): void {
  expect(body.ok).toBe(false)
  expect(body.error.code).toBe(code)
  expect(body.error.message).toMatch(CHINESE)
}

describe('a body over the limit gets a 413 envelope, not a reset', () => {
  it('/api/<fn>: 1 MB + 1 byte with a Content-Length', async () => {
    const body = Buffer.alloc(MAX_JSON + 1, 0x20)
    const r = await fetch(`${gw.url}/api/user`, { method: 'POST', headers: { 'x-dev-openid': P.resident }, body })
    expect(r.status).toBe(413)
    expectEnvelope(await r.json(), 'INVALID_INPUT')
    // The gateway is still answering, and a body at the limit still goes through.
    const padded = JSON.stringify({ action: 'me', payload: {} }).padEnd(MAX_JSON, ' ')
    const ok = await fetch(`${gw.url}/api/user`, { method: 'POST', headers: { 'x-dev-openid': P.resident }, body: padded })
    expect(((await ok.json()) as any).data.profile.name).toBe('孙丽')
  })

  it('/api/<fn>: chunked, with no length declared', async () => {
    const chunks = Array.from({ length: 20 }, () => Buffer.alloc(64 * 1024, 0x20)) // 1.25 MB
    const r = await raw(gw, { method: 'POST', path: '/api/user', headers: { 'x-dev-openid': P.resident }, chunks })
    expect(r.status).toBe(413)
    expectEnvelope(json(r), 'INVALID_INPUT')
  })

  it('/upload: 10 MB + 1 byte of a real image', async () => {
    const body = Buffer.concat([PNG, Buffer.alloc(MAX_UPLOAD + 1 - PNG.length)])
    const r = await upload(gw, P.resident, body, 'big.png')
    expect(r.status).toBe(413)
    expectEnvelope(r.json, 'INVALID_INPUT')
    expect(r.json.error.message).toContain('10MB')
    expect(await t.count('rate_counters')).toBe(0)
  })

  it('Expect: 100-continue with a length over the limit is answered before the body is sent', async () => {
    const r = await raw(gw, {
      method: 'POST',
      path: '/upload',
      headers: { 'x-dev-openid': P.resident, expect: '100-continue', 'content-length': MAX_UPLOAD + 1 },
      sendBody: false,
    })
    expect(r.status).toBe(413)
    expectEnvelope(json(r), 'INVALID_INPUT')
  })

  it('a declared length far past the limit is answered at once, and the connection closed', async () => {
    const r = await raw(gw, { method: 'POST', path: '/api/user', headers: { 'content-length': 500 * 1024 * 1024 }, sendBody: false })
    expect(r.status).toBe(413)
    expect(r.headers.connection).toBe('close')
    expectEnvelope(json(r), 'INVALID_INPUT')
  })
})

describe('malformed percent-encoding gets a 400 (a cookie: no identity), never a 500', () => {
  it.each(['/files/%E0%A4%A', '/files/u/%ZZ.png?exp=1&sig=x', '/%ZZ', '/assets/%E0%A4%A.js', '/%00.js'])('GET %s → 400 envelope', async (path) => {
    const r = await raw(gw, { path })
    expect(r.status).toBe(400)
    expectEnvelope(json(r), 'INVALID_INPUT')
  })

  it('a request target the URL parser refuses → 400', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(gw.port, '127.0.0.1', () => socket.write('GET //[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'))
      let got = ''
      socket.on('data', (c) => (got += c.toString('utf8')))
      socket.on('end', () => resolve(got))
      socket.on('error', reject)
    })
    expect(answer).toMatch(/^HTTP\/1\.1 400/)
  })

  it('X-File-Name → 400, and nothing is stored or counted', async () => {
    const r = await upload(gw, P.resident, PNG, '%E0%A4%A')
    expect(r.status).toBe(400)
    expectEnvelope(r.json, 'INVALID_INPUT')
    expect(await t.count('rate_counters')).toBe(0)
  })

  it('dev_openid cookie → treated as signed out', async () => {
    const r = await api(gw, 'user', { action: 'me' }, { cookie: 'theme=a; dev_openid=%E0%A4%A' })
    expect(r.status).toBe(200)
    expectEnvelope(r.json, 'UNAUTHENTICATED')
    // A malformed neighbour cookie does not hide a good identity.
    const ok = await api(gw, 'user', { action: 'me' }, { cookie: `junk=%ZZ; dev_openid=${P.resident}` })
    expect(ok.json.data.profile.name).toBe('孙丽')
  })
})

describe('the text rule: no control, bidi, zero-width characters or lone surrogates', () => {
  const good = { communityId: 'c-cuihu', estateId: 'e-cuiyuan', buildingId: 'b-cy-1', unitId: 'b-cy-1-u2', room: '1501' }
  const BAD_NAMES: Array<[string, string]> = [
    ['a right-to-left override', '张\u202E三'],
    ['a bidi isolate', '\u2066张三\u2069'],
    ['a zero-width space', '张\u200B三'],
    ['a zero-width joiner between letters', '张\u200D三'],
    ['a word joiner', '张\u2060三'],
    ['a BOM inside', '张\uFEFF三'],
    ['a lone high surrogate', '张\uD83D三'],
    ['a lone low surrogate', '张\uDE00三'],
    ['a bell', '张\u0007三'],
    ['a newline', '张\n三'],
    ['a tab', '张\t三'],
    ['a C1 control', '张\u0085三'],
  ]

  it.each(BAD_NAMES)('user.onboard refuses a name with %s and writes nothing', async (_label, name) => {
    const openid = 'visitor-textrule'
    const r = await t.call(openid, 'user', 'onboard', { ...good, name })
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.error.code).toBe('INVALID_INPUT')
    expect(r.error.issues).toContainEqual({ path: 'name', message: UNSAFE_TEXT_MESSAGE })
    expect(await t.count('users', { _id: openid })).toBe(0)
  })

  it('user.updateProfile refuses such a name (and a 报到单位) and keeps the old one', async () => {
    const r = await t.call(P.resident, 'user', 'updateProfile', { name: '孙\u202E丽' })
    expect(!r.ok && r.error.code).toBe('INVALID_INPUT')
    const unit = await t.call(P.party, 'user', 'updateProfile', { partyUnit: '区\u200B教育局' })
    expect(!unit.ok && unit.error.issues).toContainEqual({ path: 'partyUnit', message: UNSAFE_TEXT_MESSAGE })
    expect((await t.ok(P.resident, 'user', 'me')).profile.name).toBe('孙丽')
  })

  it('accepts ordinary names, emoji and emoji sequences', async () => {
    const p = await t.ok('visitor-emoji', 'user', 'onboard', { ...good, name: '  小满😀👨‍👩‍👧 ' })
    expect(p.name).toBe('小满😀👨‍👩‍👧')
  })

  it('single-line helpers refuse \\n; multi-line ones (≥ 100 characters) allow only \\n and \\t', () => {
    const ok = (schema: Schema, v: string) => {
      const r = z.safeParse(schema, v)
      return r.success ? true : r.error.issues.map((i) => i.message)
    }
    expect(ok(text(20), '社区\n活动室')).toEqual([UNSAFE_TEXT_MESSAGE])
    expect(ok(optionalText(40), '二楼\t东侧')).toEqual([UNSAFE_TEXT_MESSAGE])
    expect(ok(optionalText(40), '')).toBe(true)
    expect(ok(text(500), '第一行\n\t第二行')).toBe(true)
    expect(ok(optionalText(300), '第一行\n第二行')).toBe(true)
    expect(ok(text(500), '第一行\r\n第二行')).toEqual([UNSAFE_TEXT_MESSAGE])
    expect(ok(text(500), '看\u202E这里')).toEqual([UNSAFE_TEXT_MESSAGE])
    expect(ok(text(20, '请填写', true), 'a\nb')).toBe(true)
    expect(unsafeCharAt('🏳️‍🌈 👩‍⚕️', false)).toBe(-1)
    expect(unsafeCharAt('\u200D😀', false)).toBe(0)
  })
})

describe('uploads: onboarded people, real images, nosniff, a daily quota', () => {
  it('refuses someone who has not finished 入驻 with 403, telling them to', async () => {
    const r = await upload(gw, 'visitor-no-home', PNG, 'a.png')
    expect(r.status).toBe(403)
    expectEnvelope(r.json, 'FORBIDDEN')
    expect(r.json.error.message).toContain('入驻')
    expect(await t.count('rate_counters')).toBe(0)
  })

  it('refuses bytes that are not an image with 415, whatever the name says', async () => {
    for (const bytes of [Buffer.from('png-bytes'), Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), Buffer.from('<html>')]) {
      const r = await upload(gw, P.resident, bytes, 'a.png')
      expect(r.status).toBe(415)
      expectEnvelope(r.json, 'INVALID_INPUT')
    }
    expect(await t.count('rate_counters')).toBe(0)
  })

  it('stores each image with the extension its bytes show and serves it with nosniff', async () => {
    const cases: Array<[Buffer, string, string]> = [
      [PNG, 'a.jpg', 'png'],
      [JPEG, 'b.png', 'jpg'],
      [GIF, 'c.html', 'gif'],
      [WEBP, 'd', 'webp'],
    ]
    for (const [bytes, name, ext] of cases) {
      expect(imageTypeOf(bytes)).toBe(ext)
      const r = await upload(gw, P.resident2, bytes, name)
      expect(r.status).toBe(200)
      expect(r.headers.get('x-content-type-options')).toBe('nosniff')
      const fileId: string = r.json.data.fileId
      expect(fileId).toMatch(new RegExp(`^local://u/${P.resident2}/[0-9a-f]{16}-${name.replace(/\..*$/, '')}\\.${ext}$`))
      const urls = await t.cloud.platform.storage.tempUrls([fileId])
      const served = await fetch(`${gw.url}${urls[fileId]}`)
      expect(served.status).toBe(200)
      expect(served.headers.get('x-content-type-options')).toBe('nosniff')
      expect(served.headers.get('content-type')).toBe(ext === 'jpg' ? 'image/jpeg' : `image/${ext}`)
      expect(Buffer.from(await served.arrayBuffer()).equals(bytes)).toBe(true)
    }
  })

  it('every response says nosniff: envelopes, errors, pages, static files', async () => {
    const answers = await Promise.all([
      fetch(`${gw.url}/api`),
      fetch(`${gw.url}/api/user`, { method: 'POST', body: '{bad' }),
      fetch(`${gw.url}/dev/login`),
      fetch(`${gw.url}/app.js`),
      fetch(`${gw.url}/files/u/x/y.png?exp=1&sig=x`),
      upload(gw, null, PNG),
    ])
    for (const a of answers) expect(a.headers.get('x-content-type-options')).toBe('nosniff')
  })

  it('counts uploads per person per Shanghai day: parallel uploads stop exactly at the limit, 429 after, a new day resets', async () => {
    const g = await startGateway({ cloud: t.cloud, port: 0, uploadDailyLimit: 3 })
    try {
      const who = P.volunteer
      const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => upload(g, who, PNG, `q${i}.png`)))
      expect(answers.filter((a) => a.status === 200)).toHaveLength(3)
      const refused = answers.filter((a) => a.status === 429)
      expect(refused).toHaveLength(3)
      for (const a of refused) {
        expectEnvelope(a.json, 'RATE_LIMITED')
        expect(a.json.error.message).toContain('3')
      }
      // 2026-11-23 10:00 Shanghai on the fake clock.
      const doc = (await t.cloud.db.collection('rate_counters').doc(`${who}:d:uploads:2026-11-23`).get()).data as any
      expect(doc).toMatchObject({ n: 3 })
      // Someone else has their own quota.
      expect((await upload(g, P.mediator1, PNG)).status).toBe(200)
      // 23:59 Shanghai is still the same day; 00:00 is the next one.
      t.clock.set('2026-11-23T15:59:00Z')
      expect((await upload(g, who, PNG)).status).toBe(429)
      t.clock.set('2026-11-23T16:00:00Z')
      expect((await upload(g, who, PNG)).status).toBe(200)
      expect((await t.cloud.db.collection('rate_counters').doc(`${who}:d:uploads:2026-11-24`).get()).data).toMatchObject({ n: 1 })
    } finally {
      t.clock.set('2026-11-23T02:00:00Z')
      await g.close()
    }
  })

  it('takes the default limit from UPLOAD_DAILY_LIMIT', async () => {
    const before = process.env.UPLOAD_DAILY_LIMIT
    process.env.UPLOAD_DAILY_LIMIT = '1'
    const g = await startGateway({ cloud: t.cloud, port: 0 })
    try {
      expect((await upload(g, P.staff, JPEG)).status).toBe(200)
      expect((await upload(g, P.staff, JPEG)).status).toBe(429)
    } finally {
      if (before === undefined) delete process.env.UPLOAD_DAILY_LIMIT
      else process.env.UPLOAD_DAILY_LIMIT = before
      await g.close()
    }
  })
})

describe('the dev sign-in works only on loopback (or with DEV_LOGIN=1)', () => {
  it('knows loopback addresses', () => {
    for (const h of ['127.0.0.1', '127.8.9.10', '::1', '[::1]', 'localhost', 'LOCALHOST', '::ffff:127.0.0.1']) expect(isLoopback(h)).toBe(true)
    for (const h of ['0.0.0.0', '::', '192.168.1.20', '10.0.0.1', '128.0.0.1', '1270.0.0.1', 'example.com', '::ffff:10.0.0.1']) expect(isLoopback(h)).toBe(false)
    expect(devLoginDefault(['127.0.0.1', '127.0.0.1'], {})).toBe(true)
    expect(devLoginDefault(['0.0.0.0', '0.0.0.0'], {})).toBe(false)
    expect(devLoginDefault(['localhost', '192.168.1.20'], {})).toBe(false)
    expect(devLoginDefault(['0.0.0.0', '0.0.0.0'], { DEV_LOGIN: '1' })).toBe(true)
    expect(devLoginDefault(['0.0.0.0', '0.0.0.0'], { DEV_LOGIN: 'yes' })).toBe(false)
  })

  it('is on by default on 127.0.0.1', () => {
    expect(gw.devLogin).toBe(true)
  })

  it('when off: /dev/login and /dev/logout answer 403, /dev/outbox a 403 envelope, and no header or cookie is an identity', async () => {
    const g = await startGateway({ cloud: t.cloud, port: 0, devLogin: false })
    try {
      expect(g.devLogin).toBe(false)
      for (const path of ['/dev/login', `/dev/login?as=${P.admin}`, '/dev/logout']) {
        const r = await fetch(`${g.url}${path}`, { redirect: 'manual' })
        expect(r.status).toBe(403)
        expect(r.headers.get('set-cookie')).toBeNull()
        expect(await r.text()).toContain('开发登录已关闭')
      }
      const outbox = await fetch(`${g.url}/dev/outbox`)
      expect(outbox.status).toBe(403)
      expectEnvelope(await outbox.json(), 'FORBIDDEN')
      expectEnvelope((await api(g, 'user', { action: 'me' }, { 'x-dev-openid': P.admin })).json, 'UNAUTHENTICATED')
      expectEnvelope((await api(g, 'user', { action: 'me' }, { cookie: `dev_openid=${P.admin}` })).json, 'UNAUTHENTICATED')
      expect((await upload(g, P.admin, PNG)).status).toBe(401)
    } finally {
      await g.close()
    }
  })
})

describe('H5 assets are served compressed', () => {
  const file = () => join(staticDir, 'app.js')

  it('gzip when accepted: Content-Encoding, Vary, and gunzips to the same bytes', async () => {
    const r = await raw(gw, { path: '/app.js', headers: { 'accept-encoding': 'gzip' } })
    expect(r.status).toBe(200)
    expect(r.headers['content-encoding']).toBe('gzip')
    expect(r.headers.vary).toBe('Accept-Encoding')
    expect(r.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(Number(r.headers['content-length'])).toBe(r.body.length)
    const original = (await import('node:fs')).readFileSync(file())
    expect(r.body.length).toBeLessThan(original.length / 10)
    expect(gunzipSync(r.body).equals(original)).toBe(true)
  })

  it('brotli preferred when both are accepted; identity when neither is', async () => {
    const original = (await import('node:fs')).readFileSync(file())
    const br = await raw(gw, { path: '/app.js', headers: { 'accept-encoding': 'gzip, deflate, br' } })
    expect(br.headers['content-encoding']).toBe('br')
    expect(brotliDecompressSync(br.body).equals(original)).toBe(true)
    const gzPreferred = await raw(gw, { path: '/app.js', headers: { 'accept-encoding': 'br;q=0.5, gzip' } })
    expect(gzPreferred.headers['content-encoding']).toBe('gzip')
    for (const ae of [undefined, 'identity', 'gzip;q=0, br;q=0']) {
      const plain = await raw(gw, { path: '/app.js', headers: ae ? { 'accept-encoding': ae } : {} })
      expect(plain.headers['content-encoding']).toBeUndefined()
      expect(plain.headers.vary).toBe('Accept-Encoding')
      expect(plain.body.equals(original)).toBe(true)
    }
    expect(pickEncoding('*')).toBe('br')
    expect(pickEncoding('*;q=0, gzip')).toBe('gzip')
  })

  it('the SPA fallback (index.html) is compressed too; images and tiny files are not; HEAD sends no body', async () => {
    const page = await raw(gw, { path: '/pages/home/index', headers: { 'accept-encoding': 'gzip' } })
    expect(page.headers['content-encoding']).toBe('gzip')
    expect(gunzipSync(page.body).toString('utf8')).toContain('邻里共治')
    const png = await raw(gw, { path: '/logo.png', headers: { 'accept-encoding': 'gzip, br' } })
    expect(png.headers['content-encoding']).toBeUndefined()
    const tiny = await raw(gw, { path: '/tiny.css', headers: { 'accept-encoding': 'gzip, br' } })
    expect(tiny.headers['content-encoding']).toBeUndefined()
    expect(tiny.body.toString()).toBe('a{color:red}')
    const head = await raw(gw, { method: 'HEAD', path: '/app.js', headers: { 'accept-encoding': 'gzip' } })
    expect(head.headers['content-encoding']).toBe('gzip')
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0)
    expect(head.body.length).toBe(0)
  })

  it('a rebuilt file (new mtime) is compressed afresh, not served from the cache', async () => {
    const first = await raw(gw, { path: '/app.js', headers: { 'accept-encoding': 'gzip' } })
    const next = `console.log(${JSON.stringify('重新构建 '.repeat(3000))});\n`
    writeFileSync(file(), next)
    const later = new Date(Date.now() + 60_000)
    utimesSync(file(), later, later)
    const second = await raw(gw, { path: '/app.js', headers: { 'accept-encoding': 'gzip' } })
    expect(gunzipSync(second.body).toString('utf8')).toBe(next)
    expect(gunzipSync(first.body).toString('utf8')).not.toBe(next)
  })
})
