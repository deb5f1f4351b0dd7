import { useDidShow } from '@tarojs/taro'
import type { PropsWithChildren } from 'react'
import { ElderProvider } from '@/components/elder'
import { emitAppShow } from '@/features/app-events'
import './app.css'

/**
 * The app root. Every page is rendered as a child of this component (one React tree in both
 * weapp and H5), so contexts provided here reach every page: the 长辈模式 state lives here.
 * Each page's outermost element is <PageRoot>, which carries the `elder` class.
 * On every app show it tells the features (the 消息 tab's unread badge is refreshed then);
 * it imports no data code, so the H5 first download stays small.
 */
function App({ children }: PropsWithChildren) {
  useDidShow(() => {
    emitAppShow()
  })
  return <ElderProvider>{children}</ElderProvider>
}

export default App
