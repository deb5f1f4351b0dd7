import Taro, { useRouter } from '@tarojs/taro'
import { View, Text, Input } from '@tarojs/components'
import { useState } from 'react'
import { Button, Card, Field, PageRoot, PageWrapper, Sheet, Tag, useResource, type TagType } from '@/components'
import { CountedTextarea } from '@/features/cases/ui/CountedTextarea'
import { adjustHours, awardBonus, loadActivity, loadRoster } from '@/features/volunteer/api'
import { formatHours } from '@/features/volunteer/format'
import { ApiError } from '@/services/gateway'
import { businessDate, formatShort, sh } from '@/shared/time'
import '../../components/volunteer.css'

type Person = Awaited<ReturnType<typeof loadRoster>>['items'][number]
type SheetState = { kind: 'hours' | 'bonus'; person: Person; amount: string; reason: string; errors: Record<string, string>; busy: boolean }

const STATE_TAGS: Record<Person['state'], TagType> = { confirmed: 'success', waitlisted: 'warning', cancelled: 'muted' }

/** 报名名单 (staff): everyone signed up with their state and times; adjust hours, award points. */
export function RosterView({ id }: { id: string }) {
  const roster = useResource(id ? () => Promise.all([loadActivity(id), loadRoster(id)]) : null, [id], '缺少活动编号')
  const [sheet, setSheet] = useState<SheetState | null>(null)

  const data = roster.data
  if (!data) {
    return (
      <PageRoot className='vol-roster'>
        <PageWrapper loading={roster.loading} error={roster.loading ? null : roster.error} onRetry={() => void roster.reload()} />
      </PageRoot>
    )
  }
  const [activity, { items }] = data
  const count = (f: (p: Person) => boolean) => items.filter(f).length
  /** A time on the activity's own day is shown as HH:mm. */
  const clock = (t: string) => (businessDate(t) === businessDate(activity.startAt) ? sh(t).format('HH:mm') : formatShort(t))

  const submit = async () => {
    if (!sheet || sheet.busy) return
    const n = Number(sheet.amount)
    const errors: Record<string, string> = {}
    if (sheet.kind === 'hours' && (sheet.amount.trim() === '' || !(n >= 0) || n > activity.hours)) errors.hours = `请填写 0–${formatHours(activity.hours)} 之间的小时数`
    if (sheet.kind === 'bonus' && (!Number.isInteger(n) || n < 1)) errors.points = '请填写奖励的积分（整数）'
    if (!sheet.reason.trim()) errors.reason = sheet.kind === 'hours' ? '请填写调整原因' : '请填写奖励原因'
    if (Object.keys(errors).length) {
      setSheet({ ...sheet, errors })
      return
    }
    setSheet({ ...sheet, busy: true, errors: {} })
    try {
      if (sheet.kind === 'hours') {
        const next = await adjustHours(activity.id, sheet.person.openid, Math.round(n * 10) / 10, sheet.reason.trim())
        roster.setData([activity, next])
        void Taro.showToast({ title: '工时已调整', icon: 'success' })
      } else {
        await awardBonus(sheet.person.openid, n, sheet.reason.trim())
        void Taro.showToast({ title: `已奖励 ${n} 积分`, icon: 'success' })
      }
      setSheet(null)
    } catch (e) {
      const fields = e instanceof ApiError ? e.fieldErrors() : {}
      const message = e instanceof Error && e.message ? e.message : '操作失败，请稍后重试'
      setSheet((s) => (s ? { ...s, busy: false, errors: { ...fields, _: fields.hours || fields.points || fields.reason ? '' : message } } : s))
    }
  }

  const amountKey = sheet?.kind === 'hours' ? 'hours' : 'points'

  return (
    <PageRoot className='vol-roster'>
      <View className='vol-head'>
        <Text className='vol-head__title'>{activity.title}</Text>
        <Text className='vol-head__time'>{activity.timeText}</Text>
      </View>
      <Text className='vol-roster-sum'>
        已报名 {count((p) => p.state === 'confirmed')} 人，候补 {count((p) => p.state === 'waitlisted')} 人，已签到 {count((p) => !!p.checkedInAt)} 人
        {count((p) => p.state === 'cancelled') ? `，已取消 ${count((p) => p.state === 'cancelled')} 人` : ''}
      </Text>
      <PageWrapper empty={items.length === 0} emptyText='还没有人报名'>
        <View className='vol-list'>
          {items.map((p) => (
            <Card key={p.openid} className={`vol-person vol-person--${p.state}`}>
              <View className='vol-person__head'>
                <Text className='vol-person__name'>{p.name}</Text>
                <Tag type={STATE_TAGS[p.state]}>{p.state === 'waitlisted' && p.position ? `候补第 ${p.position} 位` : p.stateLabel}</Tag>
              </View>
              <Text className='vol-card__sub'>
                {p.phoneMasked}
                {p.partyUnit ? ` · 报到单位：${p.partyUnit}` : ''}
              </Text>
              {p.state === 'confirmed' ? (
                <Text className='vol-card__sub vol-person__times'>
                  签到 {p.checkedInAt ? clock(p.checkedInAt) : '—'} · 签退 {p.checkedOutAt ? clock(p.checkedOutAt) : '—'}
                  {p.hours !== null ? ` · 工时 ${formatHours(p.hours)} 小时` : ''}
                </Text>
              ) : null}
              {p.late ? <Text className='vol-card__sub vol-person__late'>开始前 2 小时内取消（已记录）</Text> : null}
              {p.state === 'confirmed' ? (
                <View className='vol-person__actions'>
                  <Button type='default' size='small' className='vol-adjust' onClick={() => setSheet({ kind: 'hours', person: p, amount: p.hours !== null ? String(p.hours) : '', reason: '', errors: {}, busy: false })}>
                    调整工时
                  </Button>
                  <Button type='default' size='small' className='vol-bonus' onClick={() => setSheet({ kind: 'bonus', person: p, amount: '', reason: '', errors: {}, busy: false })}>
                    奖励积分
                  </Button>
                </View>
              ) : null}
            </Card>
          ))}
        </View>
      </PageWrapper>

      <Sheet
        open={!!sheet}
        title={sheet ? `${sheet.kind === 'hours' ? '调整工时' : '奖励积分'}：${sheet.person.name}` : ''}
        className='vol-roster-sheet'
        onClose={() => setSheet(null)}
        footer={
          <Button type='primary' block className='vol-roster-submit' loading={!!sheet?.busy} onClick={() => void submit()}>
            确认
          </Button>
        }
      >
        {sheet ? (
          <View>
            <Field
              label={sheet.kind === 'hours' ? '本次活动工时（小时）' : '奖励积分'}
              required
              error={sheet.errors[amountKey]}
              hint={sheet.kind === 'hours' ? `最多 ${formatHours(activity.hours)} 小时；调整会记录在案` : '奖励会通知本人，记入积分明细'}
            >
              <Input
                className='ui-input vol-roster-amount'
                type='digit'
                placeholderClass='ui-placeholder'
                placeholder={sheet.kind === 'hours' ? '例如：1.5' : '例如：10'}
                value={sheet.amount}
                onInput={(e) => {
                  const amount = e.detail.value
                  setSheet((s) => (s ? { ...s, amount, errors: { ...s.errors, [amountKey]: '' } } : s))
                }}
              />
            </Field>
            <Field label={sheet.kind === 'hours' ? '调整原因' : '奖励原因'} required error={sheet.errors.reason}>
              <CountedTextarea
                className='vol-roster-reason'
                placeholder={sheet.kind === 'hours' ? '例如：提前离场，按实际 1.5 小时记' : '例如：协助组织，表现突出'}
                max={100}
                fixed
                value={sheet.reason}
                onInput={(reason) => setSheet((s) => (s ? { ...s, reason, errors: { ...s.errors, reason: '' } } : s))}
              />
            </Field>
            {sheet.errors._ ? <Text className='vol-error'>{sheet.errors._}</Text> : null}
          </View>
        ) : null}
      </Sheet>
    </PageRoot>
  )
}

export default function RosterPage() {
  const router = useRouter()
  return <RosterView id={String(router.params.id ?? '')} />
}
