/**
 * Our subscribe-message fields → a template's keys and values, as WeChat's subscribeMessage.send
 * takes them (`{ thing1: { value }, time2: { value } }`). Pure: the wx adapter sends the result,
 * the local adapter records it in the outbox, and the tests check every template's mapping.
 *
 * Which keys a template has is chosen in the 订阅消息 console, so the mapping is configuration:
 * `TPL_<KEY>_FIELDS` = `subject:thing1,time:time2,note:thing3` (our field : the template's key,
 * comma separated). Unset or empty: the defaults declared in platform/templates.ts. Set: only
 * the listed fields are sent (a template may have fewer keys than we have fields).
 *
 * Values are fitted to the key's type, as subscribeMessage.send requires (an unfitting value is
 * refused with 47003): thing ≤ 20 characters; phrase ≤ 5 汉字 only; name ≤ 10 汉字 (or 20
 * letters); character_string ≤ 32 letters, digits or symbols (no spaces); number ≤ 32 digits; letter ≤ 32
 * letters; symbol ≤ 5 symbols; phone_number ≤ 17 digits or symbols; car_number ≤ 8; time and date
 * as `2026年11月23日 10:00` (Asia/Shanghai). An empty value is refused too, so none is sent empty.
 */
import { formatDateTime, formatShort, sh } from '../../../src/shared/time'
import { SUBSCRIBE_TEMPLATES, type TemplateKey } from './templates'

export type FieldValue = string | number | Date
/** Our field name → the template's key. */
export type FieldMap = Record<string, string>
/** The `data` of subscribeMessage.send. */
export type TemplateData = Record<string, { value: string }>

/** A template key: its type (letters and `_`), then the number the console gave it. */
const WX_KEY = /^([a-z]+(?:_[a-z]+)*)(\d+)$/

/** The type of a template key: `thing1` → `thing`, `character_string12` → `character_string`; null when it is not one. */
export function keyType(wxKey: string): string | null {
  return WX_KEY.exec(wxKey)?.[1] ?? null
}

/** Our fields of a template and the keys they go to by default (platform/templates.ts). */
export function defaultFieldMap(key: TemplateKey): FieldMap {
  return { ...SUBSCRIBE_TEMPLATES[key].fields }
}

/**
 * The mapping from `TPL_<KEY>_FIELDS`: `field:key` pairs, comma separated (spaces and `，` allowed).
 * Unset or blank → the defaults. An unknown field, a malformed key or a key used twice is left
 * out and named in `problems` (the adapter logs them).
 */
export function parseFieldMap(key: TemplateKey, spec: string | undefined): { map: FieldMap; problems: string[] } {
  if (!spec || !spec.trim()) return { map: defaultFieldMap(key), problems: [] }
  const declared = new Set(Object.keys(SUBSCRIBE_TEMPLATES[key].fields))
  const map: FieldMap = {}
  const used = new Set<string>()
  const problems: string[] = []
  for (const part of spec.split(/[,，]/).map((p) => p.trim()).filter(Boolean)) {
    const m = /^([A-Za-z_]\w*)\s*[:：=]\s*(\S+)$/.exec(part)
    if (!m) {
      problems.push(`"${part}": expected field:key`)
      continue
    }
    const [, field, wxKey] = m
    if (!declared.has(field)) problems.push(`"${part}": ${key} has no field ${field} (fields: ${[...declared].join(', ')})`)
    else if (!keyType(wxKey)) problems.push(`"${part}": ${wxKey} is not a template key (like thing1, time2)`)
    else if (used.has(wxKey)) problems.push(`"${part}": ${wxKey} is used twice`)
    else if (field in map) problems.push(`"${part}": ${field} is mapped twice`)
    else {
      map[field] = wxKey
      used.add(wxKey)
    }
  }
  return { map, problems }
}

const chars = (s: string): string[] => [...s]
/** At most `n` characters (code points; a cut text ends with `…` where symbols are allowed). */
function cut(s: string, n: number, ellipsis = false): string {
  const c = chars(s)
  if (c.length <= n) return s
  return ellipsis ? c.slice(0, n - 1).join('') + '…' : c.slice(0, n).join('')
}
const keep = (s: string, re: RegExp): string => chars(s).filter((ch) => re.test(ch)).join('')
const HAN = /\p{Script=Han}/u

/** A value as the key's type accepts it (see the header); never empty. */
export function wxValue(wxKey: string, value: FieldValue): string {
  const type = keyType(wxKey) ?? 'thing'
  const text =
    value instanceof Date
      ? type === 'time' || type === 'date'
        ? formatDateTime(value)
        : type === 'character_string'
          ? sh(value).format('YYYY-MM-DD_HH:mm')
          : formatShort(value)
      : String(value)
  const flat = text.replace(/\s+/g, ' ').trim()
  let out: string
  switch (type) {
    case 'thing':
      out = cut(flat, 20, true)
      break
    case 'phrase':
      out = cut(keep(flat, HAN), 5)
      break
    case 'name':
      out = HAN.test(flat) ? cut(keep(flat, HAN), 10) : cut(flat, 20)
      break
    case 'character_string':
      out = cut(keep(flat, /[\x21-\x7e]/), 32)
      break
    case 'number':
      out = cut(/-?\d+(?:\.\d+)?/.exec(flat)?.[0] ?? '', 32)
      break
    case 'letter':
      out = cut(keep(flat, /[A-Za-z]/), 32)
      break
    case 'symbol':
      out = cut(keep(flat, /[^\p{L}\p{N}\s]/u), 5)
      break
    case 'phone_number':
      out = cut(keep(flat, /[\d+\-()]/), 17)
      break
    case 'car_number':
      out = cut(keep(flat, /\S/), 8)
      break
    case 'time':
    case 'date':
    case 'amount':
    case 'enum':
      out = flat
      break
    default:
      out = cut(flat, 20)
  }
  if (out) return out
  return type === 'thing' || type === 'phrase' || type === 'name' ? '无' : type === 'number' ? '0' : '-'
}

/**
 * Our fields → subscribeMessage.send's `data` for `key`, by the mapping `spec` (`TPL_<KEY>_FIELDS`;
 * blank → defaults). A field the mapping leaves out is not sent; a mapped field without a value
 * is sent as the type's placeholder (WeChat refuses an empty one).
 */
export function templateData(
  key: TemplateKey,
  fields: Partial<Record<string, FieldValue | null | undefined>>,
  spec?: string,
): { data: TemplateData; problems: string[] } {
  const { map, problems } = parseFieldMap(key, spec)
  const data: TemplateData = {}
  for (const [field, wxKey] of Object.entries(map)) {
    const v = fields[field]
    data[wxKey] = { value: wxValue(wxKey, v ?? '') }
  }
  return { data, problems }
}

/**
 * What a failed send says: WeChat's errcode (wx-server-sdk throws it as `errCode`: 43101 the
 * person has not subscribed or used up the subscription, 47003 a field the template refuses,
 * 40037 a wrong template id, …), or null for a failure that is not WeChat's answer.
 */
export function sendFailure(e: unknown): { errCode: number | null; reason: string } {
  const raw = typeof e === 'object' && e !== null ? (e as { errCode?: unknown; errcode?: unknown }) : {}
  const code = raw.errCode ?? raw.errcode
  const errCode = typeof code === 'number' && Number.isFinite(code) ? code : typeof code === 'string' && /^-?\d+$/.test(code) ? Number(code) : null
  const reason = e instanceof Error ? e.message : typeof e === 'object' && e !== null && 'errMsg' in e ? String((e as { errMsg: unknown }).errMsg) : String(e)
  return { errCode, reason: reason.slice(0, 300) }
}
