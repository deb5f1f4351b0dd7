/** Staff and grid workers: the resident list, address verification and roles. */
import { AppError } from '../../../../src/shared/errors'
import type { Role } from '../../../../src/shared/api/define'
import type { ResidentItemT, userApi } from '../../../../src/shared/api/user'
import { hasRole, isStaff, type UserDoc } from '../../../../src/shared/domain/user'
import { maskPhone } from '../../../../src/shared/ids'
import type { HandlersOf } from '../../runtime/serve'
import type { Ctx } from '../../runtime/context'
import { DB_NOT_FOUND, isDbError, type DocData, type Transaction } from '../../platform/db'
import { addressIds, addressOut, gridNames, knownPlaces } from '../common/places'
import { pageArgs, pageResult } from '../common/paging'
import { txGetOrNull } from '../common/docs'

type H = HandlersOf<typeof userApi>

/** Items of a list: addresses from the instance's place tree and grid names (no request once seen). */
async function toItems(ctx: Ctx, users: UserDoc[]): Promise<ResidentItemT[]> {
  const [places, grids] = await Promise.all([knownPlaces(ctx, users.flatMap((u) => addressIds(u.address))), gridNames(ctx, users.map((u) => u.address.gridId ?? ''))])
  return users.map((u) => {
    const a = addressOut(u.address, places, grids)
    return {
      openid: u._id,
      name: u.name ?? null,
      phoneMasked: maskPhone(u.phone) ?? null,
      roles: u.roles,
      verified: u.verified,
      addressText: a.text,
      gridName: a.gridName,
      gridIds: u.gridIds,
    }
  })
}

/** The target person, if the caller may manage them: same community (staff), or one of the caller's grids (grid worker). */
async function managedUser(ctx: Ctx, openid: string): Promise<UserDoc> {
  const me = ctx.user!
  let target: UserDoc
  try {
    target = (await ctx.db.collection<UserDoc>('users').doc(openid).get()).data
  } catch (e) {
    if (isDbError(e, DB_NOT_FOUND)) throw new AppError('NOT_FOUND', '没有找到这位居民')
    throw e
  }
  const sameCommunity = target.address.communityId === me.address.communityId
  const inMyGrid = sameCommunity && !!target.address.gridId && me.gridIds.includes(target.address.gridId)
  if (!(isStaff(me) && sameCommunity) && !(hasRole(me, 'grid_worker') && inMyGrid)) throw new AppError('NOT_FOUND', '没有找到这位居民')
  return target
}

export const residents: H['residents'] = async (input, ctx) => {
  const me = ctx.user!
  const scope = isStaff(me)
    ? { 'address.communityId': me.address.communityId }
    : { 'address.gridId': ctx._.in(me.gridIds) }
  const where = input.onlyUnverified ? { ...scope, verified: false } : scope
  const { skip, limit } = pageArgs(input)
  const res = await ctx.db.collection<UserDoc>('users').where(where).orderBy('createdAt', 'desc').skip(skip).limit(limit + 1).get()
  return pageResult(await toItems(ctx, res.data), input)
}

/** The community's staff and admins (for 转办 to a colleague): one indexed query. */
export const colleagues: H['colleagues'] = async (_input, ctx) => {
  const res = await ctx.db
    .collection<UserDoc>('users')
    .where({ 'address.communityId': ctx.user!.address.communityId, roles: ctx._.in(['staff', 'admin']) })
    .field({ _id: true, name: true, roles: true })
    .limit(100)
    .get()
  return { items: res.data.map((u) => ({ openid: u._id, name: u.name ?? '工作人员', roles: u.roles })) }
}

export const verify: H['verify'] = async (input, ctx) => {
  const target = await managedUser(ctx, input.openid)
  const now = ctx.clock.now()
  if (!target.verified) {
    // Compare-and-set: two workers verifying at once both succeed idempotently, nothing is lost.
    await ctx.db
      .collection('users')
      .where({ _id: target._id, verified: false, version: target.version })
      .update({ data: { verified: true, verifiedBy: ctx.openid, verifiedAt: now, updatedAt: now, version: ctx._.inc(1) } })
  }
  const [item] = await toItems(ctx, [{ ...target, verified: true }])
  return item
}

const STAFF_GRANTABLE: Role[] = ['resident', 'volunteer', 'party_member', 'grid_worker']
const ADMIN_GRANTABLE: Role[] = [...STAFF_GRANTABLE, 'staff', 'admin']

export const setRoles: H['setRoles'] = async (input, ctx) => {
  const me = ctx.user!
  const target = await managedUser(ctx, input.openid)
  if (!isStaff(me) || target.address.communityId !== me.address.communityId) throw new AppError('FORBIDDEN')
  const grantable = hasRole(me, 'admin') ? ADMIN_GRANTABLE : STAFF_GRANTABLE
  const requested = [...new Set<Role>(['resident', ...input.roles])]
  // Roles the caller may not grant must stay exactly as they are.
  const changed = [...new Set([...requested, ...target.roles])].filter((r) => requested.includes(r) !== target.roles.includes(r))
  const forbidden = changed.filter((r) => !grantable.includes(r))
  if (forbidden.length) throw new AppError('FORBIDDEN', '只有管理员可以设置工作人员或管理员角色')
  if (target._id === me._id && target.roles.includes('admin') && !requested.includes('admin')) {
    throw new AppError('PRECONDITION_FAILED', '不能取消自己的管理员角色，请由其他管理员操作')
  }
  let gridIds = target.gridIds
  if (input.gridIds) {
    // A grid's community is fixed: the instance's cache answers.
    const grids = await gridNames(ctx, input.gridIds)
    const foreign = input.gridIds.filter((id) => grids.get(id)?.communityId !== me.address.communityId)
    if (foreign.length) throw new AppError('INVALID_INPUT', '所选网格不属于本社区', [{ path: 'gridIds', message: '所选网格不属于本社区' }])
    gridIds = input.gridIds
  }
  if (!requested.includes('grid_worker')) gridIds = []
  // The grids' worker lists (which route cases) follow from this record: changed in the same
  // transaction, so they never disagree. Without a grid to change, one compare-and-set.
  const data = { roles: ctx._.set(requested), gridIds: ctx._.set(gridIds), updatedAt: ctx.clock.now() }
  const lists = gridListWrites(target._id, target.gridIds, gridIds)
  if (lists.length === 0) {
    const res = await ctx.db
      .collection('users')
      .where({ _id: target._id, version: target.version })
      .update({ data: { ...data, version: target.version + 1 } })
    if (res.stats.updated !== 1) throw new AppError('CONFLICT')
  } else {
    await ctx.db.runTransaction(async (tx) => {
      const stored = await txGetOrNull<UserDoc>(tx, 'users', target._id)
      if (stored?.version !== target.version) throw new AppError('CONFLICT')
      await Promise.all([userWrite(tx, target, data), ...lists.map((w) => w(tx, ctx))])
    })
  }
  const [item] = await toItems(ctx, [{ ...target, roles: requested, gridIds }])
  return item
}

/**
 * The writes that keep `grids.workerIds` (used to route cases) in step with a person's grids,
 * for a transaction that also writes the person's record: added to the grids they now hold,
 * taken off the ones they left.
 */
export function gridListWrites(openid: string, before: string[], after: string[]): Array<(tx: Transaction, ctx: Ctx) => Promise<unknown>> {
  const add = after.filter((g) => !before.includes(g))
  const drop = before.filter((g) => !after.includes(g))
  return [
    ...add.map((g) => (tx: Transaction, ctx: Ctx) => tx.collection('grids').doc(g).update({ data: { workerIds: ctx._.addToSet(openid) } })),
    ...drop.map((g) => (tx: Transaction, ctx: Ctx) => tx.collection('grids').doc(g).update({ data: { workerIds: ctx._.pull(openid) } })),
  ]
}

/** A person's record in a transaction, one version on from the one read (checked by the caller in the same transaction). */
export function userWrite(tx: Transaction, prev: Pick<UserDoc, '_id' | 'version'>, data: DocData): Promise<unknown> {
  return tx.collection('users').doc(prev._id).update({ data: { ...data, version: prev.version + 1 } })
}
