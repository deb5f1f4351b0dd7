/**
 * Errors shaped like wx-server-sdk 4.0.2's (`toSDKError` in its src/utils/error.ts):
 * - a failure the SDK raises from a plain string has errCode -1 and errMsg `<api>:fail <text>`;
 * - a failure the server reports has errCode from TCB_ERR_CODE and errMsg
 *   `<api>:fail <errCode> <ERR_CODE text>. <server message>`.
 * `message === errMsg`, as in the SDK.
 */
import { DB_DUPLICATE_KEY, DB_NOT_FOUND, type DbError } from '../../db'

/** TCB_ERR_CODE values and their ERR_CODE texts, from wx-server-sdk's src/config/error.config.ts. */
const INVALID_PARAM = -501007
const REQUEST_FAILED = -502001
const CODE_TEXT: Record<number, string> = {
  [INVALID_PARAM]: 'invalid parameters',
  [REQUEST_FAILED]: 'database request fail',
}

export class LocalDbError extends Error implements DbError {
  readonly errCode: number
  readonly errMsg: string

  constructor(api: string, errCode: number, detail: string) {
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
