/**
 * 网格化管理 (grid management): the grid worker's households, care tags, visit plans, and the
 * patrol-report types of the 网格事项清单. Pure rules: what is due when, what a community allows.
 */
import { sh } from '../time'

/** Households that need care (重点关爱对象). */
export const CARE_TAGS = ['独居老人', '高龄', '残疾', '困难家庭', '留守儿童'] as const
export type CareTag = (typeof CARE_TAGS)[number]

/** Patrol-report types (巡查上报), the kind `event` on the case engine. */
export const EVENT_TYPES = ['安全隐患', '环境卫生', '设施损坏', '矛盾纠纷', '其他'] as const
export type EventType = (typeof EVENT_TYPES)[number]

/** Department kinds a street registers (职能部门, 吹哨报到). */
export const DEPARTMENT_KINDS = ['物业公司', '城管', '派出所', '市场监管', '住建', '消防', '其他'] as const

export interface GridSettings {
  /** Days between visits per care tag (走访周期). */
  visitDays: Record<CareTag, number>
  /** The 网格事项清单: the report types grid workers may file here. */
  matters: EventType[]
  /** A department's default time to finish a routed report, in days. */
  departmentDays: number
}

export const DEFAULT_GRID_SETTINGS: GridSettings = {
  visitDays: { 独居老人: 14, 高龄: 30, 残疾: 30, 困难家庭: 30, 留守儿童: 30 },
  matters: [...EVENT_TYPES],
  departmentDays: 3,
}

export function gridSettingsWithDefaults(stored: Partial<GridSettings> | null | undefined): GridSettings {
  const out: GridSettings = { ...DEFAULT_GRID_SETTINGS, visitDays: { ...DEFAULT_GRID_SETTINGS.visitDays } }
  for (const t of CARE_TAGS) {
    const v = stored?.visitDays?.[t]
    if (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 365) out.visitDays[t] = v
  }
  if (Array.isArray(stored?.matters)) out.matters = EVENT_TYPES.filter((t) => stored.matters!.includes(t))
  if (typeof stored?.departmentDays === 'number' && stored.departmentDays >= 1 && stored.departmentDays <= 60) out.departmentDays = stored.departmentDays
  return out
}

/**
 * When a tagged household is next due for a visit: the shortest interval among its tags, from its
 * last visit (or from when it was first tagged, if never visited). null: no tags, nothing due.
 */
export function nextVisitDue(tags: readonly { tag: CareTag; at: Date }[], lastVisitAt: Date | null, s: GridSettings = DEFAULT_GRID_SETTINGS): Date | null {
  if (tags.length === 0) return null
  const days = Math.min(...tags.map((t) => s.visitDays[t.tag]))
  const from = lastVisitAt ?? new Date(Math.min(...tags.map((t) => t.at.getTime())))
  return new Date(from.getTime() + days * 24 * 3600_000)
}

export type VisitState = 'ok' | 'due' | 'overdue'
export const VISIT_STATE_LABELS: Record<VisitState, string> = { ok: '按期', due: '近期待走访', overdue: '已逾期' }
/** Within this many days of its due date a household shows as due. */
export const DUE_SOON_DAYS = 3

export function visitState(nextDueAt: Date | null, now: Date): VisitState {
  if (!nextDueAt) return 'ok'
  if (nextDueAt.getTime() < now.getTime()) return 'overdue'
  if (nextDueAt.getTime() - now.getTime() <= DUE_SOON_DAYS * 24 * 3600_000) return 'due'
  return 'ok'
}

/** The report types refused here, with the message a grid worker can act on. */
export function matterProblem(type: string, s: GridSettings): string | null {
  if ((s.matters as string[]).includes(type)) return null
  return `「${type}」不在本社区网格事项清单内，可上报：${s.matters.join('、')}`
}

/** The month key of an instant (Shanghai). */
export const monthOf = (t: Date): string => sh(t).format('YYYY-MM')

/** A place as the roster orders it: its display order among its siblings, then its id. */
type Ordered = { _id: string; order?: number | null }

/** A room with every run of digits padded, so that text order is number order (`302` before `1201`). */
const roomOrder = (room: string): string => room.replace(/\d+/g, (d) => d.replace(/^0+(?=\d)/, '').padStart(8, '0'))

const placeOrder = (p: Ordered | undefined, id: string): string => `${String(Math.max(0, Math.min(999_999, Math.floor(p?.order ?? 0)))).padStart(6, '0')}${p?._id ?? id}`

/**
 * A household's place in 网格户籍 (小区 → 楼栋 → 单元 → 户): each place by its display order then
 * its id, the room with its numbers compared as numbers. Kept on the person's record
 * (`users.rosterKey`, written with the address) and on the household's document, so a page of the
 * roster is read in this order by an index. Everyone of a household shares it.
 */
export function rosterKey(places: { estate?: Ordered; building?: Ordered; unit?: Ordered }, address: { estateId: string; buildingId: string; unitId: string; room: string }): string {
  return [placeOrder(places.estate, address.estateId), placeOrder(places.building, address.buildingId), placeOrder(places.unit, address.unitId), roomOrder(address.room)].join('|')
}
