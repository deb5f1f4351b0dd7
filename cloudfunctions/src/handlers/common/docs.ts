/** Reading one document by id when its absence is an ordinary answer, not an error. */
import type { Ctx } from '../../runtime/context'
import { DB_NOT_FOUND, isDbError, type Transaction } from '../../platform/db'

export async function getOrNull<T>(ctx: Pick<Ctx, 'db'>, collection: string, id: string): Promise<T | null> {
  try {
    return (await ctx.db.collection<T>(collection).doc(id).get()).data
  } catch (e) {
    if (isDbError(e, DB_NOT_FOUND)) return null
    throw e
  }
}

/** The same inside a transaction (doc-level reads only, as CloudBase allows). */
export async function txGetOrNull<T>(tx: Transaction, collection: string, id: string): Promise<T | null> {
  try {
    return (await tx.collection<T>(collection).doc(id).get()).data
  } catch (e) {
    if (isDbError(e, DB_NOT_FOUND)) return null
    throw e
  }
}
