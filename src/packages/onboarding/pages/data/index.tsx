import Taro from '@tarojs/taro'
import { Text, Textarea, View } from '@tarojs/components'
import { useState } from 'react'
import { Button, Card, Field, PageRoot, PageWrapper, Section, Sheet, Tag, cx, useResource } from '@/components'
import { askDeletion, handOverExport, loadMyData, withdrawDeletion } from '@/features/privacy/api'
import { PRIVACY_URL } from '@/features/profile/routes'
import { loadSession } from '@/services/session'
import { ApiError } from '@/services/gateway'
import type { DataItemT, DataSectionT, DeletionOutT, MyDataOutT } from '@/shared/api/privacy'
import { formatDateTime } from '@/shared/time'
import './index.css'

/** Items shown per section before 查看全部 (the export holds them all). */
const FIRST = 5

function Item({ item }: { item: DataItemT }) {
  const [open, setOpen] = useState(false)
  return (
    <View className={cx('data-item', open && 'data-item--open')}>
      <View className='data-item__head' onClick={() => setOpen((o) => !o)} aria-role='button' aria-expanded={open}>
        <Text className='data-item__title'>{item.title}</Text>
        <Text className='data-item__when'>{item.at ? formatDateTime(item.at) : ''}</Text>
        <Text className='data-item__toggle'>{open ? '收起' : '详情'}</Text>
      </View>
      {open
        ? item.fields.map((f) => (
            <View key={f.label} className='data-field'>
              <Text className='data-field__label'>{f.label}</Text>
              <Text className='data-field__value'>{f.value}</Text>
            </View>
          ))
        : null}
    </View>
  )
}

function DataSection({ section }: { section: DataSectionT }) {
  const [all, setAll] = useState(false)
  const shown = all ? section.items : section.items.slice(0, FIRST)
  return (
    <Card className={cx('data-section', `data-section-${section.key}`)} title={section.title} extra={<Text className='data-section__count'>{section.count} 条</Text>}>
      {section.note ? <Text className='data-section__note'>{section.note}</Text> : null}
      {section.items.length === 0 ? <Text className='data-section__empty'>暂无记录</Text> : shown.map((item) => <Item key={item.id} item={item} />)}
      {section.items.length > FIRST && !all ? (
        <View className='data-section__more' onClick={() => setAll(true)} aria-role='button'>
          <Text>查看全部 {section.items.length} 条</Text>
        </View>
      ) : null}
    </Card>
  )
}

function DeletionCard({ data, onChange }: { data: MyDataOutT; onChange: (d: DeletionOutT) => void }) {
  const [sheet, setSheet] = useState(false)
  const [reason, setReason] = useState('')
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)
  const d = data.deletion
  const active = d && (d.state === 'pending' || d.state === 'processing')

  const ask = async () => {
    setBusy(true)
    setError('')
    try {
      onChange(await askDeletion(reason))
      setSheet(false)
      void Taro.showToast({ title: '已提交申请', icon: 'success' }).catch(() => undefined)
    } catch (e) {
      setError(e instanceof ApiError ? (e.fieldErrors().reason ?? e.message) : '提交失败，请稍后重试')
    } finally {
      setBusy(false)
    }
  }
  const withdraw = async () => {
    const ok = await Taro.showModal({ title: '撤回注销申请', content: '撤回后您的信息和记录保持不变。', confirmText: '撤回', cancelText: '再想想' }).catch(() => ({ confirm: false }))
    if (!ok.confirm) return
    setBusy(true)
    try {
      onChange(await withdrawDeletion())
    } catch {
      // the gateway has shown the message
    } finally {
      setBusy(false)
    }
  }

  return (
    <Card className='data-deletion' title='注销与删除个人信息'>
      {d ? (
        <View className='data-deletion__state'>
          <Tag type={d.state === 'done' ? 'success' : d.state === 'cancelled' ? 'muted' : 'warning'} className={`data-deletion-${d.state}`}>
            {d.stateLabel}
          </Tag>
          <Text className='data-deletion__when'>
            {d.state === 'done' && d.doneAt ? `${formatDateTime(d.doneAt)} 办结` : `${formatDateTime(d.requestedAt)} 申请`}
          </Text>
        </View>
      ) : null}
      <Text className='data-deletion__text'>
        {d?.state === 'done'
          ? '您的姓名、手机号和住址已从各项服务中删除；您提交过的事项以「已注销居民」匿名保留，统计数字不变。'
          : active
            ? '社区工作人员办理后，您的姓名、手机号、住址等个人信息将从各项服务中删除；纠纷、留言等事项记录以「已注销居民」匿名保留。办理前可以撤回。'
            : '申请后由社区工作人员办理：删除您的姓名、手机号、住址等个人信息，纠纷、留言等事项记录以「已注销居民」匿名保留，统计数字不变。有进行中的事项时，需先办结或取消。'}
      </Text>
      {data.deletionBlocked && !d ? <Text className='data-deletion__blocked'>{data.deletionBlocked}</Text> : null}
      {active && d.state === 'pending' ? (
        <Button block className='data-deletion-withdraw' loading={busy} onClick={() => void withdraw()}>
          撤回申请
        </Button>
      ) : !active && !data.deletionBlocked ? (
        <Button block type='plain' className='data-deletion-ask' onClick={() => setSheet(true)}>
          申请注销
        </Button>
      ) : null}
      <Sheet
        open={sheet}
        title='申请注销'
        onClose={() => setSheet(false)}
        footer={
          <Button type='primary' block className='data-deletion-confirm' loading={busy} onClick={() => void ask()}>
            确认申请
          </Button>
        }
      >
        <Text className='data-deletion__text'>注销后您需要重新入驻才能使用社区服务。确认申请注销吗？</Text>
        <Field label='原因（选填）' error={error || undefined}>
          <Textarea
            className='ui-textarea data-deletion-reason'
            placeholderClass='ui-placeholder'
            placeholder='例如：已搬离本社区'
            value={reason}
            maxlength={200}
            fixed
            onInput={(e) => setReason(e.detail.value)}
          />
        </Field>
      </Sheet>
    </Card>
  )
}

/** 我的数据: everything held about me, the export as a file, and 注销. */
export default function MyDataPage() {
  const res = useResource(loadMyData, [])
  const [exported, setExported] = useState<string | null>(null)
  const data = res.data

  const doExport = async () => {
    if (!data) return
    try {
      const out = await handOverExport(data)
      setExported(out.result === 'saved' ? `文件已保存：${out.path}` : out.result === 'shared' ? '文件已发送' : `已下载 ${out.path}`)
    } catch {
      setExported('导出失败，请稍后重试')
    }
  }

  return (
    <PageRoot className='my-data'>
      <PageWrapper loading={res.loading} error={res.error} onRetry={() => void res.reload()}>
        {data ? (
          <View>
            <View className='my-data__lead'>
              <Text>这里列出「邻里共治」为您保存的全部个人信息和记录，可以导出为文件保存。</Text>
              <Text className='my-data__link' onClick={() => void Taro.navigateTo({ url: PRIVACY_URL }).catch(() => undefined)} aria-role='link'>
                查看《用户隐私保护指引》
              </Text>
            </View>
            {data.sections.length ? (
              <View className='my-data__export'>
                <Button type='primary' block className='my-data-export' onClick={() => void doExport()}>
                  导出我的数据（JSON 文件）
                </Button>
                {exported ? <Text className='my-data__exported'>{exported}</Text> : null}
              </View>
            ) : null}
            <Section title='我的记录'>
              {data.sections.length === 0 ? <Text className='data-section__empty my-data-none'>您尚未入驻，没有保存您的个人信息。</Text> : data.sections.map((s) => <DataSection key={s.key} section={s} />)}
            </Section>
            {data.sections.length || data.deletion ? (
              <Section title='注销'>
                <DeletionCard
                  data={data}
                  onChange={(deletion) => {
                    res.setData({ ...data, deletion })
                    void loadSession(true).catch(() => undefined)
                  }}
                />
              </Section>
            ) : null}
          </View>
        ) : null}
      </PageWrapper>
    </PageRoot>
  )
}
