/** Pages of the subpackage `packages/dispute`. */
export const DISPUTE_URLS = {
  mine: '/packages/dispute/pages/mine/index',
  new: '/packages/dispute/pages/new/index',
  queue: '/packages/dispute/pages/queue/index',
  stats: '/packages/dispute/pages/stats/index',
  detail: (id: string) => `/packages/dispute/pages/detail/index?id=${encodeURIComponent(id)}`,
} as const
