/**
 * The volunteer pages in jsdom. Most tests script the backend (test/support/fake-backend.ts) to
 * answer exactly what a case needs — the server asking for name and phone, a late cancellation,
 * field issues on the form, a QR that expires — and check what the page sends and shows. The
 * last block runs the pages against the real local cloud (in memory, fake clock) for the sign-up,
 * check-in by code and the roster's adjustment end to end.
 */
import Taro from '@tarojs/taro'
import { act, fireEvent, render, waitFor, type RenderResult } from '@testing-library/react'
import { fakeBackend, fail, demoProfile, type FakeBackend } from '../support/fake-backend'
import { q, qa, tap, text, typeInto } from '../support/dom'
import { setTransport } from '@/services/gateway'
import { getSession, setSession } from '@/services/session'
import { ActivityListView } from '@/packages/volunteer/pages/list/index'
import { ActivityDetailView } from '@/packages/volunteer/pages/detail/index'
import { ActivityEditView } from '@/packages/volunteer/pages/edit/index'
import { MyVolunteerView } from '@/packages/volunteer/pages/mine/index'
import { CertificateView } from '@/packages/volunteer/pages/certificate/index'
import { QrView } from '@/packages/volunteer/pages/qr/index'
import { RosterView } from '@/packages/volunteer/pages/roster/index'
import { ExportView } from '@/packages/volunteer/pages/export/index'
import { drawCertificate, ellipsis, wrapText, type CertificateData } from '@/features/volunteer/certificate'
import { qrModules } from '@/features/volunteer/qr'
import type { ActivityDetailT, ActivitySummaryT } from '@/shared/api/volunteer'
import { testCloud, type TestCloud } from '../support/cloud'
import { DEMO } from '../../cloudfunctions/src/local/seed'

const all = qa
const type = typeInto
const fieldOf = (r: RenderResult, s: string) => q(r, s)?.closest('.ui-field') ?? null

/** Chooses a value in the Taro picker around `selector` (what the H5 picker reports on 确定). */
async function pick(r: RenderResult, selector: string, value: string) {
  await act(async () => {
    q(r, selector)!.closest('taro-picker-core')!.dispatchEvent(new CustomEvent('change', { detail: { value } }))
  })
}

const HOUR = 3600_000

function summary(over: Partial<ActivitySummaryT> = {}): ActivitySummaryT {
  const start = Date.now() + 72 * HOUR
  return {
    id: 'act-clean',
    title: '翠园小区楼道清理',
    category: '环境整治',
    phase: 'open',
    phaseLabel: '可报名',
    startAt: new Date(start).toISOString(),
    endAt: new Date(start + 2 * HOUR).toISOString(),
    timeText: '12月3日 09:00–11:00',
    place: '翠园小区 1栋楼下集合',
    capacity: 20,
    taken: 0,
    placesLeft: 20,
    waitlisted: 0,
    hours: 2,
    points: 20,
    mine: null,
    ...over,
  }
}

function detail(over: Partial<ActivityDetailT> = {}): ActivityDetailT {
  const s = summary(over)
  return {
    ...s,
    description: '清理楼道杂物，张贴消防提示。',
    address: s.place,
    location: null,
    requirements: '请穿着志愿者马甲',
    contact: '李秀梅 13800001002',
    signupDeadline: new Date(Date.parse(s.startAt) - 13 * HOUR).toISOString(),
    cancelUntil: new Date(Date.parse(s.startAt) - 2 * HOUR).toISOString(),
    status: 'published',
    version: 1,
    signup: null,
    can: ['signUp'],
    ...over,
  }
}

const confirmed = { state: 'confirmed' as const, stateLabel: '已报名', position: null, checkedInAt: null, checkedOutAt: null, hours: null, points: null, late: false }

let backend: FakeBackend
function withBackend(handlers: Parameters<typeof fakeBackend>[0], profile = demoProfile({ openid: 'demo-vol-chen', name: '陈静', roles: ['resident', 'volunteer'] })) {
  backend = fakeBackend({ 'user.me': () => ({ openid: profile.openid, profile }), ...handlers })
  return backend
}

beforeEach(() => {
  jest.spyOn(Taro, 'showToast').mockImplementation(() => Promise.resolve({ errMsg: 'showToast:ok' }))
  jest.spyOn(Taro, 'navigateTo').mockImplementation(() => Promise.resolve({ errMsg: 'navigateTo:ok' }))
})
afterEach(() => {
  jest.useRealTimers()
  jest.restoreAllMocks()
})

describe('activity list', () => {
  it('sends each filter (类别, 状态, 日期, keyword) and shows places left, the waitlist and my state on the cards', async () => {
    withBackend({
      'volunteer.list': (p) => {
        if (p.category === '环境整治') return { items: [summary({ taken: 19, placesLeft: 1, mine: 'confirmed' })], nextCursor: null }
        if (p.phase === 'full') return { items: [summary({ id: 'act-elder', title: '关爱独居老人上门探访', phase: 'full', phaseLabel: '已满', taken: 10, capacity: 10, placesLeft: 0, waitlisted: 3, mine: 'waitlisted' })], nextCursor: null }
        if (p.q === '养犬' || p.date) return { items: [], nextCursor: null }
        return { items: [summary(), summary({ id: 'act-civil', title: '文明养犬劝导', category: '文明劝导' })], nextCursor: null }
      },
    })
    const r = render(<ActivityListView />)
    await waitFor(() => expect(all(r, '.vol-card')).toHaveLength(2))
    expect(text(q(r, '.vol-card .vol-places'))).toBe('剩余 20 个名额')
    expect(text(q(r, '.vol-card .vol-reward'))).toBe('2 小时 · 20 积分')

    await act(async () => {
      fireEvent.click(all(r, '.category-chip').find((c) => text(c) === '环境整治')!)
    })
    await waitFor(() => expect(all(r, '.vol-card')).toHaveLength(1))
    expect(backend.calls('volunteer.list').at(-1)).toEqual({ pageSize: 20, category: '环境整治' })
    expect(text(q(r, '.vol-places'))).toBe('剩余 1 个名额')
    expect(text(q(r, '.vol-card__mine'))).toBe('已报名')

    await act(async () => {
      fireEvent.click(all(r, '.category-chip').find((c) => text(c) === '全部')!)
    })
    await act(async () => {
      fireEvent.click(all(r, '.phase-chip').find((c) => text(c) === '已满')!)
    })
    await waitFor(() => expect(text(q(r, '.vol-card .ui-card__title'))).toBe('关爱独居老人上门探访'))
    expect(backend.calls('volunteer.list').at(-1)).toEqual({ pageSize: 20, phase: 'full' })
    expect(text(q(r, '.vol-places'))).toBe('名额已满 · 候补 3 人')
    expect(text(q(r, '.vol-card__mine'))).toBe('候补中')

    await act(async () => {
      fireEvent.click(all(r, '.phase-chip').find((c) => text(c) === '全部')!)
    })
    await pick(r, '.vol-date__value', '2026-12-03')
    await waitFor(() => expect(text(q(r, '.vol-date__value'))).toBe('日期：2026年12月3日 周四'))
    await waitFor(() => expect(backend.calls('volunteer.list').at(-1)).toEqual({ pageSize: 20, date: '2026-12-03' }))
    await waitFor(() => expect(text(q(r, '.ui-pw--empty'))).toContain('没有符合条件的活动'))
    await tap(r, '.vol-date__clear')

    await type(r, '.vol-search__input input', ' 养犬 ')
    await tap(r, '.vol-search__btn')
    await waitFor(() => expect(backend.calls('volunteer.list').at(-1)).toEqual({ pageSize: 20, q: '养犬' }))
    await waitFor(() => expect(q(r, '.vol-clear-filters')).not.toBeNull())
    await tap(r, '.vol-clear-filters')
    await waitFor(() => expect(all(r, '.vol-card')).toHaveLength(2))
    expect(backend.calls('volunteer.list').at(-1)).toEqual({ pageSize: 20 })
  })

  it('staff get 新建活动 and 导出工时; a resident only 我的志愿', async () => {
    withBackend({ 'volunteer.list': () => ({ items: [], nextCursor: null }) })
    const r = render(<ActivityListView />)
    await waitFor(() => expect(q(r, '.vol-link--mine')).not.toBeNull())
    expect(q(r, '.vol-link--new')).toBeNull()
    r.unmount()
    withBackend({ 'volunteer.list': () => ({ items: [], nextCursor: null }) }, demoProfile({ openid: 'demo-staff-li', name: '李秀梅', roles: ['resident', 'staff'] }))
    const s = render(<ActivityListView />)
    await waitFor(() => expect(q(s, '.vol-link--new')).not.toBeNull())
    expect(q(s, '.vol-link--export')).not.toBeNull()
  })
})

describe('activity detail', () => {
  it('the first sign-up asks for real name, phone and consent; the server’s field issues show inline; then 候补第 3 位', async () => {
    const profile = demoProfile({ openid: 'demo-res-x', name: null, phoneMasked: null })
    withBackend(
      {
        'volunteer.get': () => detail({ phase: 'full', phaseLabel: '已满', taken: 20, placesLeft: 0, waitlisted: 2 }),
        'volunteer.signUp': (p) =>
          !p.name
            ? fail('INVALID_INPUT', '首次报名请填写真实姓名和手机号', [{ path: 'name', message: '请填写真实姓名' }, { path: 'phone', message: '请填写手机号' }])
            : p.name === '王'
              ? fail('INVALID_INPUT', '填写的内容有误', [{ path: 'name', message: '请填写与身份证一致的姓名' }])
              : detail({ phase: 'full', phaseLabel: '已满', taken: 20, placesLeft: 0, waitlisted: 3, mine: 'waitlisted', signup: { ...confirmed, state: 'waitlisted', stateLabel: '候补中', position: 3 }, can: ['cancel'] }),
      },
      profile,
    )
    const r = render(<ActivityDetailView id='act-clean' />)
    await waitFor(() => expect(text(q(r, '.vol-action--signUp'))).toBe('报名候补'))
    // Known missing (the session has arrived) the sheet opens at once; otherwise the server's answer opens it.
    await tap(r, '.vol-action--signUp')
    await waitFor(() => expect(q(r, '.vol-contact-sheet')).not.toBeNull())
    const withContact = () => backend.calls('volunteer.signUp').filter((p) => 'name' in p)

    // Nothing is sent without consent.
    await type(r, '.vol-contact-name input', '王')
    await type(r, '.vol-contact-phone input', '13900002222')
    await tap(r, '.vol-contact-submit')
    await waitFor(() => expect(text(fieldOf(r, '.vol-consent'))).toContain('请勾选同意'))
    expect(withContact()).toHaveLength(0)

    await tap(r, '.vol-consent')
    await tap(r, '.vol-contact-submit')
    await waitFor(() => expect(text(fieldOf(r, '.vol-contact-name'))).toContain('请填写与身份证一致的姓名'))
    expect(withContact()[0]).toEqual({ id: 'act-clean', name: '王', phone: '13900002222', consent: true })

    await type(r, '.vol-contact-name input', '王小梅')
    await tap(r, '.vol-contact-submit')
    await waitFor(() => expect(text(q(r, '.vol-signup-state'))).toBe('候补第 3 位'))
    expect(q(r, '.vol-contact-sheet')).toBeNull()
    expect(withContact()[1]).toEqual({ id: 'act-clean', name: '王小梅', phone: '13900002222', consent: true })
    expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '名额已满，已加入候补第 3 位' }))
  })

  it('with name and phone on record it signs up at once; if the server still wants them, the sheet opens with its message', async () => {
    withBackend({
      'volunteer.get': () => detail(),
      'volunteer.signUp': (p) => (p.phone ? detail({ taken: 1, placesLeft: 19, mine: 'confirmed', signup: confirmed, can: ['cancel'] }) : fail('INVALID_INPUT', '首次报名请填写真实姓名和手机号', [{ path: 'phone', message: '请填写手机号' }])),
    })
    const r = render(<ActivityDetailView id='act-clean' />)
    await waitFor(() => expect(q(r, '.vol-action--signUp')).not.toBeNull())
    // The session has arrived (the sheet is prefilled with the name on record).
    await waitFor(() => expect(getSession()?.profile?.name).toBe('陈静'))
    await tap(r, '.vol-action--signUp')
    await waitFor(() => expect(text(fieldOf(r, '.vol-contact-phone'))).toContain('请填写手机号'))
    expect(backend.calls('volunteer.signUp')[0]).toEqual({ id: 'act-clean' })
    await waitFor(() => expect((q(r, '.vol-contact-name input') as HTMLInputElement | null)?.value).toBe('陈静'))

    await type(r, '.vol-contact-phone input', '13800001006')
    await tap(r, '.vol-consent')
    await tap(r, '.vol-contact-submit')
    await waitFor(() => expect(text(q(r, '.vol-signup-state'))).toBe('已报名'))
    expect(text(q(r, '.vol-places-row'))).toContain('剩余 19 个名额')
  })

  it('within 2 h of the start the page and the confirmation say a cancellation is recorded', async () => {
    const start = Date.now() + HOUR
    const soon = { startAt: new Date(start).toISOString(), endAt: new Date(start + 2 * HOUR).toISOString(), cancelUntil: new Date(start - 2 * HOUR).toISOString() }
    withBackend({
      'volunteer.get': () => detail({ ...soon, mine: 'confirmed', signup: confirmed, can: ['cancel'] }),
      'volunteer.cancel': () => detail({ ...soon, mine: 'cancelled', signup: { ...confirmed, state: 'cancelled', stateLabel: '已取消', late: true }, can: ['signUp'] }),
    })
    const modal = jest.spyOn(Taro, 'showModal').mockImplementation(() => Promise.resolve({ confirm: true, cancel: false, errMsg: 'showModal:ok' }))
    const r = render(<ActivityDetailView id='act-clean' />)
    await waitFor(() => expect(text(q(r, '.vol-late-warning'))).toContain('开始前 2 小时内取消会被记录'))
    await tap(r, '.vol-action--cancel')
    await waitFor(() => expect(modal).toHaveBeenCalledWith(expect.objectContaining({ content: '开始前 2 小时内取消会被记录，确定取消吗？' })))
    await waitFor(() => expect(text(q(r, '.vol-signup-state'))).toBe('已取消（开始前 2 小时内取消，已记录）'))
    expect(backend.calls('volunteer.cancel')).toEqual([{ id: 'act-clean' }])
    expect(q(r, '.vol-action--signUp')).not.toBeNull()
  })

  it('H5 check-in: the 6-digit code is typed; a wrong one is refused inline', async () => {
    withBackend({
      'volunteer.get': () => detail({ mine: 'confirmed', signup: confirmed, can: ['cancel', 'checkIn'] }),
      'volunteer.check': (p) => (p.code === '123456' ? detail({ mine: 'confirmed', signup: { ...confirmed, checkedInAt: new Date().toISOString() }, can: ['cancel'] }) : fail('INVALID_INPUT', '短码不正确或已过期，请核对组织者手机上的最新短码', [{ path: 'code', message: '短码不正确或已过期' }])),
    })
    const scan = jest.spyOn(Taro, 'scanCode')
    const r = render(<ActivityDetailView id='act-clean' />)
    await waitFor(() => expect(text(q(r, '.vol-action--checkIn'))).toBe('签到'))
    await tap(r, '.vol-action--checkIn')
    await type(r, '.vol-check-code input', '12345')
    await tap(r, '.vol-code-submit')
    await waitFor(() => expect(text(fieldOf(r, '.vol-check-code'))).toContain('短码为 6 位数字'))
    expect(backend.calls('volunteer.check')).toHaveLength(0)
    await type(r, '.vol-check-code input', '654321')
    await tap(r, '.vol-code-submit')
    await waitFor(() => expect(text(fieldOf(r, '.vol-check-code'))).toContain('短码不正确或已过期'))
    await type(r, '.vol-check-code input', '123456')
    await tap(r, '.vol-code-submit')
    await waitFor(() => expect(text(q(r, '.vol-signup-state'))).toBe('已签到'))
    expect(backend.calls('volunteer.check').at(-1)).toEqual({ mode: 'in', activityId: 'act-clean', code: '123456' })
    expect(scan).not.toHaveBeenCalled() // H5 never opens the scanner
  })

  it('staff see the buttons their `can` allows; 取消活动 needs a reason', async () => {
    withBackend(
      {
        'volunteer.get': () => detail({ can: ['edit', 'cancelActivity', 'qr', 'roster'], taken: 4, waitlisted: 1 }),
        'volunteer.cancelActivity': (p) => detail({ phase: 'cancelled', phaseLabel: '已取消', status: 'cancelled', can: ['roster'], version: p.version + 1 }),
      },
      demoProfile({ openid: 'demo-staff-li', name: '李秀梅', roles: ['resident', 'staff'] }),
    )
    const r = render(<ActivityDetailView id='act-clean' />)
    await waitFor(() => expect(q(r, '.vol-staff')).not.toBeNull())
    expect(all(r, '.vol-staff .vol-action').map(text)).toEqual(['编辑活动', '取消活动', '报名名单', '签到二维码'])
    await tap(r, '.vol-action--qr')
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/volunteer/pages/qr/index?id=act-clean' })

    await tap(r, '.vol-action--cancelActivity')
    await waitFor(() => expect(text(q(r, '.vol-cancel-sheet'))).toContain('将通知已报名和候补的 5 人'))
    await tap(r, '.vol-cancel-submit')
    await waitFor(() => expect(text(fieldOf(r, '.vol-cancel-reason'))).toContain('请填写取消原因'))
    await type(r, '.vol-cancel-reason textarea', '天气原因改期')
    await tap(r, '.vol-cancel-submit')
    await waitFor(() => expect(text(q(r, '.vol-phase'))).toBe('已取消'))
    expect(backend.calls('volunteer.cancelActivity')).toEqual([{ id: 'act-clean', version: 1, reason: '天气原因改期' }])
    expect(all(r, '.vol-staff .vol-action').map(text)).toEqual(['报名名单'])
  })
})

describe('staff pages', () => {
  it('the activity form checks the times itself and shows the server’s field issues under each field', async () => {
    withBackend({
      'volunteer.save': () => fail('INVALID_INPUT', '结束时间应晚于开始时间', [{ path: 'endAt', message: '结束时间应晚于开始时间' }]),
    })
    const r = render(<ActivityEditView />)
    await tap(r, '.vol-save')
    await waitFor(() => expect(text(q(r, '.vol-field-start'))).toContain('请选择开始日期和时间'))
    expect(text(q(r, '.vol-field-category'))).toContain('请选择活动类别')
    expect(backend.calls('volunteer.save')).toHaveLength(0)

    await type(r, '.vol-input-title input', '湖畔花园垃圾分类督导')
    await act(async () => {
      fireEvent.click(all(r, '.edit-category-chip').find((c) => text(c) === '环境整治')!)
    })
    await pick(r, '.vol-field-start .vol-pair__item:first-child .ui-picker', '2026-12-05')
    await pick(r, '.vol-field-start .vol-pair__item:last-child .ui-picker', '09:00')
    await pick(r, '.vol-field-end .vol-pair__item:last-child .ui-picker', '08:00')
    await waitFor(() => expect(text(q(r, '.vol-field-end'))).toContain('2026-12-05'))
    // Capacity left empty: the shared schema answers before anything is sent.
    await type(r, '.vol-input-description textarea', '在投放点指导居民分类投放。')
    await type(r, '.vol-input-place input', '湖畔花园南门')
    await type(r, '.vol-input-points input', '30')
    await type(r, '.vol-input-contact input', '李秀梅 13800001002')
    await tap(r, '.vol-save')
    await waitFor(() => expect(text(q(r, '.vol-field-capacity'))).toContain('请填写此项'))
    expect(backend.calls('volunteer.save')).toHaveLength(0)

    await type(r, '.vol-input-capacity input', '30')
    await tap(r, '.vol-save')
    await waitFor(() => expect(text(q(r, '.vol-field-end'))).toContain('结束时间应晚于开始时间'))
    expect(backend.calls('volunteer.save')[0]).toMatchObject({
      title: '湖畔花园垃圾分类督导',
      category: '环境整治',
      startAt: '2026-12-05T01:00:00.000Z',
      endAt: '2026-12-05T00:00:00.000Z',
      capacity: 30,
      points: 30,
    })
    expect(backend.calls('volunteer.save')[0]).not.toHaveProperty('signupDeadline')
  })

  it('the QR page shows the code in large type and asks for a new one when it expires', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] })
    let n = 0
    withBackend({
      'volunteer.get': () => detail(),
      'volunteer.qr': () => {
        n++
        return { token: `LLV1.act-clean.${n}.${'x'.repeat(22)}`, code: n === 1 ? '111111' : '222222', expiresAt: new Date(Date.now() + 10_000).toISOString() }
      },
    })
    const r = render(<QrView id='act-clean' />)
    await waitFor(() => expect(text(q(r, '.vol-short-code'))).toBe('111111'))
    expect(text(q(r, '.vol-head__title'))).toBe('翠园小区楼道清理')
    // Not before it expires…
    await act(async () => {
      jest.advanceTimersByTime(9_000)
    })
    expect(backend.calls('volunteer.qr')).toHaveLength(1)
    // …and right after.
    await act(async () => {
      jest.advanceTimersByTime(2_000)
    })
    await waitFor(() => expect(text(q(r, '.vol-short-code'))).toBe('222222'))
    expect(backend.calls('volunteer.qr')).toHaveLength(2)
  })

  it('the QR page says why before check-in opens', async () => {
    withBackend({ 'volunteer.get': () => detail(), 'volunteer.qr': () => fail('PRECONDITION_FAILED', '签到将在活动开始前 30 分钟开放') })
    const r = render(<QrView id='act-clean' />)
    await waitFor(() => expect(text(q(r, '.ui-pw--error'))).toContain('签到将在活动开始前 30 分钟开放'))
  })

  it('export: the period goes to the server and the .xlsx is downloaded (H5)', async () => {
    withBackend({ 'volunteer.export': () => ({ fileName: '志愿工时积分_2026-11-01_2026-11-30.xlsx', base64: Buffer.from('PK fake').toString('base64'), people: 12, units: 2 }) })
    const url = (URL as unknown as { createObjectURL?: unknown }).createObjectURL
    const created: Blob[] = []
    Object.assign(URL, { createObjectURL: (b: Blob) => (created.push(b), 'blob:xlsx'), revokeObjectURL: () => undefined })
    const clicks: string[] = []
    jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push(this.download)
    })
    try {
      const r = render(<ExportView today='2026-11-30' />)
      expect(text(q(r, '.vol-export-from'))).toContain('2026年11月1日')
      await tap(r, '.vol-export-run')
      await waitFor(() => expect(text(q(r, '.vol-export-done'))).toContain('12 人，2 个报到单位'))
      expect(backend.calls('volunteer.export')).toEqual([{ from: '2026-11-01', to: '2026-11-30' }])
      expect(clicks).toEqual(['志愿工时积分_2026-11-01_2026-11-30.xlsx'])
      expect(created[0].type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      expect(created[0].size).toBe(7)
    } finally {
      Object.assign(URL, { createObjectURL: url })
    }
  })
})

describe('我的志愿 and the certificate', () => {
  const profile = { name: '陈静', communityName: '翠湖社区', partyUnit: null, hours: 3.5, points: 45, activities: 2, recent: [{ title: '翠园小区楼道清理', date: '2026年11月28日', hours: 2 }] }

  it('shows totals, my activities by tab, the points history and the monthly / yearly boards', async () => {
    withBackend({
      'volunteer.profile': () => profile,
      'volunteer.mine': (p) => ({ items: p.when === 'upcoming' ? [summary({ mine: 'confirmed' })] : [summary({ id: 'a-old', title: '旧活动', phase: 'finished', phaseLabel: '已结束', mine: 'confirmed' })], nextCursor: null }),
      'volunteer.ledger': () => ({ items: [{ id: 'l1', kind: 'bonus', label: '奖励积分', points: 5, hours: 0, reason: '协助组织', at: new Date().toISOString() }], nextCursor: null }),
      'volunteer.leaderboard': (p) =>
        p.period === 'month'
          ? { period: '2026-11', items: [{ rank: 1, name: '陈静', points: 45, hours: 3.5 }], me: { rank: 1, points: 45, hours: 3.5 } }
          : { period: '2026', items: [{ rank: 1, name: '李明', points: 900, hours: 80 }], me: { rank: null, points: 90, hours: 3.5 } },
    })
    const r = render(<MyVolunteerView />)
    await waitFor(() => expect(text(q(r, '.vol-total-hours'))).toContain('3.5'))
    expect(text(q(r, '.vol-total-points'))).toContain('45')
    expect(text(q(r, '.vol-total-activities'))).toContain('2')
    await waitFor(() => expect(text(q(r, '.vol-card .ui-card__title'))).toBe('翠园小区楼道清理'))
    expect(backend.calls('volunteer.mine')[0]).toMatchObject({ when: 'upcoming' })

    await tap(r, '.vol-tabs-past')
    await waitFor(() => expect(text(q(r, '.vol-card .ui-card__title'))).toBe('旧活动'))
    await tap(r, '.vol-tabs-ledger')
    await waitFor(() => expect(text(q(r, '.vol-ledger-row'))).toContain('协助组织'))
    expect(text(q(r, '.vol-ledger-row .vol-row__value'))).toBe('+5')
    await tap(r, '.vol-tabs-board')
    await waitFor(() => expect(text(q(r, '.vol-board-row'))).toContain('45 分'))
    expect(text(q(r, '.vol-board-me'))).toBe('我排第 1 名：45 分，3.5 小时')
    await act(async () => {
      fireEvent.click(all(r, '.period-chip').find((c) => text(c) === '本年')!)
    })
    await waitFor(() => expect(text(q(r, '.vol-board-row'))).toContain('900 分'))
    expect(text(q(r, '.vol-board-me'))).toBe('我未进入前 50 名：90 分，3.5 小时')
    expect(backend.calls('volunteer.leaderboard')).toEqual([{ period: 'month' }, { period: 'year' }])

    await tap(r, '.vol-go-certificate')
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/volunteer/pages/certificate/index' })
  })

  it('the certificate page states name, community, hours and activities (jsdom has no canvas: the drawing is checked below)', async () => {
    withBackend({ 'volunteer.profile': () => profile })
    const r = render(<CertificateView />)
    await waitFor(() => expect(text(q(r, '.vol-cert-statement'))).toBe('兹证明 陈静 同志在翠湖社区积极参加志愿服务活动 2 次，累计志愿服务时长 3.5 小时，获得志愿积分 45 分。特发此证，以资鼓励。'))
  })

  it('draws the certificate: title, statement, recent activities, the seal text and today’s date', () => {
    const texts: string[] = []
    const noop = () => undefined
    const ctx = new Proxy({} as Record<string, unknown>, {
      // Chinese characters 14 px wide, others (digits, spaces) 7 px, as at the designed 14-px size.
      get: (_t, prop) => (prop === 'fillText' ? (s: string) => texts.push(s) : prop === 'measureText' ? (s: string) => ({ width: Array.from(s).reduce((w, ch) => w + (/[\u4e00-\u9fff]/.test(ch) ? 14 : 7), 0) }) : noop),
      set: () => true,
    }) as unknown as CanvasRenderingContext2D
    const d: CertificateData = { ...profile, partyUnit: '市自来水有限公司' }
    drawCertificate(ctx, 345, 517, d, new Date('2026-11-30T04:00:00Z'))
    const all = texts.join('')
    expect(texts).toContain('志愿服务证明')
    expect(all).toContain('陈静（市自来水有限公司）')
    expect(all).toContain('累计志愿服务时长 3.5 小时')
    expect(texts).toContain('2026年11月30日')
    expect(texts).toContain('志愿服务专用章')
    expect(texts.filter((t) => '翠湖社区'.includes(t) && t.length === 1)).toEqual(['翠', '湖', '社', '区']) // along the seal's arc
    expect(all).toContain('11月28日  翠园小区楼道清理')
    expect(texts).toContain('2 小时')
  })

  it('cuts a recent activity too long for its line with …', () => {
    const ctx = { measureText: (s: string) => ({ width: Array.from(s).length * 10 }) } as CanvasRenderingContext2D
    expect(ellipsis(ctx, '翠园小区楼道清理', 70)).toBe('翠园小区楼道…')
    expect(ellipsis(ctx, '翠园小区', 80)).toBe('翠园小区')
  })

  it('wraps Chinese text by width without starting a line with punctuation', () => {
    const ctx = { measureText: (s: string) => ({ width: Array.from(s).length * 10 }) } as CanvasRenderingContext2D
    expect(wrapText(ctx, '一二三四五。六七', 50)).toEqual(['一二三四五。', '六七'])
  })

  it('the QR modules: a version the scanner reads, with the three finder squares', () => {
    const m = qrModules('LLV1.act-clean.29687342.abcdefghijklmnopqrstuv')
    expect(m.length).toBeGreaterThanOrEqual(25)
    const n = m.length
    for (const [r0, c0] of [[0, 0], [0, n - 7], [n - 7, 0]]) {
      for (let i = 0; i < 7; i++) {
        expect(m[r0][c0 + i]).toBe(true) // top edge of a finder square
        expect(m[r0 + i][c0]).toBe(true) // left edge
      }
      expect(m[r0 + 1][c0 + 1]).toBe(false) // its white ring
      expect(m[r0 + 3][c0 + 3]).toBe(true) // its centre
    }
  })
})

describe('against the local cloud (fake clock)', () => {
  const P = DEMO.people
  let t: TestCloud
  let who: string = P.volunteer

  beforeEach(async () => {
    // Monday 2026-11-23 10:00 Shanghai; act-clean is Thursday 2026-11-26 09:00–11:00.
    t = await testCloud({ start: '2026-11-23T02:00:00Z' })
    who = P.volunteer
    setSession(null)
    setTransport((fn, event) => t.cloud.call(fn, event, who))
  })
  afterEach(() => t.close())

  it('sign up drops the places left; on the day, the organiser’s current code checks in; the roster shows it and takes an adjustment', async () => {
    const r = render(<ActivityDetailView id='act-clean' />)
    await waitFor(() => expect(text(q(r, '.vol-places-row'))).toContain('剩余 20 个名额'))
    await tap(r, '.vol-action--signUp')
    await waitFor(() => expect(text(q(r, '.vol-signup-state'))).toBe('已报名'))
    expect(text(q(r, '.vol-places-row'))).toContain('剩余 19 个名额')
    r.unmount()

    // 08:45 on the day: check-in is open.
    t.clock.set('2026-11-26T00:45:00Z')
    const { code } = await t.ok(P.staff, 'volunteer', 'qr', { id: 'act-clean' })
    const d = render(<ActivityDetailView id='act-clean' />)
    await waitFor(() => expect(q(d, '.vol-action--checkIn')).not.toBeNull())
    await tap(d, '.vol-action--checkIn')
    await type(d, '.vol-check-code input', code)
    await tap(d, '.vol-code-submit')
    await waitFor(() => expect(text(q(d, '.vol-signup-state'))).toBe('已签到'))
    expect(text(q(d, '.vol-checked-in'))).toContain('11月26日 08:45')
    d.unmount()

    who = P.staff
    setSession(null)
    const roster = render(<RosterView id='act-clean' />)
    const row = () => all(roster, '.vol-person').find((el) => text(el).includes('陈静'))!
    await waitFor(() => expect(text(row())).toContain('签到 08:45 · 签退 —'))
    expect(text(q(roster, '.vol-roster-sum'))).toBe('已报名 1 人，候补 0 人，已签到 1 人')
    await act(async () => {
      fireEvent.click(row().querySelector('.vol-adjust')!)
    })
    await type(roster, '.vol-roster-amount input', '3')
    await type(roster, '.vol-roster-reason textarea', '提前到场布置')
    await tap(roster, '.vol-roster-submit')
    await waitFor(() => expect(text(roster.container.querySelector('.vol-roster-sheet .ui-field'))).toContain('请填写 0–2 之间的小时数'))
    await type(roster, '.vol-roster-amount input', '1.5')
    await tap(roster, '.vol-roster-submit')
    await waitFor(() => expect(text(row())).toContain('工时 1.5 小时'))
    const s = (await t.cloud.db.collection('signups').doc(`act-clean:${P.volunteer}`).get()).data as unknown as { hoursOverride: number; adjustments: Array<{ reason: string }> }
    expect(s.hoursOverride).toBe(1.5)
    expect(s.adjustments.map((x) => x.reason)).toEqual(['提前到场布置'])
  })
})
