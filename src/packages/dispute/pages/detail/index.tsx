import Taro, { useRouter } from '@tarojs/taro'
import { View, Text, Image, Textarea } from '@tarojs/components'
import { useCallback, useState } from 'react'
import { Button, Card, Field, PageRoot, PageWrapper, Sheet, Switch, Tag, cx, useResource } from '@/components'
import { actionDef, actionHint, RATING_OPTIONS, visibleActions, type ActionDef } from '@/features/dispute/actions'
import { loadCommunityGrids, loadDispute, performAction, type ActionValues, type DisputeAction, type GridOption } from '@/features/dispute/data'
import { deadlineText, statusTagType, URGENCY_LABELS } from '@/features/dispute/format'
import { ApiError } from '@/services/gateway'
import type { CaseDetailT } from '@/shared/api/cases'
import { LEVEL_LABELS, SATISFACTION_LABELS, type Level, type Satisfaction } from '@/shared/rules/cases'
import { formatDateTime } from '@/shared/time'
import { Chips } from '../../components/Chips'
import { Timeline } from '../../components/Timeline'
import '../../components/dispute.css'
import './index.css'

function InfoRow({ label, value, className }: { label: string; value: string; className?: string }) {
  return (
    <View className={cx('info-row', className)}>
      <Text className='info-row__label'>{label}</Text>
      <Text className='info-row__value'>{value}</Text>
    </View>
  )
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
  errors: Record<string, string>
  busy: boolean
}

/** One dispute: status, content, people, result, the timeline, and what the viewer may do now. */
export function DisputeDetailView({ id }: { id: string }) {
  const [sheet, setSheet] = useState<SheetState | null>(null)
  const [busyAction, setBusyAction] = useState<DisputeAction | null>(null)
  // The community's grids for 转办 (null: not loaded yet), fetched when the sheet first opens.
  const [grids, setGrids] = useState<GridOption[] | null>(null)
  const [gridsFailed, setGridsFailed] = useState(false)

  const fetchGrids = useCallback(async () => {
    try {
      setGrids(await loadCommunityGrids())
      setGridsFailed(false)
    } catch {
      setGridsFailed(true)
    }
  }, [])

  const { data: detail, setData: setDetail, loading, error, reload: load } = useResource<CaseDetailT>(id ? () => loadDispute(id) : null, [id], '缺少纠纷编号')

  /** Runs an action; CONFLICT → 已被他人处理 and a fresh copy. Returns field errors, if any. */
  const run = async (key: DisputeAction, values: ActionValues): Promise<Record<string, string> | null> => {
    if (!detail) return null
    try {
      const next = await performAction(detail, key, values)
      setDetail(next)
      void Taro.showToast({ title: `${actionDef(key).label}成功`, icon: 'success' })
      return null
    } catch (e) {
      if (e instanceof ApiError && e.code === 'CONFLICT') {
        void Taro.showToast({ title: '已被他人处理，已刷新', icon: 'none' })
        setSheet(null)
        await load()
        return null
      }
      if (e instanceof ApiError && e.issues.length > 0) {
        const out: Record<string, string> = {}
        for (const i of e.issues) {
          const k = i.path.split('.')[0] || '_'
          if (!(k in out)) out[k] = i.message
        }
        return out
      }
      return { _: e instanceof Error && e.message ? e.message : '操作失败，请稍后重试' }
    }
  }

  const open = async (def: ActionDef) => {
    if (def.direct) {
      setBusyAction(def.key)
      const errs = await run(def.key, {})
      setBusyAction(null)
      if (errs) void Taro.showToast({ title: errs._ ?? Object.values(errs)[0], icon: 'none' })
      return
    }
    if (def.target && (grids === null || gridsFailed)) void fetchGrids()
    setSheet({ def, values: { text: '', shared: false }, errors: {}, busy: false })
  }

  const confirmSheet = async () => {
    if (!sheet || sheet.busy) return
    const { def, values } = sheet
    const text = (values.text ?? '').trim()
    const local: Record<string, string> = {}
    if (def.text?.required && !text) local[def.errorPath ?? '_'] = `请填写${def.text.label}`
    if (def.text && text.length > def.text.max) local[def.errorPath ?? '_'] = `最多 ${def.text.max} 个字`
    if (def.rating && !values.satisfaction) local.satisfaction = '请选择满意度'
    if (def.target && values.gridId === undefined) local.gridId = '请选择转办去向'
    if (def.target && values.gridId && grids?.find((g) => g.id === values.gridId)?.workerCount === 0) local.gridId = '该网格暂无网格员，请选择其他网格'
    if (Object.keys(local).length) {
      setSheet({ ...sheet, errors: local })
      return
    }
    setSheet({ ...sheet, busy: true, errors: {} })
    const errs = await run(def.key, values)
    setSheet((s) => (s && s.def.key === def.key ? (errs ? { ...s, busy: false, errors: errs } : null) : s))
    // Refused (e.g. the grid has just lost its 网格员): refresh the counts; the message stays.
    if (errs && def.target) void fetchGrids()
  }

  if (!detail) {
    return (
      <PageRoot className='dispute-detail'>
        <PageWrapper loading={loading} error={loading ? null : error} onRetry={() => void load()} />
      </PageRoot>
    )
  }

  const c = detail
  const due = deadlineText(c)
  const actions = visibleActions(c.can)
  // Only one red button: the first main action of the moment (开始调解 before 调解成功).
  const lead = actions.find((a) => a.primary)?.key
  const handlerView = c.viewerRole === 'handler'
  const photoUrls = c.photos.map((p) => p.url ?? p.fileId)
  const sheetErrors = sheet?.errors ?? {}
  const textError = sheet?.def.errorPath ? sheetErrors[sheet.def.errorPath] : undefined

  return (
    <PageRoot className='dispute-detail'>
      <View className={cx('case-head', `case-head--${statusTagType(c.status)}`)}>
        <View className='case-head__top'>
          <Text className='case-head__status'>{c.statusLabel}</Text>
          <Text className='case-head__category'>{c.category}纠纷</Text>
        </View>
        {due ? <Text className={cx('case-head__due', due.overdue && 'case-head__due--overdue')}>{due.text}</Text> : null}
        <View className='case-head__tags'>
          {c.urgency === 'urgent' ? <Tag type='danger'>{URGENCY_LABELS.urgent}</Tag> : null}
          {c.complex ? <Tag type='warning'>复杂案件</Tag> : null}
          {c.overdue ? <Tag type='danger'>已超期</Tag> : null}
          <Tag type='muted'>
            {LEVEL_LABELS[c.level as Level]}办理{c.gridName && c.level === 'grid' ? ` · ${c.gridName}` : ''}
          </Tag>
        </View>
      </View>

      <Card title='纠纷情况' className='case-content'>
        <Text className='case-description'>{c.description}</Text>
        {c.photos.length ? (
          <View className='case-photos'>
            {c.photos.map((p, i) => (
              <View key={p.fileId} className='case-photo' onClick={() => void Taro.previewImage({ urls: photoUrls, current: photoUrls[i] }).catch(() => undefined)}>
                <Image className='case-photo__img' src={photoUrls[i]} mode='aspectFill' />
                {p.checking ? (
                  <View className='case-photo__checking'>
                    <Text>审核中</Text>
                  </View>
                ) : null}
              </View>
            ))}
          </View>
        ) : null}
      </Card>

      <Card title='基本信息' className='case-info'>
        <InfoRow label='发生位置' value={c.locationText} />
        {handlerView && c.otherParty ? <InfoRow className='info-row--other' label='对方住址' value={`${c.otherParty}（仅工作人员可见）`} /> : null}
        <InfoRow label='提交人' value={c.submitter.name} />
        {c.submitter.phone ? <InfoRow label='联系电话' value={c.submitter.phone} /> : null}
        <InfoRow label='提交时间' value={formatDateTime(c.submittedAt)} />
        <InfoRow label='紧急程度' value={URGENCY_LABELS[c.urgency]} />
        <InfoRow label='承办人' value={c.assigneeName ?? '待受理'} />
      </Card>

      {c.agreement || c.failReason || c.satisfaction ? (
        <Card title='调解结果' className='case-result'>
          {c.agreement ? <InfoRow className='info-row--block' label='调解协议' value={c.agreement} /> : null}
          {c.failReason ? <InfoRow className='info-row--block' label='未成原因' value={c.failReason} /> : null}
          {c.satisfaction ? (
            <InfoRow
              label='居民评价'
              value={`${SATISFACTION_LABELS[c.satisfaction as Satisfaction] ?? c.satisfaction}${c.satisfactionComment ? `：${c.satisfactionComment}` : ''}`}
            />
          ) : null}
        </Card>
      ) : null}

      {actions.length ? (
        <Card title={handlerView ? '办理' : '我可以'} className='case-actions'>
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

      <Card title='办理记录' className='case-timeline'>
        <Timeline kind={c.kind} entries={c.timeline} />
      </Card>

      <Sheet
        open={!!sheet}
        title={sheet?.def.title ?? ''}
        className={sheet ? `action-sheet action-sheet--${sheet.def.key}` : undefined}
        onClose={() => setSheet(null)}
        footer={
          sheet ? (
            <Button type='primary' block className='sheet-confirm' loading={sheet.busy} onClick={() => void confirmSheet()}>
              {sheet.def.confirm}
            </Button>
          ) : null
        }
      >
        {sheet ? (
          <View>
            {actionHint(sheet.def.key, c) ? <Text className='sheet__hint'>{actionHint(sheet.def.key, c)}</Text> : null}
            {sheet.def.rating ? (
              <Field label='满意度' required error={sheetErrors.satisfaction} className='sheet-rating'>
                <Chips
                  name='rating'
                  columns={3}
                  options={RATING_OPTIONS}
                  value={sheet.values.satisfaction ?? null}
                  onChange={(satisfaction) => setSheet((s) => (s ? { ...s, values: { ...s.values, satisfaction }, errors: { ...s.errors, satisfaction: '' } } : s))}
                />
              </Field>
            ) : null}
            {sheet.def.target ? (
              <Field label='转办至' required error={sheetErrors.gridId} className='sheet-target'>
                {grids === null && !gridsFailed ? <Text className='sheet-target__note'>正在加载网格…</Text> : null}
                {gridsFailed && grids === null ? <Text className='sheet-target__note'>网格列表加载失败，暂时只能转回社区</Text> : null}
                <Chips
                  name='target'
                  columns={2}
                  options={targetOptions(grids)}
                  value={sheet.values.gridId === undefined ? null : (sheet.values.gridId ?? COMMUNITY)}
                  onChange={(key) =>
                    setSheet((s) => (s ? { ...s, values: { ...s.values, gridId: key === COMMUNITY ? null : key }, errors: { ...s.errors, gridId: '' } } : s))
                  }
                />
              </Field>
            ) : null}
            {sheet.def.text ? (
              <Field label={sheet.def.text.label} required={sheet.def.text.required} error={textError} className='sheet-text'>
                <Textarea
                  className='ui-textarea sheet-textarea'
                  placeholderClass='ui-placeholder'
                  placeholder={sheet.def.text.placeholder}
                  value={sheet.values.text ?? ''}
                  maxlength={-1}
                  fixed
                  onInput={(e) => {
                    const text = e.detail.value
                    // Clears the text's own error; a refusal from the server (`_`) stays until the next try.
                    setSheet((s) => (s ? { ...s, values: { ...s.values, text }, errors: { ...s.errors, [s.def.errorPath ?? '_']: '' } } : s))
                  }}
                />
                <Text className={cx('sheet-counter', (sheet.values.text ?? '').length > sheet.def.text.max && 'sheet-counter--over')}>
                  {(sheet.values.text ?? '').length}/{sheet.def.text.max}
                </Text>
              </Field>
            ) : null}
            {sheet.def.shareSwitch ? (
              <View className='share-row'>
                <View className='share-row__text'>
                  <Text className='share-row__title'>告知居民</Text>
                  <Text className='share-row__desc'>{sheet.values.shared ? '居民可以看到这条备注，并收到通知' : '仅工作人员可见'}</Text>
                </View>
                <Switch
                  className='share-switch'
                  checked={!!sheet.values.shared}
                  label='告知居民'
                  onChange={(shared) => setSheet((s) => (s ? { ...s, values: { ...s.values, shared } } : s))}
                />
              </View>
            ) : null}
            {sheetErrors._ ? <Text className='form-error sheet-error'>{sheetErrors._}</Text> : null}
          </View>
        ) : null}
      </Sheet>
    </PageRoot>
  )
}

export default function DisputeDetailPage() {
  const router = useRouter()
  return <DisputeDetailView id={String(router.params.id ?? '')} />
}
