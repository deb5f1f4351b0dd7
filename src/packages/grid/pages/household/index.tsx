import Taro, { useRouter } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { useEffect, useState } from 'react'
import { Button, Card, Field, PageRoot, PageWrapper, Sheet, Tag, cx } from '@/components'
import { errorsFromApi, type FormErrors } from '@/features/cases/form'
import { Chips } from '@/features/cases/ui/Chips'
import { CountedTextarea } from '@/features/cases/ui/CountedTextarea'
import { CasePhotos } from '@/features/cases/ui/CaseParts'
import { loadHousehold, setTag } from '@/features/grid/api'
import { dayText, householdTitle, lastVisitText, nextDueText, visitTagType } from '@/features/grid/format'
import { useShownResource } from '@/features/grid/hooks'
import type { HouseholdOutT, VisitOutT } from '@/shared/api/grid'
import { CARE_TAGS, type CareTag } from '@/shared/rules/grid'
import { formatDateTime } from '@/shared/time'
import { VisitSheet } from '../../components/VisitSheet'
import { paramOf } from '@/features/grid/config'
import { DISPUTE_URLS } from '@/features/dispute/config'
import { BOOKING_URLS } from '@/features/booking/config'
import { proxyQuery, type ProxyTarget } from '@/features/privacy/proxy'
import '../../components/grid.css'

const MAX_REASON = 100

interface TagSheetState {
  tag: CareTag | null
  reason: string
  errors: FormErrors<'tag' | 'reason'>
  busy: boolean
}

function VisitItem({ v }: { v: VisitOutT }) {
  return (
    <View className={cx('hh-visit', v.followUp && 'hh-visit--follow')}>
      <View className='hh-visit__head'>
        <Text className='hh-visit__at'>{formatDateTime(v.at)}</Text>
        {v.onTime === true ? (
          <Tag type='success' className='hh-visit__ontime'>
            按期
          </Tag>
        ) : v.onTime === false ? (
          <Tag type='danger' className='hh-visit__late'>
            逾期
          </Tag>
        ) : null}
      </View>
      <Text className='hh-visit__by'>走访人：{v.byName}</Text>
      <Text className='hh-visit__found'>{v.found}</Text>
      <CasePhotos photos={v.photos} className='hh-visit__photos' />
      {v.followUp ? (
        <View className='hh-visit__follow'>
          <Text className='hh-visit__follow-label'>需要跟进</Text>
          {v.followUpNote ? <Text className='hh-visit__follow-note'>{v.followUpNote}</Text> : null}
        </View>
      ) : null}
    </View>
  )
}

/** 代办: a dispute or a booking for a resident of the household, the resident preselected (issue 14). */
function ActForLinks({ people }: { people: ProxyTarget[] }) {
  if (people.length === 0) return null
  const go = (url: string) => void Taro.navigateTo({ url }).catch(() => undefined)
  return (
    <View className='hh-actfor'>
      <Text className='hh-actfor__note'>居民不便使用手机时，可征得其同意后代为办理：</Text>
      {people.map((p) => (
        <View key={p.openid} className='hh-actfor__row'>
          <Text className='hh-actfor__name'>{p.name}</Text>
          <Button size='small' className='hh-actfor-dispute' onClick={() => go(`${DISPUTE_URLS.new}?${proxyQuery(p)}`)}>
            代办纠纷
          </Button>
          <Button size='small' className='hh-actfor-booking' onClick={() => go(`${BOOKING_URLS.rooms}?${proxyQuery(p)}`)}>
            代办预约
          </Button>
        </View>
      ))}
    </View>
  )
}

/**
 * One household (网格员, 社区工作人员): residents, care tags with their reasons (seen only by the
 * grid's workers and staff), the visit plan, the visits; 加标签 / 取消标签 and 登记走访.
 */
export function HouseholdView({ id, startVisit = false }: { id: string; startVisit?: boolean }) {
  const res = useShownResource<HouseholdOutT>(id ? () => loadHousehold(id) : null, [id], '缺少住户编号')
  const [tagSheet, setTagSheet] = useState<TagSheetState | null>(null)
  const [visiting, setVisiting] = useState(false)
  const [removing, setRemoving] = useState<string | null>(null)
  const h = res.data

  // 待走访's 去走访 opens the form as soon as the household is there.
  const ready = !!h
  useEffect(() => {
    if (startVisit && ready) setVisiting(true)
  }, [startVisit, ready])

  if (!h) {
    return (
      <PageRoot className='grid-household'>
        <PageWrapper loading={res.loading} error={res.loading ? null : res.error} onRetry={() => void res.reload()} />
      </PageRoot>
    )
  }

  const due = nextDueText(h.nextDueAt)
  const onTags = new Set(h.tags)

  const confirmTag = async () => {
    if (!tagSheet || tagSheet.busy) return
    if (!tagSheet.tag) {
      setTagSheet({ ...tagSheet, errors: { tag: '请选择关爱类别' } })
      return
    }
    if (tagSheet.reason.length > MAX_REASON) {
      setTagSheet({ ...tagSheet, errors: { reason: `最多 ${MAX_REASON} 个字` } })
      return
    }
    setTagSheet({ ...tagSheet, busy: true, errors: {} })
    try {
      res.setData(await setTag(h.id, tagSheet.tag, true, tagSheet.reason))
      setTagSheet(null)
      void Taro.showToast({ title: '已加上标签', icon: 'success' })
    } catch (e) {
      const errors = errorsFromApi(e, ['tag', 'reason'] as const)
      // The field's own message is enough; the server's sentence would say it twice.
      if (errors.reason && errors._) delete errors._
      setTagSheet((s) => (s ? { ...s, busy: false, errors } : s))
    }
  }

  const removeTag = async (tag: CareTag) => {
    const ok = await Taro.showModal({ title: '取消标签', content: `取消「${tag}」后将不再按该类别提醒走访。`, confirmText: '确认取消', cancelText: '再想想', confirmColor: '#c8161d' }).catch(() => ({
      confirm: false,
    }))
    if (!ok.confirm) return
    setRemoving(tag)
    try {
      res.setData(await setTag(h.id, tag, false))
      void Taro.showToast({ title: '已取消标签', icon: 'success' })
    } catch (e) {
      void Taro.showToast({ title: e instanceof Error && e.message ? e.message : '操作失败，请稍后重试', icon: 'none' })
    } finally {
      setRemoving(null)
    }
  }

  const tagOptions = CARE_TAGS.map((t) => ({ key: t, label: t, disabled: onTags.has(t), note: onTags.has(t) ? '已标记' : undefined }))

  return (
    <PageRoot className='grid-household ui-with-bottom-bar'>
      <View className={cx('hh-head', `hh-head--${h.nextDueAt ? h.visitState : 'none'}`)}>
        <Text className='hh-head__title'>{householdTitle(h)}</Text>
        {h.gridName ? <Text className='hh-head__grid'>{h.gridName}</Text> : null}
        <View className='hh-head__row'>
          <Tag type={visitTagType(h)} className='hh-head__state'>
            {h.visitStateLabel}
          </Tag>
          {due ? <Text className='hh-head__due'>下次走访：{due}</Text> : null}
        </View>
        <Text className='hh-head__last'>上次走访：{lastVisitText(h.lastVisitAt)}</Text>
      </View>

      <Card title='居民' className='hh-residents'>
        {h.residents.map((r, i) => (
          <View key={`${r.name}-${i}`} className='hh-resident'>
            <Text className='hh-resident__name'>{r.name}</Text>
            <Text className='hh-resident__phone'>{r.phoneMasked ?? '未登记电话'}</Text>
          </View>
        ))}
        <ActForLinks people={h.actFor ?? []} />
      </Card>

      <Card
        title='关爱标签'
        className='hh-tag-card'
        extra={
          <Button type='plain' size='small' className='hh-add-tag' onClick={() => setTagSheet({ tag: null, reason: '', errors: {}, busy: false })}>
            加标签
          </Button>
        }
      >
        {h.tagDetails.length ? (
          h.tagDetails.map((t) => (
            <View key={t.tag} className='hh-tagdetail'>
              <View className='hh-tagdetail__main'>
                <Text className='hh-tag'>{t.tag}</Text>
                <Text className='hh-tagdetail__reason'>{t.reason}</Text>
                <Text className='hh-tagdetail__meta'>
                  {t.byName} · {dayText(t.at)}
                </Text>
              </View>
              <Button type='default' size='small' className='hh-remove-tag' loading={removing === t.tag} onClick={() => void removeTag(t.tag as CareTag)}>
                取消
              </Button>
            </View>
          ))
        ) : (
          <Text className='hh-empty-text'>未标记关爱类别。标记后按类别的走访周期提醒走访。</Text>
        )}
        <Text className='hh-privacy'>标签和原因仅本网格网格员和社区工作人员可见。</Text>
      </Card>

      <Card title={`走访记录（${h.visits.length}）`} className='hh-visits'>
        {h.visits.length ? h.visits.map((v) => <VisitItem key={v.id} v={v} />) : <Text className='hh-empty-text'>还没有走访记录</Text>}
      </Card>

      <View className='ui-bottom-bar'>
        <Button type='primary' block className='hh-visit-btn' onClick={() => setVisiting(true)}>
          登记走访
        </Button>
      </View>

      <Sheet
        open={!!tagSheet}
        title='加关爱标签'
        className='tag-sheet'
        onClose={() => setTagSheet(null)}
        footer={
          <Button type='primary' block className='tag-submit' loading={tagSheet?.busy} onClick={() => void confirmTag()}>
            保存标签
          </Button>
        }
      >
        {tagSheet ? (
          <View>
            <Text className='sheet__hint'>标签和原因仅本网格网格员和社区工作人员可见，请如实、简要地写明原因。</Text>
            <Field label='关爱类别' required error={tagSheet.errors.tag} className='tag-field'>
              <Chips
                name='care'
                columns={3}
                options={tagOptions}
                value={tagSheet.tag}
                onChange={(tag) => setTagSheet((s) => (s ? { ...s, tag, errors: { ...s.errors, tag: undefined } } : s))}
              />
            </Field>
            <Field label='原因' required error={tagSheet.errors.reason} className='tag-reason'>
              <CountedTextarea
                className='tag-reason-input'
                fixed
                value={tagSheet.reason}
                max={MAX_REASON}
                placeholder='例如：独居，子女在外地，患高血压'
                onInput={(reason) => setTagSheet((s) => (s ? { ...s, reason, errors: { ...s.errors, reason: undefined } } : s))}
              />
            </Field>
            {tagSheet.errors._ ? <Text className='form-error sheet-error tag-error'>{tagSheet.errors._}</Text> : null}
          </View>
        ) : null}
      </Sheet>

      <VisitSheet
        householdId={h.id}
        open={visiting}
        onClose={() => setVisiting(false)}
        onDone={(next) => {
          res.setData(next)
          setVisiting(false)
        }}
      />
    </PageRoot>
  )
}

export default function HouseholdPage() {
  const router = useRouter()
  return <HouseholdView id={paramOf(router.params.id)} startVisit={router.params.visit === '1'} />
}
