import { View } from '@tarojs/components'
import type { PropsWithChildren } from 'react'
import { useElderMode } from '../elder'
import { cx } from '../cx'

export interface PageRootProps {
  className?: string
}

/**
 * The outermost element of every page. It carries the design tokens (CSS variables) and the
 * 长辈模式 classes (`elder`, `elder-xl`), so every page follows the mode without extra code.
 */
export function PageRoot({ className, children }: PropsWithChildren<PageRootProps>) {
  const { rootClassName } = useElderMode()
  return <View className={cx('page-root', rootClassName, className)}>{children}</View>
}
