/**
 * Cloud function `cases`: the shared case engine's actions for 邻里纠纷 (kind `dispute`) and,
 * later, 居民留言 (kind `message`). One function, two kinds of case.
 */
import { z, text, optionalText } from '../z'
import { action, defineFunction } from './define'
import { IdSchema, InstantOut, PageFields, pageOf } from './common'
import {
  CASE_KINDS,
  CASE_STATUSES,
  DISPUTE_CATEGORIES,
  LEVELS,
  MESSAGE_CATEGORIES,
  SATISFACTIONS,
  URGENCIES,
} from '../rules/cases'
import { RoomSchema } from '../domain/user'

export const MAX_PHOTOS = 6
export const MAX_DESCRIPTION = 500

const Kind = z.enum(CASE_KINDS)
const Status = z.enum(CASE_STATUSES)
const Level = z.enum(LEVELS)
const Category = z.enum([...DISPUTE_CATEGORIES, ...MESSAGE_CATEGORIES], { error: '请选择纠纷类型' })
const FileId = z.string().check(z.minLength(1), z.maxLength(256), z.regex(/^(cloud|local):\/\//, '图片地址不正确'))
const Photos = z.array(FileId).check(z.maxLength(MAX_PHOTOS, `最多上传 ${MAX_PHOTOS} 张照片`))
const Version = z.int().check(z.gte(0))
const CaseRef = { id: IdSchema, version: Version }
const ref = <S extends z.core.$ZodShape>(shape: S) => z.strictObject({ ...CaseRef, ...shape })

export const TimelineEntry = z.object({
  at: InstantOut,
  byName: z.string(),
  byRole: z.string(),
  action: z.string(),
  label: z.string(),
  from: z.nullable(Status),
  to: z.nullable(Status),
  note: z.nullable(z.string()),
  /** Private notes are visible to handlers only. */
  private: z.boolean(),
})
export type TimelineEntryT = z.infer<typeof TimelineEntry>

const SummaryShape = {
  id: z.string(),
  kind: Kind,
  category: z.string(),
  title: z.string(),
  status: Status,
  statusLabel: z.string(),
  urgency: z.enum(URGENCIES),
  level: Level,
  complex: z.boolean(),
  dueAt: z.nullable(InstantOut),
  overdue: z.boolean(),
  submittedAt: InstantOut,
  locationText: z.string(),
  gridName: z.nullable(z.string()),
}
export const CaseSummary = z.object(SummaryShape)
export type CaseSummaryT = z.infer<typeof CaseSummary>

export const CaseDetail = z.object({
  ...SummaryShape,
  description: z.string(),
  photos: z.array(z.object({ fileId: z.string(), url: z.nullable(z.string()), checking: z.boolean() })),
  /** Shown only to handlers (never to other residents). */
  otherParty: z.nullable(z.string()),
  submitter: z.object({ name: z.string(), phone: z.nullable(z.string()) }),
  assigneeName: z.nullable(z.string()),
  agreement: z.nullable(z.string()),
  failReason: z.nullable(z.string()),
  satisfaction: z.nullable(z.string()),
  satisfactionComment: z.nullable(z.string()),
  reopenCount: z.number(),
  version: z.number(),
  timeline: z.array(TimelineEntry),
  /** What the caller may do now (drives the buttons; the server checks again). */
  can: z.array(z.string()),
  viewerRole: z.enum(['owner', 'handler']),
})
export type CaseDetailT = z.infer<typeof CaseDetail>

export const StatRow = z.object({
  received: z.number(),
  acceptedOnTime: z.number(),
  accepted: z.number(),
  resolved: z.number(),
  failed: z.number(),
  rated: z.number(),
  satisfied: z.number(),
  onTimeRate: z.nullable(z.number()),
  successRate: z.nullable(z.number()),
  satisfactionRate: z.nullable(z.number()),
})
export type StatRowT = z.infer<typeof StatRow>

export const SubmitDisputeInput = z.strictObject({
  kind: z.literal('dispute'),
  category: Category,
  description: text(MAX_DESCRIPTION, '请描述纠纷情况'),
  photos: z._default(Photos, []),
  location: z.strictObject({ buildingId: IdSchema, unitId: z.optional(IdSchema) }),
  otherParty: z.optional(z.strictObject({ buildingId: IdSchema, unitId: IdSchema, room: RoomSchema })),
  urgency: z._default(z.enum(URGENCIES), 'normal'),
})
export type SubmitDisputeInputT = z.input<typeof SubmitDisputeInput>

const HANDLERS = ['grid_worker', 'staff', 'admin', 'street'] as const

export const casesApi = defineFunction('cases', {
  submit: action({
    daily: 'cases',
    summary: '居民：提交纠纷（类别、描述、最多 6 张照片、位置、对方、紧急程度）',
    access: 'member',
    idempotent: true,
    input: SubmitDisputeInput,
    output: CaseDetail,
  }),
  mine: action({
    read: true,
    summary: '居民：我的纠纷 / 留言，按提交时间倒序',
    access: 'member',
    input: z.strictObject({ ...PageFields, kind: z._default(Kind, 'dispute') }),
    output: pageOf(CaseSummary),
  }),
  queue: action({
    read: true,
    summary: '调解员 / 工作人员：待办案件，按时限排序，超期在前',
    access: HANDLERS,
    input: z.strictObject({
      ...PageFields,
      kind: z._default(Kind, 'dispute'),
      status: z._default(z.enum(['open', ...CASE_STATUSES]), 'open'),
      category: z.optional(Category),
      gridId: z.optional(IdSchema),
      overdueOnly: z._default(z.boolean(), false),
    }),
    output: pageOf(CaseSummary),
  }),
  get: action({
    read: true,
    summary: '案件详情与办理时间线（仅提交人、承办人、社区工作人员可见）',
    access: 'member',
    input: z.strictObject({ id: IdSchema }),
    output: CaseDetail,
  }),
  accept: action({ summary: '受理', access: HANDLERS, input: ref({}), output: CaseDetail }),
  start: action({ summary: '开始调解', access: HANDLERS, input: ref({}), output: CaseDetail }),
  resolve: action({ summary: '调解成功：记录调解协议', access: HANDLERS, input: ref({ agreement: text(1000, '请填写调解协议内容') }), output: CaseDetail }),
  fail: action({ summary: '调解未成：记录原因', access: HANDLERS, input: ref({ reason: text(500, '请填写调解未成的原因') }), output: CaseDetail }),
  escalate: action({
    summary: '上报上一级（网格 → 社区 → 街道），需说明原因',
    access: HANDLERS,
    input: ref({ reason: text(500, '请填写上报原因') }),
    output: CaseDetail,
  }),
  refer: action({ summary: '调解未成的纠纷转人民调解委员会', access: HANDLERS, input: ref({ note: text(500, '请填写转交说明') }), output: CaseDetail }),
  markComplex: action({
    summary: '标记为复杂案件（办结时限延长至 15 天），需说明原因',
    access: HANDLERS,
    input: ref({ reason: text(500, '请填写标记为复杂的原因') }),
    output: CaseDetail,
  }),
  addNote: action({
    summary: '添加办理备注：仅工作人员可见，或同时告知居民',
    access: HANDLERS,
    input: ref({ text: text(500, '请填写备注'), shared: z._default(z.boolean(), false) }),
    output: CaseDetail,
  }),
  reassign: action({
    summary: '工作人员：转办给其他网格或社区',
    access: ['staff', 'admin'],
    input: ref({ gridId: z.nullable(IdSchema), note: text(200, '请填写转办说明') }),
    output: CaseDetail,
  }),
  withdraw: action({ summary: '居民：在调解完成前撤回', access: 'member', input: ref({ reason: optionalText(200) }), output: CaseDetail }),
  rate: action({
    summary: '居民：评价调解结果（不满意可重新调解一次）',
    access: 'member',
    input: ref({ satisfaction: z.enum(SATISFACTIONS, { error: '请选择满意度' }), comment: optionalText(200) }),
    output: CaseDetail,
  }),
  stats: action({
    read: true,
    summary: '工作人员：受理量、按期受理率、调解成功率、满意率（按月、类别、网格）',
    access: ['staff', 'admin', 'street'],
    input: z.strictObject({ kind: z._default(Kind, 'dispute'), month: z.string().check(z.regex(/^\d{4}-\d{2}$/, '月份格式为 2026-11')) }),
    output: z.object({
      month: z.string(),
      total: StatRow,
      byCategory: z.array(z.object({ key: z.string(), row: StatRow })),
      byGrid: z.array(z.object({ key: z.string(), name: z.string(), row: StatRow })),
    }),
  }),
  tick: action({
    summary: '定时任务：超时自动上报、超期未评价默认满意并办结',
    access: 'system',
    input: z.object({}),
    output: z.object({ escalated: z.number(), flagged: z.number(), closed: z.number() }),
  }),
})
