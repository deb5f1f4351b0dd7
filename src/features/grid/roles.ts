/**
 * Who sees which page of 网格化管理, by role. Types only: the main package's 办事 page uses it.
 */
import type { Role } from '@/shared/api/define'

type Roles = readonly Role[] | undefined | null
const has = (roles: Roles, ...want: Role[]) => !!roles && roles.some((r) => want.includes(r))

/** 网格工作 (my grids, households, visits, figures): grid workers, community staff, admins. */
export function isGridPerson(roles: Roles): boolean {
  return has(roles, 'grid_worker', 'staff', 'admin')
}

/** Files patrol reports (巡查上报): grid workers. */
export function canReport(roles: Roles): boolean {
  return has(roles, 'grid_worker')
}

/** Handles a queue of patrol reports: the community (分流转办), a department, the street (吹哨). */
export function seesEventQueue(roles: Roles): boolean {
  return has(roles, 'staff', 'admin', 'department', 'street')
}

/** 上报事项 on 办事 for those whose work is the queue itself (community staff reach it from 网格工作). */
export function hasEventEntry(roles: Roles): boolean {
  return has(roles, 'department', 'street')
}

/** Registers departments and their contacts: the street and admins. */
export function managesDepartments(roles: Roles): boolean {
  return has(roles, 'street', 'admin')
}

/** Changes the community's 网格设置 (走访周期, 网格事项清单, 办结时限): admins; staff and grid workers read them. */
export function managesGridSettings(roles: Roles): boolean {
  return has(roles, 'admin')
}

export function isCommunityStaff(roles: Roles): boolean {
  return has(roles, 'staff', 'admin')
}
