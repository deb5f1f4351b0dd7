/**
 * Cloud function `cases`: the shared case engine's actions for 邻里纠纷 (kind `dispute`) and
 * 居民留言 (kind `message`). One function, two kinds of case: the same states, transitions,
 * deadlines, timeline, escalation, notifications and job; a message adds a thread of replies,
 * unread marks on both sides and the public 留言墙.
 */
import { z, text, optionalText } from '../z'
import { action, defineFunction } from './define'
import { FileId, IdSchema, InstantOut, PageFields, PhotoOut, RejectedPhotos, pageOf } from './common'
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
import { wallRead } from './wall'
import { EVENT_TYPES } from '../rules/grid'
import { OnBehalfInput, ProxyOut } from '../domain/proxy'

export const MAX_PHOTOS = 6
export const MAX_DESCRIPTION = 500
export const MAX_MESSAGE = 1000

const Kind = z.enum(CASE_KINDS)
const Status = z.enum(CASE_STATUSES)
const Level = z.enum(LEVELS)
const Category = z.enum([...new Set([...DISPUTE_CATEGORIES, ...MESSAGE_CATEGORIES, ...EVENT_TYPES])], { error: '请选择类型' })
const MessageCategory = z.enum(MESSAGE_CATEGORIES, { error: '请选择留言类型' })
const DisputeCategory = z.enum(DISPUTE_CATEGORIES, { error: '请选择纠纷类型' })
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
  /** The statuses as named where the case stood (a patrol report at a department: 待接收); absent on old entries. */
  fromLabel: z.optional(z.nullable(z.string())),
  toLabel: z.optional(z.nullable(z.string())),
  note: z.nullable(z.string()),
  /** Private notes are visible to handlers only. */
  private: z.boolean(),
})
export type TimelineEntryT = z.infer<typeof TimelineEntry>

/** One post of a message's thread (居民留言): the resident's words or the community's reply. */
export const ThreadPost = z.object({
  at: InstantOut,
  side: z.enum(['resident', 'staff']),
  byName: z.string(),
  text: z.string(),
  photos: z.array(PhotoOut),
  /** A reply that asked the resident for more information (要求补充). */
  asksInfo: z.boolean(),
})
export type ThreadPostT = z.infer<typeof ThreadPost>

export const WALL_STATUSES = ['none', 'published', 'withdrawn'] as const
export const WallState = z.object({
  /** The resident asked for it to be public (希望公开). */
  wanted: z.boolean(),
  status: z.enum(WALL_STATUSES),
  /** The redacted text as published. */
  text: z.nullable(z.string()),
  publishedAt: z.nullable(InstantOut),
})

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
  /** Posts the viewer has not read yet (messages: the other side's replies). */
  unread: z.number(),
  assigneeName: z.nullable(z.string()),
  /** A patrol report: the department handling it (分流转办 / 吹哨). */
  departmentName: z.nullable(z.string()),
  departmentId: z.nullable(z.string()),
  /** A patrol report at a department: the time it must be finished by (dueAt is the accept-by until it is taken). */
  deptDueAt: z.nullable(InstantOut),
}
export const CaseSummary = z.object(SummaryShape)
export type CaseSummaryT = z.infer<typeof CaseSummary>

export const CaseDetail = z.object({
  ...SummaryShape,
  description: z.string(),
  photos: z.array(z.object({ fileId: z.string(), url: z.nullable(z.string()), checking: z.boolean() })),
  /** The viewer's own photos in this case (and its thread) that failed the content check. */
  rejectedPhotos: RejectedPhotos,
  /** Shown only to handlers (never to other residents). */
  otherParty: z.nullable(z.string()),
  submitter: z.object({ name: z.string(), phone: z.nullable(z.string()) }),
  /** 代办: submitted for the resident by a grid worker or staff (由网格员 X 代办); absent or null otherwise. */
  proxy: z.optional(z.nullable(ProxyOut)),
  agreement: z.nullable(z.string()),
  failReason: z.nullable(z.string()),
  satisfaction: z.nullable(z.string()),
  satisfactionComment: z.nullable(z.string()),
  reopenCount: z.number(),
  version: z.number(),
  timeline: z.array(TimelineEntry),
  /** Messages: the conversation, oldest first (disputes: empty). */
  thread: z.array(ThreadPost),
  /** Messages: the 留言墙 state (disputes: null). */
  wall: z.nullable(WallState),
  /** The deadline is paused while waiting for the resident (要求补充). */
  paused: z.boolean(),
  /** What the caller may do now (drives the buttons; the server checks again). */
  can: z.array(z.string()),
  /** owner: the resident; handler: the assignee (or, before acceptance, any handler at the level); observer: reads only, phone masked. */
  viewerRole: z.enum(['owner', 'handler', 'observer']),
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
  /** Patrol reports: routings to departments, and reports finished in time (按期办结率 = resolvedOnTime / resolved). */
  routed: z.number(),
  resolvedOnTime: z.number(),
  resolveOnTimeRate: z.nullable(z.number()),
  onTimeRate: z.nullable(z.number()),
  successRate: z.nullable(z.number()),
  satisfactionRate: z.nullable(z.number()),
})
export type StatRowT = z.infer<typeof StatRow>

export const SubmitDisputeInput = z.strictObject({
  kind: z.literal('dispute'),
  category: DisputeCategory,
  description: text(MAX_DESCRIPTION, '请描述纠纷情况'),
  photos: z._default(Photos, []),
  location: z.strictObject({ buildingId: IdSchema, unitId: z.optional(IdSchema) }),
  otherParty: z.optional(z.strictObject({ buildingId: IdSchema, unitId: IdSchema, room: RoomSchema })),
  urgency: z._default(z.enum(URGENCIES), 'normal'),
  /** 代办: a grid worker or staff submits for a resident of their grid / community, who agreed (domain/proxy.ts). */
  onBehalfOf: z.optional(OnBehalfInput),
})
export type SubmitDisputeInputT = z.input<typeof SubmitDisputeInput>

export const WriteMessageInput = z.strictObject({
  category: MessageCategory,
  text: text(MAX_MESSAGE, '请写下您想对社区说的话'),
  photos: z._default(Photos, []),
  /** 水电气暖 emergencies: first reply within 2 h instead of 24 h. */
  utility: z._default(z.boolean(), false),
  /** 希望公开: staff may publish it, redacted, on the 留言墙. */
  wantsPublic: z._default(z.boolean(), false),
})
export type WriteMessageInputT = z.input<typeof WriteMessageInput>

/** Per-community case numbers (PRODUCT.md defaults), each within bounds an admin may set. */
export const CaseSettingsSchema = z.object({
  acceptHours: z.int().check(z.gte(1), z.lte(72)),
  urgentAcceptHours: z.int().check(z.gte(1), z.lte(24)),
  resolveDays: z.int().check(z.gte(1), z.lte(30)),
  complexResolveDays: z.int().check(z.gte(1), z.lte(60)),
  rateDays: z.int().check(z.gte(1), z.lte(30)),
  maxReopens: z.int().check(z.gte(0), z.lte(3)),
  failedCloseDays: z.int().check(z.gte(1), z.lte(60)),
})
export type CaseSettingsT = z.infer<typeof CaseSettingsSchema>

export const ReplyTemplate = z.object({ id: z.string(), title: z.string(), text: z.string(), updatedAt: InstantOut })
export type ReplyTemplateT = z.infer<typeof ReplyTemplate>

export { WallItem, type WallItemT } from './wall'

const HANDLERS = ['grid_worker', 'staff', 'admin', 'street', 'department'] as const
const STAFF = ['staff', 'admin'] as const

export const casesApi = defineFunction('cases', {
  submit: action({
    daily: 'cases',
    summary: '居民：提交纠纷（类别、描述、最多 6 张照片、位置、对方、紧急程度）',
    access: 'member',
    idempotent: 'record',
    input: SubmitDisputeInput,
    output: CaseDetail,
  }),
  report: action({
    daily: 'reports',
    summary: '网格员：巡查上报（类型须在本社区网格事项清单内，描述、照片、位置），由社区分流转办到职能部门',
    access: ['grid_worker'],
    idempotent: 'record',
    input: z.strictObject({
      type: z.enum(EVENT_TYPES, { error: '请选择上报类型' }),
      description: text(MAX_DESCRIPTION, '请描述发现的问题'),
      photos: z._default(Photos, []),
      location: z.strictObject({ buildingId: IdSchema, unitId: z.optional(IdSchema) }),
      urgency: z._default(z.enum(URGENCIES), 'normal'),
    }),
    output: CaseDetail,
  }),
  route: action({
    summary: '社区：把巡查上报分流转办到职能部门（设定办结时限）',
    access: ['staff', 'admin'],
    input: ref({ departmentId: IdSchema, days: z.optional(z.int().check(z.gte(1, '时限至少 1 天'), z.lte(60, '时限最多 60 天'))), note: text(200, '请填写转办说明') }),
    output: CaseDetail,
  }),
  whistle: action({
    summary: '街道：吹哨——把超时的上报事项改派给另一个职能部门，并设定新的时限',
    access: ['street'],
    input: ref({ departmentId: IdSchema, days: z.int().check(z.gte(1, '时限至少 1 天'), z.lte(60, '时限最多 60 天')), note: text(200, '请填写吹哨说明') }),
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
  refer: action({
    summary: '调解未成的纠纷转人民调解委员会（承办人转交，或居民申请）',
    access: 'member',
    input: ref({ note: text(500, '请填写转交说明') }),
    output: CaseDetail,
  }),
  close: action({
    summary: '调解未成 / 未能解决的事项办结：居民不再继续，或工作人员记录办理结果',
    access: 'member',
    input: ref({ note: text(500, '请填写办结说明') }),
    output: CaseDetail,
  }),
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
    summary: '工作人员：转办给其他网格、社区，或本社区的另一位工作人员',
    access: STAFF,
    input: ref({ gridId: z.nullable(IdSchema), staffId: z.optional(z.string().check(z.minLength(1), z.maxLength(64))), note: text(200, '请填写转办说明') }),
    output: CaseDetail,
  }),
  takeOver: action({
    summary: '工作人员：改派给自己（记录原因）',
    access: STAFF,
    input: ref({ reason: text(200, '请填写改派原因') }),
    output: CaseDetail,
  }),
  write: action({
    daily: 'messages',
    summary: '居民：给社区留言（咨询、建议、投诉、报修、表扬；水电气暖紧急 2 小时内答复；可申请公开）',
    access: 'member',
    idempotent: 'record',
    input: WriteMessageInput,
    output: CaseDetail,
  }),
  reply: action({
    summary: '工作人员：在留言中回复（首次回复即受理）',
    access: HANDLERS,
    input: ref({ text: text(MAX_MESSAGE, '请填写回复内容') }),
    output: CaseDetail,
  }),
  requestInfo: action({
    summary: '要求居民补充说明：办理时限暂停，居民答复后继续',
    access: HANDLERS,
    input: ref({ text: text(MAX_MESSAGE, '请写明需要补充的内容') }),
    output: CaseDetail,
  }),
  answer: action({
    summary: '居民：在自己的留言中补充或回复',
    access: 'member',
    input: ref({ text: text(MAX_MESSAGE, '请填写内容'), photos: z._default(Photos, []) }),
    output: CaseDetail,
  }),
  templates: action({
    read: true,
    summary: '工作人员：本社区的常用回复',
    access: HANDLERS,
    input: z.strictObject({}),
    output: z.object({ items: z.array(ReplyTemplate) }),
  }),
  saveTemplate: action({
    summary: '工作人员：新建或修改常用回复',
    access: HANDLERS,
    input: z.strictObject({ id: z.optional(IdSchema), title: text(20, '请填写标题'), text: text(MAX_MESSAGE, '请填写回复内容') }),
    output: ReplyTemplate,
  }),
  deleteTemplate: action({
    summary: '工作人员：删除常用回复',
    access: HANDLERS,
    input: z.strictObject({ id: IdSchema }),
    output: z.object({ ok: z.literal(true) }),
  }),
  wall: wallRead,
  wallDraft: action({
    read: true,
    summary: '工作人员：留言公开前按规则隐去电话、身份证号、门牌号和本社区居民姓名的草稿',
    access: STAFF,
    input: z.strictObject({ id: IdSchema }),
    output: z.object({ text: z.string(), reply: z.nullable(z.string()), hidden: z.array(z.object({ kind: z.string(), original: z.string() })) }),
  }),
  publish: action({
    summary: '工作人员：审核后公开到留言墙（内容再次按规则隐去个人信息）',
    access: STAFF,
    input: ref({ text: text(MAX_MESSAGE, '请填写公开的内容'), reply: optionalText(MAX_MESSAGE) }),
    output: CaseDetail,
  }),
  unpublish: action({
    summary: '工作人员：从留言墙撤下',
    access: STAFF,
    input: ref({ reason: text(200, '请填写撤下原因') }),
    output: CaseDetail,
  }),
  settings: action({
    read: true,
    summary: '本社区的办理时限（受理、办结、评价、调解未成自动办结）',
    access: HANDLERS,
    input: z.strictObject({}),
    output: CaseSettingsSchema,
  }),
  saveSettings: action({
    summary: '管理员：修改本社区的办理时限（有上下限）',
    access: ['admin'],
    input: z.strictObject({
      acceptHours: z.optional(CaseSettingsSchema.shape.acceptHours),
      urgentAcceptHours: z.optional(CaseSettingsSchema.shape.urgentAcceptHours),
      resolveDays: z.optional(CaseSettingsSchema.shape.resolveDays),
      complexResolveDays: z.optional(CaseSettingsSchema.shape.complexResolveDays),
      rateDays: z.optional(CaseSettingsSchema.shape.rateDays),
      maxReopens: z.optional(CaseSettingsSchema.shape.maxReopens),
      failedCloseDays: z.optional(CaseSettingsSchema.shape.failedCloseDays),
    }),
    output: CaseSettingsSchema,
  }),
  sendBack: action({
    summary: '街道：退回社区继续办理（需说明）',
    access: ['street'],
    input: ref({ note: text(200, '请填写退回说明') }),
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
      byStaff: z.array(z.object({ key: z.string(), name: z.string(), row: StatRow })),
      /** The street's view: each community of the street side by side. */
      byCommunity: z.array(z.object({ key: z.string(), name: z.string(), row: StatRow })),
      /** Patrol reports: each department's share (routed to it, finished by it, in time). */
      byDepartment: z.array(z.object({ key: z.string(), name: z.string(), row: StatRow })),
    }),
  }),
  tick: action({
    summary: '定时任务：超时自动上报、超期未评价默认满意并办结',
    access: 'system',
    input: z.object({}),
    output: z.object({ escalated: z.number(), flagged: z.number(), closed: z.number() }),
  }),
})
