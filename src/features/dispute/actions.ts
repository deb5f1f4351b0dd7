/**
 * The detail page's action buttons, driven by `CaseDetail.can`: the label, the button style,
 * and the small form each action asks for. Pure data + helpers.
 */
import type { CaseDetailT } from '@/shared/api/cases'
import { LEVEL_LABELS, SATISFACTION_LABELS, nextLevel, type Level } from '@/shared/rules/cases'
import type { DisputeAction } from './data'

export interface ActionTextField {
  label: string
  placeholder: string
  required: boolean
  max: number
}

export interface ActionDef {
  key: DisputeAction
  /** Button text. */
  label: string
  /** The one main action of the moment is red. */
  primary?: boolean
  /** No form: one tap does it (受理, 开始调解). */
  direct?: boolean
  /** Sheet title and explanation. */
  title?: string
  /** The path the server reports the text field's errors on (`agreement`, `reason`…). */
  errorPath?: string
  text?: ActionTextField
  /** 评价: three choices. */
  rating?: boolean
  /** 添加备注: the 告知居民 switch. */
  shareSwitch?: boolean
  /** 转办: choose a grid of the community or 社区 (`ActionValues.gridId`). */
  target?: boolean
  /** Button in the sheet. */
  confirm: string
  danger?: boolean
}

/** Display order of the buttons (the first one in `can` that is `primary` leads). */
export const ACTION_ORDER: DisputeAction[] = [
  'accept',
  'start',
  'resolve',
  'fail',
  'rate',
  'escalate',
  'refer',
  'markComplex',
  'addNote',
  'reassign',
  'withdraw',
]

const ACTIONS: Record<DisputeAction, ActionDef> = {
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
}

export function actionDef(key: DisputeAction): ActionDef {
  return ACTIONS[key]
}

/** The buttons for `can`, in display order; unknown names are ignored. */
export function visibleActions(can: readonly string[]): ActionDef[] {
  return ACTION_ORDER.filter((k) => can.includes(k)).map((k) => ACTIONS[k])
}

/** The explanation shown at the top of an action's sheet. */
export function actionHint(key: DisputeAction, c: Pick<CaseDetailT, 'level' | 'reopenCount'>): string | null {
  switch (key) {
    case 'resolve':
      return '协议内容会记录在案，并通知居民在 7 天内评价。'
    case 'fail':
      return '调解未成后，可上报上一级或转人民调解委员会。'
    case 'escalate': {
      const to = nextLevel(c.level as Level)
      return to ? `将上报至${LEVEL_LABELS[to]}，由${LEVEL_LABELS[to]}重新受理。` : '已在街道层级，不能再上报。'
    }
    case 'refer':
      return '转交后本纠纷办结，由人民调解委员会继续调解。'
    case 'markComplex':
      return '标记后办结时限由 7 天延长至 15 天，并告知居民。'
    case 'addNote':
      return '备注默认仅工作人员可见；打开「告知居民」后居民也能看到并收到通知。'
    case 'reassign':
      return '转给网格后由该网格的网格员重新受理；转回社区则由社区工作人员受理。'
    case 'withdraw':
      return '撤回后调解员将停止处理，撤回不能恢复。'
    case 'rate':
      return c.reopenCount < 1 ? '选择「不满意」将重新调解一次。' : '本纠纷已重新调解过一次，评价后即办结。'
    default:
      return null
  }
}

export const RATING_OPTIONS = (['satisfied', 'basically', 'unsatisfied'] as const).map((key) => ({ key, label: SATISFACTION_LABELS[key] }))
