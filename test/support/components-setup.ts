/**
 * Taro's React hooks (usePullDownRefresh, useLoad, …) look up React through `reactMeta`, which
 * createReactApp fills. Call it once with an empty app so hooks work inside rendered components.
 * (useLoad/useDidShow never fire here: there is no page lifecycle. Keep loading in plain functions.)
 */
import * as React from 'react'
import * as ReactDOM from 'react-dom'
import { createReactApp } from '@tarojs/plugin-framework-react/dist/runtime'

function EmptyApp({ children }: React.PropsWithChildren) {
  return React.createElement(React.Fragment, null, children)
}

createReactApp(EmptyApp, React, ReactDOM, { pages: [] })
