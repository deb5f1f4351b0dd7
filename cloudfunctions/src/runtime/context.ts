import type { UserDoc } from '../../../src/shared/domain/user'
import type { Command, Database } from '../platform/db'
import type { Clock, ContentCheck, Logger, Notifier, PhoneService, Storage } from '../platform/port'

/** What every handler receives beside its parsed input. */
export interface Ctx {
  db: Database
  _: Command
  clock: Clock
  notify: Notifier
  contentCheck: ContentCheck
  storage: Storage
  phone: PhoneService
  log: Logger
  /** The caller's OPENID from the platform; '' for the timer trigger and a push. */
  openid: string
  /** The caller's `users` record, loaded once per call by serve(); null before onboarding. */
  user: UserDoc | null
  source: 'person' | 'timer' | 'push'
  requestId?: string
  /** For an idempotent create with a request id: a stable key the created record's id derives from. */
  requestKey?: string
  /** This request id was seen before: look for what the first run created before creating anything. */
  retry?: boolean
}

/** A handler: parsed input in, plain output out (validated by serve() against the output schema). */
export type Handler<I = unknown, O = unknown> = (input: I, ctx: Ctx) => Promise<O>
