/**
 * 代办 (issue 14): a grid worker or community staff submits a case or a booking on behalf of a
 * resident of their grid / community — an elderly resident who does not use the phone — with the
 * resident's consent recorded on the record (how it was given: 当面 / 电话). The record is the
 * resident's own (我的纠纷 / 我的预约, their notices) and shows 由网格员 X 代办.
 */
import { z } from '../z'

export const PROXY_CONSENT_WAYS = ['in_person', 'phone'] as const
export type ProxyConsentWay = (typeof PROXY_CONSENT_WAYS)[number]
export const PROXY_CONSENT_LABELS: Record<ProxyConsentWay, string> = { in_person: '当面', phone: '电话' }

/** The input part: who it is for, and that (and how) they agreed. */
export const OnBehalfInput = z.strictObject({
  openid: z.string().check(z.minLength(1, '请选择居民'), z.maxLength(64)),
  /** 已征得居民同意 (the checkbox): must be true. */
  consent: z.literal(true, { error: '请先征得居民同意' }),
  how: z.enum(PROXY_CONSENT_WAYS, { error: '请选择居民同意的方式' }),
})
export type OnBehalfInputT = z.input<typeof OnBehalfInput>

/** As stored on the record. */
export interface ProxyDoc {
  by: string
  byName: string
  byRole: string
  how: ProxyConsentWay
  at: Date
}

/** As shown on the record: 由网格员 张伟 代办（居民电话同意）. */
export const ProxyOut = z.object({ byName: z.string(), byRole: z.string(), how: z.enum(PROXY_CONSENT_WAYS), text: z.string() })
export type ProxyOutT = z.infer<typeof ProxyOut>

export function proxyText(p: Pick<ProxyDoc, 'byName' | 'byRole' | 'how'>): string {
  return `由${p.byRole} ${p.byName} 代办（居民${PROXY_CONSENT_LABELS[p.how]}同意）`
}

export function proxyOut(p: ProxyDoc | null | undefined): ProxyOutT | null {
  return p ? { byName: p.byName, byRole: p.byRole, how: p.how, text: proxyText(p) } : null
}
