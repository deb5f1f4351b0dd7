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

import type { TemplateContent } from './templates'

/**
 * A WeChat one-time subscribe message (订阅消息). `template` is our key, mapped to a template id
 * per deployment; `fields` are our declared fields, mapped to the template's keys by the adapter
 * (platform/subscribe-fields.ts).
 */
export type SubscribeMessage = TemplateContent & {
  touser: string
  page?: string
}

/**
 * What became of one subscribe message: sent; refused (WeChat answered an errcode — 43101 the
 * person has no subscription left, 47003 a field the template refuses … — or null when the call
 * failed otherwise); or skipped (no template id configured: nothing was attempted).
 */
export type SubscribeResult =
  | { outcome: 'sent' }
  | { outcome: 'refused'; errCode: number | null; reason: string }
  | { outcome: 'skipped'; reason: string }

export interface Notifier {
  /** Best effort: a person may not have granted the subscription; failures are answered, never thrown. */
  subscribe(msg: SubscribeMessage): Promise<SubscribeResult>
}

export type TextVerdict = 'pass' | 'reject'
export type MediaVerdict = 'pass' | 'reject' | 'pending'

/**
 * A media check as started: a verdict now, or `pending` with the trace id the verdict will come
 * back with (production: mediaCheckAsync's `traceId`; the 内容安全 result is pushed later as the
 * `wxa_media_check` message event to the `media` function — handlers/common/media.ts).
 */
export interface MediaCheck {
  verdict: MediaVerdict
  /** Set exactly when `verdict` is `pending`. */
  traceId?: string
}

/** The platform's content safety checks (msgSecCheck v2 / mediaCheckAsync in production). */
export interface ContentCheck {
  text(content: string, openid?: string): Promise<TextVerdict>
  media(fileId: string, openid?: string): Promise<MediaCheck>
}

/** Cloud storage: files are uploaded by the client; functions hand out short-lived URLs. */
export interface Storage {
  /** Temporary download URLs for files (only ever called after the caller's access is checked). */
  tempUrls(fileIds: string[]): Promise<Record<string, string>>
  /** Whether the file exists and was uploaded by `openid` (ownership check before attaching it to a record). */
  ownedBy(fileId: string, openid: string): Promise<boolean>
  /** Store a file a function generated (an export) at `path` (`exports/…`, ASCII); returns its file id. */
  save(path: string, bytes: Buffer): Promise<string>
  /** Delete files a function generated (at most 50 per call, as CloudBase allows); answers the ids now gone (a missing one counts as gone). */
  remove(fileIds: string[]): Promise<string[]>
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

/**
 * Who is calling, as the platform says (never the payload): a person, the platform's timer
 * trigger, or the platform's message push (消息推送, e.g. the media check's verdict).
 */
export interface Invocation {
  openid: string | null
  source: 'person' | 'timer' | 'push'
}
