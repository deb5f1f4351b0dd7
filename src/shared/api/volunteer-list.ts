/**
 * The activity list of `volunteer` (志愿活动): its schemas and its action, apart from the rest of
 * the contract so that 首页 reads it without loading the whole contract (its first screen has a
 * size budget). `volunteer.ts` declares `list` with these very objects: one contract.
 */
import { z } from '../z'
import { action, defineFunction } from './define'
import { InstantOut, PageFields, pageOf } from './common'
import { ACTIVITY_CATEGORIES, ACTIVITY_PHASES, SIGNUP_STATES } from '../rules/volunteer'

export const Category = z.enum(ACTIVITY_CATEGORIES, { error: '请选择活动类别' })
const Phase = z.enum(ACTIVITY_PHASES)

export const SummaryShape = {
  id: z.string(),
  title: z.string(),
  category: z.string(),
  phase: Phase,
  phaseLabel: z.string(),
  startAt: InstantOut,
  endAt: InstantOut,
  timeText: z.string(),
  place: z.string(),
  capacity: z.number(),
  taken: z.number(),
  placesLeft: z.number(),
  waitlisted: z.number(),
  hours: z.number(),
  points: z.number(),
  mine: z.nullable(z.enum(SIGNUP_STATES)),
}
export const ActivitySummary = z.object(SummaryShape)
export type ActivitySummaryT = z.infer<typeof ActivitySummary>

export const activityList = action({
  read: true,
  summary: '志愿活动：即将开始的在前，可按类别、日期、状态筛选和搜索',
  access: 'member',
  input: z.strictObject({
    ...PageFields,
    category: z.optional(Category),
    date: z.optional(z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式为 2026-12-05'))),
    /** `draft`: staff only — activities saved but not yet published. */
    phase: z.optional(z.enum(['open', 'full', 'ongoing', 'finished', 'draft'])),
    q: z.optional(z.string().check(z.trim(), z.maxLength(20, '最多 20 个字'))),
  }),
  output: pageOf(ActivitySummary),
})

/** The list alone, for 首页 (same function, same action as `volunteerApi.list`). */
export const volunteerListApi = defineFunction('volunteer', { list: activityList })
