/**
 * 工作台 in jsdom, against a scripted backend behind the real client gateway: what staff and the
 * street see, where a tap leads, the empty and the refused states, the 我的 tab's badge and the
 * entries on 我的 and 办事.
 */
import Taro from '@tarojs/taro'
import { render, waitFor } from '@testing-library/react'
import { demoProfile, fail, fakeBackend, type FakeBackend } from '../support/fake-backend'
import { q, qa, tap, text } from '../support/dom'
import { WorkbenchView } from '@/packages/work/pages/index/index'
import { lastWorkCount, setWorkCount } from '@/features/work/badge'
import MinePage from '@/pages/mine/index'
import ServicesPage from '@/pages/services/index'
import type { WorkGroupT, WorkItemT, WorkSummaryT } from '@/shared/api/work'
import type { Role } from '@/shared/api/define'

const person = (openid: string, name: string, roles: Role[]) => () => ({ openid, profile: demoProfile({ openid, name, roles }) })
const li = person('demo-staff-li', '李秀梅', ['resident', 'staff'])
const zhou = person('demo-street-zhou', '周国强', ['resident', 'street'])
const sun = person('demo-res-sun', '孙丽', ['resident'])

function item(over: Partial<WorkItemT>): WorkItemT {
  return { id: 'x', title: '事项', detail: '翠园小区 1栋', dueText: null, dueAt: null, overdue: false, tag: null, link: '/packages/x/pages/y/index?id=x', ...over }
}

function group(over: Partial<WorkGroupT> & Pick<WorkGroupT, 'key' | 'title'>): WorkGroupT {
  return { count: 0, overdue: 0, note: null, link: '/packages/x/pages/list/index', items: [], ...over }
}

const STAFF_SUMMARY: WorkSummaryT = {
  at: '2026-11-24T04:00:00.000Z',
  total: 5,
  overdue: 2,
  communities: null,
  groups: [
    group({
      key: 'disputes',
      title: '邻里纠纷',
      count: 3,
      overdue: 1,
      note: '超期 1 · 待受理 2',
      link: '/packages/dispute/pages/queue/index',
      items: [
        item({ id: 'cs-a', title: '【噪音】楼上每晚拖动家具', dueText: '11月23日 23:59 前办结', overdue: true, tag: '调解中', link: '/packages/dispute/pages/detail/index?id=cs-a' }),
        item({ id: 'cs-c', title: '【停车】楼道被堵', dueText: '11月24日 14:00 前受理', tag: '待受理', link: '/packages/dispute/pages/detail/index?id=cs-c' }),
      ],
    }),
    group({
      key: 'approvals',
      title: '场地预约待审核',
      count: 2,
      overdue: 1,
      link: '/packages/booking/pages/pending/index',
      items: [item({ id: 'bk-1', title: '多功能活动室：志愿者培训', dueText: '11月24日 09:00 前审核', overdue: true, tag: '待审核', link: '/packages/booking/pages/detail/index?id=bk-1' })],
    }),
    group({ key: 'residents', title: '居民认证' }),
    group({ key: 'visits', title: '重点户走访' }),
  ],
}

let nav: jest.SpyInstance
let badge: jest.SpyInstance
beforeEach(() => {
  jest.spyOn(Taro, 'showToast').mockImplementation(() => Promise.resolve({ errMsg: 'showToast:ok' }))
  nav = jest.spyOn(Taro, 'navigateTo').mockImplementation(() => Promise.resolve({ errMsg: 'navigateTo:ok' }))
  badge = jest.spyOn(Taro, 'setTabBarBadge').mockImplementation(() => Promise.resolve({ errMsg: 'setTabBarBadge:ok' }))
  jest.spyOn(Taro, 'removeTabBarBadge').mockImplementation(() => Promise.resolve({ errMsg: 'removeTabBarBadge:ok' }))
})
afterEach(() => jest.restoreAllMocks())
let backend: FakeBackend

describe('工作台', () => {
  it('staff: the total, each group with its count and overdue items first; a tap opens the item or the whole list', async () => {
    backend = fakeBackend({ 'user.me': li, 'work.summary': () => STAFF_SUMMARY, 'work.badge': () => ({ total: 5, overdue: 2, countedAt: 0 }) })
    const r = render(<WorkbenchView />)
    await waitFor(() => expect(q(r, '.work-total')).not.toBeNull())
    expect(text(q(r, '.work-total'))).toBe('共 5 项待办，其中 2 项超期')
    expect(q(r, '.work-head--overdue')).not.toBeNull()
    expect(qa(r, '.work-group').map((g) => text(g.querySelector('.ui-card__title')))).toEqual(['邻里纠纷', '场地预约待审核'])
    const disputes = q(r, '.work-group--disputes')!
    expect(text(disputes.querySelector('.work-group__count'))).toBe('3 项')
    expect(text(disputes.querySelector('.work-group__overdue'))).toBe('超期 1')
    expect(text(disputes.querySelector('.work-group__note'))).toBe('超期 1 · 待受理 2')
    const rows = Array.from(disputes.querySelectorAll('.work-item'))
    expect(rows.map((x) => text(x.querySelector('.ui-cell__title')))).toEqual(['【噪音】楼上每晚拖动家具', '【停车】楼道被堵'])
    expect(rows[0].classList.contains('work-item--overdue')).toBe(true)
    expect(text(rows[0].querySelector('.work-item__overdue'))).toBe('超期')
    expect(text(rows[0].querySelector('.ui-cell__desc'))).toBe('11月23日 23:59 前办结 · 翠园小区 1栋')
    expect(text(rows[1].querySelector('.work-item__tag'))).toBe('待受理')
    expect(text(disputes.querySelector('.work-group__more'))).toContain('还有 1 项，查看全部')
    expect(text(q(r, '.work-clear'))).toBe('已处理完：居民认证、重点户走访')
    // The total is the 我的 tab's badge.
    await waitFor(() => expect(badge).toHaveBeenLastCalledWith({ index: 3, text: '5' }))

    await tap(r, '.work-group--disputes .work-item')
    expect(nav).toHaveBeenLastCalledWith({ url: '/packages/dispute/pages/detail/index?id=cs-a' })
    await tap(r, '.work-group--approvals .work-group__more')
    expect(nav).toHaveBeenLastCalledWith({ url: '/packages/booking/pages/pending/index' })
    await tap(r, '.work-stats')
    expect(nav).toHaveBeenLastCalledWith({ url: '/packages/stats/pages/index/index' })
  })

  it('the street: each community’s figures beside its escalated cases', async () => {
    backend = fakeBackend({
      'user.me': zhou,
      'work.summary': () => ({
        at: '2026-11-24T04:00:00.000Z',
        total: 1,
        overdue: 1,
        groups: [group({ key: 'escalated', title: '上报街道的事项', count: 1, overdue: 1, items: [item({ id: 'cs-e', title: '【宠物】隔壁的狗夜里叫', overdue: true, tag: '待受理' })] })],
        communities: [
          { id: 'c-cuihu', name: '翠湖社区', open: 6, overdue: 2 },
          { id: 'c-jinqiao', name: '金桥社区', open: 2, overdue: 0 },
        ],
      }),
      'work.badge': () => ({ total: 1, overdue: 1, countedAt: 0 }),
    })
    const r = render(<WorkbenchView />)
    await waitFor(() => expect(qa(r, '.work-community')).toHaveLength(2))
    expect(text(q(r, '.work-community--c-cuihu'))).toBe('翠湖社区其中超期 2 件待办 6 件')
    expect(text(q(r, '.work-community--c-jinqiao .ui-cell__desc'))).toBe('无超期')
    expect(text(q(r, '.work-group--escalated .work-item__overdue'))).toBe('超期')
  })

  it('nothing waiting: says so', async () => {
    backend = fakeBackend({ 'user.me': li, 'work.summary': () => ({ ...STAFF_SUMMARY, total: 0, overdue: 0, groups: STAFF_SUMMARY.groups.map((g) => ({ ...g, count: 0, overdue: 0, note: null, items: [] })) }), 'work.badge': () => ({ total: 0, overdue: 0, countedAt: 0 }) })
    const r = render(<WorkbenchView />)
    await waitFor(() => expect(q(r, '.work-empty')).not.toBeNull())
    expect(text(q(r, '.work-total'))).toBe('暂无待办')
    expect(qa(r, '.work-group')).toHaveLength(0)
    expect(q(r, '.work-clear')).toBeNull()
  })

  it('refused or failed: the reason, and 重试 when trying again can help', async () => {
    backend = fakeBackend({ 'user.me': sun, 'work.summary': () => fail('FORBIDDEN', '您没有权限进行此操作') })
    const r = render(<WorkbenchView />)
    await waitFor(() => expect(q(r, '.ui-pw--forbidden')).not.toBeNull())
    expect(text(q(r, '.ui-pw__message'))).toBe('您没有权限进行此操作')

    let n = 0
    backend = fakeBackend({ 'user.me': li, 'work.summary': () => (++n === 1 ? fail('INTERNAL', '网络不太好，请检查网络后重试') : STAFF_SUMMARY), 'work.badge': () => ({ total: 5, overdue: 2, countedAt: 0 }) })
    const again = render(<WorkbenchView />)
    await waitFor(() => expect(q(again, '.ui-pw__retry')).not.toBeNull())
    await tap(again, '.ui-pw__retry')
    await waitFor(() => expect(q(again, '.work-group--disputes')).not.toBeNull())
  })
})

describe('entries', () => {
  it('我的 and 办事 offer 我的待办 with the count to staff, and the 我的 tab carries it', async () => {
    backend = fakeBackend({ 'user.me': li, 'work.badge': () => ({ total: 7, overdue: 1, countedAt: 0 }) })
    const mine = render(<MinePage />)
    await waitFor(() => expect(text(q(mine, '.mine-work .ui-cell__value'))).toBe('7 项'))
    expect(badge).toHaveBeenLastCalledWith({ index: 3, text: '7' })
    await tap(mine, '.mine-work')
    expect(nav).toHaveBeenLastCalledWith({ url: '/packages/work/pages/index/index' })
    mine.unmount()
    const services = render(<ServicesPage />)
    await waitFor(() => expect(text(q(services, '.services-work .ui-cell__value'))).toBe('7 项'))
  })

  it('the tab keeps the newest count: a badge the server kept from before the workbench was seen never replaces it', async () => {
    await setWorkCount(5, Date.parse('2026-11-24T04:00:00Z'))
    await setWorkCount(9, Date.parse('2026-11-24T03:59:30Z'))
    expect([lastWorkCount(), badge.mock.lastCall]).toEqual([5, [{ index: 3, text: '5' }]])
    await setWorkCount(4, Date.parse('2026-11-24T04:01:00Z'))
    expect([lastWorkCount(), badge.mock.lastCall]).toEqual([4, [{ index: 3, text: '4' }]])
  })

  it('a resident has no 工作台: no entry, no count asked for', async () => {
    backend = fakeBackend({ 'user.me': sun })
    const mine = render(<MinePage />)
    await waitFor(() => expect(q(mine, '.profile-card')).not.toBeNull())
    expect(q(mine, '.mine-work')).toBeNull()
    expect(backend.calls('work.badge')).toHaveLength(0)
  })
})
