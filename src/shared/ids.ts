/** Ids, phones and names: the small value schemas every contract shares. */
import { plainText, z } from './z'

export const IdSchema = z.string().check(
  z.minLength(1, '缺少编号'),
  z.maxLength(64, '编号过长'),
  z.regex(/^[A-Za-z0-9_:.-]+$/, '编号格式不正确'),
)

/** Mask a mainland mobile number for display: 138****1234. */
export function maskPhone(phone: string | undefined | null): string | undefined {
  if (!phone) return undefined
  return phone.length >= 11 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****'
}

/**
 * THE phone rule (a mainland mobile number): what is wrong with `phone` (trimmed), in words a
 * resident can act on, or null when it is well formed. Every form and the schema below use it.
 */
export function phoneProblem(phone: string): string | null {
  const p = phone.trim()
  if (!p) return '请输入手机号'
  if (!/^\d+$/.test(p)) return '手机号只能填写数字'
  if (p.length !== 11) return '请输入 11 位手机号'
  if (p[0] !== '1') return '手机号应以 1 开头，请核对'
  if (!/[3-9]/.test(p[1])) return '手机号第 2 位应为 3 至 9，请核对'
  return null
}

export const PhoneSchema = z.string().check(
  z.trim(),
  z.refine<string>((s) => phoneProblem(s) === null, { error: (iss) => phoneProblem(String(iss.input ?? '')) ?? '请输入 11 位手机号' }),
)
export const NameSchema = z.string().check(z.trim(), z.minLength(1, '请填写姓名'), z.maxLength(20, '姓名最多 20 个字'), plainText())
