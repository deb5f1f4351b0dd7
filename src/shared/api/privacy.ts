/**
 * Cloud function `privacy`: 我的 → 我的数据 (issue 14, privacy rights). A person sees everything
 * held about them across the features and exports it as a file; asks for deletion (注销) and sees
 * the request's state; the community's staff see the pending requests and complete one (every
 * copy of the person's name, phone and room is removed; the records the figures count stay,
 * anonymised: rules/privacy.ts).
 */
import { z, optionalText } from '../z'
import { action, defineFunction } from './define'
import { Empty, InstantOut, PageFields, pageOf } from './common'

/** The sections of 我的数据, in the order shown (and exported). */
export const DATA_SECTIONS = ['profile', 'disputes', 'messages', 'bookings', 'volunteer', 'points', 'ratings', 'notices', 'grid'] as const
export type DataSectionKey = (typeof DATA_SECTIONS)[number]

export const DELETION_STATES = ['pending', 'processing', 'done', 'cancelled'] as const
export type DeletionState = (typeof DELETION_STATES)[number]
export const DELETION_STATE_LABELS: Record<DeletionState, string> = {
  pending: '待社区办理',
  processing: '办理中',
  done: '已注销',
  cancelled: '已撤回',
}

export const DataField = z.object({ label: z.string(), value: z.string() })
export const DataItem = z.object({
  id: z.string(),
  title: z.string(),
  at: z.nullable(InstantOut),
  fields: z.array(DataField),
})
export type DataItemT = z.infer<typeof DataItem>

export const DataSection = z.object({
  key: z.enum(DATA_SECTIONS),
  title: z.string(),
  /** What the section holds and who sees it, in a sentence (e.g. the grid's records are staff-only). */
  note: z.nullable(z.string()),
  count: z.number(),
  items: z.array(DataItem),
})
export type DataSectionT = z.infer<typeof DataSection>

export const DeletionOut = z.object({
  state: z.enum(DELETION_STATES),
  stateLabel: z.string(),
  reason: z.nullable(z.string()),
  requestedAt: InstantOut,
  doneAt: z.nullable(InstantOut),
})
export type DeletionOutT = z.infer<typeof DeletionOut>

export const MyDataOut = z.object({
  generatedAt: InstantOut,
  sections: z.array(DataSection),
  deletion: z.nullable(DeletionOut),
  /** Why a deletion cannot be asked for now (a working role), or null. */
  deletionBlocked: z.nullable(z.string()),
})
export type MyDataOutT = z.infer<typeof MyDataOut>

export const DeletionItem = z.object({
  openid: z.string(),
  /** The person as they are now (已注销居民 once done). */
  name: z.string(),
  phoneMasked: z.nullable(z.string()),
  addressText: z.nullable(z.string()),
  state: z.enum(DELETION_STATES),
  stateLabel: z.string(),
  reason: z.nullable(z.string()),
  requestedAt: InstantOut,
  doneAt: z.nullable(InstantOut),
  doneByName: z.nullable(z.string()),
})
export type DeletionItemT = z.infer<typeof DeletionItem>

const STAFF = ['staff', 'admin'] as const

export const privacyApi = defineFunction('privacy', {
  mine: action({
    read: true,
    summary: '我的数据：本人在各项服务中的全部记录（可导出为文件），以及注销申请的状态',
    access: 'user',
    input: Empty,
    output: MyDataOut,
  }),
  requestDeletion: action({
    summary: '申请注销：删除本人的姓名、手机号、住址等个人信息（由社区工作人员办理）',
    access: 'member',
    input: z.strictObject({ reason: optionalText(200) }),
    output: DeletionOut,
  }),
  cancelDeletion: action({
    summary: '撤回尚未办理的注销申请',
    access: 'member',
    input: Empty,
    output: DeletionOut,
  }),
  deletions: action({
    read: true,
    summary: '工作人员：本社区的注销申请（待办理 / 已办结）',
    access: STAFF,
    input: z.strictObject({ ...PageFields, state: z._default(z.enum(['pending', 'done']), 'pending') }),
    output: pageOf(DeletionItem),
  }),
  completeDeletion: action({
    summary: '工作人员：办理注销——删除该居民各处的个人信息，事项记录匿名保留，统计不变',
    access: STAFF,
    input: z.strictObject({ openid: z.string().check(z.minLength(1), z.maxLength(64)) }),
    output: DeletionItem,
  }),
})
