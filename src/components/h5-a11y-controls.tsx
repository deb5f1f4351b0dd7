/**
 * Image, Button and Picker for the H5 build: Taro's own with the accessibility mapping of
 * `a11y.ts` (`alt` for images), beside View and Text (`h5-a11y-components.tsx`, which says why
 * they are made from Taro's elements one by one): a page that draws none of them loads none.
 */
import { Children, cloneElement, isValidElement, type ReactElement } from 'react'
import { defineCustomElement as defineButton } from '@tarojs/components/dist/components/taro-button-core.js'
import { defineCustomElement as defineImage } from '@tarojs/components/dist/components/taro-image-core.js'
import { defineCustomElement as definePicker } from '@tarojs/components/dist/components/taro-picker-core.js'
import { h5A11yProps, h5ImageProps } from './a11y'
import { mapped, taroComponent, type Props } from './h5-a11y-components'

/**
 * A Picker opens on a tap on what it wraps (a View drawn as a field): that View is the control,
 * so it gets the button role and focus (Enter on it clicks it, and the click reaches Taro's
 * picker). The picker itself gets no role: its pop-up is drawn inside it.
 */
function pickerProps(props: Props): Props {
  const only = Children.count(props.children) === 1 ? Children.only(props.children) : null
  if (!isValidElement(only)) return props
  const childProps = only.props as Props
  if (childProps['aria-role'] || childProps.role) return props
  const trigger = cloneElement(only as ReactElement<Props>, { 'aria-role': 'button', 'aria-disabled': props.disabled ? 'true' : undefined })
  return { ...props, children: trigger }
}

export const Image = mapped(taroComponent('taro-image-core', defineImage), h5ImageProps, 'Image')
export const Button = mapped(taroComponent('taro-button-core', defineButton), h5A11yProps, 'Button')
export const Picker = mapped(taroComponent('taro-picker-core', definePicker), pickerProps, 'Picker')
