/**
 * me / onboard / updateProfile: a person's own record. An address is shown from the instance's
 * place tree and grid names (common/places.ts: no request once seen); onboarding writes the
 * record, the invitation code's use and the grids' worker lists it changes in one transaction.
 */
import { AppError } from '../../../../src/shared/errors'
import type { Profile, UserDoc } from '../../../../src/shared/domain/user'
import { maskPhone } from '../../../../src/shared/ids'
import { rosterKey } from '../../../../src/shared/rules/grid'
import type { userApi } from '../../../../src/shared/api/user'
import type { HandlersOf } from '../../runtime/serve'
import type { Ctx } from '../../runtime/context'
import { DB_DUPLICATE_KEY, isDbError } from '../../platform/db'
import { addressIds, addressOut, gridNames, knownPlaces } from '../common/places'
import { requireCleanText } from '../common/content'
import { getOrNull, txGetOrNull } from '../common/docs'
import { redeemIn, type InviteDoc } from './invites'
import { gridListWrites, userWrite } from './residents'

type H = HandlersOf<typeof userApi>

export async function toProfile(ctx: Ctx, user: UserDoc): Promise<Profile> {
  const [places, grids] = await Promise.all([knownPlaces(ctx, addressIds(user.address)), gridNames(ctx, user.address.gridId ? [user.address.gridId] : [])])
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

const sameAddress = (a: UserDoc['address'], b: UserDoc['address']) => JSON.stringify(a) === JSON.stringify(b)

export const onboard: H['onboard'] = async (input, ctx) => {
  const places = await knownPlaces(ctx, [input.communityId, input.estateId, input.buildingId, input.unitId])
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
  // 网格户籍's order of the household, from the places just read (rules/grid.ts).
  const roster = rosterKey({ estate, building, unit }, address)
  const prev = ctx.user
  // A retry of an onboarding that was done (its answer lost): the record says so.
  if (prev && ctx.retry && sameAddress(prev.address, address)) return toProfile(ctx, prev)
  const alreadyVerifiedHere = !!prev?.verified && sameAddress(prev.address, address)
  const code = input.inviteCode && !alreadyVerifiedHere ? input.inviteCode : null

  if (!prev) {
    const doc: UserDoc = {
      _id: ctx.openid,
      ...(input.name ? { name: input.name } : {}),
      ...(phone ? { phone } : {}),
      roles: ['resident'],
      verified: false,
      address,
      householdId: `${address.unitId}:${address.room}`,
      rosterKey: roster,
      gridIds: [],
      createdAt: now,
      updatedAt: now,
      version: 1,
    }
    try {
      if (code) {
        // The code's use and the verified record in one transaction: a failure leaves neither.
        await ctx.db.runTransaction(async (tx) => {
          const invite = await txGetOrNull<InviteDoc>(tx, 'invites', code)
          const redeem = redeemIn(ctx, invite, code, address.gridId)
          Object.assign(doc, { verified: true, verifiedBy: redeem.by, verifiedAt: now })
          await Promise.all([redeem.write(tx), tx.collection('users').add({ data: doc as unknown as Record<string, unknown> })])
        })
      } else {
        await ctx.db.collection('users').add({ data: doc as unknown as Record<string, unknown> })
      }
    } catch (e) {
      if (!isDbError(e, DB_DUPLICATE_KEY)) throw e
      // Onboarded a moment ago by this very request (a parallel retry): answer as it did.
      const now = await getOrNull<UserDoc>(ctx, 'users', ctx.openid)
      if (now && sameAddress(now.address, address)) return toProfile(ctx, now)
      throw new AppError('CONFLICT', '您已完成入驻，请刷新页面')
    }
    return toProfile(ctx, doc)
  }

  // Moving house: the new address must be verified again (unless an invitation code verified it).
  const moved = !sameAddress(prev.address, address)
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
    rosterKey: roster,
    roles,
    gridIds,
    verified: !moved && prev.verified,
    updatedAt: now,
    version: prev.version + 1,
  }
  const fields = {
    ...(input.name ? { name: input.name } : {}),
    ...(phone ? { phone } : {}),
    address: ctx._.set(address),
    householdId: next.householdId,
    rosterKey: roster,
    roles: ctx._.set(roles),
    gridIds: ctx._.set(gridIds),
    verified: next.verified,
    updatedAt: now,
  }
  // Leaving the community takes the person off its grids' worker lists, in the same transaction.
  const lists = gridListWrites(prev._id, prev.gridIds, gridIds)
  if (!code && lists.length === 0) {
    const res = await ctx.db
      .collection('users')
      .where({ _id: prev._id, version: prev.version })
      .update({ data: { ...fields, version: next.version } })
    if (res.stats.updated !== 1) throw new AppError('CONFLICT')
    return toProfile(ctx, next)
  }
  await ctx.db.runTransaction(async (tx) => {
    const [invite, stored] = await Promise.all([code ? txGetOrNull<InviteDoc>(tx, 'invites', code) : null, txGetOrNull<UserDoc>(tx, 'users', prev._id)])
    if (stored?.version !== prev.version) throw new AppError('CONFLICT')
    const redeem = code ? redeemIn(ctx, invite, code, address.gridId) : null
    if (redeem) Object.assign(next, { verified: true, verifiedBy: redeem.by, verifiedAt: now })
    const data = redeem ? { ...fields, verified: true, verifiedBy: redeem.by, verifiedAt: now } : fields
    await Promise.all([redeem?.write(tx), userWrite(tx, prev, data), ...lists.map((w) => w(tx, ctx))])
  })
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
