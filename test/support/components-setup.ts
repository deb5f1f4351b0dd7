/**
 * Taro's React hooks (usePullDownRefresh, useLoad, …) look up React through `reactMeta`, which
 * createReactApp fills. Call it once with an empty app so hooks work inside rendered components.
 * (useLoad/useDidShow never fire here: there is no page lifecycle. Keep loading in plain functions.)
 */
import * as React from 'react'
import * as ReactDOM from 'react-dom'
import { createReactApp } from '@tarojs/plugin-framework-react/dist/runtime'
import { configure } from '@testing-library/react'
import Taro from '@tarojs/taro'

function EmptyApp({ children }: React.PropsWithChildren) {
  return React.createElement(React.Fragment, null, children)
}

createReactApp(EmptyApp, React, ReactDOM, { pages: [] })

// findBy* / waitFor retry for 1 s by default: too short for a busy machine (a fake backend's
// answer and a render took longer with two CPU hogs beside the suite). Tests wait for conditions,
// never for time; this deadline only bounds a failure (in jsdom nothing legitimately takes
// seconds, so 15 s is ample and a broken test still fails quickly).
configure({ asyncUtilTimeout: 15_000 })

// The privacy guide was agreed before (services/privacy.ts keeps the H5 answer in storage): the
// photo pickers of the feature tests open at once. test/components/privacy.test.tsx removes it to
// test the consent sheet itself.
Taro.setStorageSync('privacy-consent', 'agreed')
