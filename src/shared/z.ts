/**
 * The one module that re-exports zod — `zod/mini`, the tree-shakable build: the same schemas
 * validate on the server and in the mini-program, and the full `zod` build would add ≈ 500 KB to
 * the main package (the budget is 600 KB for everything). zod 4 compiles schemas with
 * `new Function` unless told otherwise, and the mini-program runtime forbids it: jitless mode is
 * configured here, before any schema anywhere is defined. Every other module imports `z` from here.
 *
 * It also installs one error map that speaks to residents ("最多 500 个字", "请填写此项")
 * instead of zod's technical wording; a schema may still give its own message.
 */
import * as z from './zod-api'
import type { FieldIssue } from './errors'

const friendly: z.core.$ZodErrorMap = (iss) => {
  const i = iss as unknown as Record<string, unknown>
  switch (iss.code) {
    case 'invalid_type':
      return iss.input === undefined || iss.input === null ? '请填写此项' : '格式不正确'
    case 'too_small': {
      const min = Number(i.minimum)
      if (i.origin === 'string') return min <= 1 ? '请填写此项' : `至少 ${min} 个字`
      if (i.origin === 'array') return `至少选择 ${min} 项`
      return `不能小于 ${min}`
    }
    case 'too_big': {
      const max = Number(i.maximum)
      if (i.origin === 'string') return `最多 ${max} 个字`
      if (i.origin === 'array') return `最多 ${max} 项`
      return `不能大于 ${max}`
    }
    case 'invalid_format':
      return '格式不正确'
    case 'invalid_value':
      return '请选择有效的选项'
    case 'unrecognized_keys':
      return '包含无法识别的字段'
    case 'invalid_union':
      return '格式不正确'
    default:
      return undefined
  }
}

z.config({ jitless: true, customError: friendly })

/** Flatten a zod error into the envelope's field issues. */
export function toFieldIssues(error: z.core.$ZodError): FieldIssue[] {
  return error.issues.map((iss) => ({ path: iss.path.map(String).join('.'), message: iss.message }))
}

/** Any schema (classic or mini): what contracts are typed against. */
export type Schema = z.core.$ZodType

/** What a resident reads when a text carries characters nobody can see (see unsafeCharAt). */
export const UNSAFE_TEXT_MESSAGE = '含有无法显示的特殊字符，请删除后重试'

/**
 * Texts allowed this many characters or more are typed in a Textarea (descriptions, agreements,
 * reasons, purposes) and may hold line breaks and tabs; shorter ones (names, places, units) are
 * one line.
 */
export const MULTILINE_FROM = 100

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff

/**
 * THE text rule: the index of the first character a person cannot see or that changes how the
 * text around it is displayed, or -1. Refused: control characters (C0, DEL, C1; a multi-line
 * text may hold `\n` and `\t`), bidi embeddings, overrides, isolates and marks (U+202A–U+202E,
 * U+2066–U+2069, U+200E, U+200F, U+061C), zero-width characters (U+200B–U+200D, U+2060, U+FEFF),
 * line/paragraph separators (U+2028, U+2029) and lone surrogates. A zero-width joiner inside an
 * emoji sequence (👨‍👩‍👧, 👩‍⚕️, 🏳️‍🌈) is part of the emoji and stays allowed. A plain loop
 * rather than a regex: lookbehind and the `u` flag's surrogate handling are not in every
 * mini-program runtime.
 */
export function unsafeCharAt(s: string, multiline = false): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
      if (multiline && (c === 0x0a || c === 0x09)) continue
      return i
    }
    if (isHigh(c)) {
      if (i + 1 < s.length && isLow(s.charCodeAt(i + 1))) {
        i++
        continue
      }
      return i
    }
    if (isLow(c)) return i
    if (c === 0x200d) {
      // Allowed between two parts of an emoji: after a pictograph (a surrogate pair or a
      // variation selector U+FE0F), before a pictograph (a surrogate pair or U+2600–U+27BF).
      const prev = i > 0 ? s.charCodeAt(i - 1) : 0
      const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0
      const afterEmoji = isLow(prev) || prev === 0xfe0f
      const beforeEmoji = isHigh(next) || (next >= 0x2600 && next <= 0x27bf)
      if (afterEmoji && beforeEmoji) continue
      return i
    }
    if (
      (c >= 0x200b && c <= 0x200f) ||
      (c >= 0x202a && c <= 0x202e) ||
      (c >= 0x2066 && c <= 0x2069) ||
      c === 0x2028 ||
      c === 0x2029 ||
      c === 0x2060 ||
      c === 0x061c ||
      c === 0xfeff
    )
      return i
  }
  return -1
}

/** The text rule as a zod check, for a string schema that is not built by text()/optionalText(). */
export function plainText(multiline = false) {
  return z.refine<string>((s) => unsafeCharAt(s, multiline) < 0, UNSAFE_TEXT_MESSAGE)
}

/**
 * A trimmed string of 1..max characters, with the resident-facing messages and the text rule;
 * one line unless max ≥ MULTILINE_FROM (or `multiline` says otherwise).
 */
export function text(max: number, empty = '请填写此项', multiline = max >= MULTILINE_FROM) {
  return z.string().check(z.trim(), z.minLength(1, empty), z.maxLength(max, `最多 ${max} 个字`), plainText(multiline))
}

/** A trimmed optional string of at most max characters (empty allowed), with the text rule. */
export function optionalText(max: number, multiline = max >= MULTILINE_FROM) {
  return z.optional(z.string().check(z.trim(), z.maxLength(max, `最多 ${max} 个字`), plainText(multiline)))
}

export { z }
