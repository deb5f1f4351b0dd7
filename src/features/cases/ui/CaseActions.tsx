import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { useCallback, useRef, useState } from 'react'
import { Button, Card, Field, Sheet, Switch, cx, type Resource } from '@/components'
import { ApiError } from '@/services/gateway'
import type { CaseDetailT } from '@/shared/api/cases'
import { actionHint, doneMessage, RATING_OPTIONS, visibleActions, type ActionDef } from '../actions'
import { loadColleagues, loadCommunityGrids, performAction, type ActionValues, type CaseActionKey, type Colleague, type GridOption } from '../data'
import { Chips } from './Chips'
import { CountedTextarea } from './CountedTextarea'
import './cases.css'

export type FieldErrors = Record<string, string>

/** done: the case on screen is the new one. Else the errors to show (`_`: the whole form); conflict: someone else changed it first and the page reloaded. */
export type RunResult = { done: true } | { done: false; errors: FieldErrors; conflict?: boolean }
export type CaseRunner = (key: CaseActionKey, values: ActionValues) => Promise<RunResult>

/** Says an action is done, in one written-out message (a long one without the tick icon, which shows 7 characters). */
export function toastDone(title: string): void {
  void Taro.showToast({ title, icon: title.length <= 7 ? 'success' : 'none' })
}

/** A field's first problem from a refused action (`agreement`, `text`…; `_` for the rest). */
function fieldErrors(e: unknown): FieldErrors {
  if (e instanceof ApiError && e.issues.length > 0) {
    const out: FieldErrors = {}
    for (const i of e.issues) {
      const k = i.path.split('.')[0] || '_'
      if (!(k in out)) out[k] = i.message
    }
    return out
  }
  return { _: e instanceof Error && e.message ? e.message : '操作失败，请稍后重试' }
}

/**
 * Runs an action on the case a detail page shows: the answer replaces it and the action's own
 * message is said; CONFLICT says 已被他人处理 and reloads; anything else comes back as errors.
 */
export function useCaseRunner(res: Resource<CaseDetailT>): CaseRunner {
  const ref = useRef(res)
  ref.current = res
  return useCallback(async (key, values) => {
    const { data: c, setData, reload } = ref.current
    if (!c) return { done: false, errors: {} }
    try {
      setData(await performAction(c, key, values))
      toastDone(doneMessage(c.kind, key, c.viewerRole))
      return { done: true }
    } catch (e) {
      if (e instanceof ApiError && e.code === 'CONFLICT') {
        void Taro.showToast({ title: '已被他人处理，已刷新', icon: 'none' })
        await reload()
        return { done: false, errors: {}, conflict: true }
      }
      return { done: false, errors: fieldErrors(e) }
    }
  }, [])
}

/** The 转办 choice for the community queue (not a valid id, so it never clashes with a grid). */
const COMMUNITY = '@community'

/** 转办 targets: the community's grids (those without 网格员 shown but not selectable), then 转回社区. */
function targetOptions(grids: GridOption[] | null) {
  return [
    ...(grids ?? []).map((g) => ({ key: g.id, label: g.name, disabled: g.workerCount === 0, note: g.workerCount === 0 ? '暂无网格员' : undefined })),
    { key: COMMUNITY, label: '转回社区' },
  ]
}

interface SheetState {
  def: ActionDef
  values: ActionValues
  errors: FieldErrors
  busy: boolean
}

export interface CaseActionsProps {
  c: CaseDetailT
  run: CaseRunner
  /** An action the page shows its own sheet for (公开到留言墙). */
  onCustom?: (key: CaseActionKey) => void
}

/**
 * The buttons for what the viewer may do now (`can`), and the sheet each asks its details in:
 * a text (required or not, with its limit), a rating, a 转办 target, the 告知居民 switch.
 */
export function CaseActions({ c, run, onCustom }: CaseActionsProps) {
  const [sheet, setSheet] = useState<SheetState | null>(null)
  const [busyAction, setBusyAction] = useState<CaseActionKey | null>(null)
  // The community's grids for 转办 (null: not loaded yet), fetched when the sheet first opens.
  const [grids, setGrids] = useState<GridOption[] | null>(null)
  const [gridsFailed, setGridsFailed] = useState(false)
  // …and the community's other staff (转办 to a colleague); none when the list cannot be had.
  const [colleagues, setColleagues] = useState<Colleague[]>([])

  const fetchGrids = useCallback(async () => {
    void loadColleagues()
      .then(setColleagues)
      .catch(() => undefined)
    try {
      setGrids(await loadCommunityGrids())
      setGridsFailed(false)
    } catch {
      setGridsFailed(true)
    }
  }, [])

  const actions = visibleActions(c.kind, c.can, c.viewerRole)
  // Only one red button: the first main action of the moment (开始调解 before 调解成功).
  const lead = actions.find((a) => a.primary)?.key

  const open = async (def: ActionDef) => {
    if (def.custom) {
      onCustom?.(def.key)
      return
    }
    if (def.direct) {
      setBusyAction(def.key)
      const out = await run(def.key, {})
      setBusyAction(null)
      if (!out.done && !out.conflict) void Taro.showToast({ title: out.errors._ ?? Object.values(out.errors)[0], icon: 'none' })
      return
    }
    if (def.target && (grids === null || gridsFailed)) void fetchGrids()
    setSheet({ def, values: { text: '', shared: false }, errors: {}, busy: false })
  }

  const confirm = async () => {
    if (!sheet || sheet.busy) return
    const { def, values } = sheet
    const text = (values.text ?? '').trim()
    const local: FieldErrors = {}
    if (def.text?.required && !text) local[def.errorPath ?? '_'] = `请填写${def.text.label}`
    if (def.text && text.length > def.text.max) local[def.errorPath ?? '_'] = `最多 ${def.text.max} 个字`
    if (def.rating && !values.satisfaction) local.satisfaction = '请选择满意度'
    if (def.target && values.gridId === undefined && !values.staffId) local.gridId = '请选择转办去向'
    if (def.target && values.gridId && grids?.find((g) => g.id === values.gridId)?.workerCount === 0) local.gridId = '该网格暂无网格员，请选择其他网格'
    if (Object.keys(local).length) {
      setSheet({ ...sheet, errors: local })
      return
    }
    setSheet({ ...sheet, busy: true, errors: {} })
    const out = await run(def.key, values)
    const closeIt = out.done || out.conflict
    setSheet((s) => (s && s.def.key === def.key ? (closeIt ? null : { ...s, busy: false, errors: out.errors }) : s))
    // Refused (e.g. the grid has just lost its 网格员): refresh the counts; the message stays.
    if (!closeIt && def.target) void fetchGrids()
  }

  const setValues = (patch: ActionValues, clear: string) =>
    setSheet((s) => (s ? { ...s, values: { ...s.values, ...patch }, errors: { ...s.errors, [clear]: '' } } : s))

  const errors = sheet?.errors ?? {}
  const textError = sheet?.def.errorPath ? errors[sheet.def.errorPath] : undefined
  const hint = sheet ? actionHint(sheet.def.key, c) : null

  return (
    <View className='case-actions-area'>
      {actions.length ? (
        <Card title={c.viewerRole === 'handler' ? '办理' : '我可以'} className='case-actions'>
          <View className='case-actions__list'>
            {actions.map((a) => (
              <Button
                key={a.key}
                type={a.key === lead ? 'primary' : a.danger ? 'plain' : 'default'}
                className={cx('case-action', `case-action--${a.key}`)}
                loading={busyAction === a.key}
                disabled={busyAction !== null && busyAction !== a.key}
                onClick={() => void open(a)}
              >
                {a.label}
              </Button>
            ))}
          </View>
          {c.can.includes('rate') ? <Text className='case-actions__hint'>请在 7 天内评价，逾期按「默认满意」办结。</Text> : null}
        </Card>
      ) : null}

      <Sheet
        open={!!sheet}
        title={sheet?.def.title ?? ''}
        className={sheet ? `action-sheet action-sheet--${sheet.def.key}` : undefined}
        onClose={() => setSheet(null)}
        footer={
          sheet ? (
            <Button type='primary' block className='sheet-confirm' loading={sheet.busy} onClick={() => void confirm()}>
              {sheet.def.confirm}
            </Button>
          ) : null
        }
      >
        {sheet ? (
          <View>
            {hint ? <Text className='sheet__hint'>{hint}</Text> : null}
            {sheet.def.rating ? (
              <Field label='满意度' required error={errors.satisfaction} className='sheet-rating'>
                <Chips
                  name='rating'
                  columns={3}
                  options={RATING_OPTIONS}
                  value={sheet.values.satisfaction ?? null}
                  onChange={(satisfaction) => setValues({ satisfaction }, 'satisfaction')}
                />
              </Field>
            ) : null}
            {sheet.def.target ? (
              <Field label='转办至' required error={errors.gridId} className='sheet-target'>
                {grids === null && !gridsFailed ? <Text className='sheet-target__note'>正在加载网格…</Text> : null}
                {gridsFailed && grids === null ? <Text className='sheet-target__note'>网格列表加载失败，暂时只能转回社区</Text> : null}
                <Chips
                  name='target'
                  columns={2}
                  options={targetOptions(grids)}
                  value={sheet.values.staffId || sheet.values.gridId === undefined ? null : (sheet.values.gridId ?? COMMUNITY)}
                  onChange={(key) => setValues({ gridId: key === COMMUNITY ? null : key, staffId: undefined }, 'gridId')}
                />
                {colleagues.length ? (
                  <View className='sheet-colleagues'>
                    <Text className='sheet-target__note'>或转给本社区的工作人员</Text>
                    <Chips
                      name='colleague'
                      columns={2}
                      options={colleagues.map((p) => ({ key: p.openid, label: p.name }))}
                      value={sheet.values.staffId ?? null}
                      onChange={(staffId) => setValues({ gridId: null, staffId }, 'gridId')}
                    />
                  </View>
                ) : null}
              </Field>
            ) : null}
            {sheet.def.text ? (
              <Field label={sheet.def.text.label} required={sheet.def.text.required} error={textError} className='sheet-text'>
                <CountedTextarea
                  className='sheet-textarea'
                  fixed
                  value={sheet.values.text ?? ''}
                  max={sheet.def.text.max}
                  placeholder={sheet.def.text.placeholder}
                  // Clears the text's own error; a refusal from the server (`_`) stays until the next try.
                  onInput={(text) => setValues({ text }, sheet.def.errorPath ?? '_')}
                />
              </Field>
            ) : null}
            {sheet.def.shareSwitch ? (
              <View className='share-row'>
                <View className='share-row__text'>
                  <Text className='share-row__title'>{sheet.def.shareLabel ?? '告知居民'}</Text>
                  <Text className='share-row__desc'>{sheet.values.shared ? `${sheet.def.shareLabel ? '上报人' : '居民'}可以看到这条备注，并收到通知` : '仅工作人员可见'}</Text>
                </View>
                <Switch
                  className='share-switch'
                  checked={!!sheet.values.shared}
                  label={sheet.def.shareLabel ?? '告知居民'}
                  onChange={(shared) => setSheet((s) => (s ? { ...s, values: { ...s.values, shared } } : s))}
                />
              </View>
            ) : null}
            {errors._ ? <Text className='form-error sheet-error'>{errors._}</Text> : null}
          </View>
        ) : null}
      </Sheet>
    </View>
  )
}

