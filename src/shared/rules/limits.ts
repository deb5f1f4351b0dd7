/**
 * Rate limits (频率限制): how often one person may act, per community. Pure data and rules; the
 * runtime (cloudfunctions/src/runtime/limits.ts) counts. A community's admin may override any
 * number within the bounds (collection `rate_settings`, id = communityId).
 */
import { z } from '../z'

/** The named daily caps an action can count against. */
export const DAILY_LIMITS = {
  cases: { label: '提交纠纷', default: 20 },
  // A grid worker on a patrol campaign files many more reports than a resident files disputes.
  reports: { label: '巡查上报', default: 100 },
  messages: { label: '给社区留言', default: 20 },
  bookings: { label: '预约场地', default: 10 },
  invites: { label: '生成邀请码', default: 30 },
  profile: { label: '修改资料', default: 30 },
} as const
export type DailyLimitName = keyof typeof DAILY_LIMITS

export interface RateSettings {
  /** Writes per person per minute, every write action together. */
  writesPerMinute: number
  daily: Record<DailyLimitName, number>
}

export const DEFAULT_RATE_SETTINGS: RateSettings = {
  writesPerMinute: 60,
  daily: Object.fromEntries(Object.entries(DAILY_LIMITS).map(([k, v]) => [k, v.default])) as Record<DailyLimitName, number>,
}

/** What an admin may store: every number bounded (a limit of 0 would lock people out). */
const dailyCap = z.optional(z.int().check(z.gte(1), z.lte(1000)))
export const RateSettingsPatch = z.object({
  writesPerMinute: z.optional(z.int().check(z.gte(5), z.lte(600))),
  daily: z.optional(z.object({ cases: dailyCap, reports: dailyCap, messages: dailyCap, bookings: dailyCap, invites: dailyCap, profile: dailyCap })),
})

export function rateSettings(stored: unknown): RateSettings {
  const parsed = z.safeParse(RateSettingsPatch, stored ?? {})
  if (!parsed.success) return DEFAULT_RATE_SETTINGS
  return {
    writesPerMinute: parsed.data.writesPerMinute ?? DEFAULT_RATE_SETTINGS.writesPerMinute,
    daily: Object.fromEntries(
      Object.entries(DEFAULT_RATE_SETTINGS.daily).map(([k, v]) => [k, parsed.data.daily?.[k as DailyLimitName] ?? v]),
    ) as Record<DailyLimitName, number>,
  }
}

export const minuteMessage = () => '操作太频繁了，请休息 1 分钟后再试'
export const dailyMessage = (name: DailyLimitName, n: number) => `今天${DAILY_LIMITS[name].label}已达 ${n} 次上限，请明天再试；如有急事请直接联系社区`
