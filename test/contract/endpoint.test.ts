/**
 * The local cloud's CloudBase endpoint beyond what the contract suite reaches through the SDK:
 * the way out of a transaction nobody finishes, and requests the port does not offer.
 */
import { createCloudBaseEndpoint } from '../../cloudfunctions/src/local/cloudbase/endpoint'
import { openLocalDatabase, type LocalDatabase } from '../../cloudfunctions/src/platform/local/db'

let db: LocalDatabase
beforeEach(async () => {
  db = await openLocalDatabase({ collections: ['accounts'] })
})
afterEach(() => db.close())

const ejson = (v: unknown) => JSON.stringify(v)

it('rolls back a transaction whose caller went away, so the write lock comes free', async () => {
  const endpoint = createCloudBaseEndpoint({ database: () => db, txIdleMs: 50 })
  const started = await endpoint.handle({ action: 'database.startTransaction', envName: 'e' })
  const transactionId = started.transactionId as string
  expect(transactionId).toMatch(/^[0-9a-f]{32}$/)
  const staged = await endpoint.handle({ action: 'database.insertDocument', envName: 'e', collectionName: 'accounts', transactionId, data: [ejson({ _id: 'a', n: 1 })] })
  expect(staged).toMatchObject({ data: { insertedIds: ['a'] } })
  // Nobody commits. This write waits for the lock the transaction holds, and gets it once the lease lapses.
  await db.collection('accounts').add({ data: { _id: 'b' } })
  expect((await db.collection('accounts').get()).data.map((d) => d._id)).toEqual(['b'])
  const late = await endpoint.handle({ action: 'database.commitTransaction', envName: 'e', transactionId })
  expect(late).toMatchObject({ code: 'DATABASE_REQUEST_FAILED', message: expect.stringMatching(/does not exist or has ended/) })
  await endpoint.close()
})

it('answers what the port does not offer with INVALID_PARAM and changes nothing', async () => {
  const endpoint = createCloudBaseEndpoint({ database: () => db })
  await db.collection('accounts').add({ data: { _id: 'a', n: 1, tags: ['x'] } })
  const cases = [
    { action: 'database.getDocument', collectionName: 'accounts', queryType: 'WHERE', query: ejson({ $nor: [{ n: 1 }] }) },
    { action: 'database.getDocument', collectionName: 'accounts', queryType: 'WHERE', query: ejson({ tags: { $elemMatch: { $eq: 'x' } } }) },
    { action: 'database.modifyDocument', collectionName: 'accounts', queryType: 'DOC', query: ejson({ _id: 'a' }), merge: true, data: ejson({ $mul: { n: 2 } }) },
    { action: 'database.aggregateDocuments', collectionName: 'accounts' },
  ]
  for (const params of cases) expect(await endpoint.handle({ envName: 'e', ...params })).toMatchObject({ code: 'INVALID_PARAM' })
  expect((await db.collection('accounts').doc('a').get()).data).toEqual({ _id: 'a', n: 1, tags: ['x'] })
  expect(await endpoint.handle({ envName: 'e', action: 'database.getDocument', collectionName: 'ghost', queryType: 'WHERE' })).toMatchObject({ code: 'DATABASE_COLLECTION_NOT_EXIST' })
})

it('an unknown environment answers INVALIID_ENV (sic, the SDK spells it so)', async () => {
  const endpoint = createCloudBaseEndpoint({ database: () => undefined })
  expect(await endpoint.handle({ action: 'database.getDocument', envName: 'nope' })).toMatchObject({ code: 'INVALIID_ENV' })
})
