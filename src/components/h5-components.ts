/**
 * `@tarojs/components` for the H5 build only (config/index.ts, `h5.webpackChain`, sets the alias
 * after Taro's own): Taro's React components, with View, Text, Image, Button and Picker replaced
 * by the accessible ones of `h5-a11y-components.tsx` and `h5-a11y-controls.tsx`.
 *
 * Why one alias: every page imports its View from `@tarojs/components` and writes WeChat's
 * props (`aria-role`, `onClick`), which the browser does not understand. Mapping them here fixes
 * every page at once, the weapp build never sees this file, and no DOM is rewritten after React
 * has drawn it (as a MutationObserver would), nor does any page need a second way to write a
 * View.
 *
 * Keep this file to re-exports only: in production Taro's TaroComponentsExportsPlugin drops every
 * named dependency of the module imported as `@tarojs/components` whose name is not a component
 * the app uses (its tree-shaking), which would also drop a `forwardRef` imported here. And the H5
 * config declares it free of side effects: webpack then sends each page's `import { View }`
 * straight to the module that makes View, and a page's chunk holds only the components it
 * imports (the rest of Taro's, e.g. Input, come from its one `lib/react` module, to the pages
 * using them).
 */
export * from '@tarojs/components/lib/react'
export { Text, View } from './h5-a11y-components'
export { Button, Image, Picker } from './h5-a11y-controls'
