/**
 * Telling people something happened: an in-app notification (消息 tab, unread badge) and a
 * WeChat subscribe message (recorded in the outbox locally). Sent as an effect of the change it
 * follows (common/effects.ts): carried by that change's own write, delivered once, never the cause
 * of an error answer; a subscribe message that cannot be sent is logged.
 */
import type { TemplateKey } from '../../platform/templates'

export interface NotificationDoc {
  _id?: string
  to: string
  title: string
  body: string
  link: string | null
  read: boolean
  createdAt: Date
  /** What it is about, e.g. `case:<id>`. */
  ref: string | null
}

export interface Notice {
  title: string
  body: string
  link?: string
  ref?: string
  /** Subscribe-message template key, one of platform/templates.ts (TPL_<KEY> in production). */
  template: TemplateKey
  /** Template fields: short values, as WeChat requires. */
  fields: Record<string, string>
}
