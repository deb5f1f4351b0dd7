/**
 * The 留言墙 read of `cases`: its item and its action, apart from the rest of the contract so that
 * 首页 reads the latest wall posts without loading the whole case contract (its first screen has
 * a size budget). `cases.ts` declares `wall` with these very objects: one contract.
 */
import { z } from '../z'
import { action, defineFunction } from './define'
import { InstantOut, PageFields, pageOf } from './common'

export const WallItem = z.object({
  id: z.string(),
  category: z.string(),
  text: z.string(),
  /** The community's reply, redacted like the text (null while there is none). */
  reply: z.nullable(z.string()),
  status: z.string(),
  publishedAt: InstantOut,
})
export type WallItemT = z.infer<typeof WallItem>

export const wallRead = action({
  read: true,
  summary: '留言墙：本社区公开的留言与社区答复，最新在前（已隐去个人信息）',
  access: 'member',
  input: z.strictObject({ ...PageFields }),
  output: pageOf(WallItem),
})

/** The wall alone, for 首页 (same function, same action as `casesApi.wall`). */
export const wallApi = defineFunction('cases', { wall: wallRead })
