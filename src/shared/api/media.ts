/**
 * Cloud function `media`: receives the 内容安全 verdict of a photo's media check. In production
 * `security.mediaCheckAsync` answers only a trace id; WeChat later pushes the result as the
 * message event `wxa_media_check` (消息推送 → 云函数 `media`, set in 云开发控制台). Nobody calls
 * this function: its one action accepts only the platform's push (`access: 'push'`).
 */
import { z } from '../z'
import { action, defineFunction } from './define'

/** The pushed event (JSON), as WeChat sends it for mediaCheckAsync v2; other fields are dropped. */
export const MediaCheckEvent = z.object({
  MsgType: z.literal('event'),
  Event: z.literal('wxa_media_check'),
  trace_id: z.string().check(z.minLength(1), z.maxLength(128)),
  /** The openid the check was started for (the uploader). */
  FromUserName: z.optional(z.string()),
  /** Non-zero: the check itself failed (e.g. 43104, no permission); there is no verdict. */
  errcode: z.optional(z.number()),
  errmsg: z.optional(z.string()),
  /** The overall verdict: `pass`, `risky` or `review` (and a label: 100 normal, 20001 时政, …). */
  result: z.optional(z.object({ suggest: z.string(), label: z.optional(z.union([z.number(), z.string()])) })),
})
export type MediaCheckEventT = z.infer<typeof MediaCheckEvent>

export const mediaApi = defineFunction('media', {
  wxa_media_check: action({
    summary: '内容安全：图片异步检测的结果（微信消息推送 wxa_media_check）；未知的 trace_id 不改变任何数据',
    access: 'push',
    input: MediaCheckEvent,
    output: z.object({
      /** Whether the trace id belongs to a check this product started. */
      known: z.boolean(),
      /** The photo's verdict now (null: unknown trace id). */
      verdict: z.nullable(z.enum(['pass', 'reject', 'pending'])),
      /** Records whose copy of the photo this push changed. */
      updated: z.number(),
    }),
  }),
})
