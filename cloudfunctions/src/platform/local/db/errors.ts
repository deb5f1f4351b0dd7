/**
 * Errors shaped like wx-server-sdk 4.0.2's (`toSDKError` in its src/utils/error.ts):
 * - a failure the SDK raises from a plain string has errCode -1 and errMsg `<api>:fail <text>`;
 * - a failure the server reports has errCode from TCB_ERR_CODE and errMsg
 *   `<api>:fail <errCode> <ERR_CODE text>. <server message>`.
 * `message === errMsg`, as in the SDK.
 */
import { DB_COLLECTION_NOT_EXIST, DB_DUPLICATE_KEY, DB_NOT_FOUND, type DbError } from '../../db'

/** TCB_ERR_CODE values and their ERR_CODE texts, from wx-server-sdk's src/config/error.config.ts. */
const INVALID_PARAM = -501007
const REQUEST_FAILED = -502001
const COLLECTION_NOT_EXIST = DB_COLLECTION_NOT_EXIST
const CODE_TEXT: Record<number, string> = {
  [INVALID_PARAM]: 'invalid parameters',
  [REQUEST_FAILED]: 'database request fail',
  [COLLECTION_NOT_EXIST]: 'database collection not exists',
}

/** The server's code names for these numbers (wx-server-sdk's TCB_ERR_CODE, inverted): the wire format's `code`. */
export const SERVER_CODE: Record<number, string> = {
  [INVALID_PARAM]: 'INVALID_PARAM',
  [REQUEST_FAILED]: 'DATABASE_REQUEST_FAILED',
  [COLLECTION_NOT_EXIST]: 'DATABASE_COLLECTION_NOT_EXIST',
}

export class LocalDbError extends Error implements DbError {
  readonly errCode: number
  readonly errMsg: string

  constructor(
    api: string,
    errCode: number,
    /** The server's (or the SDK's) own words, without the `<api>:fail <code> <text>.` prefix. */
    readonly detail: string,
  ) {
    const text = CODE_TEXT[errCode]
    const errMsg = text === undefined ? `${api}:fail ${detail}` : `${api}:fail ${errCode} ${text}. ${detail}`
    super(errMsg)
    this.name = 'DbError'
    this.errCode = errCode
    this.errMsg = errMsg
  }
}

/** doc(id).get() of a missing document (the SDK's own wording). */
export const notFound = (api: string, id: string): LocalDbError =>
  new LocalDbError(api, DB_NOT_FOUND, `document with _id ${id} does not exist`)

/** Duplicate `_id` or unique-index violation, worded like the server's (Mongo's E11000 inside CloudBase's wrapper). */
export const duplicateKey = (api: string, collection: string, index: string, key: string): LocalDbError =>
  new LocalDbError(
    api,
    DB_DUPLICATE_KEY,
    `[FailedOperation] multiple write errors: [{write errors: [{E11000 duplicate key error collection: ${collection} index: ${index} dup key: ${key}}]}, {<nil>}]`,
  )

/** A parameter the SDK rejects before sending (INVALID_PARAM, e.g. `不能更新_id的值`). */
export const invalidParam = (api: string, detail: string): LocalDbError => new LocalDbError(api, INVALID_PARAM, detail)

/** A request the server rejects (DATABASE_REQUEST_FAILED, e.g. `Cannot create field ...`). */
export const requestFailed = (api: string, detail: string): LocalDbError =>
  new LocalDbError(api, REQUEST_FAILED, detail)

/** An SDK-side assertion (errCode -1), e.g. `options.data must not be empty`. */
export const sdkError = (api: string, detail: string): LocalDbError => new LocalDbError(api, -1, detail)

/**
 * A collection nobody created (CloudBase: DATABASE_COLLECTION_NOT_EXIST, for reads and writes
 * alike; the server's wording).
 */
export const collectionNotExist = (api: string, collection: string): LocalDbError =>
  new LocalDbError(api, COLLECTION_NOT_EXIST, `[ResourceNotFound] Db or Table not exist: ${collection}. Please check your request, but if the problem cannot be solved, contact us.`)

/** createCollection of a name that exists (the server's wording). */
export const collectionExists = (api: string, collection: string): LocalDbError =>
  new LocalDbError(api, REQUEST_FAILED, `[ResourceInUse] Table exist: ${collection}`)

/** CloudBase: 在事务中仅能进行单记录操作，也就是不能使用 where、aggregate 接口 (Transaction.collection docs). */
export const TX_SINGLE_RECORD = '在事务中仅能进行单记录操作，不能使用 where、aggregate 接口 (where is not supported in a transaction)'
