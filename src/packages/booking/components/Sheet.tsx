import { View, Text } from '@tarojs/components'
import type { PropsWithChildren, ReactNode } from 'react'
import { cx } from '@/components'
import './booking.css'

export interface SheetProps {
  open: boolean
  title: string
  onClose: () => void
  footer?: ReactNode
  className?: string
}

/** A small form sheet over the page (a plain View overlay: the same in weapp and H5). */
export function Sheet({ open, title, onClose, footer, className, children }: PropsWithChildren<SheetProps>) {
  if (!open) return null
  return (
    <View className={cx('bk-sheet-wrap', className)}>
      <View className='bk-sheet-mask' onClick={onClose} catchMove />
      <View className='bk-sheet' aria-role='dialog' aria-label={title}>
        <View className='bk-sheet__head'>
          <Text className='bk-sheet__title'>{title}</Text>
          <View className='bk-sheet__close' hoverClass='bk-sheet__close--hover' onClick={onClose} aria-label='关闭'>
            <Text>×</Text>
          </View>
        </View>
        <View className='bk-sheet__body'>{children}</View>
        {footer ? <View className='bk-sheet__foot'>{footer}</View> : null}
      </View>
    </View>
  )
}
