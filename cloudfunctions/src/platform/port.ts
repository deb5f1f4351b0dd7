/**
 * The platform port: everything a handler needs from the outside world, as interfaces only.
 * `platform/wx` implements it on WeChat CloudBase (production), `platform/local` on the local
 * cloud (development, demo, tests). Handlers never see which one they run on.
 */
import type { Database } from './db'

export interface Clock {
  now(): Date
}

export interface Logger {
  info(msg: string, meta?: Record<string, unknown>): void
  warn(msg: string, meta?: Record<string, unknown>): void
  error(msg: string, meta?: Record<string, unknown>): void
}

import type { TemplateKey } from './templates'

/** A WeChat one-time subscribe message (订阅消息). `template` is our key, mapped to a template id per deployment. */
export interface SubscribeMessage {
  touser: string
  template: TemplateKey
  page?: string
  data: Record<string, string>
}

export interface Notifier {
  /** Best effort: a person may not have granted the subscription; failures are logged, never thrown. */
  subscribe(msg: SubscribeMessage): Promise<{ sent: boolean; reason?: string }>
}

export type TextVerdict = 'pass' | 'reject'
export type MediaVerdict = 'pass' | 'reject' | 'pending'

/** The platform's content safety checks (msgSecCheck v2 / mediaCheckAsync in production). */
export interface ContentCheck {
  text(content: string, openid?: string): Promise<TextVerdict>
  media(fileId: string, openid?: string): Promise<MediaVerdict>
}

/** Cloud storage: files are uploaded by the client; functions hand out short-lived URLs. */
export interface Storage {
  /** Temporary download URLs for files (only ever called after the caller's access is checked). */
  tempUrls(fileIds: string[]): Promise<Record<string, string>>
  /** Whether the file exists and was uploaded by `openid` (ownership check before attaching it to a record). */
  ownedBy(fileId: string, openid: string): Promise<boolean>
}

/** WeChat phone-number exchange (the 手机号快速验证 button gives a one-time code). */
export interface PhoneService {
  exchange(code: string): Promise<string>
}

/** Runtime settings a deployment may tune (production uses the defaults). */
export interface PlatformSettings {
  /** How long an idempotent create's claim is held before a retry may take it over. */
  requestLeaseMs?: number
  /** Off only in tests that fire hundreds of calls as one person on purpose. */
  rateLimits?: boolean
}

export interface Platform {
  settings?: PlatformSettings
  db: Database
  clock: Clock
  notify: Notifier
  contentCheck: ContentCheck
  storage: Storage
  phone: PhoneService
  log: Logger
}

/** Who is calling, as the platform says (never the payload). */
export interface Invocation {
  openid: string | null
  source: 'person' | 'timer'
}
