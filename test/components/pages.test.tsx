import Taro from '@tarojs/taro'
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { ELDER_STORAGE_KEY, ElderProvider } from '@/components/elder'
import HomePage from '@/pages/home/index'
import MessagesPage from '@/pages/messages/index'
import MinePage from '@/pages/mine/index'
import ServicesPage from '@/pages/services/index'
import { FEATURE_ENTRIES } from '@/features/entries'
import { setUnreadCount } from '@/features/inbox/api'
import { demoProfile, fakeBackend, type FakeBackend } from '../support/fake-backend'

const ENTRY_TITLES = ['邻里纠纷', '场地预约', '志愿活动', '物业红黑榜', '居民留言']

let backend: FakeBackend
let navigateTo: jest.SpyInstance
let switchTab: jest.SpyInstance
let setBadge: jest.SpyInstance
let removeBadge: jest.SpyInstance

beforeEach(async () => {
  Taro.removeStorageSync(ELDER_STORAGE_KEY)
  backend = fakeBackend({
    'user.me': () => ({ openid: 'demo-res-sun', profile: demoProfile() }),
    'inbox.unread': () => ({ count: 0 }),
    'inbox.list': () => ({ items: [], nextCursor: null }),
  })
  navigateTo = jest.spyOn(Taro, 'navigateTo').mockImplementation(() => Promise.resolve({ errMsg: 'navigateTo:ok' }))
  switchTab = jest.spyOn(Taro, 'switchTab').mockImplementation(() => Promise.resolve({ errMsg: 'switchTab:ok' }))
  setBadge = jest.spyOn(Taro, 'setTabBarBadge').mockImplementation(() => Promise.resolve({ errMsg: 'ok' }))
  removeBadge = jest.spyOn(Taro, 'removeTabBarBadge').mockImplementation(() => Promise.resolve({ errMsg: 'ok' }))
  jest.spyOn(Taro, 'showToast').mockImplementation(() => Promise.resolve({ errMsg: 'showToast:ok' }))
  await setUnreadCount(0)
})
afterEach(() => jest.restoreAllMocks())

const inElder = (node: React.ReactNode) => <ElderProvider>{node}</ElderProvider>

describe('首页', () => {
  it('shows my community and address, and the five service entries', async () => {
    const { container } = render(inElder(<HomePage />))
    await screen.findByText('翠湖社区')
    expect(screen.getByText('翠园小区 1栋 1单元 1202')).toBeTruthy()
    for (const title of ENTRY_TITLES) expect(screen.getByText(title)).toBeTruthy()
    for (const key of ['dispute', 'booking', 'volunteer', 'property', 'message']) {
      expect(container.querySelector(`.entry-${key}`)).not.toBeNull()
    }
    expect(container.querySelector('.home-verify')).toBeNull()
    expect(container.querySelector('.home-unread')).toBeNull()
  })

  it('not onboarded: the call to action opens onboarding', async () => {
    backend.on({ 'user.me': () => ({ openid: 'visitor-1', profile: null }) })
    render(inElder(<HomePage />))
    fireEvent.click(await screen.findByText('完善住址，享受社区服务 ›'))
    expect(navigateTo).toHaveBeenCalledWith({ url: '/packages/onboarding/pages/index/index' })
    // No community yet: no 社区动态, and nothing asked for it.
    expect(backend.calls('volunteer.list')).toHaveLength(0)
    expect(backend.calls('cases.wall')).toHaveLength(0)
  })

  it('ends with 社区动态: activities open for sign-up and the latest 留言墙 posts, each opening its page', async () => {
    backend.on({
      'volunteer.list': () => ({
        items: [
          {
            id: 'act-1', title: '翠园小区垃圾分类宣传', category: '环境整治', phase: 'open', phaseLabel: '可报名',
            startAt: '2026-12-05T01:00:00.000Z', endAt: '2026-12-05T03:00:00.000Z', timeText: '12月5日 周六 09:00–11:00', place: '翠园小区南门',
            capacity: 10, taken: 4, placesLeft: 6, waitlisted: 0, hours: 2, points: 20, mine: null,
          },
        ],
        nextCursor: null,
      }),
      'cases.wall': () => ({
        items: [{ id: 'w-1', category: '报修', text: '3栋电梯经常停运，希望尽快检修', reply: '已联系物业检修', status: '已办结', publishedAt: '2026-11-22T02:00:00.000Z' }],
        nextCursor: null,
      }),
    })
    const { container } = render(inElder(<HomePage />))
    await waitFor(() => expect(container.querySelector('.home-news')).not.toBeNull())
    expect(backend.calls('volunteer.list')).toEqual([expect.objectContaining({ phase: 'open', pageSize: 2 })])
    expect(backend.calls('cases.wall')).toEqual([expect.objectContaining({ pageSize: 2 })])
    const activity = container.querySelector('.home-news__activity')!
    expect(activity.textContent).toContain('翠园小区垃圾分类宣传')
    expect(activity.textContent).toContain('12月5日 周六 09:00–11:00 · 翠园小区南门')
    expect(activity.textContent).toContain('余 6 个名额')
    const wall = container.querySelector('.home-news__wall')!
    expect(wall.textContent).toContain('3栋电梯经常停运，希望尽快检修')
    expect(wall.textContent).toContain('社区已答复')
    fireEvent.click(activity)
    expect(navigateTo).toHaveBeenCalledWith({ url: '/packages/volunteer/pages/detail/index?id=act-1' })
    fireEvent.click(wall)
    expect(navigateTo).toHaveBeenCalledWith({ url: '/packages/message/pages/wall/index' })
  })

  it('reminds an unverified resident and shows unread messages (with the tab badge)', async () => {
    backend.on({
      'user.me': () => ({ openid: 'demo-res-huang', profile: demoProfile({ verified: false }) }),
      'inbox.unread': () => ({ count: 3 }),
    })
    const { container } = render(inElder(<HomePage />))
    await screen.findByText('住址待认证')
    expect(screen.getByText(/请联系网格员认证或输入邀请码/)).toBeTruthy()
    await screen.findByText('您有 3 条未读消息')
    expect(setBadge).toHaveBeenCalledWith({ index: 2, text: '3' })
    fireEvent.click(container.querySelector('.home-unread')!)
    expect(switchTab).toHaveBeenCalledWith({ url: '/pages/messages/index' })
  })

  it('an entry that is not built yet says so', async () => {
    const unbuilt = FEATURE_ENTRIES.find((e) => !e.url)
    if (!unbuilt) return // every feature is built
    const { container } = render(<HomePage />)
    fireEvent.click(container.querySelector(`.entry-${unbuilt.key}`)!)
    expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: `${unbuilt.title}即将开放` }))
    await screen.findByText('翠湖社区')
  })
})

describe('办事', () => {
  it('lists the same entries', () => {
    render(<ServicesPage />)
    for (const title of ENTRY_TITLES) expect(screen.getByText(title)).toBeTruthy()
  })
})

describe('我的', () => {
  it('renders the profile: name, masked phone, address, grid, roles, verification', async () => {
    backend.on({
      'user.me': () => ({
        openid: 'demo-grid-zhang',
        profile: demoProfile({ name: '张伟', phoneMasked: '138****1004', roles: ['resident', 'grid_worker'], verified: false, gridIds: ['g-cuihu-1'] }),
      }),
    })
    const { container } = render(inElder(<MinePage />))
    await screen.findByText('张伟')
    expect(screen.getByText('138****1004')).toBeTruthy()
    expect(screen.getByText('翠园小区 1栋 1单元 1202')).toBeTruthy()
    expect(screen.getByText('翠湖社区 · 翠湖第一网格')).toBeTruthy()
    const roles = Array.from(container.querySelectorAll('.profile-role')).map((t) => t.textContent)
    expect(roles).toEqual(['居民', '网格员'])
    expect(container.querySelector('.profile-unverified')?.textContent).toBe('待认证')
    expect(screen.getByText(/请联系网格员认证或输入邀请码/)).toBeTruthy()
    // 工作台 for a grid worker: 居民认证 and 生成邀请码
    expect(screen.getByText('居民认证')).toBeTruthy()
    fireEvent.click(screen.getByText('生成邀请码'))
    expect(navigateTo).toHaveBeenCalledWith({ url: '/packages/staff/pages/invite/index' })
    fireEvent.click(screen.getByText('我的纠纷'))
    expect(navigateTo).toHaveBeenCalledWith({ url: '/packages/dispute/pages/mine/index' })
    fireEvent.click(screen.getByText('我的预约'))
    expect(navigateTo).toHaveBeenCalledWith({ url: '/packages/booking/pages/mine/index' })
    // H5 (the jsdom tests run as H5): the demo identity switch
    expect(screen.getByText('切换演示身份')).toBeTruthy()
  })

  it('a verified staff member: 已认证, 社区工作者, 居民认证 but no invitation codes', async () => {
    backend.on({
      'user.me': () => ({ openid: 'demo-staff-li', profile: demoProfile({ name: '李秀梅', roles: ['resident', 'staff'] }) }),
    })
    const { container } = render(inElder(<MinePage />))
    await screen.findByText('李秀梅')
    expect(container.querySelector('.profile-verified')?.textContent).toBe('已认证')
    expect(Array.from(container.querySelectorAll('.profile-role')).map((t) => t.textContent)).toEqual(['居民', '社区工作者'])
    expect(screen.queryByText(/请联系网格员认证/)).toBeNull()
    fireEvent.click(screen.getByText('居民认证'))
    expect(navigateTo).toHaveBeenCalledWith({ url: '/packages/staff/pages/residents/index' })
    expect(screen.queryByText('生成邀请码')).toBeNull()
  })

  it('a plain resident has no 工作台', async () => {
    render(inElder(<MinePage />))
    await screen.findByText('孙丽')
    expect(screen.queryByText('工作台')).toBeNull()
  })

  it('not onboarded: a call to action to onboarding', async () => {
    backend.on({ 'user.me': () => ({ openid: 'visitor-1', profile: null }) })
    const { container } = render(inElder(<MinePage />))
    await screen.findByText('欢迎来到邻里共治')
    fireEvent.click(container.querySelector('.mine-onboard')!)
    expect(navigateTo).toHaveBeenCalledWith({ url: '/packages/onboarding/pages/index/index' })
  })

  it('the 长辈模式 switch toggles the elder class and is remembered', async () => {
    const { container } = render(inElder(<MinePage />))
    await screen.findByText('孙丽')
    const root = container.querySelector('.page-root')!
    expect(root.className).not.toContain('elder')
    fireEvent.click(container.querySelector('.elder-switch')!)
    expect(root.className).toContain('elder')
    expect(container.querySelector('.elder-switch')!.className).toContain('ui-switch--on')
    expect(Taro.getStorageSync(ELDER_STORAGE_KEY)).toBe(true)
    fireEvent.click(container.querySelector('.elder-switch')!)
    expect(root.className).not.toContain('elder')
    expect(Taro.getStorageSync(ELDER_STORAGE_KEY)).toBe(false)
  })

  it('the stored 长辈模式 choice is used on the next start', async () => {
    Taro.setStorageSync(ELDER_STORAGE_KEY, true)
    const { container } = render(inElder(<MinePage />))
    expect(container.querySelector('.page-root')!.className).toContain('elder')
    await screen.findByText('孙丽')
  })
})

describe('消息', () => {
  const items = [
    { id: 'n1', title: '您的纠纷已受理', body: '调解员张伟已受理您的纠纷', link: '/packages/dispute/pages/detail/index?id=c1', read: false, at: '2026-11-23T02:00:00.000Z' },
    { id: 'n2', title: '预约已确认', body: '多功能活动室 11月25日 09:00', link: null, read: false, at: '2026-11-22T02:00:00.000Z' },
    { id: 'n3', title: '欢迎使用邻里共治', body: '完善资料后可使用全部服务', link: null, read: true, at: '2026-11-21T02:00:00.000Z' },
  ]

  it('shows 暂无消息 once the empty first page arrives', async () => {
    render(<MessagesPage />)
    await screen.findByText('暂无消息')
  })

  it('lists messages with unread styling; a tap marks it read and opens its link', async () => {
    let unread = 2
    backend.on({
      'inbox.list': () => ({ items, nextCursor: null }),
      'inbox.unread': () => ({ count: unread }),
      'inbox.markRead': (p: { id?: string }) => {
        unread = p.id ? unread - 1 : 0
        return { count: 1 }
      },
    })
    const { container } = render(<MessagesPage />)
    await screen.findByText('您的纠纷已受理')
    expect(container.querySelectorAll('.message--unread')).toHaveLength(2)
    expect(container.querySelectorAll('.message--read')).toHaveLength(1)
    await screen.findByText('2 条未读')

    await act(async () => {
      fireEvent.click(screen.getByText('您的纠纷已受理'))
    })
    expect(backend.calls('inbox.markRead')).toEqual([{ id: 'n1' }])
    expect(navigateTo).toHaveBeenCalledWith({ url: '/packages/dispute/pages/detail/index?id=c1' })
    expect(container.querySelectorAll('.message--unread')).toHaveLength(1)
    await waitFor(() => expect(setBadge).toHaveBeenLastCalledWith({ index: 2, text: '1' }))

    await act(async () => {
      fireEvent.click(screen.getByText('全部已读'))
    })
    expect(backend.calls('inbox.markRead')).toEqual([{ id: 'n1' }, {}])
    expect(container.querySelectorAll('.message--unread')).toHaveLength(0)
    expect(removeBadge).toHaveBeenCalledWith({ index: 2 })
    await screen.findByText('全部已读')
  })

  it('not onboarded: no list request, a call to action instead', async () => {
    backend.on({ 'user.me': () => ({ openid: 'visitor-1', profile: null }) })
    render(<MessagesPage />)
    await screen.findByText('完善住址后，办事进度和社区通知会显示在这里')
    expect(backend.calls('inbox.list')).toHaveLength(0)
  })
})
