/**
 * Cloud function `booking`: 党群服务中心场地预约 (PRODUCT.md §3). Residents browse rooms, see
 * the slot grid of the next 14 days, book, cancel and check in; staff approve, block dates, see
 * the calendar and verify check-in codes (核销); a timer releases no-shows, reminds and completes.
 */
import { z, text, optionalText } from '../z'
import { action, defineFunction } from './define'
import { IdSchema, InstantOut, OkOut, PageFields, PhotoOut, pageOf, photosInput } from './common'
import { NameSchema, PhoneSchema } from '../ids'
import { BOOKABLE_BY, BOOKING_STATUSES, SETTING_BOUNDS, SLOT_LENGTHS, parseHhmm, type BookingSettings } from '../rules/booking'
import { OnBehalfInput, ProxyOut } from '../domain/proxy'

export const MAX_PURPOSE = 100
export const MAX_ROOM_PHOTOS = 6

function realDate(d: string): boolean {
  const t = Date.parse(`${d}T00:00:00Z`)
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d
}
export const DateSchema = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式为 2026-11-25'), z.refine(realDate, '日期不存在'))
/** A slot start `HH:mm` (00:00–23:59). */
export const HhmmSchema = z.string().check(z.refine((s) => parseHhmm(s) !== null && s !== '24:00', '时间格式为 09:30'))
/** An end or closing time `HH:mm` (24:00 allowed). */
export const CloseHhmmSchema = z.string().check(z.refine((s) => parseHhmm(s) !== null, '时间格式为 17:30'))
const Status = z.enum(BOOKING_STATUSES)
const Version = z.optional(z.int().check(z.gte(0)))
const RefShape = { id: IdSchema, version: Version }
const Code = z.string().check(z.trim(), z.regex(/^\d{6}$/, '核销码为 6 位数字'))
const Count = (min: number, max: number, minMsg: string, maxMsg?: string) =>
  z.int({ error: (iss) => (iss.input === undefined || iss.input === null ? '请填写此项' : '请填写整数') }).check(z.gte(min, minMsg), z.lte(max, maxMsg ?? `不能大于 ${max}`))

export const SlotOut = z.object({ id: z.string(), end: z.string(), state: z.enum(['free', 'taken', 'closed', 'past']) })
export const DayOut = z.object({
  date: z.string(),
  weekday: z.string(),
  /** 今天 / 明天 / 11月25日 */
  label: z.string(),
  closed: z.boolean(),
  note: z.nullable(z.string()),
  freeCount: z.number(),
  slots: z.array(SlotOut),
})
export type DayOutT = z.infer<typeof DayOut>

/** Seven days, index 0 = Sunday; null = closed that day. */
export const OpenHoursSchema = z
  .array(z.nullable(z.object({ open: HhmmSchema, close: CloseHhmmSchema })))
  .check(z.length(7, '请填写周日到周六共 7 天的开放时间'))
export type OpenHoursT = z.infer<typeof OpenHoursSchema>

const RoomShape = {
  id: z.string(),
  name: z.string(),
  capacity: z.number(),
  facilities: z.array(z.string()),
  photos: z.array(PhotoOut),
  location: z.nullable(z.string()),
  description: z.nullable(z.string()),
  openHours: OpenHoursSchema,
  openText: z.string(),
  slotMinutes: z.number(),
  bookableBy: z.enum(BOOKABLE_BY),
  bookableByLabel: z.string(),
  needsApproval: z.boolean(),
  active: z.boolean(),
  order: z.number(),
  version: z.number(),
}
export const RoomSummary = z.object(RoomShape)
export type RoomSummaryT = z.infer<typeof RoomSummary>

const SETTING_KEYS = Object.keys(SETTING_BOUNDS) as Array<keyof BookingSettings>
const settingShape = (wrap: (s: ReturnType<typeof Count>) => z.core.$ZodType) =>
  Object.fromEntries(
    SETTING_KEYS.map((k) => [k, wrap(Count(SETTING_BOUNDS[k][0], SETTING_BOUNDS[k][1], `不能小于 ${SETTING_BOUNDS[k][0]}`))]),
  ) as Record<keyof BookingSettings, z.ZodMiniNumber<number>>
/** The per-community numbers (PRODUCT.md §3 defaults). */
export const SettingsSchema = z.object(settingShape((s) => s))
export type SettingsT = z.infer<typeof SettingsSchema>
const SettingsPatch = z.strictObject(settingShape((s) => z.optional(s)) as unknown as Record<keyof BookingSettings, z.ZodMiniOptional<z.ZodMiniNumber<number>>>)

export const RoomDetail = z.object({
  ...RoomShape,
  days: z.array(DayOut),
  rules: SettingsSchema,
  /** null when the caller may book this room; otherwise why not (shown above the grid). */
  cannotBook: z.nullable(z.string()),
})
export type RoomDetailT = z.infer<typeof RoomDetail>

const SummaryShape = {
  id: z.string(),
  roomId: z.string(),
  roomName: z.string(),
  date: z.string(),
  start: z.string(),
  end: z.string(),
  startAt: InstantOut,
  endAt: InstantOut,
  timeText: z.string(),
  status: Status,
  statusLabel: z.string(),
  purpose: z.string(),
  attendees: z.number(),
  ownerName: z.string(),
  organisation: z.nullable(z.string()),
  createdAt: InstantOut,
  version: z.number(),
}
export const BookingSummary = z.object(SummaryShape)
export type BookingSummaryT = z.infer<typeof BookingSummary>

/** A booking as staff see it in their lists: with the contact. */
export const StaffBookingItem = z.object({ ...SummaryShape, contactName: z.string(), contactPhone: z.string() })
export type StaffBookingItemT = z.infer<typeof StaffBookingItem>

export const BookingDetail = z.object({
  ...SummaryShape,
  contactName: z.string(),
  contactPhone: z.string(),
  /** 代办: booked for the resident by a grid worker or staff (由网格员 X 代办); absent or null otherwise. */
  proxy: z.optional(z.nullable(ProxyOut)),
  /** Only for the owner, and only while a confirmed booking waits for check-in (never while 待审核). */
  checkCode: z.nullable(z.string()),
  rejectReason: z.nullable(z.string()),
  cancelReason: z.nullable(z.string()),
  checkedInAt: z.nullable(InstantOut),
  checkInOpensAt: InstantOut,
  checkInClosesAt: InstantOut,
  cancelDeadline: InstantOut,
  roomLocation: z.nullable(z.string()),
  timeline: z.array(z.object({ at: InstantOut, byName: z.string(), label: z.string(), note: z.nullable(z.string()) })),
  /** What the caller may do now (drives the buttons; the server checks again). */
  can: z.array(z.string()),
  viewerRole: z.enum(['owner', 'staff']),
})
export type BookingDetailT = z.infer<typeof BookingDetail>

export const BlackoutOut = z.object({
  id: z.string(),
  roomId: z.nullable(z.string()),
  roomName: z.string(),
  date: z.string(),
  start: z.nullable(z.string()),
  end: z.nullable(z.string()),
  text: z.string(),
  reason: z.string(),
})
export type BlackoutOutT = z.infer<typeof BlackoutOut>

export const BookInput = z
  .strictObject({
    roomId: IdSchema,
    date: DateSchema,
    /** Either startSlot + slotCount … */
    startSlot: z.optional(HhmmSchema),
    slotCount: z.optional(Count(1, 48, '请至少选择 1 个时段')),
    /** … or start + end. */
    start: z.optional(HhmmSchema),
    end: z.optional(CloseHhmmSchema),
    purpose: text(MAX_PURPOSE, '请填写用途'),
    attendees: Count(1, 1000, '参加人数至少 1 人', '参加人数过多'),
    contactName: NameSchema,
    contactPhone: PhoneSchema,
    organisation: optionalText(30),
    /** 代办: a grid worker or staff books for a resident of their grid / community, who agreed (domain/proxy.ts). */
    onBehalfOf: z.optional(OnBehalfInput),
  })
  .check(
    z.superRefine((v, ctx) => {
      const bySlots = v.startSlot !== undefined || v.slotCount !== undefined
      const byRange = v.start !== undefined || v.end !== undefined
      const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message, input: v })
      if (bySlots && byRange) issue('startSlot', '请只用一种方式选择时段')
      else if (bySlots && (v.startSlot === undefined || v.slotCount === undefined)) issue('startSlot', '请选择预约时段')
      else if (byRange && (v.start === undefined || v.end === undefined)) issue('start', '请选择开始和结束时间')
      else if (!bySlots && !byRange) issue('startSlot', '请选择预约时段')
    }),
  )
export type BookInputT = z.input<typeof BookInput>

export const SaveRoomInput = z.strictObject({
  id: z.optional(IdSchema),
  version: Version,
  name: text(20, '请填写场地名称'),
  capacity: Count(1, 1000, '容纳人数至少 1 人'),
  facilities: z._default(z.array(text(20, '请填写设施名称')).check(z.maxLength(20, '设施最多 20 项')), []),
  photos: photosInput(MAX_ROOM_PHOTOS),
  location: optionalText(40),
  description: optionalText(300),
  openHours: OpenHoursSchema,
  slotMinutes: z._default(
    z.int().check(z.refine((n) => (SLOT_LENGTHS as readonly number[]).includes(n), `时段长度可选 ${SLOT_LENGTHS.join(' / ')} 分钟`)),
    30,
  ),
  bookableBy: z._default(z.enum(BOOKABLE_BY), 'residents'),
  needsApproval: z._default(z.boolean(), true),
  active: z._default(z.boolean(), true),
  order: z._default(z.int().check(z.gte(0), z.lte(999)), 0),
})
export type SaveRoomInputT = z.input<typeof SaveRoomInput>

export const BlockInput = z.strictObject({
  roomId: z._default(z.nullable(IdSchema), null),
  date: DateSchema,
  start: z.optional(HhmmSchema),
  end: z.optional(CloseHhmmSchema),
  reason: text(50, '请填写停用原因'),
})
export type BlockInputT = z.input<typeof BlockInput>

const STAFF = ['staff', 'admin'] as const

export const bookingApi = defineFunction('booking', {
  // ---------------- residents
  rooms: action({
    read: true,
    summary: '本社区可预约的场地（照片、容量、设施、开放时间）；工作人员可含已停用的',
    access: 'member',
    input: z.strictObject({ ...PageFields, includeInactive: z._default(z.boolean(), false) }),
    output: pageOf(RoomSummary),
  }),
  room: action({
    read: true,
    summary: '场地详情与未来 14 天每天每个时段的状态（可约 / 已约 / 不开放 / 已过）',
    access: 'member',
    input: z.strictObject({ id: IdSchema }),
    output: RoomDetail,
  }),
  book: action({
    daily: 'bookings',
    summary: '预约场地：日期、起始时段和时段数（或起止时间）、用途、人数、联系人',
    access: 'member',
    idempotent: true,
    input: BookInput,
    output: BookingDetail,
  }),
  mine: action({
    read: true,
    summary: '我的预约：upcoming 未结束的（待审核、已确认、已签到），最近的在前；past 已结束或已取消的，最近的在前；不填则全部按使用时间倒序',
    access: 'member',
    input: z.strictObject({ ...PageFields, scope: z.optional(z.enum(['upcoming', 'past'])) }),
    output: pageOf(BookingSummary),
  }),
  get: action({
    read: true,
    summary: '预约详情（预约人可见核销码；本社区工作人员可见联系人）',
    access: 'member',
    input: z.strictObject({ id: IdSchema }),
    output: BookingDetail,
  }),
  cancel: action({
    summary: '预约人取消（开始前 1 小时以前）',
    access: 'member',
    input: z.strictObject({ ...RefShape, reason: optionalText(100) }),
    output: BookingDetail,
  }),
  checkIn: action({
    summary: '预约人自助签到（开始前 15 分钟至开始后 15 分钟）',
    access: 'member',
    input: z.strictObject(RefShape),
    output: BookingDetail,
  }),

  // ---------------- staff
  saveRoom: action({
    summary: '工作人员：新建或修改场地（开放时间、时段长度、是否审核、预约对象、启用）',
    access: STAFF,
    input: SaveRoomInput,
    output: RoomSummary,
  }),
  block: action({
    summary: '工作人员：停用日期或时段（节假日、维修、社区活动），可针对一个场地或全部场地',
    access: STAFF,
    input: BlockInput,
    output: z.object({ blackout: BlackoutOut, affected: z.array(StaffBookingItem) }),
  }),
  unblock: action({
    summary: '工作人员：取消停用',
    access: STAFF,
    input: z.strictObject({ id: IdSchema }),
    output: OkOut,
  }),
  blackouts: action({
    read: true,
    summary: '工作人员：今天起的停用安排',
    access: STAFF,
    input: z.strictObject({ ...PageFields, roomId: z.optional(IdSchema) }),
    output: pageOf(BlackoutOut),
  }),
  pending: action({
    read: true,
    summary: '工作人员：待审核的预约，开始时间早的在前',
    access: STAFF,
    input: z.strictObject(PageFields),
    output: pageOf(StaffBookingItem),
  }),
  approve: action({ summary: '工作人员：审核通过', access: STAFF, input: z.strictObject(RefShape), output: BookingDetail }),
  reject: action({
    summary: '工作人员：驳回（须说明原因）',
    access: STAFF,
    input: z.strictObject({ ...RefShape, reason: text(100, '请填写驳回原因') }),
    output: BookingDetail,
  }),
  staffCancel: action({
    summary: '工作人员：取消预约（须说明原因）',
    access: STAFF,
    input: z.strictObject({ ...RefShape, reason: text(100, '请填写取消原因') }),
    output: BookingDetail,
  }),
  calendar: action({
    read: true,
    summary: '工作人员：全部场地某一天或某一周（周一至周日）的预约日历（含停用）',
    access: STAFF,
    input: z.strictObject({ date: DateSchema, span: z._default(z.enum(['day', 'week']), 'day') }),
    output: z.object({
      from: z.string(),
      to: z.string(),
      dates: z.array(z.object({ date: z.string(), label: z.string() })),
      rooms: z.array(z.object({ id: z.string(), name: z.string(), capacity: z.number(), active: z.boolean(), openHours: OpenHoursSchema })),
      bookings: z.array(StaffBookingItem),
      blackouts: z.array(BlackoutOut),
    }),
  }),
  verify: action({
    summary: '工作人员：扫码或输入核销码签到（可指定预约，核对是否一致）',
    access: STAFF,
    input: z.strictObject({ code: Code, bookingId: z.optional(IdSchema) }),
    output: BookingDetail,
  }),
  settings: action({
    read: true,
    summary: '工作人员：本社区的预约规则（提前天数、时长、每周次数、爽约处罚…）',
    access: STAFF,
    input: z.strictObject({}),
    output: SettingsSchema,
  }),
  saveSettings: action({
    summary: '管理员：修改本社区的预约规则',
    access: ['admin'],
    input: SettingsPatch,
    output: SettingsSchema,
  }),

  // ---------------- the timer
  tick: action({
    summary: '定时任务：开始 15 分钟未签到按爽约释放并处罚、开始前 1 小时提醒、结束后标记完成、未审核的过期取消',
    access: 'system',
    input: z.object({}),
    output: z.object({
      noShows: z.number(),
      suspended: z.number(),
      reminded: z.number(),
      completed: z.number(),
      expired: z.number(),
      swept: z.number(),
    }),
  }),
})
