/**
 * 网格化管理, the server side's shared parts: departments (职能部门, per street), the community's
 * grid settings (visit plans, the 网格事项清单), households' care tags and visits.
 *
 * - `departments`: registered per street; a contact is a person with role `department` and
 *   `departmentId` on their own record (one write, as 物业 contacts).
 * - `households`: one document per household (`_id` = householdId) holding its care tags and
 *   its visit state (`lastVisitAt`, `nextDueAt`, indexed per grid): the due list is one query. It
 *   also keeps its latest visits (`recent`), so a household's page needs no second lookup.
 * - `visits`: append-only; a visit, its household's visit state (with `recent`) and the month's
 *   figures are written in one transaction.
 */
import { storedSettings } from '../common/settings'
import { AppError } from '../../../../src/shared/errors'
import { gridSettingsWithDefaults, type CareTag, type GridSettings } from '../../../../src/shared/rules/grid'
import { hasRole, isStaff, type UserDoc } from '../../../../src/shared/domain/user'
import type { Ctx } from '../../runtime/context'
import { getOrNull } from '../common/docs'
import type { WithEffects } from '../common/effects'
import type { PhotoDoc } from '../common/media'

export const DEPARTMENTS = 'departments'
export const GRID_SETTINGS = 'grid_settings'
export const HOUSEHOLDS = 'households'
export const VISITS = 'visits'
export const GRID_STATS = 'grid_stats'

export interface DepartmentDoc {
  _id: string
  streetId: string
  name: string
  kind: string
  phone?: string | null
  version: number
  createdAt: Date
}

export interface TagDoc {
  tag: CareTag
  reason: string
  by: string
  byName: string
  at: Date
}

export interface HouseholdDoc {
  _id: string
  communityId: string
  gridId: string | null
  buildingId: string
  unitId: string
  room: string
  /** Its place in 网格户籍's order (its residents' `rosterKey`), written with each tag or visit; absent on documents written before it was kept. */
  rosterKey?: string | null
  tags: TagDoc[]
  lastVisitAt: Date | null
  /** When the next visit is due (null: no tags, no plan); indexed with gridId. */
  nextDueAt: Date | null
  /** The due date the job last reminded about (so it reminds once per due date). */
  remindedFor: Date | null
  /** Has a care tag (indexed, for counting). */
  tagged?: boolean
  /** The job told the grid about the current due date (reset by every visit or tag change). */
  reminded?: boolean
  /**
   * The latest visits, newest first (at most RECENT_VISITS), written with each visit: the
   * household's page reads them here. Absent on documents written before it was kept.
   */
  recent?: RecentVisit[]
  version: number
  updatedAt: Date
}

/** How many of a household's latest visits its document keeps (the page shows these). */
export const RECENT_VISITS = 20

/** A visit as the household's document keeps it (the visit record minus what the page never shows). */
export type RecentVisit = Pick<VisitDoc, 'at' | 'found' | 'photos' | 'followUp' | 'followUpNote' | 'onTime' | 'by' | 'byName'> & { id: string }

export interface VisitDoc extends WithEffects {
  _id: string
  householdId: string
  communityId: string
  gridId: string | null
  at: Date
  found: string
  photos: PhotoDoc[]
  followUp: boolean
  followUpNote: string | null
  /** The visit was at or before the household's due date (按期走访), when it had one. */
  onTime: boolean | null
  by: string
  byName: string
  createdAt: Date
}

export { getOrNull }

export async function gridSettings(ctx: Ctx, communityId: string): Promise<GridSettings> {
  return gridSettingsWithDefaults(await storedSettings<GridSettings>(ctx, GRID_SETTINGS, communityId))
}

export async function loadDepartment(ctx: Ctx, id: string, streetId: string): Promise<DepartmentDoc> {
  const d = await getOrNull<DepartmentDoc>(ctx, DEPARTMENTS, id)
  if (!d || d.streetId !== streetId) throw new AppError('INVALID_INPUT', '请选择本街道登记的职能部门', [{ path: 'departmentId', message: '请选择本街道的职能部门' }])
  return d
}

/** The contacts of a department: who is told when a report is routed to it. */
export async function departmentContacts(ctx: Ctx, departmentId: string): Promise<Array<{ openid: string; name: string }>> {
  return (await contactsOfDepartments(ctx, [departmentId])).get(departmentId) ?? []
}

/** The contacts of several departments in one query (users with role `department` and one of their ids). */
export async function contactsOfDepartments(ctx: Ctx, ids: string[]): Promise<Map<string, Array<{ openid: string; name: string }>>> {
  const out = new Map<string, Array<{ openid: string; name: string }>>()
  if (ids.length === 0) return out
  const res = await ctx.db
    .collection<UserDoc>('users')
    .where({ departmentId: ctx._.in(ids), roles: 'department' })
    .field({ _id: true, name: true, departmentId: true })
    .limit(Math.min(1000, ids.length * 20))
    .get()
  for (const u of res.data) if (u.departmentId) out.set(u.departmentId, [...(out.get(u.departmentId) ?? []), { openid: u._id, name: u.name ?? '联系人' }])
  return out
}

/**
 * Who may see a grid's households, tags and visits: its grid workers, and the community's staff
 * and admins. Nobody else (a resident, a volunteer, another grid's worker, the street).
 */
export function seesGrid(user: UserDoc | null, communityId: string, gridId: string | null): boolean {
  if (!user || user.address.communityId !== communityId) return false
  if (isStaff(user)) return true
  return hasRole(user, 'grid_worker') && !!gridId && user.gridIds.includes(gridId)
}
