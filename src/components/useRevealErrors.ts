import Taro from '@tarojs/taro'
import { useCallback, useEffect, useState } from 'react'

/** What a refused form marks: a field in its error state (Field), or the form's own message. */
export const MARKED_SELECTOR = '.ui-field--invalid, .ui-form-error'

/** The first mark of the page on screen (H5 keeps earlier pages in the DOM, hidden). */
function firstMarked(): Element | null {
  for (const el of Array.from(document.querySelectorAll(MARKED_SELECTOR))) {
    if (!el.closest('.taro_page_shade')) return el
  }
  return null
}

/** Scrolls the current page so its first marked field is in the middle of the screen. */
export function scrollToFirstMarked(): void {
  if (process.env.TARO_ENV === 'h5') {
    const el = firstMarked()
    // Centred: clear of a fixed bottom bar and of the navigation bar.
    if (el && typeof el.scrollIntoView === 'function') el.scrollIntoView({ block: 'center', behavior: 'smooth' })
    return
  }
  void Taro.pageScrollTo({ selector: MARKED_SELECTOR, offsetTop: -160, duration: 200 }).catch(() => undefined)
}

/**
 * Shows a refused submit where the eye is. The submit button sits at the bottom (often in a fixed
 * bar) and the field at fault may be a screen away: the message goes up as a toast, and once
 * the marks are drawn the page scrolls to the first of them (a field's red state or the form's
 * own message, `ui-form-error`). Call it right after setting the errors.
 */
export function useRevealErrors(): (message?: string | null) => void {
  const [asked, setAsked] = useState(0)
  useEffect(() => {
    if (asked === 0) return
    // After this render's marks reach the view (weapp sends them to the view layer first).
    Taro.nextTick(scrollToFirstMarked)
  }, [asked])
  return useCallback((message?: string | null) => {
    if (message) void Promise.resolve(Taro.showToast({ title: message, icon: 'none', duration: 3000 })).catch(() => undefined)
    setAsked((n) => n + 1)
  }, [])
}
