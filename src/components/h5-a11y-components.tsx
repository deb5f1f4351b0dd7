/**
 * View and Text for the H5 build: Taro's own, with their props passed through the accessibility
 * mapping of `a11y.ts` (`aria-role` → `role`, a role, keyboard focus and Enter / Space for
 * whatever is tappable). Image, Button and Picker are mapped the same way in
 * `h5-a11y-controls.tsx`. Pages get them through `h5-components.ts`, which the H5 build puts in
 * place of `@tarojs/components`.
 *
 * Taro's View and Text are made here, as its generated `lib/react/components.js` makes them
 * (`createReactComponent` over the custom element), not imported from that file: it is one module
 * holding every component the app uses anywhere, so each page's chunk carried the Picker, Input,
 * Textarea, Canvas… of every other page (≈ 9 KB gzip of 首页's first screen, issue 13). A page
 * now takes from Taro only the elements it imports.
 */
import { createElement, forwardRef, type ComponentType } from 'react'
import { createReactComponent } from '@tarojs/components/lib/react/react-component-lib/createComponent.js'
import { manipulatePropsFunction } from '@tarojs/components/lib/react/helper.js'
import { defineCustomElement as defineText } from '@tarojs/components/dist/components/taro-text-core.js'
import { defineCustomElement as defineView } from '@tarojs/components/dist/components/taro-view-core.js'
import { h5A11yProps } from './a11y'

export type Props = Record<string, unknown>

/** Taro's React component for one of its custom elements (as `lib/react/components.js` declares it). */
export function taroComponent(tagName: string, define: () => void): ComponentType<Props> {
  return createReactComponent(tagName, undefined, manipulatePropsFunction as never, define) as unknown as ComponentType<Props>
}

export function mapped(Component: ComponentType<Props>, map: (props: Props) => Props, name: string) {
  const Wrapped = forwardRef<unknown, Props>((props, ref) => createElement(Component, { ...map(props), ref }))
  Wrapped.displayName = name
  return Wrapped
}

export const View = mapped(taroComponent('taro-view-core', defineView), h5A11yProps, 'View')
export const Text = mapped(taroComponent('taro-text-core', defineText), h5A11yProps, 'Text')
