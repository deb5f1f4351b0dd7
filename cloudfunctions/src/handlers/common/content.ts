/** Content safety: every user-written text passes the platform's check before anyone else sees it. */
import { AppError } from '../../../../src/shared/errors'
import type { Ctx } from '../../runtime/context'
import { recordPendingChecks, type PhotoDoc, type PhotoHome } from './media'

export async function requireCleanText(ctx: Ctx, text: string, path: string): Promise<void> {
  if (!text.trim()) return
  const verdict = await ctx.contentCheck.text(text, ctx.openid || undefined)
  if (verdict !== 'pass') {
    throw new AppError('CONTENT_REJECTED', '内容含有不当信息，请修改后再提交', [{ path, message: '内容未通过安全检查，请修改' }])
  }
}

/**
 * The caller's photos for a record (`home`: where it will be written): uploaded by them, and through
 * the media check. A verdict known now is kept with each photo; a pending one keeps its trace id,
 * registered with `home` before the record is written, so the verdict's push finds the photo
 * (handlers/common/media.ts; several homes: the record and a copy of it kept elsewhere). Readers show photos only through `photoViews`.
 */
export async function checkedPhotos(ctx: Ctx, photos: string[], home: PhotoHome | PhotoHome[]): Promise<PhotoDoc[]> {
  if (photos.length === 0) return []
  const owned = await Promise.all(photos.map((f) => ctx.storage.ownedBy(f, ctx.openid)))
  if (owned.some((o) => !o)) throw new AppError('INVALID_INPUT', '照片上传未完成或已失效，请重新上传', [{ path: 'photos', message: '请重新上传照片' }])
  const checks = await Promise.all(photos.map((f) => ctx.contentCheck.media(f, ctx.openid)))
  if (checks.some((c) => c.verdict === 'reject')) throw new AppError('CONTENT_REJECTED', '有照片未通过安全检查，请更换后再提交', [{ path: 'photos', message: '照片未通过安全检查' }])
  const docs = photos.map((fileId, i): PhotoDoc => {
    const c = checks[i]
    if (c.verdict === 'pending' && !c.traceId) throw new Error('a pending media check without a trace id')
    return { fileId, check: c.verdict, by: ctx.openid, ...(c.verdict === 'pending' ? { traceId: c.traceId } : {}) }
  })
  await recordPendingChecks(ctx, docs, home)
  return docs
}
