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

export const PhoneSchema = z.string().check(z.trim(), z.regex(/^1[3-9]\d{9}$/, '请输入 11 位手机号'))
export const NameSchema = z.string().check(z.trim(), z.minLength(1, '请填写姓名'), z.maxLength(20, '姓名最多 20 个字'), plainText())
