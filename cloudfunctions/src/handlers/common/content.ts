/** Content safety: every user-written text passes the platform's check before anyone else sees it. */
import { AppError } from '../../../../src/shared/errors'
import type { Ctx } from '../../runtime/context'
import type { MediaVerdict } from '../../platform/port'

export async function requireCleanText(ctx: Ctx, text: string, path: string): Promise<void> {
  if (!text.trim()) return
  const verdict = await ctx.contentCheck.text(text, ctx.openid || undefined)
  if (verdict !== 'pass') {
    throw new AppError('CONTENT_REJECTED', '内容含有不当信息，请修改后再提交', [{ path, message: '内容未通过安全检查，请修改' }])
  }
}

/** The caller's photos for a post: uploaded by them, and through the media check (the verdict is kept with each). */
export async function checkedPhotos(ctx: Ctx, photos: string[]): Promise<Array<{ fileId: string; check: MediaVerdict }>> {
  const owned = await Promise.all(photos.map((f) => ctx.storage.ownedBy(f, ctx.openid)))
  if (owned.some((o) => !o)) throw new AppError('INVALID_INPUT', '照片上传未完成或已失效，请重新上传', [{ path: 'photos', message: '请重新上传照片' }])
  const checks = await Promise.all(photos.map((f) => ctx.contentCheck.media(f, ctx.openid)))
  if (checks.includes('reject')) throw new AppError('CONTENT_REJECTED', '有照片未通过安全检查，请更换后再提交', [{ path: 'photos', message: '照片未通过安全检查' }])
  return photos.map((fileId, i) => ({ fileId, check: checks[i] }))
}
