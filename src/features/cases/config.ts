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
