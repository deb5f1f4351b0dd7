import Taro from '@tarojs/taro'

/**
 * App-level events, so the app root needs no feature code: on H5 the root's imports are the
 * first download, and a feature's data layer (gateway, zod schemas) would weigh on every start.
 */
export const APP_SHOW = 'app:show'

/** Runs `fn` on every app show (returning from the background, H5 tab visible again). */
export function onAppShow(fn: () => void): () => void {
  Taro.eventCenter.on(APP_SHOW, fn)
  return () => Taro.eventCenter.off(APP_SHOW, fn)
}

export function emitAppShow(): void {
  Taro.eventCenter.trigger(APP_SHOW)
}
