import { View, Text } from '@tarojs/components'
import type { PropsWithChildren } from 'react'
import { cx } from '../cx'
import './index.css'

export interface CheckboxProps {
  checked: boolean
  onChange: (checked: boolean) => void
  disabled?: boolean
  className?: string
}

/**
 * A check box with its label, drawn with Views (the native <checkbox> cannot be styled to the
 * design and cannot be tapped in miniprogram-simulate). The whole row is the tap target (≥ 44 px).
 * Links inside the label should stop propagation so they do not toggle the box.
 */
export function Checkbox({ checked, onChange, disabled = false, className, children }: PropsWithChildren<CheckboxProps>) {
  return (
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
}
