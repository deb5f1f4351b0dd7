/**
 * The gateway's CloudBase endpoint (/dev/tcb/admin): the production adapter and the real
 * wx-server-sdk read and write the running local cloud, as a function deployed against it would.
 */
import { createLocalCloud, type LocalCloud } from '../../cloudfunctions/src/local/cloud'
import { startGateway, type Gateway } from '../../cloudfunctions/src/local/gateway'
import { DEMO, seedDemo } from '../../cloudfunctions/src/local/seed'
import { isDbError } from '../../cloudfunctions/src/platform/db'
import { quietLogger } from '../../cloudfunctions/src/platform/local/services'
import { pointSdkAt } from '../support/sdk'

let cloud: LocalCloud
let gw: Gateway
beforeAll(async () => {
  cloud = await createLocalCloud({ log: quietLogger })
  await seedDemo(cloud.db, new Date())
})
afterAll(() => cloud.close())
afterEach(() => gw?.close())

it('serves the real SDK: reads the demo data and writes through to the local cloud', async () => {
  gw = await startGateway({ cloud, port: 0 })
  const db = pointSdkAt(`${gw.url}/dev/tcb/admin`).wxPlatform().db
  const admin = await db.collection('users').doc(DEMO.people.admin).get()
  expect(admin).toMatchObject({ data: { _id: DEMO.people.admin, name: '王建华' }, errMsg: 'document.get:ok' })
  await db.collection('meta').doc('sdk-probe').set({ data: { at: db.serverDate() } })
  expect((await cloud.db.collection('meta').doc('sdk-probe').get()).data.at).toBeInstanceOf(Date)
  // A collection nobody declared is refused as CloudBase refuses it.
  const e = await db.collection('nope').add({ data: {} }).catch((x: unknown) => x)
  expect(isDbError(e, -502005)).toBe(true)
})

it('is closed with the dev sign-in off (signatures are not checked)', async () => {
  gw = await startGateway({ cloud, port: 0, devLogin: false })
  const db = pointSdkAt(`${gw.url}/dev/tcb/admin`).wxPlatform().db
  await expect(db.collection('users').doc(DEMO.people.admin).get()).rejects.toThrow(/403/)
})
