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

/** A trimmed string of 1..max characters, with the resident-facing messages. */
export function text(max: number, empty = '请填写此项') {
  return z.string().check(z.trim(), z.minLength(1, empty), z.maxLength(max, `最多 ${max} 个字`))
}

/** A trimmed optional string of at most max characters (empty allowed). */
export function optionalText(max: number) {
  return z.optional(z.string().check(z.trim(), z.maxLength(max, `最多 ${max} 个字`)))
}

export { z }
