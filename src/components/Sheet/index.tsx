import { View, Text } from '@tarojs/components'
import type { PropsWithChildren, ReactNode } from 'react'
import { cx } from '../cx'
import './index.css'

export interface SheetProps {
  open: boolean
  title: string
  onClose: () => void
  /** Buttons at the bottom. */
  footer?: ReactNode
  className?: string
}

/** A small form sheet over the page (a plain View overlay: same look in weapp and H5). */
export function Sheet({ open, title, onClose, footer, className, children }: PropsWithChildren<SheetProps>) {
  if (!open) return null
  return (
    <View className={cx('sheet-wrap', className)}>
      {/* hidden from screen readers: it only repeats the × (关闭) below */}
      <View className='sheet-mask' onClick={onClose} catchMove aria-hidden />
      <View className='sheet' aria-role='dialog' aria-label={title}>
        <View className='sheet__head'>
          <Text className='sheet__title'>{title}</Text>
          <View className='sheet__close' hoverClass='sheet__close--hover' onClick={onClose} aria-label='关闭'>
            <Text>×</Text>
          </View>
        </View>
        <View className='sheet__body'>{children}</View>
        {footer ? <View className='sheet__foot'>{footer}</View> : null}
      </View>
    </View>
  )
}
