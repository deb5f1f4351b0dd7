/** 工作台 wording and arrangement, pure (the page lays these out). */
import type { Role } from '@/shared/api/define'
import type { WorkGroupT, WorkSummaryT } from '@/shared/api/work'

/** "共 8 项待办，其中 2 项超期" / "暂无待办". */
export function totalLine(s: Pick<WorkSummaryT, 'total' | 'overdue'>): string {
  if (s.total === 0) return '暂无待办'
  return s.overdue > 0 ? `共 ${s.total} 项待办，其中 ${s.overdue} 项超期` : `共 ${s.total} 项待办`
}

/** The groups with something waiting (in the server's order: overdue first), and the titles of those done. */
export function splitGroups(groups: readonly WorkGroupT[]): { active: WorkGroupT[]; clear: string[] } {
  return { active: groups.filter((g) => g.count > 0), clear: groups.filter((g) => g.count === 0).map((g) => g.title) }
}

/** More waiting than the items shown: "还有 3 项，查看全部". */
export function moreText(g: Pick<WorkGroupT, 'count' | 'items'>): string {
  const more = g.count - g.items.length
  return more > 0 ? `还有 ${more} 项，查看全部` : '查看全部'
}

/** 统计与台账 (the figures and the monthly ledger, packages/stats): everyone with a 工作台. */
export function seesStats(roles: readonly Role[] | null | undefined): boolean {
  return !!roles && roles.some((r) => r === 'grid_worker' || r === 'staff' || r === 'admin' || r === 'street')
}
