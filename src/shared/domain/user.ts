/** People and places (居民、社区、小区、楼栋、单元、网格). */
import { z } from '../z'
import { ROLES, type Role } from '../api/define'

export const PlaceKindSchema = z.enum(['street', 'community', 'estate', 'building', 'unit'])
export type PlaceKind = z.infer<typeof PlaceKindSchema>
export const PLACE_KIND_LABELS: Record<PlaceKind, string> = {
  street: '街道',
  community: '社区',
  estate: '小区',
  building: '楼栋',
  unit: '单元',
}

/** A place in the street → community → estate → building → unit tree (collection `places`). */
export interface PlaceDoc {
  _id: string
  kind: PlaceKind
  name: string
  parentId: string | null
  streetId: string
  communityId: string | null
  estateId?: string
  buildingId?: string
  /** Buildings (and their units) belong to one grid (网格). */
  gridId?: string
  /** Estates are served by one property company (物业公司). */
  propertyCompanyId?: string
  order: number
}

/** A grid (网格): a set of buildings looked after by grid workers (collection `grids`). */
export interface GridDoc {
  _id: string
  communityId: string
  name: string
  /** openids of the grid workers / mediators of this grid. */
  workerIds: string[]
}

export interface Address {
  streetId: string
  communityId: string
  estateId: string
  buildingId: string
  unitId: string
  room: string
  gridId: string | null
}

/** A person (collection `users`, `_id` = OPENID). */
export interface UserDoc {
  _id: string
  name?: string
  phone?: string
  roles: Role[]
  /** Address confirmed by staff, a grid worker, or a grid worker's invitation code. */
  verified: boolean
  verifiedBy?: string
  verifiedAt?: Date
  address: Address
  /** Household key: one household may have several residents (户). */
  householdId: string
  /** The household's place in 网格户籍's order, written with the address (rules/grid.ts rosterKey); absent on records written before it was kept. */
  rosterKey?: string
  /** Grids a grid worker / mediator looks after. */
  gridIds: string[]
  /** 在职党员: the employer unit they reported from (报到单位). */
  partyUnit?: string
  /** 物业联系人 (role `property`): the property company they speak for. */
  companyId?: string | null
  /** 职能部门 contact (role `department`): the department they act for. */
  departmentId?: string | null
  createdAt: Date
  updatedAt: Date
  version: number
  /** Effects of a change still to settle (cloudfunctions/src/handlers/common/effects.ts). */
  effects?: Record<string, unknown[]>
  effectsDue?: Date
}

export const RoleSchema = z.enum(ROLES)

export const RoomSchema = z.string().check(
  z.trim(),
  z.minLength(1, '请填写门牌号'),
  z.maxLength(10, '门牌号最多 10 个字'),
  z.regex(/^[0-9A-Za-z-]+$/, '门牌号只能包含数字、字母和短横线，例如 1203'),
)

export const PlaceOutSchema = z.object({
  id: z.string(),
  kind: PlaceKindSchema,
  name: z.string(),
})
export type PlaceOut = z.infer<typeof PlaceOutSchema>

export const AddressOutSchema = z.object({
  street: PlaceOutSchema,
  community: PlaceOutSchema,
  estate: PlaceOutSchema,
  building: PlaceOutSchema,
  unit: PlaceOutSchema,
  room: z.string(),
  gridName: z.nullable(z.string()),
  text: z.string(),
})
export type AddressOut = z.infer<typeof AddressOutSchema>

export const ProfileSchema = z.object({
  openid: z.string(),
  name: z.nullable(z.string()),
  phoneMasked: z.nullable(z.string()),
  roles: z.array(RoleSchema),
  verified: z.boolean(),
  address: AddressOutSchema,
  gridIds: z.array(z.string()),
  partyUnit: z.nullable(z.string()),
})
export type Profile = z.infer<typeof ProfileSchema>

export function hasRole(user: Pick<UserDoc, 'roles'> | null | undefined, ...roles: Role[]): boolean {
  return !!user && user.roles.some((r) => roles.includes(r))
}

export function isStaff(user: Pick<UserDoc, 'roles'> | null | undefined): boolean {
  return hasRole(user, 'staff', 'admin')
}
