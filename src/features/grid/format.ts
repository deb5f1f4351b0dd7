/**
 * Display helpers of 网格化管理: who sees which page, visit states, grouping the roster by 楼栋
 * and 单元, dates. Pure.
 */
import type { TagType } from '@/components'
import type { HouseholdRowT } from '@/shared/api/grid'
import { atShanghai, sh, type Instant } from '@/shared/time'

export { canReport, hasEventEntry, isCommunityStaff, isGridPerson, managesDepartments, managesGridSettings, seesEventQueue } from './roles'

const VISIT_TAGS: Record<HouseholdRowT['visitState'], TagType> = { overdue: 'danger', due: 'warning', ok: 'success' }

/** 已逾期 red, 近期待走访 orange, 按期 green; 无走访计划 (no care tag) grey. */
export function visitTagType(row: Pick<HouseholdRowT, 'visitState' | 'nextDueAt'>): TagType {
  return row.nextDueAt ? VISIT_TAGS[row.visitState] : 'muted'
}

/** `11月23日` (this year) or `2025年11月23日`. */
export function dayText(t: Instant, now: Instant = Date.now()): string {
  const d = sh(t)
  return d.year() === sh(now).year() ? d.format('M月D日') : d.format('YYYY年M月D日')
}

/** 上次走访: the date, or 从未走访. */
export function lastVisitText(lastVisitAt: string | null, now: Instant = Date.now()): string {
  return lastVisitAt ? dayText(lastVisitAt, now) : '从未走访'
}

/** When the next visit is due, in words: `12月7日前`, `已逾期 3 天（11月20日到期）`. */
export function nextDueText(nextDueAt: string | null, now: Instant = Date.now()): string | null {
  if (!nextDueAt) return null
  const lateMs = sh(now).valueOf() - sh(nextDueAt).valueOf()
  const late = Math.floor(lateMs / 86_400_000)
  if (late >= 1) return `已逾期 ${late} 天（${dayText(nextDueAt, now)}到期）`
  if (lateMs > 0) return `已到期（${dayText(nextDueAt, now)}）`
  return `${dayText(nextDueAt, now)}前`
}

export interface UnitGroup {
  key: string
  unitName: string
  items: HouseholdRowT[]
}
export interface BuildingGroup {
  key: string
  buildingName: string
  units: UnitGroup[]
  count: number
}

/** The roster grouped by 楼栋, then 单元, in the server's order (it sorts by building, unit, room). */
export function groupHouseholds(items: readonly HouseholdRowT[]): BuildingGroup[] {
  const out: BuildingGroup[] = []
  for (const it of items) {
    const bName = it.buildingName || '未知楼栋'
    let b = out.find((g) => g.buildingName === bName)
    if (!b) {
      b = { key: `b${out.length}`, buildingName: bName, units: [], count: 0 }
      out.push(b)
    }
    const uName = it.unitName || '未分单元'
    let u = b.units.find((g) => g.unitName === uName)
    if (!u) {
      u = { key: `${b.key}u${b.units.length}`, unitName: uName, items: [] }
      b.units.push(u)
    }
    u.items.push(it)
    b.count += 1
  }
  return out
}

/** 张三、李四 (138****1234): the residents of a household on one line. */
export function residentsText(residents: HouseholdRowT['residents']): string {
  if (!residents.length) return '暂无已认证居民'
  return residents.map((r) => (r.phoneMasked ? `${r.name} ${r.phoneMasked}` : r.name)).join('、')
}

/** `1栋 2单元 602`. */
export function householdTitle(h: Pick<HouseholdRowT, 'buildingName' | 'unitName' | 'room'>): string {
  return [h.buildingName, h.unitName, h.room].filter(Boolean).join(' ')
}

/** A rate as `3/4`, and `—` when nothing was counted. */
export function ratio(part: number, whole: number): string {
  return whole ? `${part}/${whole}` : '—'
}

/** The value of a `<Picker mode='date'>` / `time` → an ISO instant in Shanghai (the visit's time). */
export function visitInstant(date: string, time: string): string {
  const [h, m] = time.split(':').map(Number)
  return atShanghai(date, (h || 0) * 60 + (m || 0)).toISOString()
}

/** Today's date and the time now in Shanghai, as the pickers take them. */
export function nowParts(now: Instant = Date.now()): { date: string; time: string } {
  const d = sh(now)
  return { date: d.format('YYYY-MM-DD'), time: d.format('HH:mm') }
}
