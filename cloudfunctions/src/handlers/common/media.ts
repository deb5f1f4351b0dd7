/**
 * Photos and their media check (内容安全), end to end:
 *
 * 1. `checkedPhotos` (common/content.ts) starts the platform's check for each new photo. A verdict
 *    now (`pass` / `reject`) is kept with the photo; `pending` comes with a trace id, which is kept
 *    with the photo AND in `media_checks/<traceId>` with where the photo lives (`homes`: the
 *    record's collection and id), written before the record itself.
 * 2. The verdict arrives later as the platform's push (`wxa_media_check` → function `media`,
 *    `receiveVerdict`): `media_checks` takes the first verdict, then every home's copy of the photo
 *    is marked by one conditional update of its path (`thread.2.photos.0.check`), so a reader of the
 *    record needs nothing else. An unknown trace id changes nothing.
 * 3. Readers show photos through `photoViews` only — the one rule: a passed photo to everyone, a
 *    rejected one to nobody (its uploader is told how many), a pending one to its uploader alone
 *    (marked 审核中); everyone else gets a placeholder without a URL (图片审核中). A copy still
 *    pending whose check has settled (a write-back lost to a concurrent rewrite of the record)
 *    takes the verdict from `media_checks`: one indexed read, only while such photos exist.
 */
import type { MediaCheckEventT } from '../../../../src/shared/api/media'
import type { MediaVerdict } from '../../platform/port'
import type { Ctx } from '../../runtime/context'
import { getOrNull } from './docs'

export const MEDIA_CHECKS = 'media_checks'

/** A photo as a record keeps it. */
export interface PhotoDoc {
  fileId: string
  check: MediaVerdict
  /** The uploader; absent on photos stored before it was kept (the record's author then). */
  by?: string
  /** The check's trace id when its verdict came later (kept after it came). */
  traceId?: string
}

/** What records hold: a photo, or (rooms saved before checks were kept) a bare file id that passed. */
export type StoredPhoto = PhotoDoc | string

/** A record that holds a photo: the verdict's push updates its copy. */
export interface PhotoHome {
  collection: string
  docId: string
}

/** `media_checks/<traceId>`: a check whose verdict comes later. */
export interface MediaCheckDoc {
  _id: string
  fileId: string
  /** The uploader. */
  openid: string
  at: Date
  verdict: MediaVerdict
  homes: PhotoHome[]
  /** What the push said (`pass` / `risky` / `review`), and its label. */
  suggest: string | null
  label: string | null
  /** A push reporting that the check itself failed (no verdict; the photo stays pending). */
  errcode: number | null
  settledAt: Date | null
}

/** A photo as one viewer sees it. `url` null with `checking`: a placeholder (图片审核中). */
export interface PhotoView {
  fileId: string
  url: string | null
  checking: boolean
}

export function photoDoc(p: StoredPhoto): PhotoDoc {
  return typeof p === 'string' ? { fileId: p, check: 'pass' } : p
}

/**
 * The rule, for one stored photo and one viewer: `shown`; `own` (pending, shown to its uploader
 * only, marked 审核中); `placeholder` (pending, someone else's); `hidden` (rejected).
 */
export function photoSight(p: PhotoDoc, viewer: string, author?: string): 'shown' | 'own' | 'placeholder' | 'hidden' {
  if (p.check === 'pass') return 'shown'
  if (p.check === 'reject') return 'hidden'
  const uploader = p.by ?? author
  return viewer && uploader === viewer ? 'own' : 'placeholder'
}

/** Records the checks still pending, before the records holding their photos are written. */
export async function recordPendingChecks(ctx: Ctx, photos: PhotoDoc[], home: PhotoHome | PhotoHome[]): Promise<void> {
  const homes = Array.isArray(home) ? home : [home]
  const now = ctx.clock.now()
  await Promise.all(
    photos
      .filter((p) => p.check === 'pending' && p.traceId)
      .map((p) => {
        const doc: Omit<MediaCheckDoc, '_id'> = { fileId: p.fileId, openid: p.by ?? ctx.openid, at: now, verdict: 'pending', homes, suggest: null, label: null, errcode: null, settledAt: null }
        return ctx.db.collection(MEDIA_CHECKS).doc(p.traceId!).set({ data: doc as unknown as Record<string, unknown> })
      }),
  )
}

/**
 * Photos of several groups (a case's own, each post's…) as the caller sees them, with one URL
 * request for all; `author` names the uploader of photos stored without `by`. `rejected` counts
 * the caller's own photos that failed the check (for 「有 N 张图片未通过审核」).
 */
export async function photoViews(
  ctx: Ctx,
  groups: ReadonlyArray<{ photos: ReadonlyArray<StoredPhoto> | undefined; author?: string }>,
): Promise<Array<{ photos: PhotoView[]; rejected: number }>> {
  const docs = groups.map((g) => (g.photos ?? []).map(photoDoc))
  // Copies still pending: their check may have settled since (see the header, 3.).
  const traceIds = [...new Set(docs.flat().flatMap((p) => (p.check === 'pending' && p.traceId ? [p.traceId] : [])))]
  const settled = new Map<string, MediaVerdict>()
  for (let i = 0; i < traceIds.length; i += 100) {
    const res = await ctx.db
      .collection<MediaCheckDoc>(MEDIA_CHECKS)
      .where({ _id: ctx._.in(traceIds.slice(i, i + 100)) })
      .field({ verdict: true })
      .get()
    for (const c of res.data) if (c.verdict !== 'pending') settled.set(c._id, c.verdict)
  }
  const sights = docs.map((ps, gi) =>
    ps.map((p0) => {
      const p = p0.check === 'pending' && p0.traceId && settled.has(p0.traceId) ? { ...p0, check: settled.get(p0.traceId)! } : p0
      return { p, sight: photoSight(p, ctx.openid, groups[gi].author), mine: !!ctx.openid && (p.by ?? groups[gi].author) === ctx.openid }
    }),
  )
  const wanted = [...new Set(sights.flat().flatMap((s) => (s.sight === 'shown' || s.sight === 'own' ? [s.p.fileId] : [])))]
  const urls = wanted.length ? await ctx.storage.tempUrls(wanted) : {}
  return sights.map((ss) => ({
    photos: ss.flatMap(({ p, sight }): PhotoView[] => {
      if (sight === 'hidden') return []
      if (sight === 'placeholder') return [{ fileId: p.fileId, url: null, checking: true }]
      return [{ fileId: p.fileId, url: urls[p.fileId] ?? null, checking: sight === 'own' }]
    }),
    rejected: ss.filter((s) => s.sight === 'hidden' && s.mine).length,
  }))
}

/** One group's photos as the caller sees them. */
export async function photosOf(ctx: Ctx, photos: ReadonlyArray<StoredPhoto> | undefined, author?: string): Promise<PhotoView[]> {
  return (await photoViews(ctx, [{ photos, author }]))[0].photos
}

/** The paths in a record of the photos checked under `traceId` (`photos.0`, `thread.2.photos.1`, …). */
export function photoPaths(doc: unknown, traceId: string): string[] {
  const out: string[] = []
  const walk = (v: unknown, path: string[], depth: number) => {
    if (depth > 8 || v === null || typeof v !== 'object' || v instanceof Date) return
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, [...path, String(i)], depth + 1))
      return
    }
    const o = v as Record<string, unknown>
    if (o.traceId === traceId && typeof o.fileId === 'string') {
      out.push(path.join('.'))
      return
    }
    for (const [k, x] of Object.entries(o)) walk(x, [...path, k], depth + 1)
  }
  walk(doc, [], 0)
  return out
}

/** `pass` shows the photo; `risky` and `review` (not confirmed safe) never show it; so does any other. */
export function verdictOf(suggest: string): 'pass' | 'reject' {
  return suggest === 'pass' ? 'pass' : 'reject'
}

/**
 * The push with a check's verdict. Unknown trace id: nothing changes (answered OK, so WeChat does
 * not retry). A failed check (errcode ≠ 0): recorded, the photo stays pending. Otherwise the first
 * verdict is kept (a repeat or a contradicting later push never flips it) and written to every copy
 * of the photo; a repeat only rewrites copies a crash left unmarked.
 */
export async function receiveVerdict(e: MediaCheckEventT, ctx: Ctx): Promise<{ known: boolean; verdict: MediaVerdict | null; updated: number }> {
  const traceId = e.trace_id
  const check = await getOrNull<MediaCheckDoc>(ctx, MEDIA_CHECKS, traceId)
  if (!check) {
    ctx.log.warn('media check verdict for an unknown trace id: ignored', { traceId })
    return { known: false, verdict: null, updated: 0 }
  }
  const now = ctx.clock.now()
  if (e.errcode !== undefined && e.errcode !== 0) {
    ctx.log.error('media check failed on the platform: the photo stays pending', { traceId, errcode: e.errcode, errmsg: e.errmsg ?? null })
    await ctx.db.collection(MEDIA_CHECKS).where({ _id: traceId, verdict: 'pending' }).update({ data: { errcode: e.errcode, erroredAt: now } })
    return { known: true, verdict: check.verdict, updated: 0 }
  }
  const suggest = e.result?.suggest
  if (!suggest) {
    ctx.log.error('media check push without a result: the photo stays pending', { traceId })
    return { known: true, verdict: check.verdict, updated: 0 }
  }
  const verdict = verdictOf(suggest)
  const label = e.result?.label === undefined ? null : String(e.result.label)
  const first = await ctx.db
    .collection(MEDIA_CHECKS)
    .where({ _id: traceId, verdict: 'pending' })
    .update({ data: { verdict, suggest, label, errcode: 0, settledAt: now } })
  const final: MediaVerdict = first.stats.updated === 1 ? verdict : ((await getOrNull<MediaCheckDoc>(ctx, MEDIA_CHECKS, traceId))?.verdict ?? verdict)
  if (final === 'pending') return { known: true, verdict: final, updated: 0 }
  let updated = 0
  for (const home of check.homes) updated += await markCopies(ctx, home, traceId, final)
  ctx.log.info('media check verdict', { traceId, suggest, verdict: final, updated })
  return { known: true, verdict: final, updated }
}

/** Marks a record's copies of the photo, each path conditioned on still holding that trace id. */
async function markCopies(ctx: Ctx, home: PhotoHome, traceId: string, verdict: MediaVerdict): Promise<number> {
  const doc = await getOrNull<Record<string, unknown>>(ctx, home.collection, home.docId)
  if (!doc) return 0 // the record was never written (the request failed after the check started)
  const paths = photoPaths(doc, traceId)
  if (paths.length === 0) return 0
  const where: Record<string, unknown> = { _id: home.docId }
  const data: Record<string, unknown> = {}
  for (const p of paths) {
    where[`${p}.traceId`] = traceId
    data[`${p}.check`] = verdict
  }
  const res = await ctx.db.collection(home.collection).where(where).update({ data })
  return res.stats.updated
}
