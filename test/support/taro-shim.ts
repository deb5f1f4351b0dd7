/**
 * `@tarojs/taro` for jsdom tests: the H5 implementation of the API (its default export lacks
 * the API methods, so we rebuild it from the named exports) plus the React lifecycle hooks from
 * the React framework runtime. Tests may spy on any method: `jest.spyOn(Taro, 'navigateTo')`.
 */
import * as h5 from '@tarojs/taro-h5'
import * as reactRuntime from '@tarojs/plugin-framework-react/dist/runtime'

const HOOK_NAMES = [
  'useAddToFavorites',
  'useDidHide',
  'useDidShow',
  'useError',
  'useLaunch',
  'useLoad',
  'useOptionMenuClick',
  'usePageNotFound',
  'usePageScroll',
  'usePullDownRefresh',
  'usePullIntercept',
  'useReachBottom',
  'useReady',
  'useResize',
  'useRouter',
  'useShareAppMessage',
  'useShareTimeline',
  'useTabItemTap',
  'useTitleClick',
  'useUnhandledRejection',
  'useUnload',
] as const

const hooks = Object.fromEntries(HOOK_NAMES.map((name) => [name, (reactRuntime as Record<string, unknown>)[name]]))
const { default: h5Default, ...api } = h5 as unknown as Record<string, unknown> & { default: Record<string, unknown> }

const Taro: Record<string, unknown> = Object.assign({}, h5Default, api, hooks)

export default Taro
export * from '@tarojs/taro-h5'
export const {
  useAddToFavorites,
  useDidHide,
  useDidShow,
  useError,
  useLaunch,
  useLoad,
  useOptionMenuClick,
  usePageNotFound,
  usePageScroll,
  usePullDownRefresh,
  usePullIntercept,
  useReachBottom,
  useReady,
  useResize,
  useRouter,
  useShareAppMessage,
  useShareTimeline,
  useTabItemTap,
  useTitleClick,
  useUnhandledRejection,
  useUnload,
} = reactRuntime
