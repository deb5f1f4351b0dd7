/**
 * Cloud function `cases`: the shared case engine's actions for 邻里纠纷 (kind `dispute`) and,
 * later, 居民留言 (kind `message`). One function, two kinds of case.
 */
import { z } from '../z'
import { action, defineFunction } from './define'
import { IdSchema, InstantOut, PageInput, pageOf } from './common'
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
const FileId = z.string().min(1).max(256).regex(/^(cloud|local):\/\//, '图片地址不正确')
const Photos = z.array(FileId).max(MAX_PHOTOS, `最多上传 ${MAX_PHOTOS} 张照片`)
const Text = (max: number, empty = '请填写内容') => z.string().trim().min(1, empty).max(max, `最多 ${max} 个字`)
const CaseRef = z.object({ id: IdSchema, version: z.number().int().min(0) }).strict()

export const TimelineEntry = z.object({
  at: InstantOut,
  byName: z.string(),
  byRole: z.string(),
  action: z.string(),
  label: z.string(),
  from: Status.nullable(),
  to: Status.nullable(),
  note: z.string().nullable(),
  /** Private notes are visible to handlers only. */
  private: z.boolean(),
})

export const CaseSummary = z.object({
  id: z.string(),
  kind: Kind,
  category: z.string(),
  title: z.string(),
  status: Status,
  statusLabel: z.string(),
  urgency: z.enum(URGENCIES),
  level: Level,
  complex: z.boolean(),
  dueAt: InstantOut.nullable(),
  overdue: z.boolean(),
  submittedAt: InstantOut,
  locationText: z.string(),
  gridName: z.string().nullable(),
})
export type CaseSummaryT = z.infer<typeof CaseSummary>

export const CaseDetail = CaseSummary.extend({
  description: z.string(),
  photos: z.array(z.object({ fileId: z.string(), url: z.string().nullable(), checking: z.boolean() })),
  /** Shown only to handlers (never to other residents). */
  otherParty: z.string().nullable(),
  submitter: z.object({ name: z.string(), phone: z.string().nullable() }),
  assigneeName: z.string().nullable(),
  agreement: z.string().nullable(),
  failReason: z.string().nullable(),
  satisfaction: z.string().nullable(),
  satisfactionComment: z.string().nullable(),
  reopenCount: z.number(),
  version: z.number(),
  timeline: z.array(TimelineEntry),
  /** What the caller may do now (drives the buttons; the server checks again). */
  can: z.array(z.string()),
  viewerRole: z.enum(['owner', 'handler']),
})
export type CaseDetailT = z.infer<typeof CaseDetail>

export const casesApi = defineFunction('cases', {
  submit: action({
    summary: '居民：提交纠纷（类别、描述、最多 6 张照片、位置、对方、紧急程度）',
    access: 'member',
    idempotent: true,
    input: z
      .object({
        kind: z.literal('dispute'),
        category: Category,
        description: Text(MAX_DESCRIPTION, '请描述纠纷情况'),
        photos: Photos.default([]),
        location: z.object({ buildingId: IdSchema, unitId: IdSchema.optional() }).strict(),
        otherParty: z.object({ buildingId: IdSchema, unitId: IdSchema, room: RoomSchema }).strict().optional(),
        urgency: z.enum(URGENCIES).default('normal'),
      })
      .strict(),
    output: CaseDetail,
  }),
  mine: action({
    summary: '居民：我的纠纷 / 留言，按提交时间倒序',
    access: 'member',
    input: PageInput.extend({ kind: Kind.default('dispute') }).strict(),
    output: pageOf(CaseSummary),
  }),
  queue: action({
    summary: '调解员 / 工作人员：待办案件，按时限排序，超期在前',
    access: ['grid_worker', 'staff', 'admin', 'street'],
    input: PageInput.extend({
      kind: Kind.default('dispute'),
      status: z.enum(['open', ...CASE_STATUSES]).default('open'),
      category: Category.optional(),
      gridId: IdSchema.optional(),
      overdueOnly: z.boolean().default(false),
    }).strict(),
    output: pageOf(CaseSummary),
  }),
  get: action({
    summary: '案件详情与办理时间线（仅提交人、承办人、社区工作人员可见）',
    access: 'member',
    input: z.object({ id: IdSchema }).strict(),
    output: CaseDetail,
  }),
  accept: action({ summary: '受理', access: ['grid_worker', 'staff', 'admin', 'street'], input: CaseRef, output: CaseDetail }),
  start: action({ summary: '开始调解', access: ['grid_worker', 'staff', 'admin', 'street'], input: CaseRef, output: CaseDetail }),
  resolve: action({
    summary: '调解成功：记录调解协议',
    access: ['grid_worker', 'staff', 'admin', 'street'],
    input: CaseRef.extend({ agreement: Text(1000, '请填写调解协议内容') }).strict(),
    output: CaseDetail,
  }),
  fail: action({
    summary: '调解未成：记录原因',
    access: ['grid_worker', 'staff', 'admin', 'street'],
    input: CaseRef.extend({ reason: Text(500, '请填写调解未成的原因') }).strict(),
    output: CaseDetail,
  }),
  escalate: action({
    summary: '上报上一级（网格 → 社区 → 街道），需说明原因',
    access: ['grid_worker', 'staff', 'admin', 'street'],
    input: CaseRef.extend({ reason: Text(500, '请填写上报原因') }).strict(),
    output: CaseDetail,
  }),
  refer: action({
    summary: '调解未成的纠纷转人民调解委员会',
    access: ['grid_worker', 'staff', 'admin', 'street'],
    input: CaseRef.extend({ note: Text(500, '请填写转交说明') }).strict(),
    output: CaseDetail,
  }),
  markComplex: action({
    summary: '标记为复杂案件（办结时限延长至 15 天），需说明原因',
    access: ['grid_worker', 'staff', 'admin', 'street'],
    input: CaseRef.extend({ reason: Text(500, '请填写标记为复杂的原因') }).strict(),
    output: CaseDetail,
  }),
  addNote: action({
    summary: '添加办理备注：仅工作人员可见，或同时告知居民',
    access: ['grid_worker', 'staff', 'admin', 'street'],
    input: CaseRef.extend({ text: Text(500, '请填写备注'), shared: z.boolean().default(false) }).strict(),
    output: CaseDetail,
  }),
  reassign: action({
    summary: '工作人员：转办给其他网格或社区',
    access: ['staff', 'admin'],
    input: CaseRef.extend({ gridId: IdSchema.nullable(), note: Text(200, '请填写转办说明') }).strict(),
    output: CaseDetail,
  }),
  withdraw: action({
    summary: '居民：在调解完成前撤回',
    access: 'member',
    input: CaseRef.extend({ reason: z.string().trim().max(200).optional() }).strict(),
    output: CaseDetail,
  }),
  rate: action({
    summary: '居民：评价调解结果（不满意可重新调解一次）',
    access: 'member',
    input: CaseRef.extend({
      satisfaction: z.enum(SATISFACTIONS, { error: '请选择满意度' }),
      comment: z.string().trim().max(200, '最多 200 个字').optional(),
    }).strict(),
    output: CaseDetail,
  }),
  stats: action({
    summary: '工作人员：受理量、按期受理率、调解成功率、满意率（按月、类别、网格）',
    access: ['staff', 'admin', 'street'],
    input: z.object({ kind: Kind.default('dispute'), month: z.string().regex(/^\d{4}-\d{2}$/, '月份格式为 2026-11') }).strict(),
    output: z.object({
      month: z.string(),
      total: z.lazy(() => StatRow),
      byCategory: z.array(z.object({ key: z.string(), row: z.lazy(() => StatRow) })),
      byGrid: z.array(z.object({ key: z.string(), name: z.string(), row: z.lazy(() => StatRow) })),
    }),
  }),
  tick: action({
    summary: '定时任务：超时自动上报、超期未评价默认满意并办结',
    access: 'system',
    input: z.object({}),
    output: z.object({ escalated: z.number(), flagged: z.number(), closed: z.number() }),
  }),
})

export const StatRow = z.object({
  received: z.number(),
  acceptedOnTime: z.number(),
  accepted: z.number(),
  resolved: z.number(),
  failed: z.number(),
  rated: z.number(),
  satisfied: z.number(),
  onTimeRate: z.number().nullable(),
  successRate: z.number().nullable(),
  satisfactionRate: z.number().nullable(),
})
export type StatRowT = z.infer<typeof StatRow>
