/**
 * The 网格化管理 pages in jsdom, against a scripted backend behind the real client gateway
 * (test/support/fake-backend.ts): what a grid worker, community staff and a department see, and
 * exactly what reaches the backend.
 */
import Taro from '@tarojs/taro'
import { act, fireEvent, render, waitFor, type RenderResult } from '@testing-library/react'
import { demoProfile, fail, fakeBackend, type FakeBackend } from '../support/fake-backend'
import { picked, q, qa, tap, text, typeInto } from '../support/dom'
import { demoDetail } from '../support/dispute-fixtures'
import { GridHomeView } from '@/packages/grid/pages/home/index'
import { HouseholdsView } from '@/packages/grid/pages/households/index'
import { HouseholdView } from '@/packages/grid/pages/household/index'
import { DueView } from '@/packages/grid/pages/due/index'
import { ReportView } from '@/packages/grid/pages/report/index'
import { EventDetailView } from '@/packages/grid/pages/event/index'
import { DepartmentsView } from '@/packages/grid/pages/departments/index'
import { GridSettingsView } from '@/packages/grid/pages/settings/index'
import ServicesPage from '@/pages/services/index'
import type { CaseDetailT } from '@/shared/api/cases'
import type { DepartmentOutT, HouseholdOutT, HouseholdRowT } from '@/shared/api/grid'

jest.mock('@/services/upload', () => ({
  uploadPhoto: jest.fn(async (path: string) => `local://u/demo-grid-zhang/${path.replace(/\W/g, '')}.png`),
}))

const zhang = () => ({ openid: 'demo-grid-zhang', profile: demoProfile({ openid: 'demo-grid-zhang', name: '张伟', roles: ['resident', 'grid_worker'], gridIds: ['g-cuihu-1'] }) })
const li = () => ({ openid: 'demo-staff-li', profile: demoProfile({ openid: 'demo-staff-li', name: '李秀梅', roles: ['resident', 'staff'] }) })
const ma = () => ({ openid: 'demo-dept-ma', profile: demoProfile({ openid: 'demo-dept-ma', name: '马强', roles: ['resident', 'department'] }) })
const wang = () => ({ openid: 'demo-admin-wang', profile: demoProfile({ openid: 'demo-admin-wang', name: '王建国', roles: ['resident', 'admin'] }) })
const zhou = () => ({ openid: 'demo-street-zhou', profile: demoProfile({ openid: 'demo-street-zhou', name: '周国强', roles: ['resident', 'street'] }) })

const ELDER = 'b-cy-2-u1:201'

function row(over: Partial<HouseholdRowT> = {}): HouseholdRowT {
  return {
    id: ELDER,
    buildingName: '2栋',
    unitName: '1单元',
    room: '201',
    residents: [{ name: '何桂英', phoneMasked: '138****1015' }],
    tags: ['独居老人'],
    lastVisitAt: '2026-11-07T02:00:00.000Z',
    nextDueAt: '2026-11-21T02:00:00.000Z',
    visitState: 'overdue',
    visitStateLabel: '已逾期',
    ...over,
  }
}

function household(over: Partial<HouseholdOutT> = {}): HouseholdOutT {
  return {
    ...row(),
    gridId: 'g-cuihu-1',
    gridName: '翠湖第一网格',
    tagDetails: [{ tag: '独居老人', reason: '独居，子女在外地，患高血压', byName: '张伟', at: '2026-11-01T02:00:00.000Z' }],
    visits: [
      {
        id: 'vs-1',
        at: '2026-11-07T02:00:00.000Z',
        found: '身体状况良好，血压药充足；提醒注意用电安全。',
        photos: [{ fileId: 'local://u/demo-grid-zhang/p1.png', url: '/files/p1.png' }],
        followUp: true,
        followUpNote: '下周确认插线板已更换',
        onTime: true,
        byName: '张伟',
      },
    ],
    version: 2,
    ...over,
  }
}

function eventDetail(over: Partial<CaseDetailT> = {}): CaseDetailT {
  return demoDetail({
    id: 'ev-1',
    kind: 'event',
    category: '安全隐患',
    title: '【安全隐患】2栋东侧消防通道被三辆电动车和纸箱堵住',
    status: 'submitted',
    statusLabel: '待分派',
    level: 'community',
    locationText: '翠园小区 2栋',
    description: '2栋东侧消防通道被三辆电动车和纸箱堵住，已口头提醒，仍未清理。',
    submitter: { name: '张伟', phone: '138****1004' },
    assigneeName: null,
    departmentName: null,
    departmentId: null,
    deptDueAt: null,
    agreement: null,
    timeline: [],
    can: ['accept', 'addNote', 'route'],
    viewerRole: 'handler',
    version: 1,
    ...over,
  })
}

const DEPARTMENTS: DepartmentOutT[] = [
  { id: 'dp-chengguan', name: '翠湖街道城管中队', kind: '城管', phone: '0571-88881001', contacts: [{ openid: 'demo-dept-ma', name: '马强' }] },
  { id: 'dp-police', name: '翠湖派出所', kind: '派出所', phone: '0571-88881002', contacts: [] },
]

/** Chooses a value in the Taro picker around `selector` (what the H5 picker reports on 确定). */
async function pick(r: RenderResult, selector: string, value: string) {
  await act(async () => {
    q(r, selector)!.closest('taro-picker-core')!.dispatchEvent(new CustomEvent('change', { detail: { value } }))
  })
}

let toast: jest.SpyInstance
let nav: jest.SpyInstance
beforeEach(() => {
  toast = jest.spyOn(Taro, 'showToast').mockImplementation(() => Promise.resolve({ errMsg: 'showToast:ok' }))
  nav = jest.spyOn(Taro, 'navigateTo').mockImplementation(() => Promise.resolve({ errMsg: 'navigateTo:ok' }))
})
afterEach(() => jest.restoreAllMocks())

const toasts = () => toast.mock.calls.map((c) => c[0].title as string)
let backend: FakeBackend

describe('网格工作 home', () => {
  it('shows each grid with 户数, 重点户, 已逾期 and 近期待走访, and opens its roster and due list', async () => {
    backend = fakeBackend({
      'user.me': zhang,
      'grid.mine': () => ({ grids: [{ id: 'g-cuihu-1', name: '翠湖第一网格', households: 6, tagged: 2, overdue: 1, due: 1 }] }),
    })
    const r = render(<GridHomeView />)
    await waitFor(() => expect(q(r, '.grid-card--g-cuihu-1')).not.toBeNull())
    expect(text(q(r, '.grid-figure--households'))).toBe('6户数')
    expect(text(q(r, '.grid-figure--tagged'))).toBe('2重点户')
    expect(text(q(r, '.grid-figure--overdue'))).toBe('1已逾期')
    expect(q(r, '.grid-figure--overdue.grid-figure--danger')).not.toBeNull()
    expect(text(q(r, '.grid-figure--due'))).toBe('1近期待走访')
    expect(text(q(r, '.grid-card .ui-card__extra'))).toBe('1 户逾期未走访')
    // A grid worker: 巡查上报 and 我的上报, not the staff's 上报事项分流.
    await waitFor(() => expect(q(r, '.handler-link--report')).not.toBeNull())
    expect(q(r, '.handler-link--mine')).not.toBeNull()
    expect(q(r, '.handler-link--triage')).toBeNull()
    await tap(r, '.grid-go-due')
    expect(nav).toHaveBeenLastCalledWith({ url: '/packages/grid/pages/due/index?gridId=g-cuihu-1' })
    await tap(r, '.grid-go-households')
    expect(nav).toHaveBeenLastCalledWith({ url: '/packages/grid/pages/households/index?gridId=g-cuihu-1' })
  })

  it('staff also get 上报事项分流 and no 巡查上报', async () => {
    backend = fakeBackend({ 'user.me': li, 'grid.mine': () => ({ grids: [] }) })
    const r = render(<GridHomeView />)
    await waitFor(() => expect(q(r, '.handler-link--triage')).not.toBeNull())
    expect(q(r, '.handler-link--report')).toBeNull()
    expect(text(q(r, '.ui-pw--empty'))).toContain('您还没有负责的网格')
    await tap(r, '.handler-link--triage')
    expect(nav).toHaveBeenLastCalledWith({ url: '/packages/grid/pages/events/index' })
  })
})

describe('网格户籍 and 待走访', () => {
  it('groups by 楼栋 and 单元, shows tags, masked phones, 上次走访 and the state; the chips filter on the server', async () => {
    backend = fakeBackend({
      'user.me': zhang,
      // 全部 in two pages (the second after 加载更多), 重点户 in one.
      'grid.households': (p) =>
        p.filter === 'tagged'
          ? { gridName: '翠湖第一网格', items: [row()], nextCursor: null }
          : p.cursor
            ? { gridName: '翠湖第一网格', items: [row()], nextCursor: null }
            : {
                gridName: '翠湖第一网格',
                items: [row({ id: 'b-cy-1-u1:1202', buildingName: '1栋', unitName: '1单元', room: '1202', residents: [{ name: '孙丽', phoneMasked: '138****1008' }], tags: [], lastVisitAt: null, nextDueAt: null, visitState: 'ok', visitStateLabel: '无走访计划' })],
                nextCursor: '1',
              },
    })
    const r = render(<HouseholdsView gridId='g-cuihu-1' />)
    await waitFor(() => expect(qa(r, '.hh-item')).toHaveLength(1))
    expect(text(q(r, '.grid-filter__title'))).toBe('翠湖第一网格')
    fireEvent.click(q(r, '.ui-loadmore--more')!)
    await waitFor(() => expect(qa(r, '.hh-item')).toHaveLength(2))
    expect(text(q(r, '.grid-filter__title'))).toBe('翠湖第一网格 · 共 2 户')
    expect(q(r, '.ui-loadmore--end')).not.toBeNull()
    expect(qa(r, '.hh-building__name').map(text)).toEqual(['1栋', '2栋'])
    expect(qa(r, '.hh-unit__name').map(text)).toEqual(['1单元', '1单元'])
    const elder = qa(r, '.hh-item')[1]
    expect(text(elder.querySelector('.hh-item__room'))).toBe('201 室')
    expect(text(elder.querySelector('.hh-item__residents'))).toBe('何桂英 138****1015')
    expect(text(elder.querySelector('.hh-tag'))).toBe('独居老人')
    expect(text(elder.querySelector('.hh-item__state.ui-tag--danger'))).toBe('已逾期')
    expect(text(elder.querySelector('.hh-item__visit'))).toContain('上次走访：11月7日')
    expect(text(qa(r, '.hh-item')[0].querySelector('.hh-item__visit'))).toBe('上次走访：从未走访')
    expect(backend.calls('grid.households').slice(0, 2)).toEqual([
      { gridId: 'g-cuihu-1', filter: 'all', pageSize: 20 },
      { gridId: 'g-cuihu-1', filter: 'all', cursor: '1', pageSize: 20 },
    ])

    fireEvent.click(qa(r, '.filter-chip').find((c) => text(c) === '重点户')!)
    await waitFor(() => expect(qa(r, '.hh-item')).toHaveLength(1))
    expect(backend.calls('grid.households').at(-1)).toEqual({ gridId: 'g-cuihu-1', filter: 'tagged', pageSize: 20 })
    await act(async () => {
      fireEvent.click(qa(r, '.hh-item')[0])
    })
    expect(nav).toHaveBeenLastCalledWith({ url: '/packages/grid/pages/household/index?id=b-cy-2-u1%3A201' })
  })

  it('待走访: the state of each, and 去走访 opens the household with the visit form', async () => {
    backend = fakeBackend({ 'user.me': zhang, 'grid.due': () => ({ items: [row(), row({ id: 'b-cy-1-u2:301', room: '301', buildingName: '1栋', unitName: '2单元', visitState: 'due', visitStateLabel: '近期待走访', nextDueAt: '2026-11-25T02:00:00.000Z' })] }) })
    const r = render(<DueView gridId='g-cuihu-1' />)
    await waitFor(() => expect(qa(r, '.hh-item')).toHaveLength(2))
    expect(text(q(r, '.grid-due__summary'))).toContain('1 户已逾期，1 户近期待走访')
    expect(qa(r, '.hh-item__state').map(text)).toEqual(['已逾期', '近期待走访'])
    expect(q(r, '.hh-item--due .hh-item__state.ui-tag--warning')).not.toBeNull()
    await tap(r, '.due-visit-btn')
    expect(nav).toHaveBeenLastCalledWith({ url: '/packages/grid/pages/household/index?id=b-cy-2-u1%3A201&visit=1' })
  })
})

describe('one household', () => {
  it('shows the residents, each tag with its reason, the visit state and the visits with 按期 and 需要跟进', async () => {
    backend = fakeBackend({ 'user.me': zhang, 'grid.household': () => household() })
    const r = render(<HouseholdView id={ELDER} />)
    await waitFor(() => expect(q(r, '.hh-head')).not.toBeNull())
    expect(text(q(r, '.hh-head__title'))).toBe('2栋 1单元 201')
    expect(text(q(r, '.hh-head__state'))).toBe('已逾期')
    expect(text(q(r, '.hh-head__due'))).toMatch(/^下次走访：已逾期 \d+ 天（11月21日到期）$/)
    expect(text(q(r, '.hh-resident'))).toBe('何桂英138****1015')
    expect(text(q(r, '.hh-tagdetail .hh-tag'))).toBe('独居老人')
    expect(text(q(r, '.hh-tagdetail__reason'))).toBe('独居，子女在外地，患高血压')
    expect(text(q(r, '.hh-tagdetail__meta'))).toBe('张伟 · 11月1日')
    expect(qa(r, '.hh-visit')).toHaveLength(1)
    expect(text(q(r, '.hh-visit__at'))).toBe('2026年11月7日 10:00')
    expect(text(q(r, '.hh-visit__ontime'))).toBe('按期')
    expect(text(q(r, '.hh-visit__found'))).toBe('身体状况良好，血压药充足；提醒注意用电安全。')
    expect(qa(r, '.hh-visit .case-photo')).toHaveLength(1)
    expect(text(q(r, '.hh-visit__follow'))).toBe('需要跟进下周确认插线板已更换')
  })

  it('登记走访 sends what was found, photos, 需要跟进 with its note and a request id that a retry keeps; the new visit shows', async () => {
    let first = true
    backend = fakeBackend({
      'user.me': zhang,
      'grid.household': () => household({ visits: [] }),
      'grid.visit': () => {
        if (first) {
          first = false
          return fail('INTERNAL', '网络不太好，请检查网络后重试')
        }
        return household({
          visitState: 'ok',
          visitStateLabel: '按期',
          visits: [{ id: 'vs-2', at: '2026-11-23T02:00:00.000Z', found: '老人身体不错，燃气阀门老化。', photos: [], followUp: true, followUpNote: '下周回访燃气阀门', onTime: false, byName: '张伟' }],
        })
      },
    })
    jest.spyOn(Taro, 'chooseMedia').mockResolvedValueOnce(picked('blob:gas'))
    const r = render(<HouseholdView id={ELDER} />)
    await waitFor(() => expect(text(q(r, '.hh-visits'))).toContain('还没有走访记录'))
    await tap(r, '.hh-visit-btn')
    // Nothing found yet: said inline, nothing sent.
    await tap(r, '.visit-submit')
    await waitFor(() => expect(text(q(r, '.visit-found .ui-field__error'))).toBe('请填写走访发现的情况'))
    expect(backend.calls('grid.visit')).toHaveLength(0)

    await typeInto(r, '.visit-found-input textarea', '老人身体不错，燃气阀门老化。')
    await tap(r, '.visit-photos .photo-add')
    await waitFor(() => expect(qa(r, '.photo--done')).toHaveLength(1))
    await tap(r, '.follow-switch')
    await typeInto(r, '.visit-follow-input textarea', '下周回访燃气阀门')
    await tap(r, '.visit-submit')
    await waitFor(() => expect(text(q(r, '.visit-error'))).toBe('网络不太好，请检查网络后重试'))
    await tap(r, '.visit-submit')
    await waitFor(() => expect(q(r, '.visit-sheet')).toBeNull())

    const sent = backend.all.filter((c) => c.key === 'grid.visit')
    expect(sent).toHaveLength(2)
    expect(sent[0].requestId).toMatch(/^[a-z0-9]+$/)
    expect(sent[1].requestId).toBe(sent[0].requestId)
    // "Now": no time is sent, the server takes its own clock.
    expect(sent[1].payload).toEqual({ id: ELDER, found: '老人身体不错，燃气阀门老化。', photos: ['local://u/demo-grid-zhang/blobgas.png'], followUp: true, followUpNote: '下周回访燃气阀门' })
    expect(toasts()).toContain('已登记走访')
    expect(text(q(r, '.hh-visit__late'))).toBe('逾期')
    expect(text(q(r, '.hh-head__state'))).toBe('按期')
  })

  it('补记 an earlier visit sends its time in Shanghai', async () => {
    backend = fakeBackend({ 'user.me': zhang, 'grid.household': () => household(), 'grid.visit': () => household() })
    const r = render(<HouseholdView id={ELDER} startVisit />)
    await waitFor(() => expect(q(r, '.visit-sheet')).not.toBeNull())
    await typeInto(r, '.visit-found-input textarea', '电话回访，一切正常。')
    fireEvent.click(qa(r, '.when-chip')[1])
    await waitFor(() => expect(q(r, '.visit-date')).not.toBeNull())
    const yesterday = new Date(Date.now() - 24 * 3600_000 + 8 * 3600_000).toISOString().slice(0, 10)
    await pick(r, '.visit-date', yesterday)
    await pick(r, '.visit-clock', '09:30')
    await tap(r, '.visit-submit')
    await waitFor(() => expect(backend.calls('grid.visit')).toHaveLength(1))
    expect(backend.calls('grid.visit')[0]).toEqual({ id: ELDER, found: '电话回访，一切正常。', at: new Date(`${yesterday}T01:30:00.000Z`).toISOString(), photos: [], followUp: false })
  })

  it('加标签 without a reason shows the server’s field error beside the reason; with one, the tag and reason show', async () => {
    backend = fakeBackend({
      'user.me': zhang,
      'grid.household': () => household({ tags: [], tagDetails: [], nextDueAt: null, visitState: 'ok', visitStateLabel: '无走访计划' }),
      'grid.tag': (p) =>
        p.reason
          ? household({ tags: ['独居老人', '高龄'], tagDetails: [...household().tagDetails, { tag: '高龄', reason: p.reason, byName: '张伟', at: '2026-11-23T02:00:00.000Z' }] })
          : fail('INVALID_INPUT', '请写明加上「高龄」标签的原因', [{ path: 'reason', message: '请写明原因' }]),
    })
    const r = render(<HouseholdView id={ELDER} />)
    await waitFor(() => expect(text(q(r, '.hh-tag-card'))).toContain('未标记关爱类别'))
    expect(text(q(r, '.hh-head__state'))).toBe('无走访计划')
    await tap(r, '.hh-add-tag')
    expect(qa(r, '.care-chip').map(text)).toEqual(['独居老人', '高龄', '残疾', '困难家庭', '留守儿童'])
    // No category chosen: said on the phone.
    await tap(r, '.tag-submit')
    await waitFor(() => expect(text(q(r, '.tag-field .ui-field__error'))).toBe('请选择关爱类别'))
    expect(backend.calls('grid.tag')).toHaveLength(0)

    fireEvent.click(qa(r, '.care-chip')[1])
    await tap(r, '.tag-submit')
    await waitFor(() => expect(text(q(r, '.tag-reason .ui-field__error'))).toBe('请写明原因'))
    expect(backend.calls('grid.tag')[0]).toEqual({ id: ELDER, tag: '高龄', on: true })
    expect(q(r, '.tag-error')).toBeNull()

    await typeInto(r, '.tag-reason-input textarea', '82 岁，行动不便')
    await tap(r, '.tag-submit')
    await waitFor(() => expect(q(r, '.tag-sheet')).toBeNull())
    expect(backend.calls('grid.tag')[1]).toEqual({ id: ELDER, tag: '高龄', on: true, reason: '82 岁，行动不便' })
    expect(qa(r, '.hh-tagdetail__reason').map(text)).toEqual(['独居，子女在外地，患高血压', '82 岁，行动不便'])
  })

  it('取消 a tag asks first and sends on:false', async () => {
    const modal = jest.spyOn(Taro, 'showModal').mockImplementation(() => Promise.resolve({ confirm: true, cancel: false, errMsg: 'showModal:ok' }))
    backend = fakeBackend({ 'user.me': zhang, 'grid.household': () => household(), 'grid.tag': () => household({ tags: [], tagDetails: [] }) })
    const r = render(<HouseholdView id={ELDER} />)
    await waitFor(() => expect(q(r, '.hh-remove-tag')).not.toBeNull())
    await tap(r, '.hh-remove-tag')
    await waitFor(() => expect(backend.calls('grid.tag')).toEqual([{ id: ELDER, tag: '独居老人', on: false }]))
    expect(modal).toHaveBeenCalledWith(expect.objectContaining({ title: '取消标签' }))
    await waitFor(() => expect(q(r, '.hh-tagdetail')).toBeNull())
  })
})

describe('巡查上报', () => {
  const places: Record<string, Array<{ id: string; name: string; kind: string }>> = {
    'c-cuihu': [
      { id: 'e-cuiyuan', name: '翠园小区', kind: 'estate' },
      { id: 'e-hupan', name: '湖畔花园', kind: 'estate' },
    ],
    'e-cuiyuan': [
      { id: 'b-cy-1', name: '1栋', kind: 'building' },
      { id: 'b-cy-2', name: '2栋', kind: 'building' },
    ],
    'b-cy-2': [
      { id: 'b-cy-2-u1', name: '1单元', kind: 'unit' },
      { id: 'b-cy-2-u2', name: '2单元', kind: 'unit' },
    ],
  }

  it('offers only the types of the community’s 网格事项清单 and sends type, text, photos, place and urgency', async () => {
    backend = fakeBackend({
      'user.me': zhang,
      'grid.settings': () => ({ visitDays: {}, matters: ['安全隐患', '环境卫生', '设施损坏'], departmentDays: 3 }),
      'user.places': (p) => ({ items: places[p.parentId] ?? [] }),
      'cases.report': () => eventDetail({ id: 'ev-new' }),
    })
    jest.spyOn(Taro, 'chooseMedia').mockResolvedValueOnce(picked('blob:lane'))
    const redirect = jest.spyOn(Taro, 'redirectTo').mockImplementation(() => Promise.resolve({ errMsg: 'redirectTo:ok' }))
    const r = render(<ReportView />)
    await waitFor(() => expect(qa(r, '.category-chip')).toHaveLength(3))
    expect(qa(r, '.category-chip').map(text)).toEqual(['安全隐患', '环境卫生', '设施损坏'])
    expect(text(q(r, '.submit-note'))).toContain('安全隐患、环境卫生、设施损坏')

    // Empty: each missing part said inline, nothing sent.
    await tap(r, '.submit-btn')
    await waitFor(() => expect(text(q(r, '.field-category .ui-field__error'))).toBe('请选择上报类型'))
    expect(text(q(r, '.field-location .ui-field__error'))).toBe('请选择发现问题的楼栋')
    expect(backend.calls('cases.report')).toHaveLength(0)

    fireEvent.click(qa(r, '.category-chip')[0])
    await typeInto(r, '.description-input textarea', '2栋东侧消防通道被电动车堵住。')
    await tap(r, '.photo-add')
    await waitFor(() => expect(qa(r, '.photo--done')).toHaveLength(1))
    await pick(r, '.building-picker', '1') // 2栋
    await waitFor(() => expect(backend.calls('user.places').some((p) => p.parentId === 'b-cy-2')).toBe(true))
    await pick(r, '.unit-picker', '1') // 1单元 (after 不指定单元)
    fireEvent.click(qa(r, '.urgency-chip')[1])
    await tap(r, '.submit-btn')
    await waitFor(() => expect(redirect).toHaveBeenCalledWith({ url: '/packages/grid/pages/event/index?id=ev-new' }))
    const sent = backend.all.filter((c) => c.key === 'cases.report')
    expect(sent).toHaveLength(1)
    expect(sent[0].requestId).toMatch(/^[a-z0-9]+$/)
    expect(sent[0].payload).toEqual({
      type: '安全隐患',
      description: '2栋东侧消防通道被电动车堵住。',
      photos: ['local://u/demo-grid-zhang/bloblane.png'],
      location: { buildingId: 'b-cy-2', unitId: 'b-cy-2-u1' },
      urgency: 'urgent',
    })
  })

  it('a type refused by the server shows beside the type', async () => {
    backend = fakeBackend({
      'user.me': zhang,
      'grid.settings': () => ({ visitDays: {}, matters: ['安全隐患'], departmentDays: 3 }),
      'user.places': (p) => ({ items: places[p.parentId] ?? [] }),
      'cases.report': () => fail('INVALID_INPUT', '「安全隐患」不在本社区网格事项清单内', [{ path: 'type', message: '「安全隐患」不在本社区网格事项清单内，可上报：环境卫生' }]),
    })
    const r = render(<ReportView />)
    await waitFor(() => expect(qa(r, '.category-chip')).toHaveLength(1))
    fireEvent.click(qa(r, '.category-chip')[0])
    await typeInto(r, '.description-input textarea', '楼道堆放杂物。')
    await pick(r, '.building-picker', '0')
    await tap(r, '.submit-btn')
    await waitFor(() => expect(text(q(r, '.field-category .ui-field__error'))).toBe('「安全隐患」不在本社区网格事项清单内，可上报：环境卫生'))
  })

  it('someone who is not a grid worker reads 没有权限', async () => {
    backend = fakeBackend({ 'user.me': li })
    const r = render(<ReportView />)
    await waitFor(() => expect(q(r, '.ui-pw--forbidden')).not.toBeNull())
    expect(text(q(r, '.ui-pw--forbidden'))).toContain('巡查上报仅限网格员使用')
  })
})

describe('上报详情', () => {
  it('staff: 分流转办 leads; the sheet offers the departments with their contacts, the default days, and sends departmentId, days and the note', async () => {
    backend = fakeBackend({
      'user.me': li,
      'cases.get': () => eventDetail(),
      'grid.departments': () => ({ items: DEPARTMENTS }),
      'grid.settings': () => ({ visitDays: {}, matters: ['安全隐患'], departmentDays: 3 }),
      'cases.route': () => eventDetail({ level: 'department', departmentName: '翠湖街道城管中队', dueAt: '2026-11-24T02:00:00.000Z', version: 2, can: [], viewerRole: 'observer' }),
    })
    const r = render(<EventDetailView id='ev-1' />)
    await waitFor(() => expect(q(r, '.case-action--route')).not.toBeNull())
    expect(text(q(r, '.case-head__category'))).toBe('安全隐患上报')
    expect(text(q(r, '.event-handling__who'))).toContain('社区（待分流转办）')
    // 分流转办 is the red one, before 接收处置.
    expect(q(r, '.case-action--route.ui-btn--primary')).not.toBeNull()
    expect(qa(r, '.case-action').map(text)).toEqual(['分流转办', '接收处置', '添加备注'])

    await tap(r, '.case-action--route')
    await waitFor(() => expect(qa(r, '.dept-chip')).toHaveLength(2))
    expect(text(q(r, '.action-sheet--route'))).toContain('逾期未办结将上报街道')
    expect(text(qa(r, '.dept-chip')[0])).toBe('翠湖街道城管中队城管 · 马强')
    expect(text(qa(r, '.dept-chip')[1])).toBe('翠湖派出所派出所 · 暂无联系人')
    await waitFor(() => expect((q(r, '.dept-days-input input') as HTMLInputElement | null)?.value).toBe('3'))

    // Nothing chosen: said inline.
    await tap(r, '.sheet-confirm')
    await waitFor(() => expect(text(q(r, '.dept-field .ui-field__error'))).toBe('请选择职能部门'))
    expect(text(q(r, '.dept-note .ui-field__error'))).toBe('请填写转办说明')
    expect(backend.calls('cases.route')).toHaveLength(0)

    fireEvent.click(qa(r, '.dept-chip')[0])
    await typeInto(r, '.dept-days-input input', '5')
    await typeInto(r, '.dept-note-input textarea', '请城管中队协调清理消防通道')
    await tap(r, '.sheet-confirm')
    await waitFor(() => expect(q(r, '.action-sheet--route')).toBeNull())
    expect(backend.calls('cases.route')).toEqual([{ id: 'ev-1', version: 1, departmentId: 'dp-chengguan', days: 5, note: '请城管中队协调清理消防通道' }])
    expect(toasts()).toContain('已分流转办')
    expect(text(q(r, '.event-handling__who'))).toContain('翠湖街道城管中队')
    expect(text(q(r, '.case-head__level'))).toBe('翠湖街道城管中队办理')
  })

  it('the department: 接收处置, then 处置完毕 asks for 处置结果 (sent as agreement)', async () => {
    let c = eventDetail({ status: 'submitted', level: 'department', departmentName: '翠湖街道城管中队', can: ['accept', 'addNote'], dueAt: '2026-11-24T02:00:00.000Z' })
    backend = fakeBackend({
      'user.me': ma,
      'cases.get': () => c,
      'cases.accept': () => (c = { ...c, status: 'accepted', statusLabel: '已受理', version: 2, can: ['resolve', 'addNote'], assigneeName: '马强', dueAt: '2026-11-26T02:00:00.000Z' }),
      'cases.resolve': (p) => (c = { ...c, status: 'closed', statusLabel: '已办结', version: 3, can: [], agreement: p.agreement }),
    })
    const r = render(<EventDetailView id='ev-1' />)
    await waitFor(() => expect(q(r, '.case-action--accept')).not.toBeNull())
    expect(text(q(r, '.event-handling__due'))).toContain('前接收')
    expect(text(q(r, '.case-action--accept'))).toBe('接收处置')
    await tap(r, '.case-action--accept')
    await waitFor(() => expect(q(r, '.case-action--resolve')).not.toBeNull())
    expect(text(q(r, '.event-handling__due'))).toContain('前办结')
    expect(text(q(r, '.case-action--resolve'))).toBe('处置完毕')
    await tap(r, '.case-action--resolve')
    expect(text(q(r, '.action-sheet .ui-field__label'))).toContain('处置结果')
    await typeInto(r, '.sheet-textarea textarea', '已清理消防通道，张贴禁停提示')
    await tap(r, '.sheet-confirm')
    await waitFor(() => expect(backend.calls('cases.resolve')).toEqual([{ id: 'ev-1', version: 2, agreement: '已清理消防通道，张贴禁停提示' }]))
    await waitFor(() => expect(text(q(r, '.case-result'))).toContain('处置结果已清理消防通道，张贴禁停提示'))
    expect(toasts()).toEqual(expect.arrayContaining(['已接收', '已处置完毕']))
  })

  it('the street: 吹哨 requires the days and cannot pick the current department', async () => {
    backend = fakeBackend({
      'user.me': zhou,
      'cases.get': () => eventDetail({ status: 'accepted', level: 'street', departmentName: '翠湖街道城管中队', overdue: true, can: ['whistle', 'addNote'] }),
      'grid.departments': () => ({ items: DEPARTMENTS }),
      'cases.whistle': () => eventDetail({ level: 'department', departmentName: '翠湖派出所', can: [], version: 2 }),
    })
    const r = render(<EventDetailView id='ev-1' />)
    await waitFor(() => expect(q(r, '.case-action--whistle')).not.toBeNull())
    expect(text(q(r, '.event-handling__note'))).toContain('街道可吹哨')
    await tap(r, '.case-action--whistle')
    await waitFor(() => expect(qa(r, '.dept-chip')).toHaveLength(2))
    expect(q(r, '.dept-chip-0.chip--disabled')).not.toBeNull()
    expect(text(q(r, '.dept-chip-0'))).toContain('当前承办')
    expect(backend.calls('grid.settings')).toHaveLength(0)
    fireEvent.click(qa(r, '.dept-chip')[1])
    await typeInto(r, '.dept-note-input textarea', '原部门逾期未处置，请派出所会同处置')
    await tap(r, '.sheet-confirm')
    await waitFor(() => expect(text(q(r, '.dept-days .ui-field__error'))).toBe('请填写办结时限'))
    await typeInto(r, '.dept-days-input input', '2')
    await tap(r, '.sheet-confirm')
    await waitFor(() => expect(backend.calls('cases.whistle')).toEqual([{ id: 'ev-1', version: 1, departmentId: 'dp-police', days: 2, note: '原部门逾期未处置，请派出所会同处置' }]))
  })
})

describe('职能部门', () => {
  it('adds a department with a request id, and a contact by phone', async () => {
    let items = [...DEPARTMENTS]
    backend = fakeBackend({
      'user.me': zhou,
      'grid.departments': () => ({ items }),
      'grid.saveDepartment': (p) => ({ items: (items = [...items, { id: 'dp-new', name: p.name, kind: p.kind, phone: p.phone ?? null, contacts: [] }]) }),
      'grid.setDepartmentContact': () => fail('NOT_FOUND', '没有找到使用该手机号登记的用户，请对方先在小程序中登记并填写手机号'),
    })
    const r = render(<DepartmentsView />)
    await waitFor(() => expect(qa(r, '.dept-card')).toHaveLength(2))
    expect(text(q(r, '.dept-card--dp-police .dept-card__none'))).toContain('暂无联系人')
    await tap(r, '.dept-add')
    await typeInto(r, '.dept-name-input input', '翠湖消防救援站')
    fireEvent.click(qa(r, '.kind-chip').find((c) => text(c) === '消防')!)
    await typeInto(r, '.dept-phone-input input', '0571-88881005')
    await tap(r, '.dept-submit')
    await waitFor(() => expect(qa(r, '.dept-card')).toHaveLength(3))
    const sent = backend.all.filter((c) => c.key === 'grid.saveDepartment')
    expect(sent[0].payload).toEqual({ name: '翠湖消防救援站', kind: '消防', phone: '0571-88881005' })
    expect(sent[0].requestId).toMatch(/^[a-z0-9]+$/)

    await tap(r, '.dept-card--dp-police .dept-add-contact')
    await typeInto(r, '.contact-phone-input input', '13800009999')
    await tap(r, '.contact-submit')
    await waitFor(() => expect(text(q(r, '.dept-sheet-contact .sheet-error'))).toContain('没有找到使用该手机号登记的用户'))
    expect(backend.calls('grid.setDepartmentContact')).toEqual([{ departmentId: 'dp-police', phone: '13800009999', on: true }])
  })
})

describe('网格设置', () => {
  const SETTINGS = { visitDays: { 独居老人: 14, 高龄: 30, 残疾: 30, 困难家庭: 30, 留守儿童: 30 }, matters: ['安全隐患', '环境卫生', '设施损坏', '矛盾纠纷', '其他'], departmentDays: 3 }
  const dayInput = (r: RenderResult, i: number) => q(r, `.gset-day-input-${i} input`) as HTMLInputElement | null
  const on = (r: RenderResult) => qa(r, '.matter-chip.chip--on').map(text)

  it('loads the 走访周期 per tag, the 事项 and the days; 保存 sends them all; the toast', async () => {
    backend = fakeBackend({ 'user.me': wang, 'grid.settings': () => SETTINGS, 'grid.saveSettings': (p) => p })
    const r = render(<GridSettingsView />)
    await waitFor(() => expect(dayInput(r, 0)?.value).toBe('14'))
    expect(qa(r, '.gset-day .ui-field__label').map(text)).toEqual(['独居老人', '高龄', '残疾', '困难家庭', '留守儿童'])
    expect([1, 2, 3, 4].map((i) => dayInput(r, i)?.value)).toEqual(['30', '30', '30', '30'])
    expect(on(r)).toEqual(['✓ 安全隐患', '✓ 环境卫生', '✓ 设施损坏', '✓ 矛盾纠纷', '✓ 其他'])
    expect((q(r, '.gset-department-input input') as HTMLInputElement).value).toBe('3')

    await typeInto(r, '.gset-day-input-0 input', '7')
    await tap(r, '.matter-chip-3') // 矛盾纠纷 off
    await tap(r, '.matter-chip-4') // 其他 off
    await tap(r, '.matter-chip-3') // 矛盾纠纷 on again, in its place
    await typeInto(r, '.gset-department-input input', '5')
    await tap(r, '.gset-save')
    await waitFor(() => expect(backend.calls('grid.saveSettings')).toHaveLength(1))
    expect(backend.calls('grid.saveSettings')[0]).toEqual({
      visitDays: { 独居老人: 7, 高龄: 30, 残疾: 30, 困难家庭: 30, 留守儿童: 30 },
      matters: ['安全隐患', '环境卫生', '设施损坏', '矛盾纠纷'],
      departmentDays: 5,
    })
    await waitFor(() => expect(toasts()).toContain('已保存'))
    expect(on(r)).toEqual(['✓ 安全隐患', '✓ 环境卫生', '✓ 设施损坏', '✓ 矛盾纠纷'])
  })

  it('a server field issue shows under its row; an empty 清单 never leaves the phone', async () => {
    backend = fakeBackend({
      'user.me': wang,
      'grid.settings': () => SETTINGS,
      'grid.saveSettings': () => fail('INVALID_INPUT', '填写的内容有误', [{ path: 'visitDays.高龄', message: '最多 365 天' }]),
    })
    const r = render(<GridSettingsView />)
    await waitFor(() => expect(dayInput(r, 1)?.value).toBe('30'))
    for (let i = 0; i < 5; i++) await tap(r, `.matter-chip-${i}`)
    await tap(r, '.gset-save')
    await waitFor(() => expect(text(q(r, '.gset-matters-field .ui-field__error'))).toBe('网格事项清单至少保留一项'))
    expect(backend.calls('grid.saveSettings')).toHaveLength(0)

    await tap(r, '.matter-chip-0')
    expect(q(r, '.gset-matters-field .ui-field__error')).toBeNull()
    await tap(r, '.gset-save')
    await waitFor(() => expect(text(q(r, '.gset-day-1 .ui-field__error'))).toBe('最多 365 天'))
    expect(q(r, '.gset-day-0 .ui-field__error')).toBeNull()
    expect(backend.calls('grid.saveSettings')[0].matters).toEqual(['安全隐患'])
    expect(toasts()).not.toContain('已保存')
  })

  it('staff see it read-only with no 保存; only admins get 网格设置 on 网格工作', async () => {
    backend = fakeBackend({ 'user.me': li, 'grid.settings': () => ({ ...SETTINGS, matters: ['安全隐患', '环境卫生'] }), 'grid.mine': () => ({ grids: [] }) })
    const r = render(<GridSettingsView />)
    await waitFor(() => expect(text(q(r, '.gset-day-value-0'))).toBe('14 天'))
    expect(text(q(r, '.gset-department-value'))).toBe('3 天')
    expect(q(r, '.gset-days__input')).toBeNull()
    expect(q(r, '.gset-save')).toBeNull()
    expect(on(r)).toEqual(['✓ 安全隐患', '✓ 环境卫生'])
    await tap(r, '.matter-chip-2')
    expect(on(r)).toEqual(['✓ 安全隐患', '✓ 环境卫生'])
    expect(text(q(r, '.grid-settings'))).toContain('仅社区管理员可以修改')
    r.unmount()

    const h = render(<GridHomeView />)
    await waitFor(() => expect(q(h, '.handler-link--triage')).not.toBeNull())
    expect(q(h, '.handler-link--settings')).toBeNull()
    h.unmount()

    backend = fakeBackend({ 'user.me': wang, 'grid.mine': () => ({ grids: [] }) })
    const a = render(<GridHomeView />)
    await waitFor(() => expect(q(a, '.handler-link--settings')).not.toBeNull())
    expect(text(q(a, '.handler-link--settings .handler-link__title'))).toBe('网格设置')
    await tap(a, '.handler-link--settings')
    expect(nav).toHaveBeenLastCalledWith({ url: '/packages/grid/pages/settings/index' })
  })
})

describe('办事 entries', () => {
  const titles = (r: RenderResult) => qa(r, '.services-workbench .ui-cell__title').map(text)
  it('网格工作 for grid workers and staff; 上报事项 for a department; 职能部门 for the street; nothing for residents', async () => {
    backend = fakeBackend({ 'user.me': zhang })
    let r = render(<ServicesPage />)
    await waitFor(() => expect(titles(r)).toContain('网格工作'))
    expect(titles(r)).not.toContain('上报事项')
    r.unmount()

    backend = fakeBackend({ 'user.me': ma })
    r = render(<ServicesPage />)
    await waitFor(() => expect(titles(r)).toEqual(['上报事项']))
    r.unmount()

    backend = fakeBackend({ 'user.me': zhou })
    r = render(<ServicesPage />)
    await waitFor(() => expect(titles(r)).toEqual(expect.arrayContaining(['上报事项', '职能部门'])))
    expect(titles(r)).not.toContain('网格工作')
    await tap(r, '.services-grid-departments')
    expect(nav).toHaveBeenLastCalledWith({ url: '/packages/grid/pages/departments/index' })
    r.unmount()

    backend = fakeBackend({ 'user.me': () => ({ openid: 'demo-res-sun', profile: demoProfile() }) })
    r = render(<ServicesPage />)
    await waitFor(() => expect(backend.calls('user.me').length).toBeGreaterThan(0))
    expect(q(r, '.services-workbench')).toBeNull()
  })
})
