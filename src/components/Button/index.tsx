import { Button as TaroButton, type ButtonProps as TaroButtonProps } from '@tarojs/components'
import type { ITouchEvent } from '@tarojs/components'
import type { PropsWithChildren } from 'react'
import { cx } from '../cx'
import './index.css'

export type ButtonType = 'primary' | 'default' | 'plain'

export interface ButtonProps {
  /** primary: red, for the one main action of a screen; default: white; plain: red outline. */
  type?: ButtonType
  size?: 'normal' | 'small'
  /** Full width of its container. */
  block?: boolean
  loading?: boolean
  disabled?: boolean
  className?: string
  onClick?: (e: ITouchEvent) => void
  /** WeChat open capabilities (e.g. getPhoneNumber); pass the matching handler below. */
  openType?: TaroButtonProps['openType']
  onGetPhoneNumber?: TaroButtonProps['onGetPhoneNumber']
  formType?: TaroButtonProps['formType']
}

/** A button at least 44 px high (52 px in 长辈模式). Disabled or loading: taps do nothing. */
export function Button({
  type = 'default',
  size = 'normal',
  block = false,
  loading = false,
  disabled = false,
  className,
  onClick,
  openType,
  onGetPhoneNumber,
  formType,
  children,
}: PropsWithChildren<ButtonProps>) {
  const inactive = disabled || loading
  return (
    <TaroButton
      className={cx(
        'ui-btn',
        `ui-btn--${type}`,
        size === 'small' && 'ui-btn--small',
        block && 'ui-btn--block',
        inactive && 'ui-btn--disabled',
        loading && 'ui-btn--loading',
        className,
      )}
      disabled={disabled}
      loading={loading}
      hoverClass={inactive ? 'none' : 'ui-btn--hover'}
      openType={inactive ? undefined : openType}
      onGetPhoneNumber={onGetPhoneNumber}
      formType={formType}
      aria-disabled={inactive ? 'true' : undefined}
      onClick={(e) => {
        if (inactive) return
        onClick?.(e)
      }}
    >
      {children}
    </TaroButton>
  )
}
