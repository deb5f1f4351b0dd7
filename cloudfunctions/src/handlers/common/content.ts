/** Content safety: every user-written text passes the platform's check before anyone else sees it. */
import { AppError } from '../../../../src/shared/errors'
import type { Ctx } from '../../runtime/context'

export async function requireCleanText(ctx: Ctx, text: string, path: string): Promise<void> {
  if (!text.trim()) return
  const verdict = await ctx.contentCheck.text(text, ctx.openid || undefined)
  if (verdict !== 'pass') {
    throw new AppError('CONTENT_REJECTED', '内容含有不当信息，请修改后再提交', [{ path, message: '内容未通过安全检查，请修改' }])
  }
}
