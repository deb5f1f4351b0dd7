import Taro from '@tarojs/taro'
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type PropsWithChildren } from 'react'

/**
 * 长辈模式 (elderly mode): larger text (≥ 18 px body), larger tap targets (≥ 44 px), darker
 * secondary text, simpler layouts. It starts from WeChat's own font-size setting and the
 * resident's choice (persisted in storage) overrides it.
 */
export const ELDER_STORAGE_KEY = 'elderMode'

/** A system font scale at or above this turns the elder mode on by default. */
export const ELDER_SCALE_THRESHOLD = 1.15
/** A system font scale at or above this also adds the extra-large step (`elder-xl`). */
export const ELDER_XL_SCALE_THRESHOLD = 1.4
/** WeChat's standard `fontSizeSetting` in px (iOS 17, Android 16). */
const STANDARD_FONT_SIZE = 17

interface FontInfo {
  fontSizeScaleFactor?: number
  fontSizeSetting?: number
}

/** WeChat's font-size setting as a scale factor (1 = standard). 1 where unknown (H5, tests). */
export function readSystemFontScale(): number {
  try {
    const api = Taro as unknown as { getAppBaseInfo?: () => FontInfo; getSystemInfoSync?: () => FontInfo }
    const info: FontInfo = (api.getAppBaseInfo ?? api.getSystemInfoSync)?.() ?? {}
    if (typeof info.fontSizeScaleFactor === 'number' && info.fontSizeScaleFactor > 0) return info.fontSizeScaleFactor
    if (typeof info.fontSizeSetting === 'number' && info.fontSizeSetting > 0) {
      return Math.max(1, info.fontSizeSetting / STANDARD_FONT_SIZE)
    }
  } catch {
    // not available on this platform
  }
  return 1
}

/** The resident's stored choice, or null when they never chose. */
export function readStoredElder(): boolean | null {
  try {
    const v: unknown = Taro.getStorageSync(ELDER_STORAGE_KEY)
    if (v === true || v === 'true' || v === 1) return true
    if (v === false || v === 'false' || v === 0) return false
  } catch {
    // storage unavailable
  }
  return null
}

export function writeStoredElder(elder: boolean): void {
  try {
    Taro.setStorageSync(ELDER_STORAGE_KEY, elder)
  } catch {
    // storage full or unavailable: the choice lasts for this session only
  }
}

/** Initial elder state: the stored choice, else WeChat's font size. */
export function initialElder(stored: boolean | null, systemScale: number): boolean {
  return stored ?? systemScale >= ELDER_SCALE_THRESHOLD
}

/** Class names for a page root: `elder` and, with a very large system font, `elder-xl`. */
export function elderClassNames(elder: boolean, systemScale: number): string {
  if (!elder) return ''
  return systemScale >= ELDER_XL_SCALE_THRESHOLD ? 'elder elder-xl' : 'elder'
}

export interface ElderMode {
  elder: boolean
  setElder: (elder: boolean) => void
  /** WeChat's font scale (1 = standard). */
  systemScale: number
  /** Class names to put on a page root (see PageRoot). */
  rootClassName: string
}

const noop = (): void => undefined
const ElderContext = createContext<ElderMode>({ elder: false, setElder: noop, systemScale: 1, rootClassName: '' })

export function ElderProvider({ children, initial }: PropsWithChildren<{ initial?: boolean }>) {
  const [systemScale] = useState(readSystemFontScale)
  const [elder, setElderState] = useState(() => initial ?? initialElder(readStoredElder(), systemScale))

  const setElder = useCallback((next: boolean) => {
    setElderState(next)
    writeStoredElder(next)
  }, [])

  // H5: also mark <html>, so things outside the pages (Taro's tab bar) can follow.
  useEffect(() => {
    if (process.env.TARO_ENV === 'h5' && typeof document !== 'undefined') {
      document.documentElement.classList.toggle('elder', elder)
    }
  }, [elder])

  const value = useMemo<ElderMode>(
    () => ({ elder, setElder, systemScale, rootClassName: elderClassNames(elder, systemScale) }),
    [elder, setElder, systemScale],
  )
  return <ElderContext.Provider value={value}>{children}</ElderContext.Provider>
}

export function useElderMode(): ElderMode {
  return useContext(ElderContext)
}
