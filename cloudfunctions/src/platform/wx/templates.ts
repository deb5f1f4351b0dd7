/**
 * Subscribe-message templates: our stable keys (platform/templates.ts) → the template ids chosen in
 * the mini-program's 订阅消息 console. Ids differ per deployment, so they come from the function's
 * environment variables (`TPL_<KEY>` in CloudBase → 云函数 → 配置), never from code.
 */
import { templateEnv, type TemplateKey } from '../templates'

export function templateIdFor(key: TemplateKey): string | undefined {
  return process.env[templateEnv(key)] || undefined
}
