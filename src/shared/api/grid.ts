/**
 * Cloud function `grid`: 网格化管理 — the grid worker's own day (the rules: rules/grid.ts).
 *
 * - The roster of a grid's households (楼栋 → 单元 → 户, with the verified residents), care tags
 *   (独居老人, 高龄…) with a reason, seen only by the grid's workers and the community's staff.
 * - Visits (走访) with what was found, photos and follow-up; a visit plan per tag; the households
 *   due or overdue; reminders by the job.
 * - Departments (职能部门) per street and their contacts (role `department`), for 分流转办.
 * - Figures per grid and month. Patrol reports themselves are cases (`cases.report`, kind `event`).
 */
import { z, text, optionalText } from '../z'
import { action, defineFunction } from './define'
import { IdSchema, InstantOut, PageFields, PhotoOut, photosInput } from './common'
import { PhoneSchema } from '../ids'
import { CARE_TAGS, DEPARTMENT_KINDS, EVENT_TYPES } from '../rules/grid'

const Tag = z.enum(CARE_TAGS, { error: '请选择关爱类别' })
const GridId = z.string().check(z.minLength(1), z.maxLength(64))
const HouseholdId = z.string().check(z.minLength(1), z.maxLength(100))
const VisitStateOut = z.enum(['ok', 'due', 'overdue'])

export const HouseholdRow = z.object({
  id: z.string(),
  buildingName: z.string(),
  unitName: z.string(),
  room: z.string(),
  residents: z.array(z.object({ name: z.string(), phoneMasked: z.nullable(z.string()) })),
  tags: z.array(z.string()),
  lastVisitAt: z.nullable(InstantOut),
  nextDueAt: z.nullable(InstantOut),
  visitState: VisitStateOut,
  visitStateLabel: z.string(),
})
export type HouseholdRowT = z.infer<typeof HouseholdRow>

export const VisitOut = z.object({
  id: z.string(),
  at: InstantOut,
  found: z.string(),
  photos: z.array(PhotoOut),
  followUp: z.boolean(),
  followUpNote: z.nullable(z.string()),
  onTime: z.nullable(z.boolean()),
  byName: z.string(),
})
export type VisitOutT = z.infer<typeof VisitOut>

export const HouseholdOut = z.object({
  ...HouseholdRow.shape,
  gridId: z.nullable(z.string()),
  gridName: z.nullable(z.string()),
  tagDetails: z.array(z.object({ tag: z.string(), reason: z.string(), byName: z.string(), at: InstantOut })),
  visits: z.array(VisitOut),
  /** The household's residents by id, for 代办 (a dispute or a booking on their behalf, issue 14). */
  actFor: z.optional(z.array(z.object({ openid: z.string(), name: z.string(), buildingId: z.string(), unitId: z.string() }))),
  version: z.number(),
})
export type HouseholdOutT = z.infer<typeof HouseholdOut>

export const DepartmentOut = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  phone: z.nullable(z.string()),
  contacts: z.array(z.object({ openid: z.string(), name: z.string() })),
})
export type DepartmentOutT = z.infer<typeof DepartmentOut>

export const GridStatsOut = z.object({
  month: z.string(),
  grids: z.array(
    z.object({
      gridId: z.string(),
      gridName: z.string(),
      visits: z.number(),
      visitsOnTime: z.number(),
      /** Tagged households whose visit is overdue now. */
      overdueNow: z.number(),
      tagged: z.number(),
      reports: z.number(),
      reportsClosed: z.number(),
      reportsClosedOnTime: z.number(),
    }),
  ),
  /** The community's patrol reports of the month by type. */
  byType: z.array(z.object({ type: z.string(), reports: z.number(), closed: z.number(), closedOnTime: z.number() })),
  byDepartment: z.array(z.object({ key: z.string(), name: z.string(), routed: z.number(), resolved: z.number(), resolvedOnTime: z.number() })),
})
export type GridStatsOutT = z.infer<typeof GridStatsOut>

export const GridSettingsOut = z.object({
  visitDays: z.record(z.string(), z.number()),
  matters: z.array(z.string()),
  departmentDays: z.number(),
})

const STAFF = ['staff', 'admin'] as const
const GRID_PEOPLE = ['grid_worker', 'staff', 'admin'] as const
const Days = z.int({ error: '请填写整数天数' }).check(z.gte(1, '至少 1 天'), z.lte(365, '最多 365 天'))

export const gridApi = defineFunction('grid', {
  mine: action({
    read: true,
    summary: '网格员 / 工作人员：我负责的网格（工作人员：本社区所有网格），各网格待走访数',
    access: GRID_PEOPLE,
    input: z.strictObject({}),
    output: z.object({ grids: z.array(z.object({ id: z.string(), name: z.string(), households: z.number(), tagged: z.number(), overdue: z.number(), due: z.number() })) }),
  }),
  households: action({
    read: true,
    summary: '网格户籍：楼栋 → 单元 → 户，已认证居民、关爱标签、最近走访；分页（重点户按户籍顺序，待走访最紧迫的在前）',
    access: GRID_PEOPLE,
    input: z.strictObject({ gridId: GridId, filter: z._default(z.enum(['all', 'tagged', 'due']), 'all'), ...PageFields }),
    output: z.object({ gridName: z.string(), items: z.array(HouseholdRow), nextCursor: z.nullable(z.string()) }),
  }),
  household: action({ read: true, summary: '一户的详情：居民、关爱标签与原因、走访记录', access: GRID_PEOPLE, input: z.strictObject({ id: HouseholdId }), output: HouseholdOut }),
  tag: action({
    summary: '网格员：给一户加上或取消关爱标签（需写明原因）',
    access: GRID_PEOPLE,
    input: z.strictObject({ id: HouseholdId, tag: Tag, on: z.boolean(), reason: optionalText(100) }),
    output: HouseholdOut,
  }),
  visit: action({
    summary: '网格员：登记一次走访（时间、发现的情况、照片、是否需要跟进）',
    access: GRID_PEOPLE,
    idempotent: 'record',
    input: z.strictObject({
      id: HouseholdId,
      at: z.optional(z.string().check(z.refine((s) => !Number.isNaN(Date.parse(s)) && /T/.test(s), '时间格式不正确'))),
      found: text(500, '请填写走访发现的情况'),
      photos: photosInput(6),
      followUp: z._default(z.boolean(), false),
      followUpNote: optionalText(200),
    }),
    output: HouseholdOut,
  }),
  due: action({
    read: true,
    summary: '网格员：近期待走访和已逾期的重点户，最紧迫的在前',
    access: GRID_PEOPLE,
    input: z.strictObject({ gridId: GridId }),
    output: z.object({ items: z.array(HouseholdRow) }),
  }),
  stats: action({
    read: true,
    summary: '网格统计：每个网格每月走访（按期 / 应访）、上报、按期办结，按类型和部门',
    access: GRID_PEOPLE,
    input: z.strictObject({ month: z.string().check(z.regex(/^\d{4}-\d{2}$/, '月份格式为 2026-11')) }),
    output: GridStatsOut,
  }),
  settings: action({ read: true, summary: '本社区的走访周期、网格事项清单和部门办结时限', access: GRID_PEOPLE, input: z.strictObject({}), output: GridSettingsOut }),
  saveSettings: action({
    summary: '管理员：修改走访周期、网格事项清单和部门默认办结时限',
    access: ['admin'],
    input: z.strictObject({
      visitDays: z.strictObject(Object.fromEntries(CARE_TAGS.map((t) => [t, Days])) as Record<(typeof CARE_TAGS)[number], typeof Days>),
      matters: z.array(z.enum(EVENT_TYPES)).check(z.minLength(1, '网格事项清单至少保留一项')),
      departmentDays: z.int().check(z.gte(1, '至少 1 天'), z.lte(60, '最多 60 天')),
    }),
    output: GridSettingsOut,
  }),
  departments: action({
    read: true,
    summary: '本街道登记的职能部门及联系人（分流转办时选择）',
    access: ['staff', 'admin', 'street', 'grid_worker', 'department'],
    input: z.strictObject({}),
    output: z.object({ items: z.array(DepartmentOut) }),
  }),
  saveDepartment: action({
    summary: '街道 / 管理员：登记或修改本街道的职能部门',
    access: ['street', 'admin'],
    idempotent: 'record',
    input: z.strictObject({
      id: z.optional(IdSchema),
      name: text(40, '请填写部门名称'),
      kind: z.enum(DEPARTMENT_KINDS, { error: '请选择部门类别' }),
      phone: z.optional(z.nullable(z.string().check(z.trim(), z.regex(/^[\d-]{7,20}$/, '请填写正确的电话号码')))),
    }),
    output: z.object({ items: z.array(DepartmentOut) }),
  }),
  setDepartmentContact: action({
    summary: '街道 / 管理员：按手机号设置或取消职能部门的联系人（此人需已登记）',
    access: ['street', 'admin'],
    input: z.strictObject({ departmentId: IdSchema, phone: z.optional(PhoneSchema), openid: z.optional(z.string().check(z.minLength(1), z.maxLength(64))), on: z.boolean() }),
    output: z.object({ items: z.array(DepartmentOut) }),
  }),
  tick: action({
    summary: '定时任务：提醒网格员走访已到期的重点户，结算走访统计，为旧记录补上网格户籍的排序',
    access: 'system',
    input: z.object({}),
    output: z.object({ reminded: z.number(), ordered: z.number() }),
  }),
})

export { STAFF as GRID_STAFF }
