/** Branded id types: a `CommunityId` cannot be passed where an `OpenId` is expected. */
import { z } from './z'

export const OpenIdSchema = z.string().min(1).max(64).brand<'OpenId'>()
export type OpenId = z.infer<typeof OpenIdSchema>

export const IdSchema = z.string().min(1, '缺少编号').max(64, '编号过长').regex(/^[A-Za-z0-9_:.-]+$/, '编号格式不正确')
export type Id = z.infer<typeof IdSchema>

/** Mask a mainland mobile number for display: 138****1234. */
export function maskPhone(phone: string | undefined | null): string | undefined {
  if (!phone) return undefined
  return phone.length >= 11 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****'
}

export const PhoneSchema = z.string().trim().regex(/^1[3-9]\d{9}$/, '请输入 11 位手机号')
export const NameSchema = z.string().trim().min(1, '请填写姓名').max(20, '姓名最多 20 个字')
