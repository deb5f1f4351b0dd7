import Taro, { usePullDownRefresh, useReachBottom, useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { useCallback, useEffect, useState } from 'react'
import { Button, Checkbox, PageRoot, PageWrapper, PagedListView, Segmented, Tag, cx, usePagedList } from '@/components'
import { isStaffRole, roleLabels } from '@/features/profile/format'
import { useSession } from '@/features/profile/useSession'
import {
  fetchResidentsPage,
  grantableRoles,
  loadGrids,
  saveResidentRoles,
  verifyResident,
  type Grid,
  type Resident,
  type ResidentFilter,
} from '@/features/staff/api'
import { ROLE_LABELS, type Role } from '@/shared/api/define'
import './index.css'

const FILTERS: Array<{ key: ResidentFilter; label: string }> = [
  { key: 'all', label: '全部' },
  { key: 'unverified', label: '待认证' },
]

interface RowProps {
  resident: Resident
  grantable: Role[]
  /** The community's grids (null: not loaded or not available). */
  grids: Grid[] | null
  onChange: (r: Resident) => void
}

/**
 * Role editor: the roles the viewer may grant; others the person holds stay as they are.
 * 网格员 comes with the grids they look after, starting from their current grids; at least one.
 */
function RoleEditor({ resident, grantable, grids, onChange, onClose }: RowProps & { onClose: () => void }) {
  const [picked, setPicked] = useState<Role[]>(() => resident.roles.filter((r) => grantable.includes(r)))
  const [gridIds, setGridIds] = useState<string[]>(() => (resident.roles.includes('grid_worker') ? resident.gridIds : []))
  const [saving, setSaving] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const kept = resident.roles.filter((r) => r !== 'resident' && !grantable.includes(r))
  const gridWorker = picked.includes('grid_worker')

  const save = async () => {
    if (gridWorker && gridIds.length === 0) {
      setProblem('请为网格员选择负责的网格')
      return
    }
    setProblem(null)
    setSaving(true)
    try {
      const roles: Role[] = ['resident', ...kept, ...picked]
      const updated = await saveResidentRoles(resident.openid, roles, gridWorker ? gridIds : undefined)
      onChange(updated)
      void Taro.showToast({ title: '角色已更新', icon: 'success' }).catch(() => undefined)
      onClose()
    } catch {
      // the gateway has shown the message
    } finally {
      setSaving(false)
    }
  }

  return (
    <View className='role-editor'>
      <Text className='role-editor__title'>设置角色（居民角色始终保留）</Text>
      {grantable.map((role) => (
        <Checkbox
          key={role}
          className={cx('role-option', `role-option-${role}`)}
          checked={picked.includes(role)}
          onChange={(on) => setPicked((prev) => (on ? [...prev, role] : prev.filter((r) => r !== role)))}
        >
          <Text>{ROLE_LABELS[role]}</Text>
        </Checkbox>
      ))}
      {kept.length > 0 ? <Text className='role-editor__note'>保留：{kept.map((r) => ROLE_LABELS[r]).join('、')}（您无权修改）</Text> : null}
      {gridWorker ? (
        <View className='role-editor__grids'>
          <Text className='role-editor__subtitle'>负责网格</Text>
          {grids === null ? (
            <Text className='role-editor__note'>正在加载网格…</Text>
          ) : grids.length === 0 ? (
            <Text className='role-editor__note'>暂无可选的网格，请稍后重试</Text>
          ) : (
            grids.map((g) => (
              <Checkbox
                key={g.id}
                className='grid-option'
                checked={gridIds.includes(g.id)}
                onChange={(on) => setGridIds((prev) => (on ? [...prev, g.id] : prev.filter((id) => id !== g.id)))}
              >
                <Text>
                  {g.name}
                  <Text className='grid-option__count'>（{g.workerCount > 0 ? `${g.workerCount} 名网格员` : '暂无网格员'}）</Text>
                </Text>
              </Checkbox>
            ))
          )}
        </View>
      ) : null}
      {problem ? <Text className='ui-field__error'>{problem}</Text> : null}
      <View className='role-editor__actions'>
        <Button size='small' onClick={onClose}>
          取消
        </Button>
        <Button size='small' type='primary' className='role-save' loading={saving} onClick={() => void save()}>
          保存角色
        </Button>
      </View>
    </View>
  )
}

function ResidentRow({ resident, grantable, grids, onChange }: RowProps) {
  const [verifying, setVerifying] = useState(false)
  const [editing, setEditing] = useState(false)

  const verify = async () => {
    setVerifying(true)
    try {
      onChange(await verifyResident(resident.openid))
      void Taro.showToast({ title: '已认证', icon: 'success' }).catch(() => undefined)
    } catch {
      // the gateway has shown the message
    } finally {
      setVerifying(false)
    }
  }

  return (
    <View className={cx('resident', resident.verified ? 'resident--verified' : 'resident--unverified')}>
      <View className='resident__head'>
        <Text className='resident__name'>{resident.name ?? '未留姓名'}</Text>
        <Text className='resident__phone'>{resident.phoneMasked ?? '未登记手机号'}</Text>
      </View>
      <Text className='resident__address'>
        {resident.addressText}
        {resident.gridName ? ` · ${resident.gridName}` : ''}
      </Text>
      <View className='resident__foot'>
        <View className='resident__tags'>
          {resident.verified ? (
            <Tag type='success' className='resident-verified'>
              已认证
            </Tag>
          ) : (
            <Tag type='warning' className='resident-unverified'>
              待认证
            </Tag>
          )}
          {roleLabels(resident.roles).map((label) => (
            <Tag key={label} type='info'>
              {label}
            </Tag>
          ))}
        </View>
        <View className='resident__actions'>
          {grantable.length > 0 && !editing ? (
            <Button size='small' className='resident-roles' onClick={() => setEditing(true)}>
              设置角色
            </Button>
          ) : null}
          {!resident.verified ? (
            <Button size='small' type='primary' className='resident-verify' loading={verifying} onClick={() => void verify()}>
              认证
            </Button>
          ) : null}
        </View>
      </View>
      {editing ? <RoleEditor resident={resident} grantable={grantable} grids={grids} onChange={onChange} onClose={() => setEditing(false)} /> : null}
    </View>
  )
}

/** 居民认证: residents of my community (grid workers: my grids); verify addresses, set roles. */
export default function ResidentsPage() {
  const { session, loading: sessionLoading, error: sessionError, reload } = useSession()
  const myRoles = session?.profile?.roles ?? []
  const grantable = isStaffRole(myRoles) ? grantableRoles(myRoles) : []
  const allowed = isStaffRole(myRoles) || myRoles.includes('grid_worker')

  // 工作台 opens 待认证 directly (`?filter=unverified`); no router outside a page (tests).
  const router: { params?: Partial<Record<string, string>> } | null = useRouter()
  const params = router?.params
  const [filter, setFilter] = useState<ResidentFilter>(params?.filter === 'unverified' ? 'unverified' : 'all')
  const fetchPage = useCallback((cursor: string | undefined) => fetchResidentsPage(filter, cursor), [filter])
  const list = usePagedList<Resident, string>(fetchPage, { auto: false })
  // Rows changed here (verified, roles), over the loaded pages.
  const [updated, setUpdated] = useState<ReadonlyMap<string, Resident>>(() => new Map())
  const [grids, setGrids] = useState<Grid[] | null>(null)
  const { refresh } = list
  const canGrant = grantable.length > 0

  useEffect(() => {
    if (!canGrant) return
    loadGrids()
      .then(setGrids)
      .catch(() => setGrids([]))
  }, [canGrant])

  useEffect(() => {
    if (!allowed) return
    setUpdated(new Map())
    void refresh()
  }, [allowed, filter, refresh])

  usePullDownRefresh(() => {
    void (allowed ? refresh() : reload()).finally(() => {
      setUpdated(new Map())
      void Taro.stopPullDownRefresh()
    })
  })
  useReachBottom(() => {
    if (allowed) void list.loadMore()
  })

  const onChange = useCallback((r: Resident) => setUpdated((prev) => new Map(prev).set(r.openid, r)), [])

  if (!allowed) {
    return (
      <PageRoot className='residents'>
        <PageWrapper
          loading={sessionLoading}
          error={sessionError}
          onRetry={() => void reload()}
          empty
          emptyText='只有社区工作人员和网格员可以认证居民'
        />
      </PageRoot>
    )
  }

  return (
    <PageRoot className='residents'>
      <Segmented name='residents-filter' options={FILTERS} value={filter} onChange={setFilter} />
      <PagedListView
        list={list}
        emptyText={filter === 'unverified' ? '没有待认证的居民' : '暂无居民'}
      >
        {list.items.map((item) => (
          <ResidentRow key={item.openid} resident={updated.get(item.openid) ?? item} grantable={grantable} grids={grids} onChange={onChange} />
        ))}
      </PagedListView>
    </PageRoot>
  )
}
