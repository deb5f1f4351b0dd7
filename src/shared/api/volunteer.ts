/**
 * Cloud function `volunteer`: 志愿服务活动 (PRODUCT.md §4). Everyone browses activities; a
 * volunteer signs up (onto an ordered waitlist when full), cancels, checks in and out with the
 * organiser's rotating QR (or its short code), and sees hours, points and a certificate; staff
 * create, publish and cancel activities, see the roster, show the QR, adjust hours, award bonus
 * points and export a period's hours and points per person and per 双报到 unit as .xlsx. A timer
 * promotes from the waitlist, moves activities on, credits hours and points, and reminds.
 */
import { z, text, optionalText } from '../z'
import { action, defineFunction } from './define'
import { IdSchema, InstantOut, PageFields, pageOf } from './common'
import { NameSchema, PhoneSchema } from '../ids'
import { LEDGER_KINDS, SIGNUP_STATES } from '../rules/volunteer'
import { ActivitySummary, Category, SummaryShape, activityList } from './volunteer-list'

export { ActivitySummary, type ActivitySummaryT } from './volunteer-list'

const Instant = z.string().check(z.refine((s) => !Number.isNaN(Date.parse(s)) && /T/.test(s), '时间格式不正确'))
const Version = z.int().check(z.gte(0))
const Count = (min: number, max: number, minMsg: string) =>
  z.int({ error: (iss) => (iss.input === undefined || iss.input === null ? '请填写此项' : '请填写整数') }).check(z.gte(min, minMsg), z.lte(max, `不能大于 ${max}`))

export const MySignup = z.object({
  state: z.enum(SIGNUP_STATES),
  stateLabel: z.string(),
  /** 1-based place on the waitlist (null unless waitlisted). */
  position: z.nullable(z.number()),
  checkedInAt: z.nullable(InstantOut),
  checkedOutAt: z.nullable(InstantOut),
  hours: z.nullable(z.number()),
  points: z.nullable(z.number()),
  late: z.boolean(),
})
export type MySignupT = z.infer<typeof MySignup>


export const ActivityDetail = z.object({
  ...SummaryShape,
  description: z.string(),
  address: z.string(),
  /** A map point for Taro.openLocation (null: none recorded). */
  location: z.nullable(z.object({ latitude: z.number(), longitude: z.number() })),
  requirements: z.string(),
  contact: z.string(),
  signupDeadline: InstantOut,
  cancelUntil: InstantOut,
  status: z.string(),
  version: z.number(),
  signup: z.nullable(MySignup),
  /** What the caller may do now: signUp, cancel, checkIn, checkOut, edit, publish, cancelActivity, roster, qr. */
  can: z.array(z.string()),
})
export type ActivityDetailT = z.infer<typeof ActivityDetail>

export const ActivityInput = z.strictObject({
  id: z.optional(IdSchema),
  version: z.optional(Version),
  title: text(40, '请填写活动名称'),
  category: Category,
  description: text(1000, '请介绍活动内容'),
  startAt: Instant,
  endAt: Instant,
  signupDeadline: z.optional(Instant),
  place: text(60, '请填写集合地点'),
  address: optionalText(100),
  location: z.optional(z.nullable(z.object({ latitude: z.number().check(z.gte(-90), z.lte(90)), longitude: z.number().check(z.gte(-180), z.lte(180)) }))),
  capacity: Count(1, 500, '名额至少为 1'),
  points: Count(0, 200, '积分不能为负数'),
  requirements: optionalText(200),
  contact: text(40, '请填写联系人'),
})
export type ActivityInputT = z.input<typeof ActivityInput>

export const RosterItem = z.object({
  openid: z.string(),
  name: z.string(),
  phoneMasked: z.string(),
  partyUnit: z.nullable(z.string()),
  state: z.enum(SIGNUP_STATES),
  stateLabel: z.string(),
  position: z.nullable(z.number()),
  checkedInAt: z.nullable(InstantOut),
  checkedOutAt: z.nullable(InstantOut),
  hours: z.nullable(z.number()),
  late: z.boolean(),
})

export const LedgerEntry = z.object({
  id: z.string(),
  kind: z.enum(LEDGER_KINDS),
  label: z.string(),
  points: z.number(),
  hours: z.number(),
  reason: z.string(),
  at: InstantOut,
})

const VOLUNTEER_STAFF = ['staff', 'admin'] as const
const Ref = z.strictObject({ id: IdSchema })

export const volunteerApi = defineFunction('volunteer', {
  list: activityList,
  get: action({ read: true, summary: '活动详情与我的报名状态', access: 'member', input: Ref, output: ActivityDetail }),
  signUp: action({
    summary: '报名（首次需填写真实姓名和手机号并同意使用）；满员时进入候补',
    access: 'member',
    input: z.strictObject({ id: IdSchema, name: z.optional(NameSchema), phone: z.optional(PhoneSchema), consent: z.optional(z.literal(true)) }),
    output: ActivityDetail,
  }),
  cancel: action({ summary: '取消报名（开始前 2 小时后取消会被记录）', access: 'member', input: Ref, output: ActivityDetail }),
  check: action({
    summary: '现场签到 / 签退：扫描组织者的二维码，或输入二维码下方的 6 位短码',
    access: 'member',
    input: z.strictObject({
      mode: z.enum(['in', 'out']),
      token: z.optional(z.string().check(z.maxLength(200))),
      activityId: z.optional(IdSchema),
      code: z.optional(z.string().check(z.trim(), z.regex(/^\d{6}$/, '短码为 6 位数字'))),
    }),
    output: ActivityDetail,
  }),
  mine: action({
    read: true,
    summary: '我的志愿：即将参加 / 已参加的活动',
    access: 'member',
    input: z.strictObject({ ...PageFields, when: z._default(z.enum(['upcoming', 'past']), 'upcoming') }),
    output: pageOf(ActivitySummary),
  }),
  profile: action({
    read: true,
    summary: '我的志愿档案：累计工时、积分余额、参加次数（志愿服务证明用）',
    access: 'member',
    input: z.strictObject({}),
    output: z.object({
      name: z.string(),
      communityName: z.string(),
      partyUnit: z.nullable(z.string()),
      hours: z.number(),
      points: z.number(),
      activities: z.number(),
      recent: z.array(z.object({ title: z.string(), date: z.string(), hours: z.number() })),
    }),
  }),
  ledger: action({ read: true, summary: '积分明细（只增不改的记录，余额由它算出）', access: 'member', input: z.strictObject({ ...PageFields }), output: pageOf(LedgerEntry) }),
  leaderboard: action({
    read: true,
    summary: '本社区志愿积分榜（月 / 年）：前 50 名，和我自己的积分与名次（未进前 50 名时名次为空）',
    access: 'member',
    input: z.strictObject({ period: z._default(z.enum(['month', 'year']), 'month') }),
    output: z.object({
      period: z.string(),
      items: z.array(z.object({ rank: z.number(), name: z.string(), points: z.number(), hours: z.number() })),
      /** The caller's own row (null: nothing this period); `rank` null below the board's 50 rows. */
      me: z.optional(z.nullable(z.object({ rank: z.nullable(z.number()), points: z.number(), hours: z.number() }))),
    }),
  }),
  save: action({ summary: '工作人员：新建或修改活动（草稿或已发布）', access: VOLUNTEER_STAFF, idempotent: true, input: ActivityInput, output: ActivityDetail }),
  publish: action({ summary: '工作人员：发布活动', access: VOLUNTEER_STAFF, input: z.strictObject({ id: IdSchema, version: Version }), output: ActivityDetail }),
  cancelActivity: action({
    summary: '工作人员：取消活动（通知所有报名和候补的人）',
    access: VOLUNTEER_STAFF,
    input: z.strictObject({ id: IdSchema, version: Version, reason: text(100, '请填写取消原因') }),
    output: ActivityDetail,
  }),
  roster: action({ read: true, summary: '工作人员：报名名单与每个人的状态', access: VOLUNTEER_STAFF, input: Ref, output: z.object({ items: z.array(RosterItem) }) }),
  qr: action({
    read: true,
    summary: '工作人员：现场签到二维码（每 60 秒更换，带签名）和 6 位短码',
    access: VOLUNTEER_STAFF,
    input: Ref,
    output: z.object({ token: z.string(), code: z.string(), expiresAt: InstantOut }),
  }),
  adjustHours: action({
    summary: '工作人员：调整某人本次活动的工时（需说明原因，留有记录）',
    access: VOLUNTEER_STAFF,
    input: z.strictObject({ id: IdSchema, openid: z.string().check(z.minLength(1), z.maxLength(64)), hours: z.number().check(z.gte(0), z.lte(24)), reason: text(100, '请填写调整原因') }),
    output: z.object({ items: z.array(RosterItem) }),
  }),
  bonus: action({
    summary: '工作人员：奖励积分（需说明原因）',
    access: VOLUNTEER_STAFF,
    idempotent: true,
    input: z.strictObject({ openid: z.string().check(z.minLength(1), z.maxLength(64)), points: Count(1, 500, '奖励积分至少为 1'), reason: text(100, '请填写奖励原因') }),
    output: LedgerEntry,
  }),
  export: action({
    read: true,
    summary: '工作人员：导出一段时间内每人、每个双报到单位的工时和积分（.xlsx）',
    access: VOLUNTEER_STAFF,
    input: z.strictObject({
      from: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式为 2026-12-01')),
      to: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式为 2026-12-31')),
    }),
    output: z.object({ fileName: z.string(), base64: z.string(), people: z.number(), units: z.number() }),
  }),
  tick: action({
    summary: '定时任务：候补递补、活动状态、工时积分入账、开始前一天提醒',
    access: 'system',
    input: z.object({}),
    output: z.object({ promoted: z.number(), credited: z.number(), reminded: z.number(), recounted: z.number() }),
  }),
})
