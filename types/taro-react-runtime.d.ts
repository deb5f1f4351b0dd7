/**
 * Types for the React framework runtime of Taro (the package ships none). Used by the jest
 * setup and the `@tarojs/taro` shim in test/support.
 */
declare module '@tarojs/plugin-framework-react/dist/runtime' {
  import type Taro from '@tarojs/taro'

  export function createReactApp(
    App: unknown,
    react: unknown,
    dom: unknown,
    config: Record<string, unknown>,
  ): Record<string, unknown>

  export const useAddToFavorites: typeof Taro.useAddToFavorites
  export const useDidHide: typeof Taro.useDidHide
  export const useDidShow: typeof Taro.useDidShow
  export const useError: typeof Taro.useError
  export const useLaunch: typeof Taro.useLaunch
  export const useLoad: typeof Taro.useLoad
  export const useOptionMenuClick: typeof Taro.useOptionMenuClick
  export const usePageNotFound: typeof Taro.usePageNotFound
  export const usePageScroll: typeof Taro.usePageScroll
  export const usePullDownRefresh: typeof Taro.usePullDownRefresh
  export const usePullIntercept: typeof Taro.usePullIntercept
  export const useReachBottom: typeof Taro.useReachBottom
  export const useReady: typeof Taro.useReady
  export const useResize: typeof Taro.useResize
  export const useRouter: typeof Taro.useRouter
  export const useShareAppMessage: typeof Taro.useShareAppMessage
  export const useShareTimeline: typeof Taro.useShareTimeline
  export const useTabItemTap: typeof Taro.useTabItemTap
  export const useTitleClick: typeof Taro.useTitleClick
  export const useUnhandledRejection: typeof Taro.useUnhandledRejection
  export const useUnload: typeof Taro.useUnload
}
