/**
 * Page paths of the subpackage `packages/stats` (统计与台账). Kept free of imports: the main
 * package's 我的 page and the 工作台 link here.
 */
export const STATS_URLS = {
  /** `month`: open on that month (`2026-11`) instead of the current one. */
  index: (month?: string) => `/packages/stats/pages/index/index${month ? `?month=${encodeURIComponent(month)}` : ''}`,
} as const
