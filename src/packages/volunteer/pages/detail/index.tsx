import Taro, { useRouter } from '@tarojs/taro'
import { View, Text, Input } from '@tarojs/components'
import { useState } from 'react'
import { Button, Card, Checkbox, Field, InfoRow, PageRoot, PageWrapper, Sheet, Tag, cx } from '@/components'
import { CountedTextarea } from '@/features/cases/ui/CountedTextarea'
import { useSession } from '@/features/profile/useSession'
import {
  cancelActivity,
  cancelSignUp,
  checkWithCode,
  checkWithToken,
  publishActivity,
  requestVolunteerSubscribe,
  scanCode,
  signUp,
  type SignUpContact,
} from '@/features/volunteer/api'
import { VOLUNTEER_URLS } from '@/features/volunteer/config'
import { LATE_CANCEL_WARNING, cancelConfirmText, formatHours, isLateCancel, phaseTagType, placesText, signupTagType, signupText } from '@/features/volunteer/format'
import { useActivity } from '@/features/volunteer/hooks'
import { ApiError } from '@/services/gateway'
import { loadSession } from '@/services/session'
import type { ActivityDetailT } from '@/shared/api/volunteer'
import { phoneProblem } from '@/shared/ids'
import { formatShort } from '@/shared/time'
import '../../components/volunteer.css'

const isWeapp = process.env.TARO_ENV === 'weapp'
const go = (url: string) => void Taro.navigateTo({ url })

type SheetState =
  | { kind: 'contact'; name: string; phone: string; consent: boolean; errors: Record<string, string>; busy: boolean }
  | { kind: 'code'; mode: 'in' | 'out'; code: string; error: string; busy: boolean }
  | { kind: 'cancelActivity'; reason: string; error: string; busy: boolean }

const errorText = (e: unknown, fallback: string) => (e instanceof Error && e.message ? e.message : fallback)
const toast = (title: string, icon: 'none' | 'success' = 'none') => void Taro.showToast({ title, icon, duration: 2500 })

/** H5 has no map app: the address, and a link to a web map when a point is recorded. */
function openMap(a: ActivityDetailT) {
  if (!a.location) return
  if (isWeapp) {
    void Taro.openLocation({ latitude: a.location.latitude, longitude: a.location.longitude, name: a.place, address: a.address, scale: 17 }).catch(() => undefined)
    return
  }
  const { latitude, longitude } = a.location
  window.open(`https://uri.amap.com/marker?position=${longitude},${latitude}&name=${encodeURIComponent(a.place)}&coordinate=gaode&callnative=0`, '_blank')
}

/** One activity: everything about it, my sign-up, and what I may do (报名, 取消, 签到, 签退; staff: 编辑, 发布, 取消活动, 名单, 二维码). */
export function ActivityDetailView({ id }: { id: string }) {
  const { session } = useSession()
  const { data: a, setData, loading, error, reload } = useActivity(id)
  const [busy, setBusy] = useState<string | null>(null)
  const [sheet, setSheet] = useState<SheetState | null>(null)

  if (!a) {
    return (
      <PageRoot className='vol-detail'>
        <PageWrapper loading={loading} error={loading ? null : error} onRetry={() => void reload()} />
      </PageRoot>
    )
  }

  const can = (action: string) => a.can.includes(action)
  const profile = session?.profile ?? null
  // Known to be missing: ask at once. Not known yet (session still loading): the server asks.
  const needsContact = !!profile && (!profile.name || !profile.phoneMasked)

  /** A CONFLICT means someone else changed it: show the current state. */
  const conflict = async (e: unknown): Promise<boolean> => {
    if (e instanceof ApiError && e.code === 'CONFLICT') {
      toast('活动刚刚有了变化，已刷新')
      setSheet(null)
      await reload()
      return true
    }
    return false
  }

  const signedUp = (next: ActivityDetailT) => {
    setData(next)
    setSheet(null)
    if (next.signup?.state === 'waitlisted') toast(next.signup.position ? `名额已满，已加入候补第 ${next.signup.position} 位` : '名额已满，已加入候补')
    else toast('报名成功', 'success')
  }

  /** 报名: straight away when name and phone are on record; else (or when the server asks) the contact sheet. */
  const startSignUp = async () => {
    if (needsContact) {
      setSheet({ kind: 'contact', name: profile?.name ?? '', phone: '', consent: false, errors: {}, busy: false })
      return
    }
    setBusy('signUp')
    // WeChat asks for subscriptions only inside a tap: start it now, wait for it after.
    const subscribed = requestVolunteerSubscribe()
    try {
      const next = await signUp(a.id, null)
      await subscribed
      signedUp(next)
    } catch (e) {
      if (e instanceof ApiError && e.code === 'INVALID_INPUT' && e.issues.some((i) => i.path === 'name' || i.path === 'phone')) {
        setSheet({ kind: 'contact', name: profile?.name ?? '', phone: '', consent: false, errors: e.fieldErrors(), busy: false })
      } else if (!(await conflict(e))) toast(errorText(e, '报名失败，请稍后重试'))
    } finally {
      setBusy(null)
    }
  }

  const submitContact = async () => {
    if (!sheet || sheet.kind !== 'contact' || sheet.busy) return
    const errors: Record<string, string> = {}
    if (!sheet.name.trim()) errors.name = '请填写真实姓名'
    const phone = phoneProblem(sheet.phone)
    if (phone) errors.phone = phone
    if (!sheet.consent) errors.consent = '请勾选同意'
    if (Object.keys(errors).length) {
      setSheet({ ...sheet, errors })
      return
    }
    setSheet({ ...sheet, busy: true, errors: {} })
    const subscribed = requestVolunteerSubscribe()
    const contact: SignUpContact = { name: sheet.name.trim(), phone: sheet.phone.trim() }
    try {
      const next = await signUp(a.id, contact)
      await subscribed
      signedUp(next)
      // The name and phone are now on the person's record: the next sign-up needs no sheet.
      loadSession(true).catch(() => undefined)
    } catch (e) {
      if (await conflict(e)) return
      const fields = e instanceof ApiError ? e.fieldErrors() : {}
      setSheet((s) => (s && s.kind === 'contact' ? { ...s, busy: false, errors: Object.keys(fields).length ? fields : { _: errorText(e, '报名失败，请稍后重试') } } : s))
    }
  }

  const cancel = async () => {
    const res = await Taro.showModal({ title: '取消报名', content: cancelConfirmText(a), confirmText: '确认取消', cancelText: '再想想', confirmColor: '#c8161d' }).catch(() => ({ confirm: false }))
    if (!res.confirm) return
    setBusy('cancel')
    try {
      setData(await cancelSignUp(a.id))
      toast('已取消报名', 'success')
    } catch (e) {
      if (!(await conflict(e))) toast(errorText(e, '取消失败，请稍后重试'))
    } finally {
      setBusy(null)
    }
  }

  /** 签到 / 签退: weapp scans the organiser's QR (or types its code); H5 types the code. */
  const check = async (mode: 'in' | 'out') => {
    if (!isWeapp) {
      setSheet({ kind: 'code', mode, code: '', error: '', busy: false })
      return
    }
    const token = await scanCode(['qrCode'])
    if (!token) return
    setBusy(mode === 'in' ? 'checkIn' : 'checkOut')
    try {
      setData(await checkWithToken(mode, token))
      toast(mode === 'in' ? '签到成功' : '签退成功', 'success')
    } catch (e) {
      if (!(await conflict(e))) toast(errorText(e, '操作失败，请稍后重试'))
    } finally {
      setBusy(null)
    }
  }

  const submitCode = async () => {
    if (!sheet || sheet.kind !== 'code' || sheet.busy) return
    if (!/^\d{6}$/.test(sheet.code.trim())) {
      setSheet({ ...sheet, error: '短码为 6 位数字' })
      return
    }
    setSheet({ ...sheet, busy: true, error: '' })
    try {
      setData(await checkWithCode(sheet.mode, a.id, sheet.code))
      setSheet(null)
      toast(sheet.mode === 'in' ? '签到成功' : '签退成功', 'success')
    } catch (e) {
      if (await conflict(e)) return
      setSheet((s) => (s && s.kind === 'code' ? { ...s, busy: false, error: errorText(e, '操作失败，请稍后重试') } : s))
    }
  }

  const publish = async () => {
    setBusy('publish')
    try {
      setData(await publishActivity(a))
      toast('已发布', 'success')
    } catch (e) {
      if (!(await conflict(e))) toast(errorText(e, '发布失败，请稍后重试'))
    } finally {
      setBusy(null)
    }
  }

  const submitCancelActivity = async () => {
    if (!sheet || sheet.kind !== 'cancelActivity' || sheet.busy) return
    if (!sheet.reason.trim()) {
      setSheet({ ...sheet, error: '请填写取消原因' })
      return
    }
    setSheet({ ...sheet, busy: true, error: '' })
    try {
      setData(await cancelActivity(a, sheet.reason.trim()))
      setSheet(null)
      toast('活动已取消，已通知报名的居民', 'success')
    } catch (e) {
      if (await conflict(e)) return
      setSheet((s) => (s && s.kind === 'cancelActivity' ? { ...s, busy: false, error: errorText(e, '操作失败，请稍后重试') } : s))
    }
  }

  const s = a.signup
  const live = s && s.state !== 'cancelled'
  const lateNow = live && !s.checkedInAt && can('cancel') && isLateCancel(a)
  const staffActions = (['edit', 'publish', 'cancelActivity', 'roster', 'qr'] as const).filter(can)

  return (
    <PageRoot className={cx('vol-detail', (can('signUp') || can('cancel') || can('checkIn') || can('checkOut')) && 'ui-with-bottom-bar')}>
      <View className='vol-head'>
        <View className='vol-card__tags'>
          <Tag type={phaseTagType(a.phase)} className='vol-phase'>
            {a.phaseLabel}
          </Tag>
          <Tag type='info'>{a.category}</Tag>
        </View>
        <Text className='vol-head__title'>{a.title}</Text>
        <Text className='vol-head__time'>{a.timeText}</Text>
      </View>

      {staffActions.length ? (
        <Card title='组织者' className='vol-staff'>
          <View className='vol-actions'>
            {staffActions.map((k) => {
              const label = { edit: '编辑活动', publish: '发布活动', cancelActivity: '取消活动', roster: '报名名单', qr: '签到二维码' }[k]
              const onClick = {
                edit: () => go(VOLUNTEER_URLS.edit(a.id)),
                publish: () => void publish(),
                cancelActivity: () => setSheet({ kind: 'cancelActivity', reason: '', error: '', busy: false }),
                roster: () => go(VOLUNTEER_URLS.roster(a.id)),
                qr: () => go(VOLUNTEER_URLS.qr(a.id)),
              }[k]
              return (
                <Button key={k} type={k === 'publish' || k === 'qr' ? 'primary' : k === 'cancelActivity' ? 'plain' : 'default'} className={`vol-action vol-action--${k}`} loading={busy === k} disabled={busy !== null && busy !== k} onClick={onClick}>
                  {label}
                </Button>
              )
            })}
          </View>
          {a.status === 'draft' ? <Text className='vol-hint'>草稿只有工作人员能看到，发布后居民才能报名。</Text> : null}
        </Card>
      ) : null}

      {s ? (
        <Card title='我的报名' className='vol-mine'>
          <View className='vol-state'>
            <Text className='vol-state__text vol-signup-state'>{signupText(s)}</Text>
            {signupText(s) !== s.stateLabel ? <Tag type={signupTagType(s)}>{s.stateLabel}</Tag> : null}
          </View>
          {s.checkedInAt ? <InfoRow label='签到时间' value={formatShort(s.checkedInAt)} className='vol-checked-in' /> : null}
          {s.checkedOutAt ? <InfoRow label='签退时间' value={formatShort(s.checkedOutAt)} className='vol-checked-out' /> : null}
          {s.hours !== null ? <InfoRow label='获得' value={`${formatHours(s.hours)} 小时 · ${s.points ?? 0} 积分`} className='vol-credited' /> : null}
          {s.state === 'waitlisted' ? <Text className='vol-hint'>有人取消时按候补顺序自动递补，递补成功会通知您（开始前 2 小时停止递补）。</Text> : null}
          {live && !can('checkIn') && !s.checkedInAt && s.state === 'confirmed' && a.phase !== 'finished' ? (
            <Text className='vol-hint'>活动开始前 30 分钟起可在现场扫码签到。</Text>
          ) : null}
          {lateNow ? <Text className='vol-hint vol-late-warning'>{LATE_CANCEL_WARNING}，如不能参加请尽早告知联系人。</Text> : null}
        </Card>
      ) : null}

      <Card title='活动信息' className='vol-info'>
        <InfoRow label='时间' value={a.timeText} />
        <InfoRow label='集合地点' value={a.place} className='vol-place'>
          {a.address && a.address !== a.place ? <Text className='vol-card__sub vol-address'>{a.address}</Text> : null}
          {a.location ? (
            <View className='vol-map' hoverClass='vol-link--hover' onClick={() => openMap(a)}>
              <Text>{isWeapp ? '查看地图 / 导航' : '在地图中查看'}</Text>
            </View>
          ) : null}
        </InfoRow>
        <InfoRow label='名额' value={`${a.capacity} 人 · ${a.phase === 'open' || a.phase === 'full' ? placesText(a) : `已报名 ${a.taken} 人`}`} className='vol-places-row' />
        <InfoRow label='工时积分' value={`完成可记 ${formatHours(a.hours)} 小时 · ${a.points} 积分`} />
        <InfoRow label='报名截止' value={formatShort(a.signupDeadline)} />
        {a.requirements ? <InfoRow label='参加要求' value={a.requirements} /> : null}
        <InfoRow label='联系人' value={a.contact} />
        <Text className='vol-hint'>签到后参加满计划时长的 60% 才记工时和积分；工时按实际参加时间计算，最多 {formatHours(a.hours)} 小时。</Text>
      </Card>

      {a.description ? (
        <Card title='活动介绍' className='vol-description'>
          <Text className='vol-text'>{a.description}</Text>
        </Card>
      ) : null}

      {can('signUp') || can('cancel') || can('checkIn') || can('checkOut') ? (
        <View className='ui-bottom-bar vol-bar'>
          <View className='vol-actions'>
            {can('checkIn') ? (
              <Button type='primary' className='vol-action vol-action--checkIn' loading={busy === 'checkIn'} disabled={busy !== null} onClick={() => void check('in')}>
                {isWeapp ? '扫码签到' : '签到'}
              </Button>
            ) : null}
            {can('checkOut') ? (
              <Button type='primary' className='vol-action vol-action--checkOut' loading={busy === 'checkOut'} disabled={busy !== null} onClick={() => void check('out')}>
                {isWeapp ? '扫码签退' : '签退'}
              </Button>
            ) : null}
            {can('signUp') ? (
              <Button type='primary' className='vol-action vol-action--signUp' loading={busy === 'signUp'} disabled={busy !== null} onClick={() => void startSignUp()}>
                {a.placesLeft > 0 ? '立即报名' : '报名候补'}
              </Button>
            ) : null}
            {can('cancel') ? (
              <Button type='plain' className='vol-action vol-action--cancel' loading={busy === 'cancel'} disabled={busy !== null} onClick={() => void cancel()}>
                取消报名
              </Button>
            ) : null}
          </View>
          {isWeapp && (can('checkIn') || can('checkOut')) ? (
            <View className='vol-date__clear vol-type-code' onClick={() => setSheet({ kind: 'code', mode: can('checkIn') ? 'in' : 'out', code: '', error: '', busy: false })}>
              <Text>无法扫码？输入短码</Text>
            </View>
          ) : null}
        </View>
      ) : null}

      <Sheet
        open={sheet?.kind === 'contact'}
        title='报名信息'
        className='vol-contact-sheet'
        onClose={() => setSheet(null)}
        footer={
          <Button type='primary' block className='vol-contact-submit' loading={sheet?.kind === 'contact' && sheet.busy} onClick={() => void submitContact()}>
            {a.placesLeft > 0 ? '确认报名' : '确认报名候补'}
          </Button>
        }
      >
        {sheet?.kind === 'contact' ? (
          <View>
            <Text className='vol-hint'>首次报名需填写真实姓名和手机号，便于组织者联系和记录志愿时长。</Text>
            <Field label='真实姓名' required error={sheet.errors.name}>
              <Input
                className='ui-input vol-contact-name'
                placeholderClass='ui-placeholder'
                placeholder='与身份证一致'
                maxlength={20}
                value={sheet.name}
                onInput={(e) => {
                  const name = e.detail.value
                  setSheet((x) => (x?.kind === 'contact' ? { ...x, name, errors: { ...x.errors, name: '', _: '' } } : x))
                }}
              />
            </Field>
            <Field label='手机号' required error={sheet.errors.phone}>
              <Input
                className='ui-input vol-contact-phone'
                type='number'
                placeholderClass='ui-placeholder'
                placeholder='11 位手机号'
                maxlength={11}
                value={sheet.phone}
                onInput={(e) => {
                  const phone = e.detail.value
                  setSheet((x) => (x?.kind === 'contact' ? { ...x, phone, errors: { ...x.errors, phone: '', _: '' } } : x))
                }}
              />
            </Field>
            <Field label='授权' error={sheet.errors.consent}>
              <Checkbox
                className='vol-consent'
                checked={sheet.consent}
                onChange={(consent) => setSheet((x) => (x?.kind === 'contact' ? { ...x, consent, errors: { ...x.errors, consent: '' } } : x))}
              >
                <Text>我同意社区将姓名和手机号用于志愿服务的报名、联系和工时记录</Text>
              </Checkbox>
            </Field>
            {sheet.errors._ ? <Text className='vol-error'>{sheet.errors._}</Text> : null}
          </View>
        ) : null}
      </Sheet>

      <Sheet open={sheet?.kind === 'code'} title={sheet?.kind === 'code' && sheet.mode === 'out' ? '签退' : '签到'} className='vol-code-sheet' onClose={() => setSheet(null)}
        footer={
          <Button type='primary' block className='vol-code-submit' loading={sheet?.kind === 'code' && sheet.busy} onClick={() => void submitCode()}>
            {sheet?.kind === 'code' && sheet.mode === 'out' ? '确认签退' : '确认签到'}
          </Button>
        }
      >
        {sheet?.kind === 'code' ? (
          <Field label='现场短码' required error={sheet.error || undefined} hint='输入组织者手机上二维码下方的 6 位数字（每分钟更换）'>
            <Input
              className='ui-input vol-code-input vol-check-code'
              type='number'
              maxlength={6}
              placeholderClass='ui-placeholder'
              placeholder='6 位数字'
              value={sheet.code}
              onInput={(e) => {
                const code = e.detail.value
                setSheet((x) => (x?.kind === 'code' ? { ...x, code, error: '' } : x))
              }}
              onConfirm={() => void submitCode()}
            />
          </Field>
        ) : null}
      </Sheet>

      <Sheet open={sheet?.kind === 'cancelActivity'} title='取消活动' className='vol-cancel-sheet' onClose={() => setSheet(null)}
        footer={
          <Button type='primary' block className='vol-cancel-submit' loading={sheet?.kind === 'cancelActivity' && sheet.busy} onClick={() => void submitCancelActivity()}>
            确认取消活动
          </Button>
        }
      >
        {sheet?.kind === 'cancelActivity' ? (
          <Field label='取消原因' required error={sheet.error || undefined} hint={`将通知已报名和候补的 ${a.taken + a.waitlisted} 人`}>
            <CountedTextarea
              className='vol-cancel-reason'
              placeholder='例如：天气原因改期'
              max={100}
              fixed
              value={sheet.reason}
              onInput={(reason) => setSheet((x) => (x?.kind === 'cancelActivity' ? { ...x, reason, error: '' } : x))}
            />
          </Field>
        ) : null}
      </Sheet>
    </PageRoot>
  )
}

export default function ActivityDetailPage() {
  const router = useRouter()
  return <ActivityDetailView id={String(router.params.id ?? '')} />
}
