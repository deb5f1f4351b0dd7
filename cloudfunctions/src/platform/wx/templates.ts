/**
 * Subscribe-message templates: our stable keys (platform/templates.ts) → the template ids chosen in
 * the mini-program's 订阅消息 console. Ids differ per deployment, so they come from the function's
 * environment variables (`TPL_<KEY>` in CloudBase → 云函数 → 配置), never from code; so does the mapping
 * of our fields to each template's keys (`TPL_<KEY>_FIELDS`, platform/subscribe-fields.ts).
 */
import { templateData } from '../subscribe-fields'

export { sendFailure } from '../subscribe-fields'
import { templateEnv, templateFieldsEnv, type TemplateKey } from '../templates'

export function templateIdFor(key: TemplateKey): string | undefined {
  return process.env[templateEnv(key)] || undefined
}

/** Our fields → the template's keys and values, by `TPL_<KEY>_FIELDS` (blank: the declared defaults). */
export function templateDataFor(key: TemplateKey, fields: Parameters<typeof templateData>[1]): ReturnType<typeof templateData> {
  return templateData(key, fields, process.env[templateFieldsEnv(key)])
}
