/**
 * Settings of the case features (邻里纠纷, 居民留言) that come from the build.
 *
 * SUBSCRIBE_TEMPLATES: the WeChat one-time subscribe-message template ids (订阅消息模板) for case
 * progress, asked for right after a resident submits a dispute or writes a message. Set them in
 * `.env` / `.env.production` at the repo root (Taro injects only `TARO_APP_*` variables from
 * those files):
 *   TARO_APP_TPL_CASE=tplIdProgress,tplIdResult
 * Unset (local development, H5) → nothing is asked.
 */
function readTemplateEnv(): string {
  try {
    // Replaced at build time when defined; without a definition `process` may not exist in the
    // mini-program runtime, hence the guard.
    return process.env.TARO_APP_TPL_CASE ?? ''
  } catch {
    return ''
  }
}

/** At most 3 templates may be asked for in one requestSubscribeMessage call. */
export const SUBSCRIBE_TEMPLATES: readonly string[] = readTemplateEnv()
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean)
  .slice(0, 3)

function readStaffTemplateEnv(): string {
  try {
    return process.env.TARO_APP_TPL_STAFF ?? ''
  } catch {
    return ''
  }
}

/**
 * STAFF_SUBSCRIBE_TEMPLATES: the template ids staff and grid workers are asked for in their queues
 * (待办纠纷, 留言办理) through the 「开启新事项提醒」 banner — the templates the functions send them
 * by `TPL_CASE_NEW`, `TPL_CASE_OVERDUE` and, for grid workers, `TPL_GRID_VISIT`:
 *   TARO_APP_TPL_STAFF=<case_new id>,<case_overdue id>,<grid_visit id>
 * Unset → no banner.
 */
export const STAFF_SUBSCRIBE_TEMPLATES: readonly string[] = readStaffTemplateEnv()
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean)
  .slice(0, 3)
