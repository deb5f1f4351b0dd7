/** Display helpers for people: role tags, who may see the workbench. */
import { ROLE_LABELS, type Role } from '@/shared/api/define'

/** Role labels in a stable, meaningful order; 居民 first. */
const ROLE_ORDER: Role[] = ['resident', 'volunteer', 'party_member', 'grid_worker', 'staff', 'admin', 'street', 'property', 'department']

export function roleLabels(roles: readonly Role[]): string[] {
  return ROLE_ORDER.filter((r) => roles.includes(r)).map((r) => ROLE_LABELS[r])
}

export function isStaffRole(roles: readonly Role[]): boolean {
  return roles.includes('staff') || roles.includes('admin')
}

/** 工作台: staff, admin and grid workers verify residents. */
export function hasWorkbench(roles: readonly Role[]): boolean {
  return isStaffRole(roles) || roles.includes('grid_worker')
}

/** The character in the avatar circle: the surname, else 居. */
export function avatarGlyph(name: string | null | undefined): string {
  return name?.trim().charAt(0) || '居'
}

/** Shown wherever an unverified address is. */
export const VERIFY_HINT = '请联系网格员认证或输入邀请码'
