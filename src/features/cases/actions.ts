/**
 * The detail pages' actions for both kinds of case, driven by `CaseDetail.can`: the label, the
 * button style, the small form each action asks for, its explanation, and the one message said
 * when it is done. Pure data + helpers.
 */
import type { CaseDetailT } from '@/shared/api/cases'
import { LEVEL_LABELS, SATISFACTION_LABELS, nextLevel, type CaseKind, type Level } from '@/shared/rules/cases'
import type { CaseActionKey } from './data'

export interface ActionTextField {
  label: string
  placeholder: string
  required: boolean
  max: number
}

export interface ActionDef {
  key: CaseActionKey
  /** Button text. */
  label: string
  /** The one main action of the moment is red. */
  primary?: boolean
  /** No form: one tap does it (受理, 开始调解). */
  direct?: boolean
  /** Not a button of the action list: the page has its own box for it (回复, 补充). */
  inline?: boolean
  /** The page opens its own sheet for it (公开到留言墙). */
  custom?: boolean
  /** Sheet title and explanation. */
  title?: string
  /** The path the server reports the text field's errors on (`agreement`, `reason`…). */
  errorPath?: string
  text?: ActionTextField
  /** 评价: three choices. */
  rating?: boolean
  /** 添加备注: the 告知居民 switch. */
  shareSwitch?: boolean
  /** The switch's words when the owner is not a resident (巡查上报: 告知上报人). */
  shareLabel?: string
  /** 转办: choose a grid of the community or 社区 (`ActionValues.gridId`). */
  target?: boolean
  /** Button in the sheet. */
  confirm: string
  danger?: boolean
}

/** Display order of the buttons (the first one in `can` that is `primary` leads). */
export const ACTION_ORDER: CaseActionKey[] = [
  'accept',
  'start',
  'resolve',
  'fail',
  'rate',
  'close',
  'refer',
  'escalate',
  'markComplex',
  'addNote',
  'reassign',
  'takeOver',
  'sendBack',
  'route',
  'whistle',
  'publish',
  'unpublish',
  'withdraw',
]

type Defs = Record<CaseActionKey, ActionDef>

const DISPUTE: Defs = {
  accept: { key: 'accept', label: '受理', primary: true, direct: true, confirm: '受理' },
  start: { key: 'start', label: '开始调解', primary: true, direct: true, confirm: '开始调解' },
  resolve: {
    key: 'resolve',
    label: '调解成功',
    primary: true,
    title: '调解成功',
    errorPath: 'agreement',
    text: { label: '调解协议', placeholder: '双方达成的协议内容，例如：楼上住户每晚 22:00 后不再装修施工', required: true, max: 1000 },
    confirm: '确认调解成功',
  },
  fail: {
    key: 'fail',
    label: '调解未成',
    title: '调解未成',
    errorPath: 'reason',
    text: { label: '未成原因', placeholder: '说明双方分歧所在', required: true, max: 500 },
    confirm: '确认调解未成',
    danger: true,
  },
  escalate: {
    key: 'escalate',
    label: '上报',
    title: '上报上一级',
    errorPath: 'reason',
    text: { label: '上报原因', placeholder: '说明需要上级协调的原因', required: true, max: 500 },
    confirm: '确认上报',
  },
  refer: {
    key: 'refer',
    label: '转人民调解委员会',
    title: '转人民调解委员会',
    errorPath: 'note',
    text: { label: '转交说明', placeholder: '案情概要与已做的调解工作', required: true, max: 500 },
    confirm: '确认转交',
  },
  close: {
    key: 'close',
    label: '办结',
    title: '办结',
    errorPath: 'note',
    text: { label: '办理结果', placeholder: '写明最终的办理情况', required: true, max: 500 },
    confirm: '确认办结',
  },
  markComplex: {
    key: 'markComplex',
    label: '标记复杂',
    title: '标记为复杂案件',
    errorPath: 'reason',
    text: { label: '原因', placeholder: '说明案情复杂之处', required: true, max: 500 },
    confirm: '确认标记',
  },
  addNote: {
    key: 'addNote',
    label: '添加备注',
    title: '添加办理备注',
    errorPath: 'text',
    text: { label: '备注', placeholder: '办理情况、联系记录等', required: true, max: 500 },
    shareSwitch: true,
    confirm: '保存备注',
  },
  reassign: {
    key: 'reassign',
    label: '转办',
    title: '转办',
    errorPath: 'note',
    target: true,
    text: { label: '转办说明', placeholder: '说明转办的原因', required: true, max: 200 },
    confirm: '确认转办',
  },
  takeOver: {
    key: 'takeOver',
    label: '改派给我',
    title: '改派给我',
    errorPath: 'reason',
    text: { label: '改派原因', placeholder: '例如：原承办人休假，由我继续办理', required: true, max: 200 },
    confirm: '确认改派',
  },
  sendBack: {
    key: 'sendBack',
    label: '退回社区',
    title: '退回社区',
    errorPath: 'note',
    text: { label: '退回说明', placeholder: '说明社区还需做的工作', required: true, max: 200 },
    confirm: '确认退回',
  },
  withdraw: {
    key: 'withdraw',
    label: '撤回',
    title: '撤回纠纷',
    errorPath: 'reason',
    text: { label: '撤回原因（选填）', placeholder: '例如：双方已自行协商解决', required: false, max: 200 },
    confirm: '确认撤回',
    danger: true,
  },
  rate: {
    key: 'rate',
    label: '评价',
    primary: true,
    title: '评价调解结果',
    errorPath: 'comment',
    rating: true,
    text: { label: '评价内容（选填）', placeholder: '说说您对这次调解的看法', required: false, max: 200 },
    confirm: '提交评价',
  },
  reply: { key: 'reply', label: '回复', inline: true, errorPath: 'text', confirm: '回复' },
  requestInfo: { key: 'requestInfo', label: '请居民补充', inline: true, errorPath: 'text', confirm: '请居民补充' },
  answer: { key: 'answer', label: '发送', inline: true, errorPath: 'text', confirm: '发送' },
  publish: { key: 'publish', label: '公开到留言墙', custom: true, confirm: '确认公开' },
  unpublish: {
    key: 'unpublish',
    label: '从留言墙撤下',
    title: '从留言墙撤下',
    errorPath: 'reason',
    text: { label: '撤下原因', placeholder: '例如：居民要求不再公开', required: true, max: 200 },
    confirm: '确认撤下',
    danger: true,
  },
  // 巡查上报: the page opens its own sheet (a department, the days, a note).
  route: { key: 'route', label: '分流转办', primary: true, custom: true, title: '分流转办', errorPath: 'note', confirm: '确认转办' },
  whistle: { key: 'whistle', label: '吹哨', primary: true, custom: true, title: '吹哨：改派职能部门', errorPath: 'note', confirm: '确认吹哨' },
}

/** What a message (居民留言) calls differently: it is handled and answered, not mediated. */
const MESSAGE: Partial<Record<CaseActionKey, Partial<ActionDef>>> = {
  // The reply box is the main action of a new message (the first reply accepts it).
  accept: { primary: false },
  start: { label: '开始办理', confirm: '开始办理' },
  resolve: {
    label: '办结',
    title: '办结：填写办理结果',
    text: { label: '办理结果', placeholder: '写明办理情况和结果，居民将看到并评价，例如：已联系物业于今日修复路灯', required: true, max: 1000 },
    confirm: '确认办结',
  },
  fail: {
    label: '未能解决',
    title: '未能解决',
    text: { label: '原因', placeholder: '说明未能解决的原因和已做的工作', required: true, max: 500 },
    confirm: '确认未能解决',
  },
  withdraw: { title: '撤回留言', text: { label: '撤回原因（选填）', placeholder: '例如：问题已经解决了', required: false, max: 200 } },
  rate: { title: '评价办理结果', text: { label: '评价内容（选填）', placeholder: '说说您对这次办理的看法', required: false, max: 200 } },
}

/** What the resident (owner) sees for the two ways out of a failed case. */
const OWNER: Partial<Record<CaseActionKey, Partial<ActionDef>>> = {
  refer: {
    label: '申请人民调解委员会调解',
    title: '申请人民调解委员会调解',
    text: { label: '申请说明', placeholder: '说说您希望调解委员会帮助解决什么', required: true, max: 500 },
    confirm: '提交申请',
  },
  close: {
    label: '不再继续，办结',
    title: '办结',
    text: { label: '说明', placeholder: '例如：已自行解决，不再需要处理', required: true, max: 500 },
    confirm: '确认办结',
    danger: true,
  },
}

/** What a patrol report (巡查上报) calls differently: a department receives and disposes of it (处置). */
const EVENT: Partial<Record<CaseActionKey, Partial<ActionDef>>> = {
  accept: { label: '接收处置', confirm: '接收处置' },
  resolve: {
    label: '处置完毕',
    title: '处置完毕：填写处置结果',
    text: { label: '处置结果', placeholder: '写明处置情况，例如：已清理消防通道内的电动车和纸箱，并张贴禁停提示', required: true, max: 1000 },
    confirm: '确认处置完毕',
  },
  addNote: { text: { label: '备注', placeholder: '处置进展、联系记录等', required: true, max: 500 }, shareLabel: '告知上报人' },
  withdraw: { title: '撤回上报', text: { label: '撤回原因（选填）', placeholder: '例如：现场已自行整改', required: false, max: 200 } },
}

export type ViewerRole = CaseDetailT['viewerRole']

const KIND_DEFS: Record<CaseKind, Partial<Record<CaseActionKey, Partial<ActionDef>>>> = { dispute: {}, message: MESSAGE, event: EVENT }

export function actionDef(kind: CaseKind, key: CaseActionKey, viewer: ViewerRole = 'handler'): ActionDef {
  return { ...DISPUTE[key], ...KIND_DEFS[kind][key], ...(viewer === 'owner' ? OWNER[key] : undefined) }
}

/** A patrol report's main step for the community and the street is sending it to a department. */
const EVENT_ORDER: CaseActionKey[] = ['route', 'whistle', ...ACTION_ORDER.filter((k) => k !== 'route' && k !== 'whistle')]

/** The buttons for `can`, in display order; unknown names and inline actions are left out. */
export function visibleActions(kind: CaseKind, can: readonly string[], viewer: ViewerRole = 'handler'): ActionDef[] {
  return (kind === 'event' ? EVENT_ORDER : ACTION_ORDER)
    .filter((k) => can.includes(k))
    .map((k) => actionDef(kind, k, viewer))
    .filter((d) => !d.inline)
}

/** The explanation shown at the top of an action's sheet. */
export function actionHint(key: CaseActionKey, c: Pick<CaseDetailT, 'kind' | 'level' | 'reopenCount' | 'viewerRole'>): string | null {
  const message = c.kind === 'message'
  const owner = c.viewerRole === 'owner'
  if (c.kind === 'event') {
    const hint = eventHint(key)
    if (hint !== undefined) return hint
  }
  switch (key) {
    case 'resolve':
      return message ? '办理结果会告知居民，并请居民在 7 天内评价。' : '协议内容会记录在案，并通知居民在 7 天内评价。'
    case 'fail':
      return message ? '未能解决的留言可上报上一级，或由居民选择办结。' : '调解未成后，可上报上一级或转人民调解委员会。'
    case 'escalate': {
      const to = nextLevel(c.level as Level)
      return to ? `将上报至${LEVEL_LABELS[to]}，由${LEVEL_LABELS[to]}重新受理。` : '已在街道层级，不能再上报。'
    }
    case 'refer':
      return owner ? '提交后本事项办结，由人民调解委员会联系您继续调解。' : '转交后本纠纷办结，由人民调解委员会继续调解。'
    case 'close':
      return owner ? '办结后本事项结束，不能再恢复。' : '记录办理结果后本事项办结，并告知居民。'
    case 'markComplex':
      return '标记后办结时限由 7 天延长至 15 天，并告知居民。'
    case 'addNote':
      return '备注默认仅工作人员可见；打开「告知居民」后居民也能看到并收到通知。'
    case 'reassign':
      return '转给网格后由该网格的网格员重新受理；转回社区则由社区工作人员受理。办理记录保留。'
    case 'takeOver':
      return '改派后由您承办，原承办人不再处理；原因会记在办理记录中。'
    case 'sendBack':
      return '退回后由社区继续办理。'
    case 'withdraw':
      return message ? '撤回后社区将停止处理，撤回不能恢复。' : '撤回后调解员将停止处理，撤回不能恢复。'
    case 'unpublish':
      return '撤下后其他居民在留言墙上将看不到这条留言。'
    case 'rate': {
      const again = message ? '重新办理' : '重新调解'
      return c.reopenCount < 1 ? `选择「不满意」将${again}一次。` : `本${message ? '留言' : '纠纷'}已${again}过一次，评价后即办结。`
    }
    default:
      return null
  }
}

/** A patrol report's own explanations (undefined: as for the other kinds). */
function eventHint(key: CaseActionKey): string | null | undefined {
  switch (key) {
    case 'resolve':
      return '处置结果会记录在案并告知上报的网格员，本事项随即办结。'
    case 'addNote':
      return '备注默认仅工作人员可见；打开「告知上报人」后上报的网格员也能看到并收到通知。'
    case 'withdraw':
      return '撤回后社区和职能部门将停止处理，撤回不能恢复。'
    case 'route':
      return '转给职能部门处置，并设定办结时限；逾期未办结将上报街道。'
    case 'whistle':
      return '街道吹哨：改派给另一个职能部门，并设定新的办结时限。'
    default:
      return undefined
  }
}

/** The one toast each action ends with, written out (never "<label>成功"). */
const DONE: Record<CaseActionKey, string> = {
  accept: '已受理',
  start: '已开始调解',
  resolve: '已记录调解结果',
  fail: '已记录调解未成',
  escalate: '已上报',
  refer: '已转人民调解委员会',
  close: '已办结',
  markComplex: '已标记为复杂案件',
  addNote: '已保存备注',
  reassign: '已转办',
  takeOver: '已改派给您',
  sendBack: '已退回社区',
  withdraw: '已撤回',
  rate: '感谢您的评价',
  reply: '已回复',
  requestInfo: '已请居民补充',
  answer: '已发送',
  publish: '已公开到留言墙',
  unpublish: '已撤下',
  route: '已分流转办',
  whistle: '已吹哨改派',
}
const MESSAGE_DONE: Partial<Record<CaseActionKey, string>> = {
  start: '已开始办理',
  resolve: '已办结',
  fail: '已记录未能解决',
}
const EVENT_DONE: Partial<Record<CaseActionKey, string>> = {
  accept: '已接收',
  resolve: '已处置完毕',
}
const OWNER_DONE: Partial<Record<CaseActionKey, string>> = {
  refer: '已申请人民调解委员会调解',
}

export function doneMessage(kind: CaseKind, key: CaseActionKey, viewer: ViewerRole = 'handler'): string {
  const own = kind === 'message' ? MESSAGE_DONE[key] : kind === 'event' ? EVENT_DONE[key] : undefined
  return (viewer === 'owner' ? OWNER_DONE[key] : undefined) ?? own ?? DONE[key]
}

export const RATING_OPTIONS = (['satisfied', 'basically', 'unsatisfied'] as const).map((key) => ({ key, label: SATISFACTION_LABELS[key] }))
