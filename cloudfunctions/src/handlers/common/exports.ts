/**
 * Files the functions generate for people to download (the 工作台账 .xlsx): kept in cloud storage
 * under `exports/` (never a person's upload folder), each recorded in `export_files`, handed out
 * by a temporary URL, and deleted by the `stats` function's timer once EXPORT_KEEP_MS has passed.
 * A download link lives two hours, so a day is plenty — and a ledger names residents, so it is
 * not kept longer than its purpose needs (PRODUCT.md, privacy).
 */
import type { Ctx } from '../../runtime/context'

export const EXPORT_FILES = 'export_files'
/** How long a generated file is kept. */
export const EXPORT_KEEP_MS = 24 * 3600_000
/** Files deleted per timer run at most (CloudBase deletes 50 per call). */
const CLEAN_BATCH = 50
const CLEAN_BATCHES = 4

interface ExportFileDoc {
  _id: string
  fileId: string
  at: Date
  by: string
}

/**
 * Keep a generated file and answer a temporary download URL for it: only ever called after the
 * caller's access was checked. The record that lets the timer delete it is written beside the URL
 * (the same wait); if it fails the download still works, and the failure is logged.
 */
export async function storeFile(ctx: Pick<Ctx, 'storage' | 'db' | 'clock' | 'log' | 'openid'>, path: string, bytes: Buffer): Promise<{ fileId: string; url: string }> {
  const fileId = await ctx.storage.save(`exports/${path}`, bytes)
  const [urls] = await Promise.all([
    ctx.storage.tempUrls([fileId]),
    ctx.db
      .collection(EXPORT_FILES)
      .add({ data: { fileId, at: ctx.clock.now(), by: ctx.openid } })
      .catch((e: unknown) => ctx.log.warn('export not recorded: it will not be cleaned', { fileId, error: e instanceof Error ? e.message : String(e) })),
  ])
  const url = urls[fileId]
  if (!url) throw new Error(`no temporary URL for the stored file ${fileId}`)
  return { fileId, url }
}

/** The timer's part: delete the files older than EXPORT_KEEP_MS and their records, oldest first, bounded per run. */
export async function cleanExports(ctx: Pick<Ctx, 'storage' | 'db' | 'clock' | '_'>): Promise<number> {
  const _ = ctx._
  const before = new Date(ctx.clock.now().getTime() - EXPORT_KEEP_MS)
  let removed = 0
  for (let i = 0; i < CLEAN_BATCHES; i++) {
    const { data } = await ctx.db.collection<ExportFileDoc>(EXPORT_FILES).where({ at: _.lt(before) }).orderBy('at', 'asc').limit(CLEAN_BATCH).get()
    if (data.length === 0) break
    const gone = new Set(await ctx.storage.remove(data.map((d) => d.fileId)))
    const done = data.filter((d) => gone.has(d.fileId)).map((d) => d._id)
    // A file that would not go stays recorded, to be tried on the next run.
    if (done.length) await ctx.db.collection(EXPORT_FILES).where({ _id: _.in(done) }).remove()
    removed += done.length
    if (data.length < CLEAN_BATCH || done.length === 0) break
  }
  return removed
}
