/**
 * Consent before personal information is touched (issue 14): the one place the client asks.
 *
 * weapp: WeChat's privacy authorisation. app.json has `__usePrivacyCheck__: true`, so every
 * privacy API or component (chooseMedia, the 手机号 button, saving to the album…) waits while
 * WeChat asks `wx.onNeedPrivacyAuthorization`'s listener — ours, registered once by the
 * <PrivacyConsent> sheet — to show our popup; its 同意 button is a `<button
 * open-type="agreePrivacyAuthorization">`, and only its `agreeprivacyauthorization` event answers
 * `resolve({ event: 'agree', buttonId })` (the base library checks that button was tapped);
 * 拒绝 answers `disagree`, and the API fails. `ensureConsent` asks first, through
 * `wx.requirePrivacyAuthorize`, so a refusal stops the picker before it opens.
 *
 * H5: the same sheet, with 同意 / 拒绝; the answer 同意 is kept in storage (`privacy-consent`),
 * a refusal is not (the next tap asks again).
 */
import Taro from '@tarojs/taro'

export type ConsentPurpose = 'photos' | 'phone' | 'album' | 'location'

export const CONSENT_PURPOSE_LABELS: Record<ConsentPurpose, string> = {
  photos: '选择照片',
  phone: '获取手机号',
  album: '保存图片到相册',
  location: '获取位置',
}

/** The privacy guide (用户隐私保护指引) the sheet links to. */
export const PRIVACY_GUIDE_URL = '/packages/onboarding/pages/privacy/index'
/** The id of the weapp 同意 button (the base library checks it was tapped). */
export const AGREE_BUTTON_ID = 'privacy-agree'

const STORAGE_KEY = 'privacy-consent'
const isWeapp = process.env.TARO_ENV === 'weapp'

type WxResolve = (o: { event: 'exposureAuthorization' | 'agree' | 'disagree'; buttonId?: string }) => void

/** What the sheet shows while someone waits for an answer. */
export interface ConsentAsk {
  purpose: ConsentPurpose
}

interface Pending extends ConsentAsk {
  /** H5: our own promise. */
  done?: (agreed: boolean) => void
  /** weapp: WeChat's resolve of the privacy API waiting. */
  wx?: WxResolve
}

let pending: Pending | null = null
const listeners = new Set<(ask: ConsentAsk | null) => void>()

function show(p: Pending | null): void {
  pending = p
  listeners.forEach((l) => l(p ? { purpose: p.purpose } : null))
}

/** The sheet follows the question being asked (null: none). Returns the unsubscribe. */
export function onConsentAsk(listener: (ask: ConsentAsk | null) => void): () => void {
  listeners.add(listener)
  listener(pending ? { purpose: pending.purpose } : null)
  return () => listeners.delete(listener)
}

/** H5: agreed before (and kept). weapp: WeChat keeps it; ask through ensureConsent. */
export function hasStoredConsent(): boolean {
  try {
    return Taro.getStorageSync(STORAGE_KEY) === 'agreed'
  } catch {
    return false
  }
}

/** The person agreed to the guide elsewhere (H5: the 手机号 consent checkbox). */
export function recordConsent(): void {
  if (!isWeapp) Taro.setStorageSync(STORAGE_KEY, 'agreed')
}

/** Which purpose WeChat asked for, from the API or component that triggered it. */
function purposeOf(referrer: string | undefined): ConsentPurpose {
  const r = referrer ?? ''
  if (/phone/i.test(r)) return 'phone'
  if (/album|saveImage|saveVideo/i.test(r)) return 'album'
  if (/location|poi|address/i.test(r)) return 'location'
  return 'photos'
}

interface WxPrivacy {
  onNeedPrivacyAuthorization?: (listener: (resolve: WxResolve, info?: { referrer?: string }) => void) => void
  requirePrivacyAuthorize?: (o: { success?: () => void; fail?: () => void }) => void
}

declare const wx: WxPrivacy | undefined

function wxPrivacy(): WxPrivacy | null {
  return typeof wx === 'undefined' ? null : wx
}

let listening = false
/** The purpose `ensureConsent` is asking WeChat about (its listener is told only `requirePrivacyAuthorize`). */
let requested: ConsentPurpose | null = null
/** weapp: WeChat asks our sheet whenever a privacy API needs the person's agreement (registered once). */
export function listenForPrivacyAuthorization(): void {
  if (!isWeapp || listening) return
  const wx = wxPrivacy()
  if (!wx?.onNeedPrivacyAuthorization) return
  listening = true
  wx.onNeedPrivacyAuthorization((resolve, info) => {
    // A question still open (another API asked meanwhile) is refused: one answer per sheet.
    pending?.wx?.({ event: 'disagree' })
    resolve({ event: 'exposureAuthorization' })
    show({ purpose: requested ?? purposeOf(info?.referrer), wx: resolve })
  })
}

/**
 * Resolves true once the person agreed to the privacy guide (at once if they had), false when
 * they refused: the caller then does not touch the API. weapp: `wx.requirePrivacyAuthorize`
 * (our sheet appears through the listener when WeChat has no agreement yet; a base library
 * without it has no privacy check to pass). H5: our sheet, unless agreed before.
 */
export function ensureConsent(purpose: ConsentPurpose): Promise<boolean> {
  if (isWeapp) {
    listenForPrivacyAuthorization()
    const wx = wxPrivacy()
    if (!wx?.requirePrivacyAuthorize) return Promise.resolve(true)
    requested = purpose
    return new Promise<boolean>((resolve) => wx.requirePrivacyAuthorize!({ success: () => resolve(true), fail: () => resolve(false) })).finally(() => {
      requested = null
    })
  }
  if (hasStoredConsent()) return Promise.resolve(true)
  return new Promise((resolve) => {
    pending?.done?.(false)
    show({ purpose, done: resolve })
  })
}

/** The sheet's answer (weapp 同意: only from the agree button's own event). */
export function answerConsent(agreed: boolean): void {
  const p = pending
  if (!p) return
  show(null)
  if (p.wx) {
    p.wx(agreed ? { event: 'agree', buttonId: AGREE_BUTTON_ID } : { event: 'disagree' })
    return
  }
  if (agreed) recordConsent()
  p.done?.(agreed)
}

/** The message a refusal shows (the caller toasts it). */
export function refusedText(purpose: ConsentPurpose): string {
  return `需要您同意《用户隐私保护指引》后才能${CONSENT_PURPOSE_LABELS[purpose]}`
}
