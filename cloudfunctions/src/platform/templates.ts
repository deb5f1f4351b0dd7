/**
 * Every WeChat subscribe-message template (订阅消息) the functions send, declared once: our key,
 * what it says, and the fields our messages carry. Production maps each key to a template id chosen
 * in the 订阅消息 console through the environment variable `TPL_<KEY>` (the build writes one,
 * empty, into every sending function's config.json); a key without an id is skipped and logged.
 *
 * Fields: a handler fills our own field names (`subject`, `status`, …), never a template's keys:
 * which keys a template has (`thing1`, `time2`, `phrase3` …) is the console's choice, so each
 * deployment maps our fields to its template's keys in `TPL_<KEY>_FIELDS`
 * (`subject:thing1,time:time2`; platform/subscribe-fields.ts). Unset, the default mapping below
 * applies. The default key also gives a field its value type: a `time…`/`date…` field carries a
 * `Date`, a `number…` field a number, every other field a string; the adapter formats and trims
 * each value for the key it lands in (thing ≤ 20 characters, phrase ≤ 5 汉字, …).
 */
export const SUBSCRIBE_TEMPLATES = {
  case_new: {
    purpose: '新事项待受理（纠纷、留言、上报、转办、退回）',
    // 事项 (e.g. 噪音扰民纠纷) · 提交 / 办结期限 · 说明 (待受理、街道退回 …)
    fields: { subject: 'thing1', time: 'time2', note: 'thing3' },
  },
  case_progress: {
    purpose: '事项进展（受理、办结、评价、改派）',
    // 事项 · 状态 (已受理、已办结 …) · 说明
    fields: { subject: 'thing1', status: 'phrase2', note: 'thing3' },
  },
  case_overdue: {
    purpose: '事项超时上报 / 督办',
    // 事项 · 办理期限 · 说明 (请督办、上报街道 …)
    fields: { subject: 'thing1', due: 'time2', note: 'thing3' },
  },
  booking_new: {
    purpose: '场地预约待审批',
    // 场地 · 开始时间 · 用途 · 状态 (待审核)
    fields: { room: 'thing1', start: 'time2', purpose: 'thing3', status: 'phrase4' },
  },
  booking_result: {
    purpose: '场地预约审批结果、取消',
    // 场地 · 开始时间 · 状态 (已通过、未通过 …) · 说明
    fields: { room: 'thing1', start: 'time2', status: 'phrase3', note: 'thing4' },
  },
  booking_reminder: {
    purpose: '场地预约开始前提醒',
    fields: { room: 'thing1', start: 'time2', status: 'phrase3', note: 'thing4' },
  },
  booking_noshow: {
    purpose: '场地预约未到场释放 / 暂停预约',
    fields: { room: 'thing1', start: 'time2', status: 'phrase3', note: 'thing4' },
  },
  activity_change: {
    purpose: '志愿活动变更、递补、提醒',
    // 活动 · 状态 (已取消、候补成功、活动提醒) · 说明 (原因或开始时间)
    fields: { activity: 'thing1', status: 'phrase2', note: 'thing3' },
  },
  volunteer_points: {
    purpose: '志愿积分到账',
    // 来源 (活动名、奖励积分) · 积分 · 说明
    fields: { source: 'thing1', points: 'number2', note: 'thing3' },
  },
  property_result: {
    purpose: '物业季度评定结果、申诉及处理',
    // 事项 · 时间
    fields: { subject: 'thing1', time: 'time2' },
  },
  grid_visit: {
    purpose: '重点户走访到期提醒',
    // 事项 · 户数 (「3 户」)
    fields: { subject: 'thing1', households: 'thing2' },
  },
} as const satisfies Record<string, { purpose: string; fields: Record<string, string> }>

export type TemplateKey = keyof typeof SUBSCRIBE_TEMPLATES

/** Our field names of a template (`subject`, `time`, …). */
export type TemplateField<K extends TemplateKey> = keyof (typeof SUBSCRIBE_TEMPLATES)[K]['fields'] & string

/** A field's value, by the type of its default template key: times are `Date`s, numbers numbers. */
type ValueFor<WxKey> = WxKey extends `time${number}` | `date${number}` ? Date : WxKey extends `number${number}` ? number : string

/** What a handler sends for a template: exactly its declared fields (an undeclared one is a type error). */
export type TemplateFields<K extends TemplateKey> = {
  [F in TemplateField<K>]: ValueFor<(typeof SUBSCRIBE_TEMPLATES)[K]['fields'][F]>
}

/** A template key with its fields, correlated: `{ template: 'case_new', fields: { subject, time, note } }` | … */
export type TemplateContent = { [K in TemplateKey]: { template: K; fields: TemplateFields<K> } }[TemplateKey]

/** The environment variable that holds a template's id in production. */
export const templateEnv = (key: TemplateKey): string => `TPL_${key.toUpperCase()}`

/** The environment variable that maps our fields to the template's keys (`subject:thing1,time:time2`); empty = the defaults above. */
export const templateFieldsEnv = (key: TemplateKey): string => `TPL_${key.toUpperCase()}_FIELDS`
