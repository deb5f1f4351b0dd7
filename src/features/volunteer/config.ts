/**
 * Settings of the volunteer feature (志愿服务活动) that come from the build, and its page paths.
 * Kept free of imports: the main package's 我的 and 办事 pages link here.
 *
 * SUBSCRIBE_TEMPLATES: WeChat one-time subscribe-message template ids (订阅消息) asked for right
 * after signing up (活动变更 / 递补成功 / 开始提醒, 积分到账). Set them in `.env` at the repo root:
 *   TARO_APP_TPL_VOLUNTEER=tplIdActivityChange,tplIdPoints
 * Unset (local development, H5) → nothing is asked.
 */
function readTemplateEnv(): string {
  try {
    return process.env.TARO_APP_TPL_VOLUNTEER ?? ''
  } catch {
    return ''
  }
}

/** At most 3 templates may be asked for in one requestSubscribeMessage call. */
export const VOLUNTEER_SUBSCRIBE_TEMPLATES: readonly string[] = readTemplateEnv()
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean)
  .slice(0, 3)

const q = encodeURIComponent
const ROOT = '/packages/volunteer/pages'

/** Pages of the subpackage `packages/volunteer`. */
export const VOLUNTEER_URLS = {
  list: `${ROOT}/list/index`,
  detail: (id: string) => `${ROOT}/detail/index?id=${q(id)}`,
  mine: `${ROOT}/mine/index`,
  certificate: `${ROOT}/certificate/index`,
  edit: (id?: string) => `${ROOT}/edit/index${id ? `?id=${q(id)}` : ''}`,
  roster: (id: string) => `${ROOT}/roster/index?id=${q(id)}`,
  qr: (id: string) => `${ROOT}/qr/index?id=${q(id)}`,
  export: `${ROOT}/export/index`,
} as const
