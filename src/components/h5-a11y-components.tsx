/**
 * View, Text, Image, Button and Picker for the H5 build: Taro's own, with their props passed
 * through the accessibility mapping of `a11y.ts` (`aria-role` → `role`, a role, keyboard focus
 * and Enter / Space for whatever is tappable, `alt` for images). Pages get them through
 * `h5-components.ts`, which the H5 build puts in place of `@tarojs/components`.
 */
import { Children, cloneElement, createElement, forwardRef, isValidElement, type ComponentType, type ReactElement } from 'react'
import { Button as TaroButton, Image as TaroImage, Picker as TaroPicker, Text as TaroText, View as TaroView } from '@tarojs/components/lib/react'
import { h5A11yProps, h5ImageProps } from './a11y'

type Props = Record<string, unknown>

function mapped(Component: ComponentType<Props>, map: (props: Props) => Props, name: string) {
  const Wrapped = forwardRef<unknown, Props>((props, ref) => createElement(Component, { ...map(props), ref }))
  Wrapped.displayName = name
  return Wrapped
}

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

const loose = (c: unknown) => c as ComponentType<Props>

export const View = mapped(loose(TaroView), h5A11yProps, 'View')
export const Text = mapped(loose(TaroText), h5A11yProps, 'Text')
export const Image = mapped(loose(TaroImage), h5ImageProps, 'Image')
export const Button = mapped(loose(TaroButton), h5A11yProps, 'Button')
export const Picker = mapped(loose(TaroPicker), pickerProps, 'Picker')
