import Taro from '@tarojs/taro'
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import ResidentsPage from '@/packages/staff/pages/residents/index'
import InvitePage from '@/packages/staff/pages/invite/index'
import { demoProfile, fakeBackend, type FakeBackend } from '../support/fake-backend'

const huang = {
  openid: 'demo-res-huang',
  name: '黄海',
  phoneMasked: '138****1010',
  roles: ['resident'],
  verified: false,
  addressText: '湖畔花园 2号楼 1单元 203',
  gridName: '翠湖第三网格',
  gridIds: [] as string[],
}
const chen = { ...huang, openid: 'demo-vol-chen', name: '陈静', phoneMasked: '138****1006', roles: ['resident', 'volunteer', 'street'], verified: true }
const zhang = {
  ...huang,
  openid: 'demo-grid-zhang',
  name: '张伟',
  phoneMasked: '138****1004',
  roles: ['resident', 'grid_worker'],
  verified: true,
  addressText: '翠园小区 1栋 2单元 602',
  gridName: '翠湖第一网格',
  gridIds: ['g-cuihu-1'],
}

let backend: FakeBackend
beforeEach(() => {
  backend = fakeBackend({
    'user.me': () => ({ openid: 'demo-staff-li', profile: demoProfile({ name: '李秀梅', roles: ['resident', 'staff'] }) }),
    'user.residents': (p: { onlyUnverified: boolean }) => ({ items: p.onlyUnverified ? [huang] : [huang, chen], nextCursor: null }),
    'user.verify': (p: { openid: string }) => ({ ...huang, openid: p.openid, verified: true }),
    'user.setRoles': (p: { openid: string; roles: string[] }) => ({ ...chen, roles: p.roles }),
    'user.grids': () => ({
      items: [
        { id: 'g-cuihu-1', name: '翠湖第一网格', workerCount: 1, mine: false },
        { id: 'g-cuihu-3', name: '翠湖第三网格', workerCount: 0, mine: false },
      ],
    }),
  })
  jest.spyOn(Taro, 'showToast').mockImplementation(() => Promise.resolve({ errMsg: 'showToast:ok' }))
})
afterEach(() => jest.restoreAllMocks())

const row = (container: HTMLElement, name: string) =>
  Array.from(container.querySelectorAll('.resident')).find((r) => r.textContent?.includes(name)) as HTMLElement

describe('居民认证', () => {
  it('lists residents with masked phones and verifies one', async () => {
    const { container } = render(<ResidentsPage />)
    await screen.findByText('黄海')
    expect(screen.getByText('138****1010')).toBeTruthy()
    expect(within(row(container, '黄海')).getByText('待认证')).toBeTruthy()
    expect(within(row(container, '陈静')).queryByText('认证')).toBeNull()

    await act(async () => {
      fireEvent.click(within(row(container, '黄海')).getByText('认证'))
    })
    expect(backend.calls('user.verify')).toEqual([{ openid: 'demo-res-huang' }])
    await waitFor(() => expect(within(row(container, '黄海')).getByText('已认证')).toBeTruthy())
  })

  it('filters 待认证', async () => {
    const { container } = render(<ResidentsPage />)
    await screen.findByText('陈静')
    fireEvent.click(container.querySelector('.residents-filter-unverified')!)
    await waitFor(() => expect(screen.queryByText('陈静')).toBeNull())
    expect(backend.calls('user.residents').at(-1)).toMatchObject({ onlyUnverified: true })
  })

  it('staff grant the roles they may; roles they may not grant are kept as they are', async () => {
    const { container } = render(<ResidentsPage />)
    await screen.findByText('陈静')
    fireEvent.click(within(row(container, '陈静')).getByText('设置角色'))
    const editor = row(container, '陈静').querySelector('.role-editor') as HTMLElement
    const offered = Array.from(editor.querySelectorAll('.role-option .ui-checkbox__label')).map((o) => o.textContent)
    expect(offered).toEqual(['志愿者', '在职党员', '网格员'])
    expect(within(editor).getByText(/保留：街道工作人员/)).toBeTruthy()
    fireEvent.click(editor.querySelector('.role-option-party_member')!)
    fireEvent.click(editor.querySelector('.role-option-volunteer')!)
    await act(async () => {
      fireEvent.click(within(editor).getByText('保存角色'))
    })
    expect(backend.calls('user.setRoles')).toEqual([{ openid: 'demo-vol-chen', roles: ['resident', 'street', 'party_member'] }])
    await waitFor(() => expect(row(container, '陈静').querySelector('.role-editor')).toBeNull())
    expect(within(row(container, '陈静')).getByText('在职党员')).toBeTruthy()
  })

  it('granting 网格员 asks for the grids they will look after', async () => {
    const { container } = render(<ResidentsPage />)
    await screen.findByText('陈静')
    fireEvent.click(within(row(container, '陈静')).getByText('设置角色'))
    const editor = row(container, '陈静').querySelector('.role-editor') as HTMLElement
    fireEvent.click(editor.querySelector('.role-option-grid_worker')!)
    await within(editor).findByText('翠湖第三网格')
    expect(within(editor).getByText('（暂无网格员）')).toBeTruthy()
    fireEvent.click(within(editor).getByText('保存角色'))
    expect(within(editor).getByText('请为网格员选择负责的网格')).toBeTruthy()
    expect(backend.calls('user.setRoles')).toHaveLength(0)

    fireEvent.click(within(editor).getByText('翠湖第三网格'))
    await act(async () => {
      fireEvent.click(within(editor).getByText('保存角色'))
    })
    expect(backend.calls('user.setRoles')).toEqual([
      { openid: 'demo-vol-chen', roles: ['resident', 'street', 'volunteer', 'grid_worker'], gridIds: ['g-cuihu-3'] },
    ])
  })

  it('editing a grid worker starts from their current grids and sends them back', async () => {
    backend.on({
      'user.residents': () => ({ items: [huang, zhang], nextCursor: null }),
      'user.setRoles': (p: { openid: string; roles: string[]; gridIds?: string[] }) => ({ ...zhang, roles: p.roles, gridIds: p.gridIds ?? zhang.gridIds }),
    })
    const { container } = render(<ResidentsPage />)
    await screen.findByText('张伟')
    fireEvent.click(within(row(container, '张伟')).getByText('设置角色'))
    const editor = row(container, '张伟').querySelector('.role-editor') as HTMLElement
    expect(editor.querySelector('.role-option-grid_worker')!.classList.contains('ui-checkbox--on')).toBe(true)
    await within(editor).findByText('翠湖第三网格')
    const checked = () => Array.from(editor.querySelectorAll('.grid-option.ui-checkbox--on .ui-checkbox__label')).map((o) => o.textContent)
    expect(checked()).toEqual(['翠湖第一网格（1 名网格员）'])

    // Unticking the only grid: a 网格员 needs at least one.
    fireEvent.click(within(editor).getByText('翠湖第一网格'))
    expect(checked()).toEqual([])
    fireEvent.click(within(editor).getByText('保存角色'))
    expect(within(editor).getByText('请为网格员选择负责的网格')).toBeTruthy()
    expect(backend.calls('user.setRoles')).toHaveLength(0)

    // Add 第三网格 to the current one and save: the whole set is sent.
    fireEvent.click(within(editor).getByText('翠湖第一网格'))
    fireEvent.click(within(editor).getByText('翠湖第三网格'))
    await act(async () => {
      fireEvent.click(within(editor).getByText('保存角色'))
    })
    expect(backend.calls('user.setRoles')).toEqual([{ openid: 'demo-grid-zhang', roles: ['resident', 'grid_worker'], gridIds: ['g-cuihu-1', 'g-cuihu-3'] }])

    // Reopened, the editor shows the saved grids.
    await waitFor(() => expect(row(container, '张伟').querySelector('.role-editor')).toBeNull())
    fireEvent.click(within(row(container, '张伟')).getByText('设置角色'))
    const again = row(container, '张伟').querySelector('.role-editor') as HTMLElement
    expect(Array.from(again.querySelectorAll('.grid-option.ui-checkbox--on .ui-checkbox__label')).map((o) => o.textContent)).toEqual([
      '翠湖第一网格（1 名网格员）',
      '翠湖第三网格（暂无网格员）',
    ])
  })

  it('a grid worker verifies but cannot set roles', async () => {
    backend.on({ 'user.me': () => ({ openid: 'demo-grid-zhang', profile: demoProfile({ roles: ['resident', 'grid_worker'], gridIds: ['g-cuihu-1'] }) }) })
    render(<ResidentsPage />)
    await screen.findByText('黄海')
    expect(screen.queryByText('设置角色')).toBeNull()
    expect(screen.getByText('认证')).toBeTruthy()
  })
})

describe('生成邀请码', () => {
  it('a grid worker with one grid generates a code shown with its expiry', async () => {
    backend.on({
      'user.me': () => ({ openid: 'demo-grid-zhang', profile: demoProfile({ roles: ['resident', 'grid_worker'], gridIds: ['g-cuihu-1'] }) }),
      'user.grids': () => ({
        items: [
          { id: 'g-cuihu-1', name: '翠湖第一网格', workerCount: 1, mine: true },
          { id: 'g-cuihu-2', name: '翠湖第二网格', workerCount: 1, mine: false },
        ],
      }),
      'user.createInvite': () => ({ code: 'K7M2QX', expiresAt: '2026-11-30T15:59:59.000Z', gridName: '翠湖第一网格' }),
    })
    const { container } = render(<InvitePage />)
    await screen.findByText('翠湖第一网格')
    expect(screen.queryByText('翠湖第二网格')).toBeNull()
    await act(async () => {
      fireEvent.click(container.querySelector('.invite-generate')!)
    })
    expect(backend.calls('user.createInvite')).toEqual([{ gridId: 'g-cuihu-1' }])
    expect(container.querySelector('.invite-code')?.textContent).toBe('K7M2QX')
    expect(screen.getByText('有效期至 11月30日 23:59，最多 20 户使用')).toBeTruthy()
    expect(screen.getAllByText(/翠湖第一网格/).length).toBeGreaterThan(0)
  })
})
