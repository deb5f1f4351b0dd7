import { View, Text } from '@tarojs/components'
import type { PropsWithChildren, ReactNode } from 'react'
import { cx } from '../cx'
import './index.css'

export interface CheckboxProps {
  checked: boolean
  onChange: (checked: boolean) => void
  disabled?: boolean
  className?: string
  /**
   * Beside the label but not part of the box (a link such as 《用户隐私保护指引》): a control
   * inside a check box is out of reach of a screen reader and a keyboard, and tapping it would
   * also tick the box.
   */
  after?: ReactNode
}

/**
 * A check box with its label, drawn with Views (the native <checkbox> cannot be styled to the
 * design and cannot be tapped in miniprogram-simulate). The whole row is the tap target (≥ 44 px).
 * A link belongs in `after`, not in the label.
 */
export function Checkbox({ checked, onChange, disabled = false, className, after, children }: PropsWithChildren<CheckboxProps>) {
  const box = (
    <View
      className={cx('ui-checkbox', checked && 'ui-checkbox--on', disabled && 'ui-checkbox--disabled', className)}
      aria-role='checkbox'
      aria-checked={checked}
      aria-disabled={disabled}
      onClick={() => {
        if (!disabled) onChange(!checked)
      }}
    >
      <View className='ui-checkbox__box'>{checked ? <Text className='ui-checkbox__mark'>✓</Text> : null}</View>
      <View className='ui-checkbox__label'>{children}</View>
    </View>
  )
  if (after === undefined || after === null) return box
  return (
    <View className='ui-checkbox-row'>
      {box}
      <View className='ui-checkbox-row__after'>{after}</View>
    </View>
  )
}
