/**
 * `user.me` (its whole contract is ./user.ts), in a file of its own: the session every page reads
 * from the first screen on needs only this action — not the schemas of onboarding, residents,
 * roles and invitations, which would weigh on 首页's first screen.
 */
import { z } from '../z'
import { action, defineFunction } from './define'
import { Empty } from './common'
import { ProfileSchema } from '../domain/user'

export const meAction = action({
  read: true,
  summary: '当前用户的资料、住址和角色（未入驻时 profile 为 null）',
  access: 'user',
  input: Empty,
  output: z.object({ openid: z.string(), profile: z.nullable(ProfileSchema) }),
})

/** `me` alone, for the session (same function, same action as `userApi.me`). */
export const userMeApi = defineFunction('user', { me: meAction })
