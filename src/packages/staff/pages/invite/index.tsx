import Taro from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { useEffect, useState } from 'react'
import { Button, PageRoot, PageWrapper, Section, cx } from '@/components'
import { errorMessage } from '@/components/usePagedList'
import { useSession } from '@/features/profile/useSession'
import { createInvite, loadGrids, type Grid, type Invite } from '@/features/staff/api'
import { formatShort } from '@/shared/time'
import './index.css'

/**
 * 生成邀请码 (grid workers): pick one of my grids, generate a code a household types during
 * onboarding to verify its address at once.
 */
export default function InvitePage() {
  const { session, loading: sessionLoading, error: sessionError, reload } = useSession()
  const isGridWorker = !!session?.profile?.roles.includes('grid_worker')
  const [grids, setGrids] = useState<Grid[] | null>(null)
  const [gridsError, setGridsError] = useState<{ message: string } | null>(null)
  const [gridId, setGridId] = useState<string | null>(null)
  const [invite, setInvite] = useState<Invite | null>(null)
  const [busy, setBusy] = useState(false)
  const [failure, setFailure] = useState<string | null>(null)

  const fetchGrids = () => {
    setGridsError(null)
    loadGrids()
      .then((all) => {
        const mine = all.filter((g) => g.mine)
        setGrids(mine)
        if (mine.length === 1) setGridId(mine[0].id)
      })
      .catch((e: unknown) => setGridsError({ message: errorMessage(e) }))
  }

  useEffect(() => {
    if (isGridWorker) fetchGrids()
  }, [isGridWorker])

  const generate = async () => {
    if (!gridId) {
      setFailure('请先选择网格')
      return
    }
    setBusy(true)
    setFailure(null)
    try {
      setInvite(await createInvite(gridId))
    } catch (e) {
      setFailure(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  const loading = sessionLoading || (isGridWorker && grids === null && !gridsError)
  const error = sessionError ?? gridsError

  return (
    <PageRoot className='invite'>
      <PageWrapper
        loading={loading}
        error={error}
        onRetry={() => (sessionError ? void reload() : fetchGrids())}
        empty={!loading && !error && (!isGridWorker || grids?.length === 0)}
        emptyText={isGridWorker ? '您还没有负责的网格，请联系社区管理员分配' : '只有网格员可以生成邀请码'}
      >
        <Section title='选择网格'>
          <View className='invite-grids'>
            {(grids ?? []).map((g) => (
              <View
                key={g.id}
                className={cx('invite-grid', gridId === g.id && 'invite-grid--on')}
                hoverClass='invite-grid--hover'
                onClick={() => {
                  setGridId(g.id)
                  setInvite(null)
                }}
              >
                <Text>{g.name}</Text>
              </View>
            ))}
          </View>
        </Section>

        {failure ? (
          <View className='invite-error' role='alert'>
            <Text>{failure}</Text>
          </View>
        ) : null}

        {invite ? (
          <View className='invite-card'>
            <Text className='invite-card__label'>{invite.gridName} · 住址认证邀请码</Text>
            <Text className='invite-code'>{invite.code}</Text>
            <Text className='invite-card__expiry'>有效期至 {formatShort(invite.expiresAt)}，最多 20 户使用</Text>
            <Text className='invite-card__hint'>请当面告知本网格住户：入驻或修改住址时填写此邀请码，住址即可认证。</Text>
            <Button
              type='plain'
              block
              className='invite-copy'
              onClick={() =>
                void Taro.setClipboardData({ data: invite.code }).catch(() => void Taro.showToast({ title: '复制失败，请手动记下', icon: 'none' }))
              }
            >
              复制邀请码
            </Button>
          </View>
        ) : null}

        <View className='invite-actions'>
          <Button type='primary' block className='invite-generate' loading={busy} disabled={!gridId} onClick={() => void generate()}>
            {invite ? '再生成一个' : '生成邀请码'}
          </Button>
        </View>
      </PageWrapper>
    </PageRoot>
  )
}
