/** Pages of the subpackage `packages/dispute`. */
export const DISPUTE_URLS = {
  mine: '/packages/dispute/pages/mine/index',
  new: '/packages/dispute/pages/new/index',
  queue: '/packages/dispute/pages/queue/index',
  /** The figures of either kind of case (the page serves both: `?kind=message`). */
  stats: '/packages/dispute/pages/stats/index',
  statsOf: (kind: 'dispute' | 'message') => `/packages/dispute/pages/stats/index?kind=${kind}`,
  detail: (id: string) => `/packages/dispute/pages/detail/index?id=${encodeURIComponent(id)}`,
} as const
