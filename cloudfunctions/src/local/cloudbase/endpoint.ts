/**
 * A CloudBase-compatible database endpoint: the local cloud answers the HTTP requests the real
 * node SDK (wx-server-sdk 4.0.2 → @cloudbase/node-sdk 3.17.2 → @cloudbase/database 1.4.3) sends,
 * from the local engine. So the production adapter (platform/wx) runs, unchanged, against the
 * local cloud: `TCB_CONTEXT_CNFG={"URL":"http://127.0.0.1:<port>/admin"}` is the URL the SDK
 * itself reads for its service address (node-sdk utils/tcbcontext.js `getServerInjectUrl`).
 *
 * The node SDK POSTs `{ action, envName, collectionName, query, data, … }` to `/admin?env=…`
 * (utils/tcbapirequester.js); queries, updates and documents are EJSON strings (wire.ts). The
 * answers are the server's shapes, read off @cloudbase/database's document.js / query.js /
 * collection.js / transaction/index.js: `{ requestId, data: { list: [ejson…] } }` for
 * getDocument, `{ data: { insertedIds } }`, `{ data: { updated, upsert_id } }`,
 * `{ data: { deleted } }`, `{ data: { total } }`, `{ transactionId }`; a failure is
 * `{ requestId, code: 'DATABASE_COLLECTION_NOT_EXIST' | 'DATABASE_REQUEST_FAILED' | …, message }`,
 * which wx-server-sdk turns into errCode -502005 / -502001 / … with the same errMsg the local
 * adapter produces.
 *
 * Not emulated: request signatures (Authorization is not checked; the endpoint listens on
 * 127.0.0.1 only), the wx.openApi actions (subscribe messages, content security, phone numbers,
 * storage: the local platform's own services stand in for those), realtime watch and aggregation.
 *
 * Transactions: `startTransaction` opens one of the engine's transactions, which holds the
 * database's write lock until `commitTransaction` / `abortTransaction`. A transaction nobody
 * finishes (its caller died) is rolled back after `txIdleMs` without a request, so the lock always
 * comes free.
 */
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddManyResult, Collection, DocData, Query, Transaction, TxCollection } from '../../platform/db'
import { DB_NOT_FOUND, isDbError } from '../../platform/db'
import type { LocalDatabase } from '../../platform/local/db'
import { invalidParam, LocalDbError, SERVER_CODE, TX_SINGLE_RECORD } from '../../platform/local/db/errors'
import { isPlainObject } from '../../platform/local/db/values'
import * as wire from './wire'

export interface CloudBaseEndpointOptions {
  /** The database of an environment (`envName`); undefined answers INVALIID_ENV. */
  database(envName: string): LocalDatabase | undefined
  /** A transaction without a request for this long is rolled back (default 30 s). */
  txIdleMs?: number
}

type Params = Record<string, unknown>
type Answer = Record<string, unknown>

interface TxSession {
  id: string
  db: LocalDatabase
  tx: Transaction
  finish(outcome: 'commit' | 'abort'): Promise<void>
  touch(): void
}

const requestId = (): string => randomBytes(8).toString('hex')

export interface CloudBaseEndpoint {
  /** One request body → the answer body (always resolves; failures are answers). */
  handle(params: Params): Promise<Answer>
  /** Rolls back every open transaction. */
  close(): Promise<void>
}

export function createCloudBaseEndpoint(opts: CloudBaseEndpointOptions): CloudBaseEndpoint {
  const sessions = new Map<string, TxSession>()
  const txIdleMs = opts.txIdleMs ?? 30_000

  function startTransaction(db: LocalDatabase): Promise<string> {
    return new Promise<string>((started, failed) => {
      const id = requestId() + requestId()
      let decide!: (outcome: 'commit' | 'abort') => void
      const decision = new Promise<'commit' | 'abort'>((r) => (decide = r))
      let timer: NodeJS.Timeout | undefined
      const touch = (): void => {
        clearTimeout(timer)
        timer = setTimeout(() => decide('abort'), txIdleMs)
        timer.unref()
      }
      const ABORTED = Symbol('aborted')
      const finished = db
        .runTransaction(async (tx) => {
          sessions.set(id, { id, db, tx, finish, touch })
          touch()
          started(id)
          if ((await decision) === 'abort') await tx.rollback(ABORTED)
        })
        .then(
          () => undefined,
          (e: unknown) => {
            if (e !== ABORTED) throw e
          },
        )
        .finally(() => {
          clearTimeout(timer)
          sessions.delete(id)
        })
      finished.catch(failed) // a failure before the callback ran (closed database)
      async function finish(outcome: 'commit' | 'abort'): Promise<void> {
        decide(outcome)
        await finished
      }
    })
  }

  function session(params: Params, api: string): TxSession | undefined {
    const id = params.transactionId
    if (id === undefined || id === null || id === '') return undefined
    const s = sessions.get(String(id))
    if (s === undefined) throw new LocalDbError(api, -502001, `[FailedOperation] transaction ${String(id)} does not exist or has ended`)
    s.touch()
    return s
  }

  const collectionName = (params: Params, api: string): string => {
    const name = params.collectionName
    if (typeof name !== 'string' || name === '') throw invalidParam(api, 'collectionName is required')
    return name
  }

  /** The `_id` of a DOC query (`{ _id: id }`). */
  function docId(params: Params, api: string): string {
    const q = wire.parseEjson(api, params.query)
    const id = isPlainObject(q) ? q._id : undefined
    if (typeof id !== 'string') throw invalidParam(api, 'a document query needs a string _id')
    return id
  }

  function whereQuery(params: Params, api: string, base: Collection): Query {
    const q = params.query === undefined || params.query === '' ? undefined : wire.parseEjson(api, params.query)
    return base.where(wire.where(api, q) as DocData)
  }

  async function getDocument(db: LocalDatabase, params: Params): Promise<Answer> {
    const api = 'database.getDocument'
    const name = collectionName(params, api)
    const tx = session(params, api)
    if (tx !== undefined) {
      if (params.queryType !== 'DOC') throw invalidParam(api, TX_SINGLE_RECORD)
      const id = docId(params, api)
      try {
        const { data } = await tx.tx.collection(name).doc(id).get()
        return { data: { list: [wire.stringifyDoc(data)] } }
      } catch (e) {
        if (isDbError(e, DB_NOT_FOUND)) return { data: { list: [] } }
        throw e
      }
    }
    let q = whereQuery(params, api, db.collection(name))
    for (const [field, dir] of wire.order(api, params.order === undefined ? undefined : wire.parseEjson(api, params.order))) q = q.orderBy(field, dir)
    if (typeof params.offset === 'number' && params.offset > 0) q = q.skip(params.offset)
    if (typeof params.limit === 'number' && params.limit > 0) q = q.limit(params.limit)
    const projection = wire.projection(api, params.projection === undefined ? undefined : wire.parseEjson(api, params.projection))
    if (projection !== undefined) q = q.field(projection)
    const { data } = await q.get()
    return { data: { list: data.map(wire.stringifyDoc), limit: params.limit, offset: params.offset ?? 0 } }
  }

  async function calculateDocument(db: LocalDatabase, params: Params): Promise<Answer> {
    const api = 'database.calculateDocument'
    const { total } = await whereQuery(params, api, db.collection(collectionName(params, api))).count()
    return { data: { total } }
  }

  async function insertDocument(db: LocalDatabase, params: Params): Promise<Answer> {
    const api = 'database.insertDocument'
    const name = collectionName(params, api)
    if (!Array.isArray(params.data) || params.data.length === 0) throw invalidParam(api, 'data must be a non-empty array')
    const docs = params.data.map((d) => wire.data(api, wire.parseEjson(api, d)))
    const tx = session(params, api)
    if (tx !== undefined) {
      const coll: TxCollection = tx.tx.collection(name)
      const insertedIds: string[] = []
      for (const doc of docs) insertedIds.push((await coll.add({ data: doc }))._id)
      return { data: { insertedIds } }
    }
    if (docs.length === 1) return { data: { insertedIds: [(await db.collection(name).add({ data: docs[0] }))._id] } }
    const res = (await db.collection(name).add({ data: docs })) as AddManyResult
    return { data: { insertedIds: res._ids } }
  }

  async function modifyDocument(db: LocalDatabase, params: Params): Promise<Answer> {
    const api = 'database.modifyDocument'
    const name = collectionName(params, api)
    const tx = session(params, api)
    const parsed = wire.parseEjson(api, params.data)
    if (params.merge === false) {
      // doc(id).set(): the whole document, created when missing (upsert).
      if (params.queryType !== 'DOC') throw invalidParam(api, 'set needs a document query')
      const id = docId(params, api)
      const ref = tx !== undefined ? tx.tx.collection(name).doc(id) : db.collection(name).doc(id)
      const res = await ref.set({ data: wire.data(api, parsed) })
      return { data: { updated: res.stats.updated, ...(res.stats.created ? { upsert_id: id } : {}) } }
    }
    if (params.upsert === true) throw invalidParam(api, 'update with upsert is not supported by the local cloud')
    const data = wire.update(api, parsed)
    if (params.queryType === 'DOC') {
      const id = docId(params, api)
      const ref = tx !== undefined ? tx.tx.collection(name).doc(id) : db.collection(name).doc(id)
      return { data: { updated: (await ref.update({ data })).stats.updated } }
    }
    if (tx !== undefined) throw invalidParam(api, TX_SINGLE_RECORD)
    if (params.multi === false) throw invalidParam(api, 'update with { multi: false } is not supported by the local cloud')
    return { data: { updated: (await whereQuery(params, api, db.collection(name)).update({ data })).stats.updated } }
  }

  async function removeDocument(db: LocalDatabase, params: Params): Promise<Answer> {
    const api = 'database.removeDocument'
    const name = collectionName(params, api)
    const tx = session(params, api)
    if (params.queryType === 'DOC') {
      const id = docId(params, api)
      const ref = tx !== undefined ? tx.tx.collection(name).doc(id) : db.collection(name).doc(id)
      return { data: { deleted: (await ref.remove()).stats.removed } }
    }
    if (tx !== undefined) throw invalidParam(api, TX_SINGLE_RECORD)
    if (params.multi === false) throw invalidParam(api, 'remove with { multi: false } is not supported by the local cloud')
    return { data: { deleted: (await whereQuery(params, api, db.collection(name)).remove()).stats.removed } }
  }

  async function dispatch(params: Params): Promise<Answer> {
    const action = String(params.action ?? '')
    const envName = String(params.envName ?? '')
    const db = opts.database(envName)
    if (db === undefined) return { code: 'INVALIID_ENV', message: `[ResourceNotFound.Env] 环境不存在：${envName}` }
    switch (action) {
      case 'database.getDocument':
        return getDocument(db, params)
      case 'database.calculateDocument':
        return calculateDocument(db, params)
      case 'database.insertDocument':
        return insertDocument(db, params)
      case 'database.modifyDocument':
        return modifyDocument(db, params)
      case 'database.removeDocument':
        return removeDocument(db, params)
      case 'database.addCollection':
        await db.createCollection(collectionName(params, action))
        return {}
      case 'database.startTransaction':
        return { transactionId: await startTransaction(db) }
      case 'database.commitTransaction':
      case 'database.abortTransaction': {
        const s = session(params, action)
        if (s === undefined) throw invalidParam(action, 'transactionId is required')
        await s.finish(action === 'database.commitTransaction' ? 'commit' : 'abort')
        return {}
      }
      default:
        return { code: 'INVALID_PARAM', message: `the local cloud does not serve ${action}` }
    }
  }

  return {
    async handle(params) {
      const rid = requestId()
      try {
        return { requestId: rid, ...(await dispatch(params)) }
      } catch (e) {
        if (e instanceof LocalDbError) return { requestId: rid, code: SERVER_CODE[e.errCode] ?? 'SYS_ERR', message: e.detail }
        if (isDbError(e)) return { requestId: rid, code: SERVER_CODE[e.errCode] ?? 'SYS_ERR', message: e.errMsg }
        return { requestId: rid, code: 'SYS_ERR', message: e instanceof Error ? e.message : String(e) }
      }
    },
    async close() {
      await Promise.all([...sessions.values()].map((s) => s.finish('abort').catch(() => undefined)))
    },
  }
}

/** Reads a JSON request body and answers it through the endpoint (POST only). */
export async function serveCloudBase(endpoint: CloudBaseEndpoint, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  let params: Params
  try {
    const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'))
    if (!isPlainObject(body)) throw new Error('not an object')
    params = body
  } catch {
    res.writeHead(400, { 'content-type': 'application/json; charset=utf-8' })
    res.end(JSON.stringify({ code: 'INVALID_PARAM', message: 'request body must be a JSON object' }))
    return
  }
  const answer = await endpoint.handle(params)
  res.writeHead(200, { 'content-type': 'application/json' })
  res.end(JSON.stringify(answer))
}

/** A stand-alone endpoint server on 127.0.0.1 (tests); `url` is the value for TCB_CONTEXT_CNFG's URL. */
export async function listenCloudBase(endpoint: CloudBaseEndpoint, port = 0): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    void serveCloudBase(endpoint, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500)
      res.end()
    })
  })
  server.keepAliveTimeout = 60_000
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  const address = server.address()
  const actual = typeof address === 'object' && address !== null ? address.port : port
  return {
    url: `http://127.0.0.1:${actual}/admin`,
    server,
    async close() {
      await endpoint.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
