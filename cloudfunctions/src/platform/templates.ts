/**
 * Every WeChat subscribe-message template (订阅消息) the functions send, declared once: our key,
 * and what it says. (Which template field keys each template uses is the console's choice: issue 12's mapping.) Production maps each key to a template id chosen
 * in the 订阅消息 console through the environment variable `TPL_<KEY>` (the build writes one,
 * empty, into every sending function's config.json); a key without an id is skipped and logged.
 */
export const SUBSCRIBE_TEMPLATES = {
  case_new: { purpose: '新事项待受理（纠纷、留言、上报、转办、退回）' },
  case_progress: { purpose: '事项进展（受理、办结、评价、改派）' },
  case_overdue: { purpose: '事项超时上报 / 督办' },
  booking_new: { purpose: '场地预约待审批' },
  booking_result: { purpose: '场地预约审批结果、取消' },
  booking_reminder: { purpose: '场地预约开始前提醒' },
  booking_noshow: { purpose: '场地预约未到场释放 / 暂停预约' },
  activity_change: { purpose: '志愿活动变更、递补、提醒' },
  volunteer_points: { purpose: '志愿积分到账' },
  property_result: { purpose: '物业季度评定结果、申诉及处理' },
  grid_visit: { purpose: '重点户走访到期提醒' },
} as const

export type TemplateKey = keyof typeof SUBSCRIBE_TEMPLATES

/** The environment variable that holds a template's id in production. */
export const templateEnv = (key: TemplateKey): string => `TPL_${key.toUpperCase()}`
