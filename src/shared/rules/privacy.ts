/**
 * 我的数据 (issue 14, privacy rights): the pure rules of a deletion (注销) — what a deleted
 * person's records keep and what their texts lose.
 *
 * A completed deletion removes the person's record and every copy of their name, phone and room;
 * the records that must stay (cases, bookings, ratings, visits: the figures count them) stay
 * under `DELETED_NAME`. Texts are scrubbed by `scrubText`:
 *  - the person's own words (a case's description, their posts, a comment): the 留言墙 rule
 *    (rules/redact.ts: every phone, room, ID card, plate, email) with their name, and then the
 *    exact facts below;
 *  - words others wrote about them (a reply, a visit note, a notice): only the exact facts — their
 *    name (2+ characters, as the wall rule), their phone (as stored, with separators, or masked
 *    138****1234) and their room (standing alone, not inside a longer number or word).
 */
import { REDACTION_PLACEHOLDERS, redact } from './redact'

/** What a deleted person's records say instead of their name. */
export const DELETED_NAME = '已注销居民'

export interface PersonalFacts {
  name?: string | null
  phone?: string | null
  room?: string | null
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** The phone as stored (11 digits), with single spaces or dashes between its 3-4-4 groups, or masked as 138****1234. */
function phonePattern(phone: string): RegExp | null {
  const d = phone.replace(/\D/g, '')
  if (d.length < 7) return null
  const full = d.length === 11 ? `${d.slice(0, 3)}[ \\-]?${d.slice(3, 7)}[ \\-]?${d.slice(7)}` : escape(d)
  const masked = d.length === 11 ? `|${d.slice(0, 3)}[ \\-]?(?:\\*{4}|[xX]{4})[ \\-]?${d.slice(7)}` : ''
  return new RegExp(`(?<![0-9])(?:${full}${masked})(?![0-9])`, 'g')
}

/**
 * `text` without the person's name, phone and room; `own`: the person wrote it, so everything the
 * 留言墙 rule hides goes too. Idempotent (placeholders are never matched again).
 */
export function scrubText(text: string, who: PersonalFacts, own = false): string {
  if (!text) return text
  const name = who.name?.trim() ?? ''
  let out = own ? redact(text, { names: name.length >= 2 ? [name] : [] }).text : text
  const phone = who.phone ? phonePattern(who.phone) : null
  if (phone) out = out.replace(phone, REDACTION_PLACEHOLDERS.phone)
  if (name.length >= 2) out = out.split(name).join(REDACTION_PLACEHOLDERS.name)
  const room = who.room?.trim()
  if (room) out = out.replace(new RegExp(`(?<![0-9A-Za-z])${escape(room)}(?![0-9A-Za-z])`, 'g'), REDACTION_PLACEHOLDERS.room)
  return out
}

/** `scrubText` for a nullable field. */
export function scrubMaybe(text: string | null | undefined, who: PersonalFacts, own = false): string | null {
  return text === null || text === undefined ? null : scrubText(text, who, own)
}
