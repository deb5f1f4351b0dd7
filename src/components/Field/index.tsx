import { View, Text } from '@tarojs/components'
import type { PropsWithChildren } from 'react'
import { cx } from '../cx'
import './index.css'

export interface FieldProps {
  /** Empty: no label row (the control is already titled, e.g. by its card). */
  label: string
  required?: boolean
  /** Shown under the control in red; also marks the field invalid. */
  error?: string
  /** Help text under the control when there is no error. */
  hint?: string
  className?: string
}

/**
 * A form row: label, the control passed as children (Input / Textarea / Picker…) and an
 * inline error. Controls get the `ui-input` / `ui-textarea` / `ui-picker` classes for the look.
 */
export function Field({ label, required = false, error, hint, className, children }: PropsWithChildren<FieldProps>) {
  return (
    <View className={cx('ui-field', error && 'ui-field--invalid', className)}>
      {label ? (
        <View className='ui-field__label'>
          <Text>{label}</Text>
          {required ? <Text className='ui-field__required'> *</Text> : null}
        </View>
      ) : null}
      <View className='ui-field__control'>{children}</View>
      {error ? (
        <Text className='ui-field__error' aria-live='polite'>
          {error}
        </Text>
      ) : hint ? (
        <Text className='ui-field__hint'>{hint}</Text>
      ) : null}
    </View>
  )
}
