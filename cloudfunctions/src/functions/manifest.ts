/**
 * What each cloud function's deployment needs, as plain data (the build reads it without loading
 * any handler). The function itself is `functions/<name>.ts` (default export).
 */
export interface TimerTrigger {
  /** The action the trigger runs (CloudBase passes it as `TriggerName`). */
  name: string
  /** CloudBase 7-field cron: second minute hour day month weekday year. */
  cron: string
  /** How often the local cloud runs it. */
  everyMs: number
}

import { SUBSCRIBE_TEMPLATES, templateEnv, templateFieldsEnv, type TemplateKey } from '../platform/templates'

/**
 * The environment variables a function that sends subscribe messages needs, per key: the template
 * id `TPL_<KEY>` (empty until set in the console) and the field mapping `TPL_<KEY>_FIELDS` (empty:
 * the defaults declared in platform/templates.ts).
 */
export function templateVariables(m: FunctionManifest): Record<string, string> {
  if (!m.openapi.includes('subscribeMessage.send')) return {}
  return Object.fromEntries((Object.keys(SUBSCRIBE_TEMPLATES) as TemplateKey[]).flatMap((k) => [[templateEnv(k), ''], [templateFieldsEnv(k), '']]))
}

export interface FunctionManifest {
  triggers: TimerTrigger[]
  /** cloud.openapi permissions the function uses (config.json `permissions.openapi`). */
  openapi: string[]
  timeoutSec: number
}

export const MANIFEST: Record<string, FunctionManifest> = {
  user: {
    triggers: [{ name: 'tick', cron: '0 */5 * * * * *', everyMs: 60_000 }],
    openapi: ['phonenumber.getPhoneNumber', 'security.msgSecCheck'],
    timeoutSec: 10,
  },
  cases: {
    triggers: [{ name: 'tick', cron: '0 */5 * * * * *', everyMs: 60_000 }],
    openapi: ['security.msgSecCheck', 'security.mediaCheckAsync', 'subscribeMessage.send'],
    timeoutSec: 20,
  },
  inbox: { triggers: [], openapi: [], timeoutSec: 5 },
  volunteer: {
    triggers: [{ name: 'tick', cron: '0 */5 * * * * *', everyMs: 60_000 }],
    openapi: ['subscribeMessage.send', 'security.msgSecCheck'],
    timeoutSec: 20,
  },
  booking: {
    triggers: [{ name: 'tick', cron: '0 */5 * * * * *', everyMs: 60_000 }],
    openapi: ['subscribeMessage.send', 'security.msgSecCheck', 'security.mediaCheckAsync'],
    timeoutSec: 20,
  },
  property: {
    triggers: [{ name: 'tick', cron: '0 */5 * * * * *', everyMs: 60_000 }],
    openapi: ['subscribeMessage.send', 'security.msgSecCheck', 'security.mediaCheckAsync'],
    timeoutSec: 20,
  },
  grid: {
    // Every 5 minutes, as the others: it settles the visits' figures (≤ 5 min behind a visit) beside the due reminders.
    triggers: [{ name: 'tick', cron: '0 */5 * * * * *', everyMs: 60_000 }],
    openapi: ['subscribeMessage.send', 'security.msgSecCheck', 'security.mediaCheckAsync'],
    timeoutSec: 20,
  },
  // Receives the media checks' verdicts: 云开发控制台 → 设置 → 消息推送, MsgType `event`,
  // Event `wxa_media_check` → this function (README, "Media check").
  media: { triggers: [], openapi: [], timeoutSec: 10 },
  // 我的数据 and 注销 (issue 14): a deletion rewrites every record of a person, one after another.
  privacy: { triggers: [], openapi: ['security.msgSecCheck'], timeoutSec: 20 },
  // 工作台 (issue 15): one read across the features' queues, every group's reads in one parallel wait.
  work: { triggers: [], openapi: [], timeoutSec: 10 },
  // 统计与台账 (issue 15): the month's figures, and the 工作台账 .xlsx written to cloud storage.
  stats: {
    // Hourly: deletes the 工作台账 files older than a day (handlers/common/exports.ts).
    triggers: [{ name: 'tick', cron: '0 0 * * * * *', everyMs: 60_000 }],
    openapi: [],
    timeoutSec: 20,
  },
}
