import type { PropsWithChildren } from 'react'
import { ElderProvider } from '@/components/elder'
import './app.css'

/**
 * The app root. Every page is rendered as a child of this component (one React tree in both
 * weapp and H5), so contexts provided here reach every page: the 长辈模式 state lives here.
 * Each page's outermost element is <PageRoot>, which carries the `elder` class.
 */
function App({ children }: PropsWithChildren) {
  return <ElderProvider>{children}</ElderProvider>
}

export default App
