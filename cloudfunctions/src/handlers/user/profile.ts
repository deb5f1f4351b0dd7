/** me / onboard / updateProfile: a person's own record. */
import { AppError } from '../../../../src/shared/errors'
import type { Profile, UserDoc } from '../../../../src/shared/domain/user'
import { maskPhone } from '../../../../src/shared/ids'
import type { userApi } from '../../../../src/shared/api/user'
import type { HandlersOf } from '../../runtime/serve'
import type { Ctx } from '../../runtime/context'
import { DB_DUPLICATE_KEY, isDbError } from '../../platform/db'
import { addressIds, addressOut, gridsById, placesById } from '../common/places'
import { requireCleanText } from '../common/content'
import { redeemInvite } from './invites'
import { gridSync } from './residents'
import { effectKey, pendingFields, settleNow } from '../common/effects'

type H = HandlersOf<typeof userApi>

export async function toProfile(ctx: Ctx, user: UserDoc): Promise<Profile> {
  const [places, grids] = await Promise.all([
    placesById(ctx, addressIds(user.address)),
    gridsById(ctx, user.address.gridId ? [user.address.gridId] : []),
  ])
  return {
    openid: user._id,
    name: user.name ?? null,
    phoneMasked: maskPhone(user.phone) ?? null,
    roles: user.roles,
    verified: user.verified,
    address: addressOut(user.address, places, grids),
    gridIds: user.gridIds,
    partyUnit: user.partyUnit ?? null,
  }
}

export const me: H['me'] = async (_input, ctx) => ({
  openid: ctx.openid,
  profile: ctx.user ? await toProfile(ctx, ctx.user) : null,
})

async function resolvePhone(ctx: Ctx, phone?: string, phoneCode?: string): Promise<string | undefined> {
  if (phoneCode) {
    try {
      return await ctx.phone.exchange(phoneCode)
    } catch (e) {
      ctx.log.warn('phone exchange failed', { error: String(e) })
      throw new AppError('INVALID_INPUT', '获取微信手机号失败，请重试或手动填写', [{ path: 'phone', message: '获取手机号失败' }])
    }
  }
  return phone
}

export const onboard: H['onboard'] = async (input, ctx) => {
  const places = await placesById(ctx, [input.communityId, input.estateId, input.buildingId, input.unitId])
  const community = places.get(input.communityId)
  const estate = places.get(input.estateId)
  const building = places.get(input.buildingId)
  const unit = places.get(input.unitId)
  const bad = (path: string, message: string): never => {
    throw new AppError('INVALID_INPUT', message, [{ path, message }])
  }
  if (!community || community.kind !== 'community') bad('communityId', '没有找到这个社区，请重新选择')
  if (!estate || estate.kind !== 'estate' || estate.parentId !== input.communityId) bad('estateId', '所选小区不属于该社区，请重新选择')
  if (!building || building.kind !== 'building' || building.parentId !== input.estateId) bad('buildingId', '所选楼栋不在该小区内，请重新选择')
  if (!unit || unit.kind !== 'unit' || unit.parentId !== input.buildingId) bad('unitId', '所选单元不在该楼栋内，请重新选择')
  if (input.name) await requireCleanText(ctx, input.name, 'name')
  const phone = await resolvePhone(ctx, input.phone, input.phoneCode)

  const now = ctx.clock.now()
  const address = {
    streetId: community!.streetId,
    communityId: community!._id,
    estateId: estate!._id,
    buildingId: building!._id,
    unitId: unit!._id,
    room: input.room,
    gridId: building!.gridId ?? null,
  }
  let verified = false
  let verifiedBy: string | undefined
  const alreadyVerifiedHere = !!ctx.user?.verified && JSON.stringify(ctx.user.address) === JSON.stringify(address)
  if (input.inviteCode && !alreadyVerifiedHere) {
    verifiedBy = await redeemInvite(ctx, input.inviteCode, address.gridId)
    verified = true
  }

  const prev = ctx.user
  if (!prev) {
    const doc: UserDoc = {
      _id: ctx.openid,
      ...(input.name ? { name: input.name } : {}),
      ...(phone ? { phone } : {}),
      roles: ['resident'],
      verified,
      ...(verified ? { verifiedBy, verifiedAt: now } : {}),
      address,
      householdId: `${address.unitId}:${address.room}`,
      gridIds: [],
      createdAt: now,
      updatedAt: now,
      version: 1,
    }
    try {
      await ctx.db.collection('users').add({ data: doc as unknown as Record<string, unknown> })
    } catch (e) {
      if (isDbError(e, DB_DUPLICATE_KEY)) throw new AppError('CONFLICT', '您已完成入驻，请刷新页面')
      throw e
    }
    return toProfile(ctx, doc)
  }

  // Moving house: the new address must be verified again (unless an invitation code verified it).
  const moved = JSON.stringify(prev.address) !== JSON.stringify(address)
  // Moving to another community (or street) ends every role that belongs to the old one:
  // staff, admin, street and grid assignments are granted per community, never carried along.
  const leftCommunity = prev.address.communityId !== address.communityId || prev.address.streetId !== address.streetId
  const roles: UserDoc['roles'] = leftCommunity ? prev.roles.filter((r) => r === 'resident' || r === 'volunteer') : prev.roles
  if (!roles.includes('resident')) roles.unshift('resident')
  const gridIds = leftCommunity ? [] : prev.gridIds
  const next: UserDoc = {
    ...prev,
    ...(input.name ? { name: input.name } : {}),
    ...(phone ? { phone } : {}),
    address,
    householdId: `${address.unitId}:${address.room}`,
    roles,
    gridIds,
    verified: verified || (!moved && prev.verified),
    updatedAt: now,
    version: prev.version + 1,
  }
  if (verified) Object.assign(next, { verifiedBy, verifiedAt: now })
  const { _id, effects: _e, effectsDue: _d, ...rest } = next
  void _e
  void _d
  // Leaving the community takes the person off its grids' worker lists: an effect of this write.
  const effects = leftCommunity ? gridSync(_id, prev.gridIds, []) : []
  const res = await ctx.db
    .collection('users')
    .where({ _id, version: prev.version })
    .update({
      data: { ...rest, address: ctx._.set(address), roles: ctx._.set(roles), gridIds: ctx._.set(gridIds), ...pendingFields(ctx, effectKey(next.version), effects, prev.effectsDue) },
    })
  if (res.stats.updated !== 1) throw new AppError('CONFLICT')
  await settleNow(ctx, 'users', _id, effectKey(next.version), effects)
  return toProfile(ctx, next)
}

export const updateProfile: H['updateProfile'] = async (input, ctx) => {
  const user = ctx.user!
  if (input.name) await requireCleanText(ctx, input.name, 'name')
  if (input.partyUnit) await requireCleanText(ctx, input.partyUnit, 'partyUnit')
  const phone = await resolvePhone(ctx, input.phone, input.phoneCode)
  const patch: Partial<UserDoc> = {
    ...(input.name ? { name: input.name } : {}),
    ...(phone ? { phone } : {}),
    ...(input.partyUnit ? { partyUnit: input.partyUnit } : {}),
  }
  // Registering an employer unit (双报到) records it; staff confirm the person as 在职党员 (role
  // party_member) in 居民认证 — a role opens organisation-only rooms, so it is never self-granted.
  const roles = user.roles
  const now = ctx.clock.now()
  const res = await ctx.db
    .collection('users')
    .where({ _id: user._id, version: user.version })
    .update({ data: { ...patch, roles: ctx._.set(roles), updatedAt: now, version: user.version + 1 } })
  if (res.stats.updated !== 1) throw new AppError('CONFLICT')
  return toProfile(ctx, { ...user, ...patch, roles, updatedAt: now, version: user.version + 1 })
}
