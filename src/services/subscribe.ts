/**
 * WeChat one-time subscribe messages (订阅消息), asked for at natural moments (after submitting a
 * dispute, after booking). weapp only, and only when template ids are configured. Never throws
 * and never waits longer than 20 s: a refusal, an error or an old client changes nothing about
 * the action. WeChat requires the call inside a tap, so the submit button starts it before the
 * request goes out and awaits it before leaving the page.
 */
import Taro from '@tarojs/taro'

const SUBSCRIBE_WAIT_MS = 20_000

export function requestSubscribe(templates: readonly string[]): Promise<void> {
  if (process.env.TARO_ENV !== 'weapp' || templates.length === 0) return Promise.resolve()
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, SUBSCRIBE_WAIT_MS)
    const done = () => {
      clearTimeout(timer)
      resolve()
    }
    try {
      const api = Taro as unknown as { requestSubscribeMessage?: (o: Record<string, unknown>) => Promise<unknown> }
      if (typeof api.requestSubscribeMessage !== 'function') return done()
      void Promise.resolve(api.requestSubscribeMessage({ tmplIds: [...templates] }))
        .catch(() => undefined)
        .then(done)
    } catch {
      done()
    }
  })
}
