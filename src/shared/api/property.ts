/**
 * Cloud function `property`: 物业服务评价与红黑榜 (PRODUCT.md §5; the score: rules/property.ts).
 *
 * - A verified resident rates the company serving their estate (物业公司), once per household per
 *   quarter, editable until the quarter ends.
 * - Everyone sees the community's 红榜 / 黑榜 and ranking of the latest published quarter, a
 *   company page with its dimensions, trend across quarters (信用档案), moderated comments and
 *   recorded violations.
 * - Staff manage companies and the estates they serve, name each company's contacts, record
 *   violations, mark 物业 complaints substantiated, review rating bursts, and run the quarter
 *   close: compute → preview → 7-day appeal window → decide appeals → publish (frozen; a later
 *   correction is recorded beside the original).
 * - A company contact (role `property`) sees its own draft results and appeals.
 */
import { z, text, optionalText } from '../z'
import { action, defineFunction } from './define'
import { IdSchema, InstantOut, PageFields, PhotoOut, pageOf, photosInput } from './common'
import { APPEAL_STATES, CLOSE_STATES, VIOLATION_LEVELS } from '../rules/property'
import { PhoneSchema } from '../ids'

export const MAX_PROPERTY_PHOTOS = 6
export const MAX_RATING_COMMENT = 300

const Star = z.int({ error: '请为每一项选择 1–5 星' }).check(z.gte(1, '请为每一项选择 1–5 星'), z.lte(5, '最多 5 星'))
export const StarsInput = z.strictObject({ security: Star, cleaning: Star, repair: Star, greening: Star, attitude: Star, fees: Star })
const StarsOut = z.object({ security: z.number(), cleaning: z.number(), repair: z.number(), greening: z.number(), attitude: z.number(), fees: z.number() })
const Quarter = z.string().check(z.regex(/^\d{4}Q[1-4]$/, '季度格式为 2026Q4'))
const Version = z.int().check(z.gte(0))
const List = z.enum(['red', 'black', 'none'])
const Level = z.enum(VIOLATION_LEVELS, { error: '请选择违规等级' })
const Photo = PhotoOut

/** A computed quarterly score, as shown (rules/property.ts Score). */
export const ScoreOut = z.object({
  n: z.number(),
  published: z.boolean(),
  dims: StarsOut,
  base: z.number(),
  deduction: z.number(),
  overall: z.number(),
  list: List,
  listLabel: z.string(),
  reason: z.string(),
  complaints: z.number(),
  general: z.number(),
  serious: z.number(),
})
export type ScoreOutT = z.infer<typeof ScoreOut>

export const CorrectionOut = z.object({ at: InstantOut, byName: z.string(), reason: z.string(), score: ScoreOut })

/** One company on the list page: its published (or corrected) score of the quarter. */
export const BoardRow = z.object({
  companyId: z.string(),
  name: z.string(),
  rank: z.nullable(z.number()),
  score: ScoreOut,
  /** The score was corrected after publishing; `score` is the corrected one, `original` what was published. */
  corrected: z.boolean(),
  original: z.nullable(ScoreOut),
})
export type BoardRowT = z.infer<typeof BoardRow>

export const BoardOut = z.object({
  communityId: z.string(),
  communityName: z.string(),
  /** The latest published quarter (null: none yet). */
  quarter: z.nullable(z.string()),
  quarterLabel: z.nullable(z.string()),
  publishedAt: z.nullable(InstantOut),
  red: z.array(BoardRow),
  black: z.array(BoardRow),
  /** Every company with a published score, best first. */
  ranking: z.array(BoardRow),
  /** Companies without enough ratings to publish a score (and not on 黑榜). */
  unranked: z.array(BoardRow),
  formula: z.array(z.string()),
  /** The company serving the caller's estate (null: none, or no address). */
  myCompany: z.nullable(z.object({ id: z.string(), name: z.string() })),
  /** Published quarters, newest first, to look back (信用档案). */
  quarters: z.array(z.object({ quarter: z.string(), label: z.string() })),
})
export type BoardOutT = z.infer<typeof BoardOut>

export const MyRatingOut = z.object({
  quarter: z.string(),
  quarterLabel: z.string(),
  /** Until when the household may still change it. */
  editableUntil: InstantOut,
  company: z.nullable(z.object({ id: z.string(), name: z.string() })),
  rating: z.nullable(z.object({ stars: StarsOut, comment: z.nullable(z.string()), byName: z.string(), updatedAt: InstantOut, excluded: z.boolean() })),
  /** Why the caller cannot rate (null: they can). */
  blocked: z.nullable(z.string()),
})
export type MyRatingOutT = z.infer<typeof MyRatingOut>

export const ViolationOut = z.object({
  id: z.string(),
  companyId: z.string(),
  quarter: z.string(),
  level: Level,
  levelLabel: z.string(),
  description: z.string(),
  photos: z.array(Photo),
  at: InstantOut,
  byName: z.string(),
  removed: z.boolean(),
})
export type ViolationOutT = z.infer<typeof ViolationOut>

export const CompanyOut = z.object({
  id: z.string(),
  name: z.string(),
  phone: z.nullable(z.string()),
  communityId: z.string(),
  estates: z.array(z.string()),
  /** The latest published quarter's score here (null: none yet). */
  latest: z.nullable(z.object({ quarter: z.string(), quarterLabel: z.string(), score: ScoreOut, corrections: z.array(CorrectionOut), original: ScoreOut })),
  /** Ratings so far in the current quarter (the score is shown once the quarter is published). */
  current: z.object({ quarter: z.string(), quarterLabel: z.string(), n: z.number() }),
  /** Published quarters, oldest first (the trend chart). */
  trend: z.array(z.object({ quarter: z.string(), label: z.string(), overall: z.nullable(z.number()), dims: StarsOut, list: List, corrected: z.boolean() })),
  violations: z.array(ViolationOut),
  /** The caller's household may rate this company now. */
  canRate: z.boolean(),
})
export type CompanyOutT = z.infer<typeof CompanyOut>

export const CommentOut = z.object({ id: z.string(), text: z.string(), quarterLabel: z.string(), estate: z.string(), at: InstantOut, stars: z.number() })

export const AppealOut = z.object({
  text: z.string(),
  photos: z.array(Photo),
  byName: z.string(),
  at: InstantOut,
  state: z.enum(APPEAL_STATES),
  stateLabel: z.string(),
  decision: z.nullable(z.string()),
  decidedAt: z.nullable(InstantOut),
})

/** One company's result in a quarter close, as staff and its contact see it. */
export const ResultOut = z.object({
  companyId: z.string(),
  companyName: z.string(),
  communityId: z.string(),
  communityName: z.string(),
  quarter: z.string(),
  quarterLabel: z.string(),
  state: z.enum(CLOSE_STATES),
  stateLabel: z.string(),
  appealUntil: z.nullable(InstantOut),
  score: ScoreOut,
  original: ScoreOut,
  corrections: z.array(CorrectionOut),
  appeal: z.nullable(AppealOut),
  /** The contact may appeal now. */
  canAppeal: z.boolean(),
})
export type ResultOutT = z.infer<typeof ResultOut>

export const CloseOut = z.object({
  quarter: z.string(),
  quarterLabel: z.string(),
  /** null: not computed yet. */
  state: z.nullable(z.enum(CLOSE_STATES)),
  stateLabel: z.string(),
  version: z.number(),
  /** The quarter has ended (only then can it be closed). */
  ended: z.boolean(),
  appealUntil: z.nullable(InstantOut),
  publishedAt: z.nullable(InstantOut),
  results: z.array(ResultOut),
  /** What staff may do now: compute, openAppeal, publish, correct. */
  can: z.array(z.string()),
  /** Why publishing must wait (null: it need not). */
  waitReason: z.nullable(z.string()),
  /** Ended quarters staff may pick, newest first, with their state. */
  quarters: z.array(z.object({ quarter: z.string(), label: z.string(), state: z.nullable(z.enum(CLOSE_STATES)) })),
})
export type CloseOutT = z.infer<typeof CloseOut>

export const AdminCompany = z.object({
  id: z.string(),
  name: z.string(),
  phone: z.nullable(z.string()),
  version: z.number(),
  estates: z.array(z.object({ id: z.string(), name: z.string() })),
  contacts: z.array(z.object({ openid: z.string(), name: z.string() })),
})
export const CompaniesOut = z.object({
  companies: z.array(AdminCompany),
  /** The community's estates and who serves each. */
  estates: z.array(z.object({ id: z.string(), name: z.string(), companyId: z.nullable(z.string()) })),
})
export type CompaniesOutT = z.infer<typeof CompaniesOut>

export const ComplaintOut = z.object({
  caseId: z.string(),
  kind: z.enum(['dispute', 'message']),
  summary: z.string(),
  place: z.string(),
  closedAt: z.nullable(InstantOut),
  /** The company serving the case's estate, if any (the default to mark against). */
  suggestedCompanyId: z.nullable(z.string()),
  mark: z.nullable(z.object({ companyId: z.string(), companyName: z.string(), quarter: z.string(), substantiated: z.boolean(), note: z.nullable(z.string()), byName: z.string() })),
})
export type ComplaintOutT = z.infer<typeof ComplaintOut>

export const BurstOut = z.object({
  id: z.string(),
  companyId: z.string(),
  companyName: z.string(),
  quarter: z.string(),
  hourText: z.string(),
  count: z.number(),
  status: z.enum(['flagged', 'excluded', 'dismissed']),
  statusLabel: z.string(),
  reason: z.nullable(z.string()),
})
export type BurstOutT = z.infer<typeof BurstOut>

export const SettingsOut = z.object({ complaint: z.number(), general: z.number(), serious: z.number(), burstPerHour: z.number(), formula: z.array(z.string()) })

const STAFF = ['staff', 'admin'] as const
const Deduction = z.number({ error: '请填写数字' }).check(z.gte(0, '不能为负数'), z.lte(2, '单项扣分最多 2 分'))
const QuarterRef = z.strictObject({ quarter: Quarter })

export const propertyApi = defineFunction('property', {
  board: action({
    read: true,
    summary: '物业红黑榜：最近公布季度的红榜、黑榜、排名和计分规则',
    access: 'member',
    input: z.strictObject({ quarter: z.optional(Quarter) }),
    output: BoardOut,
  }),
  company: action({
    read: true,
    summary: '物业公司详情：各项得分、季度趋势、违规记录',
    access: 'member',
    input: z.strictObject({ id: IdSchema }),
    output: CompanyOut,
  }),
  comments: action({
    read: true,
    summary: '物业公司的居民评语（已通过审核，不显示评价人）',
    access: 'member',
    input: z.strictObject({ id: IdSchema, ...PageFields }),
    output: pageOf(CommentOut),
  }),
  mine: action({ read: true, summary: '我家本季度对所在小区物业的评价', access: 'member', input: z.strictObject({}), output: MyRatingOut }),
  rate: action({
    summary: '评价物业（已认证住户，每户每季度一次，季度结束前可修改）',
    access: 'member',
    input: z.strictObject({ companyId: IdSchema, stars: StarsInput, comment: optionalText(MAX_RATING_COMMENT) }),
    output: MyRatingOut,
  }),
  // ---- the company contact (物业联系人) ----
  results: action({
    read: true,
    summary: '物业联系人：本公司各季度的评定结果与申诉',
    access: ['property'],
    input: z.strictObject({}),
    output: z.object({ company: z.object({ id: z.string(), name: z.string() }), items: z.array(ResultOut) }),
  }),
  appeal: action({
    summary: '物业联系人：申诉期内对本公司的季度结果提出申诉（附说明和证据照片）',
    access: ['property'],
    input: z.strictObject({
      communityId: IdSchema,
      quarter: Quarter,
      text: text(500, '请写明申诉理由'),
      photos: photosInput(MAX_PROPERTY_PHOTOS),
    }),
    output: ResultOut,
  }),
  // ---- staff ----
  companies: action({ read: true, summary: '工作人员：物业公司、服务的小区和联系人', access: STAFF, input: z.strictObject({}), output: CompaniesOut }),
  saveCompany: action({
    summary: '工作人员：新建或修改物业公司',
    access: STAFF,
    idempotent: 'record',
    input: z.strictObject({ id: z.optional(IdSchema), version: z.optional(Version), name: text(40, '请填写公司名称'), phone: z.optional(z.nullable(z.string().check(z.trim(), z.regex(/^[\d-]{7,20}$/, '请填写正确的电话号码')))) }),
    output: CompaniesOut,
  }),
  assignEstate: action({
    summary: '工作人员：设置小区由哪家物业公司服务',
    access: STAFF,
    input: z.strictObject({ estateId: IdSchema, companyId: z.nullable(IdSchema) }),
    output: CompaniesOut,
  }),
  setContact: action({
    summary: '工作人员：按手机号设置或取消物业公司的联系人（此人需已登记）',
    access: STAFF,
    input: z.strictObject({ companyId: IdSchema, phone: z.optional(PhoneSchema), openid: z.optional(z.string().check(z.minLength(1), z.maxLength(64))), on: z.boolean() }),
    output: CompaniesOut,
  }),
  violations: action({
    read: true,
    summary: '工作人员：物业公司的违规记录',
    access: STAFF,
    input: z.strictObject({ companyId: IdSchema }),
    output: z.object({ items: z.array(ViolationOut) }),
  }),
  recordViolation: action({
    summary: '工作人员：记录物业违规（一般 / 严重，附证据照片）',
    access: STAFF,
    idempotent: 'record',
    input: z.strictObject({ companyId: IdSchema, quarter: z.optional(Quarter), level: Level, description: text(300, '请写明违规情况'), photos: photosInput(MAX_PROPERTY_PHOTOS) }),
    output: ViolationOut,
  }),
  removeViolation: action({
    summary: '工作人员：撤销记错的违规（季度公布前；公布后请用更正）',
    access: STAFF,
    input: z.strictObject({ id: IdSchema, reason: text(100, '请填写撤销原因') }),
    output: ViolationOut,
  }),
  complaints: action({
    read: true,
    summary: '工作人员：已办结的物业类纠纷和留言，标记投诉是否属实',
    access: STAFF,
    input: z.strictObject({ ...PageFields }),
    output: pageOf(ComplaintOut),
  }),
  markComplaint: action({
    summary: '工作人员：认定物业投诉是否属实（属实的计入该季度扣分）',
    access: STAFF,
    input: z.strictObject({ caseId: IdSchema, companyId: IdSchema, quarter: z.optional(Quarter), substantiated: z.boolean(), note: optionalText(100) }),
    output: ComplaintOut,
  }),
  bursts: action({
    read: true,
    summary: '工作人员：短时间内集中出现的评价（待核查）',
    access: STAFF,
    input: z.strictObject({ ...PageFields, status: z._default(z.enum(['flagged', 'excluded', 'dismissed']), 'flagged') }),
    output: pageOf(BurstOut),
  }),
  reviewBurst: action({
    summary: '工作人员：核查集中评价——剔除（不计分）或保留，需说明理由',
    access: STAFF,
    input: z.strictObject({ id: z.string().check(z.minLength(1), z.maxLength(200)), exclude: z.boolean(), reason: text(100, '请填写核查结论') }),
    output: BurstOut,
  }),
  hideComment: action({
    summary: '工作人员：隐藏不当评语（评分仍计入）',
    access: STAFF,
    input: z.strictObject({ id: z.string().check(z.minLength(1), z.maxLength(200)), reason: text(100, '请填写隐藏原因') }),
    output: z.object({ ok: z.literal(true) }),
  }),
  close: action({ read: true, summary: '工作人员：季度评定（计算、预览、申诉、公布）', access: STAFF, input: z.strictObject({ quarter: z.optional(Quarter) }), output: CloseOut }),
  compute: action({ summary: '工作人员：计算已结束季度的结果（公布前可重新计算）', access: STAFF, input: QuarterRef, output: CloseOut }),
  openAppeal: action({
    summary: '工作人员：审核无误后把结果告知物业公司，开始 7 天申诉期',
    access: STAFF,
    input: z.strictObject({ quarter: Quarter, version: Version }),
    output: CloseOut,
  }),
  decideAppeal: action({
    summary: '工作人员：采纳或驳回申诉并说明理由（采纳时按现有记录重新计算该公司结果）',
    access: STAFF,
    input: z.strictObject({ quarter: Quarter, companyId: IdSchema, accept: z.boolean(), reason: text(200, '请填写处理理由') }),
    output: CloseOut,
  }),
  publish: action({ summary: '工作人员：公布季度结果（公布后不再改动）', access: STAFF, input: z.strictObject({ quarter: Quarter, version: Version }), output: CloseOut }),
  correct: action({
    summary: '工作人员：公布后更正某公司结果（按现有记录重新计算，原结果保留并注明更正）',
    access: STAFF,
    input: z.strictObject({ quarter: Quarter, companyId: IdSchema, reason: text(200, '请填写更正原因') }),
    output: CloseOut,
  }),
  settings: action({ read: true, summary: '工作人员：本社区的扣分标准和集中评价阈值', access: STAFF, input: z.strictObject({}), output: SettingsOut }),
  saveSettings: action({
    summary: '管理员：修改本社区的扣分标准和集中评价阈值',
    access: ['admin'],
    input: z.strictObject({ complaint: Deduction, general: Deduction, serious: Deduction, burstPerHour: z.int({ error: '请填写整数' }).check(z.gte(3, '至少为 3'), z.lte(1000, '不能大于 1000')) }),
    output: SettingsOut,
  }),
  tick: action({ summary: '定时任务：标出集中评价，补发评定结果和申诉的通知', access: 'system', input: z.object({}), output: z.object({ settled: z.number(), flagged: z.number() }) }),
})
