/**
 * Page paths of the subpackage `packages/grid` (网格化管理). Kept free of imports: the main
 * package's 办事 page links here.
 */
const q = encodeURIComponent
const ROOT = '/packages/grid/pages'

export const GRID_URLS = {
  home: `${ROOT}/home/index`,
  households: (gridId: string) => `${ROOT}/households/index?gridId=${q(gridId)}`,
  /** `visit`: opens 登记走访 at once (待走访's 去走访). */
  household: (id: string, visit = false) => `${ROOT}/household/index?id=${q(id)}${visit ? '&visit=1' : ''}`,
  due: (gridId: string) => `${ROOT}/due/index?gridId=${q(gridId)}`,
  report: `${ROOT}/report/index`,
  events: `${ROOT}/events/index`,
  /** The server's caseLink for kind `event` points here (notifications open it). */
  event: (id: string) => `${ROOT}/event/index?id=${q(id)}`,
  stats: (month?: string) => `${ROOT}/stats/index${month ? `?month=${q(month)}` : ''}`,
  departments: `${ROOT}/departments/index`,
  /** 网格设置 (admins change, staff and grid workers read). */
  settings: `${ROOT}/settings/index`,
} as const

/** A page's query value as sent (`GRID_URLS` encodes it; the mini-program hands it over still encoded). */
export function paramOf(value: string | undefined): string {
  const raw = String(value ?? '')
  try {
    return decodeURIComponent(raw)
  } catch {
    return raw
  }
}
