/**
 * The 工作台 badge's action of cloud function `work` (its whole contract is ./work.ts), in a file of
 * its own: the main package's tab pages import only this — a few hundred bytes — to show the
 * number on the 我的 tab, never the summary's schemas.
 */
import { z } from '../z'
import { action, defineFunction, type Role } from './define'

/** Who has a 工作台: grid workers, community staff and admins, the street. */
export const WORK_ROLES: readonly Role[] = ['grid_worker', 'staff', 'admin', 'street']

export const BadgeOut = z.object({
  /** Everything waiting for the caller (the overdue included). */
  total: z.number(),
  overdue: z.number(),
  /** When the server counted them (ms since epoch): a client keeps the newest count it has seen. */
  countedAt: z.number(),
})
export type BadgeOutT = z.infer<typeof BadgeOut>

export const badgeAction = action({
  read: true,
  summary: '工作台角标：待办总数与超期数（只数不列）',
  access: WORK_ROLES,
  input: z.strictObject({}),
  output: BadgeOut,
})

/** The badge alone, for the main package (same function, same action as `workApi.badge`). */
export const workBadgeApi = defineFunction('work', { badge: badgeAction })
