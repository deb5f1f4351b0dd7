/**
 * `user.setup`: makes a CloudBase environment ready from the one declared list
 * (functions/indexes.ts). Creates every missing collection (`db.createCollection`); answers which
 * were created and which existed, and the indexes to create in 云开发控制台 → 数据库 → 索引管理
 * (the server SDK cannot create indexes). Safe to run again, and by two admins at once.
 *
 * Existence is probed with a query by id (CloudBase answers -502005 for a collection nobody created)
 * rather than read off createCollection's failure, whose wording for "exists" is not documented.
 */
import { DB_COLLECTION_NOT_EXIST, isDbError } from '../../platform/db'
import { COLLECTIONS, INDEXES } from '../../functions/indexes'
import type { Ctx } from '../../runtime/context'

async function exists(ctx: Ctx, name: string): Promise<boolean> {
  try {
    // By an id no document has: answered from the `_id` index, never a scan.
    await ctx.db.collection(name).where({ _id: '__setup_probe__' }).limit(1).field({ _id: true }).get()
    return true
  } catch (e) {
    if (isDbError(e, DB_COLLECTION_NOT_EXIST)) return false
    throw e
  }
}

export async function setup(_input: unknown, ctx: Ctx) {
  const created: string[] = []
  const existing: string[] = []
  // Every collection probed at once (one wait), the missing ones created at once.
  const found = await Promise.all(COLLECTIONS.map((name) => exists(ctx, name)))
  await Promise.all(
    COLLECTIONS.map(async (name, i) => {
      if (found[i]) return
      try {
        await ctx.db.createCollection(name)
        created.push(name)
      } catch (e) {
        // Another setup created it meanwhile.
        if (!(await exists(ctx, name))) throw e
      }
    }),
  )
  for (const name of COLLECTIONS) if (!created.includes(name)) existing.push(name)
  created.sort((a, b) => COLLECTIONS.indexOf(a) - COLLECTIONS.indexOf(b))
  ctx.log.info('environment set up', { created })
  const indexes = Object.entries(INDEXES).flatMap(([collection, specs]) =>
    specs.map((spec) => ({
      collection,
      fields: spec.fields.map(([f, dir]) => `${f} ${dir === 1 ? '升序' : '降序'}`).join(', '),
      unique: spec.unique === true,
    })),
  )
  return { created, existing, indexes }
}
