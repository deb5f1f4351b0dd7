import { View } from '@tarojs/components'
import { useEffect, useRef, type PropsWithChildren } from 'react'
import { useElderMode } from '../elder'
import { cx } from '../cx'
import { ConsentSheet } from '../PrivacyConsent/host'

export interface PageRootProps {
  className?: string
}

/**
 * The outermost element of every page. It carries the design tokens (CSS variables) and the
 * 长辈模式 classes (`elder`, `elder-xl`), so every page follows the mode without extra code, and
 * the privacy consent sheet a privacy API may ask for on any page (components/PrivacyConsent; H5
 * loads it when first asked).
 */
export function PageRoot({ className, children }: PropsWithChildren<PageRootProps>) {
  const { rootClassName } = useElderMode()
  const ref = useRef<unknown>(null)
  // H5: Taro scrolls each page inside its own element (.taro_page); a keyboard reaches it, to
  // scroll a page that has nothing else to focus (a guide, a list of results), only if it can
  // take focus itself.
  useEffect(() => {
    if (process.env.TARO_ENV !== 'h5') return
    const page = (ref.current as Element | null)?.closest?.('.taro_page')
    if (page && !page.hasAttribute('tabindex')) page.setAttribute('tabindex', '0')
  }, [])
  return (
    <View ref={ref} className={cx('page-root', rootClassName, className)}>
      {children}
      <ConsentSheet />
    </View>
  )
}
