import { View } from '@tarojs/components'
import { cx } from '../cx'
import './index.css'

export interface SwitchProps {
  checked: boolean
  onChange: (checked: boolean) => void
  /** Read by screen readers. */
  label?: string
  disabled?: boolean
  className?: string
}

/**
 * An on/off switch drawn with Views (the native <switch> cannot be styled to the design and
 * cannot be tapped in miniprogram-simulate). The whole 52 × 32 px track plus padding is tappable.
 */
export function Switch({ checked, onChange, label, disabled = false, className }: SwitchProps) {
  return (
    <View
      className={cx('ui-switch', checked && 'ui-switch--on', disabled && 'ui-switch--disabled', className)}
      aria-role='switch'
      aria-label={label}
      aria-checked={checked}
      onClick={(e) => {
        e.stopPropagation?.()
        if (!disabled) onChange(!checked)
      }}
    >
      <View className='ui-switch__track'>
        <View className='ui-switch__thumb' />
      </View>
    </View>
  )
}
