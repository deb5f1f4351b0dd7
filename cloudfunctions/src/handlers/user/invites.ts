/** Invitation codes (邀请码): a grid worker hands one to households of their grid to verify an address. */
import { randomInt } from 'node:crypto'
import { AppError } from '../../../../src/shared/errors'
import { addDays, businessDate } from '../../../../src/shared/time'
import type { userApi } from '../../../../src/shared/api/user'
import type { HandlersOf } from '../../runtime/serve'
import type { Ctx } from '../../runtime/context'
import { DB_DUPLICATE_KEY, DB_NOT_FOUND, isDbError } from '../../platform/db'
import { gridsById } from '../common/places'

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
 * Consume one use of a code valid for `gridId`; returns who issued it. Atomic under concurrency.
 * The redeemer is recorded in the same write as the count, so a person whose onboarding was cut
 * short after this (a crash before the user record was written) is not charged a second use when
 * they try again: `uses` always equals the number of people who redeemed it.
 */
export async function redeemInvite(ctx: Ctx, code: string, gridId: string | null): Promise<string> {
  const bad = (message: string): never => {
    throw new AppError('INVALID_INPUT', message, [{ path: 'inviteCode', message }])
  }
  let invite: InviteDoc
  try {
    invite = (await ctx.db.collection<InviteDoc>('invites').doc(code).get()).data
  } catch (e) {
    if (isDbError(e, DB_NOT_FOUND)) return bad('邀请码不存在，请核对后重新输入')
    throw e
  }
  if (invite.gridId !== gridId) bad('该邀请码不属于您所在的网格，请向本楼网格员索取')
  if (invite.expiresAt.getTime() < ctx.clock.now().getTime()) bad('邀请码已过期，请向网格员重新索取')
  if (invite.redeemedBy?.includes(ctx.openid)) return invite.createdBy
  const res = await ctx.db
    .collection('invites')
    .where({ _id: code, uses: ctx._.lt(invite.maxUses), redeemedBy: ctx._.nin([ctx.openid]) })
    .update({ data: { uses: ctx._.inc(1), redeemedBy: ctx._.addToSet(ctx.openid) } })
  if (res.stats.updated !== 1) {
    // Redeemed by this very person a moment ago (a parallel retry) counts as theirs.
    const again = (await ctx.db.collection<InviteDoc>('invites').doc(code).get()).data
    if (again.redeemedBy?.includes(ctx.openid)) return invite.createdBy
    bad('邀请码使用次数已满，请向网格员重新索取')
  }
  return invite.createdBy
}

type H = HandlersOf<typeof userApi>

export const createInvite: H['createInvite'] = async (input, ctx) => {
  const user = ctx.user!
  if (!user.gridIds.includes(input.gridId)) throw new AppError('FORBIDDEN', '您不是该网格的网格员')
  const grid = (await gridsById(ctx, [input.gridId])).get(input.gridId)
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
