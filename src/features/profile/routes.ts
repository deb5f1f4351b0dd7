/** Pages of the app shell (identity, onboarding, roles) and the links 我的 offers. */
export { ONBOARDING_URL } from '@/features/entries'

/** 用户隐私保护指引. */
export const PRIVACY_URL = '/packages/onboarding/pages/privacy/index'
/** 修改资料 (name, phone, 报到单位). */
export const PROFILE_EDIT_URL = '/packages/onboarding/pages/profile/index'
/** 工作台: 居民认证 and 生成邀请码 (subpackage `packages/staff`). */
export const RESIDENTS_URL = '/packages/staff/pages/residents/index'
export const INVITE_URL = '/packages/staff/pages/invite/index'
/** Built by the dispute and booking features. */
export const MY_DISPUTES_URL = '/packages/dispute/pages/mine/index'
export const MY_BOOKINGS_URL = '/packages/booking/pages/mine/index'

export const MINE_TAB_URL = '/pages/mine/index'
export const MESSAGES_TAB_URL = '/pages/messages/index'
export const TAB_URLS = ['/pages/home/index', '/pages/services/index', MESSAGES_TAB_URL, MINE_TAB_URL]

/** Opens an in-app link (e.g. a notification's): tab pages need switchTab. */
export function isTabUrl(url: string): boolean {
  const path = url.split('?')[0]
  return TAB_URLS.includes(path.startsWith('/') ? path : `/${path}`)
}
