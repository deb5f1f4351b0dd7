/** Pages of the subpackage `packages/message` (居民留言). */
export const MESSAGE_URLS = {
  mine: '/packages/message/pages/mine/index',
  new: '/packages/message/pages/new/index',
  wall: '/packages/message/pages/wall/index',
  inbox: '/packages/message/pages/inbox/index',
  templates: '/packages/message/pages/templates/index',
  detail: (id: string) => `/packages/message/pages/detail/index?id=${encodeURIComponent(id)}`,
} as const
