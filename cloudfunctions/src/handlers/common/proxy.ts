/**
 * 代办 (issue 14): who may act for whom. A grid worker for a resident of one of their grids, staff
 * (and admins) for a resident of their community — roles and grids from the database (the caller's
 * record, the resident's record), never from the payload; everyone else is refused (FORBIDDEN,
 * without saying whether the person exists). The record then belongs to the resident and carries
 * `proxy`: who submitted it and how the resident agreed.
 */
import { AppError } from '../../../../src/shared/errors'
import { hasRole, isStaff, type UserDoc } from '../../../../src/shared/domain/user'
import type { OnBehalfInputT, ProxyDoc } from '../../../../src/shared/domain/proxy'
import type { Ctx } from '../../runtime/context'
import { getOrNull } from './docs'

const REFUSED = '只能为本网格（社区工作人员：本社区）已入驻的居民代办'

export async function actingFor(ctx: Ctx, on: OnBehalfInputT): Promise<{ owner: UserDoc; proxy: ProxyDoc }> {
  const caller = ctx.user!
  if (!hasRole(caller, 'grid_worker', 'staff', 'admin')) throw new AppError('FORBIDDEN', '只有网格员和社区工作人员可以代办')
  if (on.openid === caller._id) throw new AppError('INVALID_INPUT', '为自己办理无需代办', [{ path: 'onBehalfOf.openid', message: '请选择要代办的居民' }])
  const owner = await getOrNull<UserDoc>(ctx, 'users', on.openid)
  if (!owner || owner.address.communityId !== caller.address.communityId) throw new AppError('FORBIDDEN', REFUSED)
  const staff = isStaff(caller)
  if (!staff && !(owner.address.gridId && caller.gridIds.includes(owner.address.gridId))) throw new AppError('FORBIDDEN', REFUSED)
  return {
    owner,
    proxy: { by: caller._id, byName: caller.name ?? (staff ? '社区工作人员' : '网格员'), byRole: staff ? '社区工作人员' : '网格员', how: on.how, at: ctx.clock.now() },
  }
}
