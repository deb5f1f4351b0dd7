import Taro from '@tarojs/taro'
import { useState } from 'react'
import { requestSubscribe } from '@/services/subscribe'
import { businessDate } from '@/shared/time'
import { STAFF_SUBSCRIBE_TEMPLATES } from './config'

/** The Shanghai date the banner was last tapped or closed (it shows at most once a day). */
export const STAFF_SUBSCRIBE_ASKED_KEY = 'staff-subscribe-asked'

function askedOn(): string {
  try {
    const v: unknown = Taro.getStorageSync(STAFF_SUBSCRIBE_ASKED_KEY)
    return typeof v === 'string' ? v : ''
  } catch {
    return ''
  }
}

export interface StaffSubscribePrompt {
  /** Show the 「开启新事项提醒」 banner. */
  visible: boolean
  /** The banner's tap: asks WeChat for the staff templates (inside the tap, as WeChat requires), then hides it for today. */
  enable: () => void
  /** Hide it for today without asking. */
  dismiss: () => void
}

/**
 * Staff are never sent a subscribe message they did not allow (WeChat answers 43101), and
 * WeChat shows its dialog only for a tap: so their queue offers a banner to tap, once a day, on
 * weapp, when the staff template ids are configured (TARO_APP_TPL_STAFF, features/cases/config.ts).
 * Each allowed template lets one message through; with 「总是保持以上选择」 ticked, later taps
 * add one more without a dialog.
 */
export function useStaffSubscribePrompt(templates: readonly string[] = STAFF_SUBSCRIBE_TEMPLATES): StaffSubscribePrompt {
  const [today] = useState(() => businessDate(new Date()))
  const [asked, setAsked] = useState(() => askedOn() === today)
  const hide = () => {
    try {
      Taro.setStorageSync(STAFF_SUBSCRIBE_ASKED_KEY, today)
    } catch {
      // storage full or unavailable: hidden for this page's life only
    }
    setAsked(true)
  }
  return {
    visible: process.env.TARO_ENV === 'weapp' && templates.length > 0 && !asked,
    enable() {
      void requestSubscribe(templates)
      hide()
    },
    dismiss: hide,
  }
}
