/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are read loosely in these tests */
/** The local HTTP gateway over a real port: calls with a dev identity, survives a restart, lists the API. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLocalCloud, type LocalCloud } from '../../cloudfunctions/src/local/cloud'
import { startGateway, type Gateway } from '../../cloudfunctions/src/local/gateway'
import { DEMO, seedDemo } from '../../cloudfunctions/src/local/seed'
import { quietLogger } from '../../cloudfunctions/src/platform/local/services'

let dir: string
let cloud: LocalCloud
let gw: Gateway

async function boot(): Promise<void> {
  cloud = await createLocalCloud({ dataDir: dir, log: quietLogger })
  await seedDemo(cloud.db)
  gw = await startGateway({ cloud, port: 0 })
}
async function shutdown(): Promise<void> {
  await gw.close()
  await cloud.close()
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'linli-gw-'))
  await boot()
})
afterAll(async () => {
  await shutdown()
  rmSync(dir, { recursive: true, force: true })
})

const post = (path: string, body: unknown, openid?: string) =>
  fetch(`${gw.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(openid ? { 'x-dev-openid': openid } : {}) },
    body: JSON.stringify(body),
  }).then(async (r) => ({ status: r.status, json: (await r.json()) as any }))

it('listens on 127.0.0.1 and answers an action over HTTP with the dev identity', async () => {
  expect(gw.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  const r = await post('/api/user', { action: 'me', payload: {} }, DEMO.people.resident)
  expect(r.status).toBe(200)
  expect(r.json).toMatchObject({ ok: true, data: { openid: DEMO.people.resident, profile: { name: '孙丽' } } })
})

it('without identity answers UNAUTHENTICATED; a bad body INVALID_INPUT; an unknown function NOT_FOUND', async () => {
  expect((await post('/api/user', { action: 'me' })).json.error.code).toBe('UNAUTHENTICATED')
  const bad = await fetch(`${gw.url}/api/user`, { method: 'POST', body: '{not json' })
  expect(((await bad.json()) as any).error.code).toBe('INVALID_INPUT')
  expect((await post('/api/nothing', { action: 'x' }, 'a')).json.error.code).toBe('NOT_FOUND')
})

it('writes over HTTP and reads the result back after a restart', async () => {
  const openid = 'visitor-restart1'
  const r = await post(
    '/api/user',
    { action: 'onboard', payload: { communityId: 'c-cuihu', estateId: 'e-hupan', buildingId: 'b-hp-1', unitId: 'b-hp-1-u1', room: '703', name: '钱多' } },
    openid,
  )
  expect(r.json.ok).toBe(true)
  await shutdown()
  await boot()
  const me = await post('/api/user', { action: 'me', payload: {} }, openid)
  expect(me.json.data.profile).toMatchObject({ name: '钱多', address: { text: '湖畔花园 1号楼 1单元 703' } })
})

it('the dev sign-in page lists demo people by role and sets the identity cookie', async () => {
  const page = await fetch(`${gw.url}/dev/login`)
  const html = await page.text()
  expect(html).toContain('管理员')
  expect(html).toContain('王建华')
  expect(html).toContain('网格员')
  const signIn = await fetch(`${gw.url}/dev/login?as=${DEMO.people.staff}`, { redirect: 'manual' })
  expect(signIn.status).toBe(302)
  const cookie = signIn.headers.get('set-cookie')!
  expect(cookie).toContain(`dev_openid=${DEMO.people.staff}`)
  const me = await fetch(`${gw.url}/api/user`, { method: 'POST', headers: { cookie: cookie.split(';')[0] }, body: JSON.stringify({ action: 'me' }) })
  expect(((await me.json()) as any).data.profile.name).toBe('李秀梅')
})

it('GET /api lists every function and action with JSON Schemas of input and output', async () => {
  const list = (await (await fetch(`${gw.url}/api`)).json()) as any
  const user = list.functions.find((f: any) => f.name === 'user')
  const onboard = user.actions.find((a: any) => a.action === 'onboard')
  expect(onboard.input.properties.room.type).toBe('string')
  expect(onboard.input.required).toEqual(expect.arrayContaining(['communityId', 'room']))
  expect(onboard.output.properties.address).toBeDefined()
  const cases = list.functions.find((f: any) => f.name === 'cases')
  expect(cases.triggers[0].name).toBe('tick')
})

it('stores an upload for the caller and serves it only through a signed URL', async () => {
  // A real 1×1 PNG: the gateway takes only images, checked by their bytes (edges.test.ts).
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64')
  const up = await fetch(`${gw.url}/upload`, { method: 'POST', headers: { 'x-dev-openid': DEMO.people.resident, 'x-file-name': 'a.png' }, body: png })
  const { data } = (await up.json()) as any
  expect(data.fileId).toMatch(/^local:\/\/u\/demo-res-sun\/[0-9a-f]{16}-a\.png$/)
  const urls = await cloud.platform.storage.tempUrls([data.fileId])
  const ok = await fetch(`${gw.url}${urls[data.fileId]}`)
  expect(ok.status).toBe(200)
  expect(Buffer.from(await ok.arrayBuffer()).equals(png)).toBe(true)
  const forged = await fetch(`${gw.url}/files/${data.fileId.slice('local://'.length)}?exp=9999999999999&sig=forged`)
  expect(forged.status).toBe(403)
  const anon = await fetch(`${gw.url}/upload`, { method: 'POST', body: 'x' })
  expect(anon.status).toBe(401)
})
