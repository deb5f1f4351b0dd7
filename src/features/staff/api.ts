/** 工作台: resident verification, roles and invitation codes — plain functions over the gateway. */
import type { ListPage } from '@/components/usePagedList'
import { call } from '@/services/gateway'
import type { Role } from '@/shared/api/define'
import { userApi, type ResidentItemT } from '@/shared/api/user'

export type Resident = ResidentItemT
export type ResidentFilter = 'all' | 'unverified'

export function fetchResidentsPage(filter: ResidentFilter, cursor: string | undefined): Promise<ListPage<Resident, string>> {
  return call(
    userApi,
    'residents',
    { ...(cursor ? { cursor } : {}), onlyUnverified: filter === 'unverified' },
    { toast: false },
  )
}

/** 认证住址. Errors toast: it is a tap on a row, not a form. */
export function verifyResident(openid: string): Promise<Resident> {
  return call(userApi, 'verify', { openid })
}

/**
 * Sets a person's roles. `gridIds` only when chosen: without it the server keeps the person's
 * current grids (and clears them when 网格员 is removed). The editor starts from the person's
 * current grids (`Resident.gridIds`) and sends the whole set.
 */
export function saveResidentRoles(openid: string, roles: Role[], gridIds?: string[]): Promise<Resident> {
  return call(userApi, 'setRoles', gridIds && gridIds.length > 0 ? { openid, roles, gridIds } : { openid, roles })
}

export interface Grid {
  id: string
  name: string
  workerCount: number
  /** The caller looks after this grid. */
  mine: boolean
}

/** The grids of my community (staff: for 网格员 assignment; grid workers: theirs are `mine`). */
export async function loadGrids(): Promise<Grid[]> {
  const res = await call(userApi, 'grids', {}, { toast: false })
  return res.items
}

/** Roles a staff member may grant (server: STAFF_GRANTABLE / ADMIN_GRANTABLE); 居民 is always kept. */
export function grantableRoles(myRoles: readonly Role[]): Role[] {
  const staff: Role[] = ['volunteer', 'party_member', 'grid_worker']
  if (myRoles.includes('admin')) return [...staff, 'staff', 'admin']
  if (myRoles.includes('staff')) return staff
  return []
}

export interface Invite {
  code: string
  expiresAt: string
  gridName: string
}

export function createInvite(gridId: string): Promise<Invite> {
  return call(userApi, 'createInvite', { gridId }, { toast: false })
}
