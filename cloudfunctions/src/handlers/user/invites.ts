/** Invitation codes (邀请码): a grid worker hands one to households of their grid to verify an address. */
import { randomInt } from 'node:crypto'
import { AppError } from '../../../../src/shared/errors'
import { addDays, businessDate } from '../../../../src/shared/time'
import type { userApi } from '../../../../src/shared/api/user'
import type { HandlersOf } from '../../runtime/serve'
import type { Ctx } from '../../runtime/context'
import { DB_DUPLICATE_KEY, isDbError, type Transaction } from '../../platform/db'
import { gridNames } from '../common/places'

export interface InviteDoc {
  _id: string
  gridId: string
  communityId: string
  createdBy: string
  expiresAt: Date
  uses: number
  maxUses: number
  /** Who redeemed it: each person consumes one use once, in the same write as the count. */
  redeemedBy?: string[]
  createdAt: Date
}

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789' // no 0/O, 1/I: easy to read aloud
const MAX_USES = 20
const VALID_DAYS = 7

/**
 * Consume one use of a code valid for `gridId`, inside the transaction that writes the person's
 * verified record (`invite` read in it): atomic under concurrency, and a person whose onboarding
 * failed is charged nothing — the use and the record commit together. The redeemer is recorded
 * with the count, so `uses` always equals the number of people who redeemed it; redeeming again
 * (a retry) uses nothing more.
 */
export function redeemIn(ctx: Ctx, invite: InviteDoc | null, code: string, gridId: string | null): { by: string; write(tx: Transaction): Promise<unknown> } {
  const bad = (message: string): never => {
    throw new AppError('INVALID_INPUT', message, [{ path: 'inviteCode', message }])
  }
  if (!invite) return bad('邀请码不存在，请核对后重新输入')
  if (invite.gridId !== gridId) bad('该邀请码不属于您所在的网格，请向本楼网格员索取')
  if (invite.expiresAt.getTime() < ctx.clock.now().getTime()) bad('邀请码已过期，请向网格员重新索取')
  if (invite.redeemedBy?.includes(ctx.openid)) return { by: invite.createdBy, write: async () => undefined }
  if (invite.uses >= invite.maxUses) bad('邀请码使用次数已满，请向网格员重新索取')
  return {
    by: invite.createdBy,
    write: (tx) => tx.collection('invites').doc(code).update({ data: { uses: ctx._.inc(1), redeemedBy: ctx._.addToSet(ctx.openid) } }),
  }
}

type H = HandlersOf<typeof userApi>

export const createInvite: H['createInvite'] = async (input, ctx) => {
  const user = ctx.user!
  if (!user.gridIds.includes(input.gridId)) throw new AppError('FORBIDDEN', '您不是该网格的网格员')
  // A grid's name and community (fixed: the instance's cache).
  const grid = (await gridNames(ctx, [input.gridId])).get(input.gridId)
  if (!grid) throw new AppError('NOT_FOUND', '没有找到该网格')
  const now = ctx.clock.now()
  // Valid until the end of the 7th day (Shanghai), so "7 天有效" means what a person expects.
  const expiresAt = new Date(`${addDays(businessDate(now), VALID_DAYS)}T23:59:59+08:00`)
  for (let attempt = 0; attempt < 5; attempt++) {
    const code = Array.from({ length: 6 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('')
    const doc: InviteDoc = {
      _id: code,
      gridId: grid._id,
      communityId: grid.communityId,
      createdBy: user._id,
      expiresAt,
      uses: 0,
      maxUses: MAX_USES,
      createdAt: now,
    }
    try {
      await ctx.db.collection('invites').add({ data: doc as unknown as Record<string, unknown> })
      return { code, expiresAt: expiresAt.toISOString(), gridName: grid.name }
    } catch (e) {
      if (!isDbError(e, DB_DUPLICATE_KEY)) throw e
    }
  }
  throw new AppError('INTERNAL')
}
