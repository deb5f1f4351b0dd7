import Taro, { usePullDownRefresh, useReachBottom } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { useCallback, useEffect, useState } from 'react'
import { Button, PageRoot, PageWrapper, PagedListView, Segmented, Tag, cx, usePagedList } from '@/components'
import { isStaffRole } from '@/features/profile/format'
import { useSession } from '@/features/profile/useSession'
import { completeDeletion, fetchDeletionsPage, type DeletionFilter } from '@/features/privacy/api'
import type { DeletionItemT } from '@/shared/api/privacy'
import { formatDateTime } from '@/shared/time'
import './index.css'

const FILTERS: Array<{ key: DeletionFilter; label: string }> = [
  { key: 'pending', label: '待办理' },
  { key: 'done', label: '已办结' },
]

function Row({ item, onDone }: { item: DeletionItemT; onDone: (d: DeletionItemT) => void }) {
  const [busy, setBusy] = useState(false)
  const complete = async () => {
    const ok = await Taro.showModal({
      title: '办理注销',
      content: `将删除${item.name}的姓名、手机号、住址等个人信息（各项服务中的副本一并删除），事项记录以「已注销居民」匿名保留。此操作无法撤销。`,
      confirmText: '确认办理',
      cancelText: '取消',
      confirmColor: '#c8161d',
    }).catch(() => ({ confirm: false }))
    if (!ok.confirm) return
    setBusy(true)
    try {
      onDone(await completeDeletion(item.openid))
      void Taro.showToast({ title: '已办结', icon: 'success' }).catch(() => undefined)
    } catch {
      // the gateway has shown the message (e.g. 还有进行中的事项)
    } finally {
      setBusy(false)
    }
  }
  return (
    <View className={cx('deletion', `deletion--${item.state}`)}>
      <View className='deletion__head'>
        <Text className='deletion__name'>{item.name}</Text>
        <Tag type={item.state === 'done' ? 'success' : 'warning'}>{item.stateLabel}</Tag>
      </View>
      {item.phoneMasked || item.addressText ? (
        <Text className='deletion__line'>{[item.addressText, item.phoneMasked].filter(Boolean).join(' · ')}</Text>
      ) : null}
      <Text className='deletion__line'>申请时间：{formatDateTime(item.requestedAt)}</Text>
      {item.reason ? <Text className='deletion__line'>原因：{item.reason}</Text> : null}
      {item.doneAt ? (
        <Text className='deletion__line'>
          办结：{formatDateTime(item.doneAt)}
          {item.doneByName ? `（${item.doneByName}）` : ''}
        </Text>
      ) : null}
      {item.state !== 'done' ? (
        <Button type='primary' size='small' className='deletion-complete' loading={busy} onClick={() => void complete()}>
          {item.state === 'processing' ? '继续办理' : '办理注销'}
        </Button>
      ) : null}
    </View>
  )
}

/** 注销申请 (staff): the community's requests; completing one removes the person's details everywhere. */
export default function DeletionsPage() {
  const { session, loading, error, reload } = useSession()
  const allowed = isStaffRole(session?.profile?.roles ?? [])
  const [filter, setFilter] = useState<DeletionFilter>('pending')
  const fetchPage = useCallback((cursor: string | undefined) => fetchDeletionsPage(filter, cursor), [filter])
  const list = usePagedList<DeletionItemT, string>(fetchPage, { auto: false })
  const [changed, setChanged] = useState<ReadonlyMap<string, DeletionItemT>>(() => new Map())
  const { refresh } = list

  useEffect(() => {
    if (!allowed) return
    setChanged(new Map())
    void refresh()
  }, [allowed, filter, refresh])
  usePullDownRefresh(() => {
    void (allowed ? refresh() : reload()).finally(() => {
      setChanged(new Map())
      void Taro.stopPullDownRefresh()
    })
  })
  useReachBottom(() => {
    if (allowed) void list.loadMore()
  })

  if (!allowed) {
    return (
      <PageRoot className='deletions'>
        <PageWrapper loading={loading} error={error} onRetry={() => void reload()} empty emptyText='只有社区工作人员可以办理注销申请' />
      </PageRoot>
    )
  }
  return (
    <PageRoot className='deletions'>
      <Segmented name='deletions-filter' options={FILTERS} value={filter} onChange={setFilter} />
      <Text className='deletions__hint'>居民在「我的数据」中申请注销。办理时，该居民还有进行中的纠纷、留言、预约或志愿活动报名的，需先办结或取消。</Text>
      <PagedListView list={list} emptyText={filter === 'pending' ? '没有待办理的注销申请' : '暂无已办结的注销申请'}>
        {list.items.map((item) => (
          <Row key={item.openid} item={changed.get(item.openid) ?? item} onDone={(d) => setChanged((prev) => new Map(prev).set(d.openid, d))} />
        ))}
      </PagedListView>
    </PageRoot>
  )
}
