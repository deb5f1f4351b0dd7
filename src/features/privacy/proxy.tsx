/**
 * 代办 on the client (issue 14): a grid worker or staff opens the dispute form or the room booking
 * from a household's page with the resident preselected (`?for=<openid>&forName=<name>`); the form
 * shows for whom, asks that the resident's consent was obtained (已征得居民同意) and how (当面 /
 * 电话), and sends it as `onBehalfOf` — the server decides whether the caller may (common/proxy.ts).
 */
import { Text, View } from '@tarojs/components'
import { useState } from 'react'
import { Checkbox, Field } from '@/components'
import { Chips } from '@/features/cases/ui/Chips'
import { PROXY_CONSENT_LABELS, PROXY_CONSENT_WAYS, type OnBehalfInputT, type ProxyConsentWay } from '@/shared/domain/proxy'

export interface ProxyTarget {
  openid: string
  name: string
  /** Where they live (the dispute form's location starts there). */
  buildingId?: string
  unitId?: string
}

/** The query a form is opened with for 代办. */
export function proxyQuery(t: ProxyTarget): string {
  const parts = [`for=${encodeURIComponent(t.openid)}`, `forName=${encodeURIComponent(t.name)}`]
  if (t.buildingId) parts.push(`forBuilding=${encodeURIComponent(t.buildingId)}`)
  if (t.unitId) parts.push(`forUnit=${encodeURIComponent(t.unitId)}`)
  return parts.join('&')
}

/** The resident a form was opened for, from its page parameters (null: the caller's own). */
export function proxyTargetOf(params: Record<string, string | undefined>): ProxyTarget | null {
  const get = (k: string) => (params[k] ? decodeURIComponent(params[k]!) : '')
  const openid = get('for')
  if (!openid) return null
  return { openid, name: get('forName') || '居民', ...(get('forBuilding') ? { buildingId: get('forBuilding') } : {}), ...(get('forUnit') ? { unitId: get('forUnit') } : {}) }
}

export interface ProxyState {
  target: ProxyTarget | null
  consent: boolean
  how: ProxyConsentWay | null
  error: string
  setConsent: (v: boolean) => void
  setHow: (v: ProxyConsentWay) => void
  /** Marks what is missing; true when the form may be sent. Always true without a target. */
  check: () => boolean
  /** What the request carries (undefined: not 代办). */
  input: () => OnBehalfInputT | undefined
}

export function useProxy(target: ProxyTarget | null): ProxyState {
  const [consent, setConsentState] = useState(false)
  const [how, setHowState] = useState<ProxyConsentWay | null>(null)
  const [error, setError] = useState('')
  const missing = () => (!consent ? '请先征得居民同意并勾选' : !how ? '请选择居民同意的方式' : '')
  return {
    target,
    consent,
    how,
    error,
    setConsent: (v) => {
      setConsentState(v)
      setError('')
    },
    setHow: (v) => {
      setHowState(v)
      setError('')
    },
    check: () => {
      if (!target) return true
      const m = missing()
      setError(m)
      return !m
    },
    input: () => (target && consent && how ? { openid: target.openid, consent: true, how } : undefined),
  }
}

const WAY_OPTIONS = PROXY_CONSENT_WAYS.map((key) => ({ key, label: PROXY_CONSENT_LABELS[key] }))

/** 为 X 代办: the consent checkbox and how it was given; nothing without a target. */
export function ProxyBlock({ proxy, what }: { proxy: ProxyState; what: string }) {
  if (!proxy.target) return null
  return (
    <View className='form-group proxy-block' style={{ margin: '12px var(--pad, 16px)', padding: '4px 0', borderRadius: 'var(--radius, 8px)', backgroundColor: 'var(--c-surface, #ffffff)' }}>
      <Field label={`为居民 ${proxy.target.name} 代办${what}`} required error={proxy.error || undefined} hint='提交后记录归居民本人所有：居民在「我的」中查看进度，通知发给居民；记录上注明由您代办。' className='field-proxy'>
        <Checkbox className='proxy-consent-check' checked={proxy.consent} onChange={proxy.setConsent}>
          <Text>已征得居民同意</Text>
        </Checkbox>
        <Text className='proxy-block__how' style={{ display: 'block', margin: '8px 0 4px', fontSize: 'var(--fs-body, 15px)', color: 'var(--c-text-2, #4e5969)' }}>
          居民同意的方式
        </Text>
        <Chips name='proxy-how' columns={2} options={WAY_OPTIONS} value={proxy.how} onChange={proxy.setHow} />
      </Field>
    </View>
  )
}
