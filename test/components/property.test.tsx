/**
 * The property pages (物业服务评价与红黑榜) in jsdom against a scripted backend
 * (test/support/fake-backend.ts): what each page shows of the contract's answers, and what it
 * sends — the rating's payload, the server's field issues under the field they concern, the
 * quarter close's buttons from `can`.
 */
import Taro from '@tarojs/taro'
import { act, render, waitFor, type RenderResult } from '@testing-library/react'
import { fakeBackend, fail, demoProfile, type FakeBackend } from '../support/fake-backend'
import { q, qa, tap, text, typeInto } from '../support/dom'
import { BoardView } from '@/packages/property/pages/board/index'
import { CompanyView } from '@/packages/property/pages/company/index'
import { RateView } from '@/packages/property/pages/rate/index'
import { CloseView } from '@/packages/property/pages/close/index'
import { CompaniesView } from '@/packages/property/pages/companies/index'
import { ViolationsView } from '@/packages/property/pages/violations/index'
import { ComplaintsView } from '@/packages/property/pages/complaints/index'
import { BurstsView } from '@/packages/property/pages/bursts/index'
import { ResultsView } from '@/packages/property/pages/results/index'
import { SettingsView } from '@/packages/property/pages/settings/index'
import { drawTrend, trendLayout } from '@/features/property/chart'
import { correctionLines, recentQuarters, trendSeries, untilText } from '@/features/property/format'
import { PROPERTY_URLS } from '@/features/property/config'
import { FEATURE_ENTRIES } from '@/features/entries'
import type { BoardOutT, BoardRowT, BurstOutT, CloseOutT, CompaniesOutT, CompanyOutT, ComplaintOutT, MyRatingOutT, ResultOutT, ScoreOutT, ViolationOutT } from '@/shared/api/property'
import { DEFAULT_SCORE_SETTINGS, formulaText, type ScoreSettings } from '@/shared/rules/property'

const DIMS = { security: 4.2, cleaning: 4.5, repair: 3.9, greening: 4.1, attitude: 4.3, fees: 3.8 }

function score(over: Partial<ScoreOutT> = {}): ScoreOutT {
  return { n: 24, published: true, dims: DIMS, base: 4.13, deduction: 0, overall: 4.13, list: 'none', listLabel: '未上榜', reason: '综合得分 4.13', complaints: 0, general: 0, serious: 0, ...over }
}

function row(over: Partial<BoardRowT> & { score?: ScoreOutT } = {}): BoardRowT {
  return { companyId: 'pc-anju', name: '安居物业服务有限公司', rank: 1, score: score(), corrected: false, original: null, ...over }
}

const red = row({ companyId: 'pc-anju', name: '安居物业服务有限公司', rank: 1, score: score({ overall: 4.62, list: 'red', listLabel: '红榜', reason: '综合得分 4.62，不低于 4.5 且无严重违规' }) })
const black = row({
  companyId: 'pc-jinhua',
  name: '锦华物业管理有限公司',
  rank: 2,
  corrected: true,
  score: score({ overall: 2.8, list: 'black', listLabel: '黑榜', reason: '综合得分 2.80，低于 3.0', general: 1, deduction: 0.2 }),
  original: score({ overall: 2.7, list: 'black', listLabel: '黑榜' }),
})
const unranked = row({ companyId: 'pc-xin', name: '新城物业', rank: null, score: score({ n: 4, published: false, overall: 3.5, reason: '本季度评价不足 10 条，不公布得分' }) })

function board(over: Partial<BoardOutT> = {}): BoardOutT {
  return {
    communityId: 'c-cuihu',
    communityName: '翠湖社区',
    quarter: '2026Q3',
    quarterLabel: '2026年第三季度',
    publishedAt: '2026-10-12T02:00:00.000Z',
    red: [red],
    black: [black],
    ranking: [red, black],
    unranked: [unranked],
    formula: formulaText(),
    myCompany: { id: 'pc-anju', name: '安居物业服务有限公司' },
    quarters: [
      { quarter: '2026Q3', label: '2026年第三季度' },
      { quarter: '2026Q2', label: '2026年第二季度' },
    ],
    ...over,
  }
}

function company(over: Partial<CompanyOutT> = {}): CompanyOutT {
  const original = score({ overall: 4.12, reason: '综合得分 4.12' })
  return {
    id: 'pc-anju',
    name: '安居物业服务有限公司',
    phone: '0571-88880001',
    communityId: 'c-cuihu',
    estates: ['翠园小区'],
    latest: {
      quarter: '2026Q3',
      quarterLabel: '2026年第三季度',
      score: score({ overall: 4.02, reason: '综合得分 4.02', complaints: 1, deduction: 0.1 }),
      original,
      corrections: [{ at: '2026-10-20T02:00:00.000Z', byName: '李秀梅', reason: '一件投诉经复核属实', score: score({ overall: 4.02, reason: '综合得分 4.02', complaints: 1, deduction: 0.1 }) }],
    },
    current: { quarter: '2026Q4', quarterLabel: '2026年第四季度', n: 3 },
    trend: [
      { quarter: '2026Q1', label: '2026年第一季度', overall: 4.56, dims: DIMS, list: 'red', corrected: false },
      { quarter: '2026Q2', label: '2026年第二季度', overall: null, dims: DIMS, list: 'none', corrected: false },
      { quarter: '2026Q3', label: '2026年第三季度', overall: 4.02, dims: DIMS, list: 'none', corrected: true },
    ],
    violations: [
      { id: 'v1', companyId: 'pc-anju', quarter: '2026Q3', level: 'general', levelLabel: '一般', description: '电梯年检逾期 15 天', photos: [], at: '2026-08-03T02:00:00.000Z', byName: '李秀梅', removed: false },
    ],
    canRate: true,
    ...over,
  }
}

function mine(over: Partial<MyRatingOutT> = {}): MyRatingOutT {
  return {
    quarter: '2026Q4',
    quarterLabel: '2026年第四季度',
    editableUntil: '2026-12-31T16:00:00.000Z', // 2027-01-01 00:00 Shanghai
    company: { id: 'pc-anju', name: '安居物业服务有限公司' },
    rating: null,
    blocked: null,
    ...over,
  }
}

function result(over: Partial<ResultOutT> = {}): ResultOutT {
  return {
    companyId: 'pc-anju',
    companyName: '安居物业服务有限公司',
    communityId: 'c-cuihu',
    communityName: '翠湖社区',
    quarter: '2026Q3',
    quarterLabel: '2026年第三季度',
    state: 'draft',
    stateLabel: '待审核',
    appealUntil: null,
    score: score(),
    original: score(),
    corrections: [],
    appeal: null,
    canAppeal: false,
    ...over,
  }
}

function close(over: Partial<CloseOutT> = {}): CloseOutT {
  return {
    quarter: '2026Q3',
    quarterLabel: '2026年第三季度',
    state: 'draft',
    stateLabel: '待审核',
    version: 3,
    ended: true,
    appealUntil: null,
    publishedAt: null,
    results: [result(), result({ companyId: 'pc-jinhua', companyName: '锦华物业管理有限公司' })],
    can: ['compute', 'openAppeal'],
    waitReason: null,
    quarters: [{ quarter: '2026Q3', label: '2026年第三季度', state: 'draft' }],
    ...over,
  }
}

const RESIDENT = demoProfile()
const STAFF = demoProfile({ openid: 'demo-staff-li', name: '李秀梅', roles: ['resident', 'staff'] })
const CONTACT = demoProfile({ openid: 'demo-pc-anju', name: '安居联系人', roles: ['resident', 'property'] })
const ADMIN = demoProfile({ openid: 'demo-admin-wang', name: '王建国', roles: ['resident', 'admin'] })

let backend: FakeBackend
function withBackend(handlers: Parameters<typeof fakeBackend>[0], profile = RESIDENT) {
  backend = fakeBackend({ 'user.me': () => ({ openid: profile.openid, profile }), ...handlers })
  return backend
}

/** Chooses option `index` of the Taro selector picker around `selector`. */
async function pick(r: RenderResult, selector: string, index: number) {
  await act(async () => {
    q(r, selector)!.closest('taro-picker-core')!.dispatchEvent(new CustomEvent('change', { detail: { value: index } }))
  })
}

const fieldOf = (r: RenderResult, s: string) => q(r, s)?.closest('.ui-field') ?? null

beforeEach(() => {
  jest.spyOn(Taro, 'showToast').mockImplementation(() => Promise.resolve({ errMsg: 'showToast:ok' }))
  jest.spyOn(Taro, 'navigateTo').mockImplementation(() => Promise.resolve({ errMsg: 'navigateTo:ok' }))
  jest.spyOn(Taro, 'redirectTo').mockImplementation(() => Promise.resolve({ errMsg: 'redirectTo:ok' }))
  jest.spyOn(Taro, 'navigateBack').mockImplementation(() => Promise.resolve({ errMsg: 'navigateBack:ok' }))
})
afterEach(() => jest.restoreAllMocks())

describe('红黑榜 (board)', () => {
  it('the home tile opens the board instead of saying 即将开放', () => {
    expect(FEATURE_ENTRIES.find((e) => e.key === 'property')?.url).toBe(PROPERTY_URLS.board)
  })

  it('shows 红榜, 黑榜, the ranking and the unranked with scores, ranks and 更正; the formula; 评价我家物业', async () => {
    withBackend({ 'property.board': () => board() })
    const r = render(<BoardView />)
    await waitFor(() => expect(text(q(r, '.pm-quarter'))).toBe('2026年第三季度 · 2026年10月12日 公布'))
    expect(text(q(r, '.pm-head__title'))).toContain('翠湖社区')

    // 红榜 first.
    expect(qa(r, '.pm-board-row')).toHaveLength(1)
    expect(text(q(r, '.pm-board-row .pm-row__title'))).toBe('安居物业服务有限公司')
    expect(text(q(r, '.pm-board-row .pm-row__score'))).toBe('4.62')
    expect(text(q(r, '.pm-board-row .pm-rank'))).toBe('1')

    await tap(r, '.pm-tab--black')
    await waitFor(() => expect(text(q(r, '.pm-board-row .pm-row__title'))).toBe('锦华物业管理有限公司'))
    expect(text(q(r, '.pm-board-row .pm-row__score'))).toBe('2.80')
    expect(text(q(r, '.pm-board-row .pm-corrected-tag'))).toBe('更正')

    await tap(r, '.pm-tab--ranking')
    await waitFor(() => expect(qa(r, '.pm-board-row')).toHaveLength(2))
    expect(qa(r, '.pm-board-row .pm-list-tag').map(text)).toEqual(['红榜', '黑榜'])
    expect(qa(r, '.pm-board-row .pm-rank').map(text)).toEqual(['1', '2'])

    await tap(r, '.pm-tab--unranked')
    await waitFor(() => expect(text(q(r, '.pm-board-row .pm-row__score'))).toBe('评价不足'))
    expect(text(q(r, '.pm-board-row .pm-rank'))).toBe('—')

    await tap(r, '.pm-board-row')
    expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: PROPERTY_URLS.company('pc-xin') })

    expect(qa(r, '.pm-formula__line').map(text)).toEqual(formulaText())

    await tap(r, '.pm-rate-mine')
    expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: PROPERTY_URLS.rate })
    // A resident sees no staff links.
    expect(q(r, '.pm-link--close')).toBeNull()
    expect(q(r, '.pm-link--results')).toBeNull()
  })

  it('before any quarter is published: 尚未公布季度结果, still the formula and the rate button', async () => {
    withBackend({ 'property.board': () => board({ quarter: null, quarterLabel: null, publishedAt: null, red: [], black: [], ranking: [], unranked: [], quarters: [] }) })
    const r = render(<BoardView />)
    await waitFor(() => expect(text(q(r, '.pm-no-quarter'))).toContain('尚未公布季度结果'))
    expect(q(r, '.pm-tabs')).toBeNull()
    expect(qa(r, '.pm-formula__line')).toHaveLength(formulaText().length)
    expect(q(r, '.pm-rate-mine')).not.toBeNull()
  })

  it('looks back at a past quarter through the picker (信用档案)', async () => {
    withBackend({ 'property.board': (p) => (p.quarter === '2026Q2' ? board({ quarter: '2026Q2', quarterLabel: '2026年第二季度', red: [], black: [black] }) : board()) })
    const r = render(<BoardView />)
    await waitFor(() => expect(q(r, '.pm-quarter-value')).not.toBeNull())
    await pick(r, '.pm-quarter-value', 1)
    await waitFor(() => expect(text(q(r, '.pm-quarter'))).toContain('2026年第二季度'))
    expect(backend.calls('property.board')).toEqual([{}, { quarter: '2026Q2' }])
    // No 红榜 that quarter: the first list with companies is shown; 红榜 says it is empty.
    expect(q(r, '.pm-tab--black.pm-tab--on')).not.toBeNull()
    expect(text(q(r, '.pm-board-row .pm-row__title'))).toBe('锦华物业管理有限公司')
    await tap(r, '.pm-tab--red')
    await waitFor(() => expect(text(q(r, '.pm-list-red'))).toContain('本季度没有物业公司上红榜'))
  })

  it('staff get 季度评定, 物业公司管理, 投诉认定, 集中评价核查; a company contact gets its results', async () => {
    withBackend({ 'property.board': () => board({ myCompany: null }) }, STAFF)
    const s = render(<BoardView />)
    await waitFor(() => expect(q(s, '.pm-link--close')).not.toBeNull())
    expect(qa(s, '.pm-link .pm-link__title').map(text)).toEqual(['季度评定', '物业公司管理', '投诉认定', '集中评价核查'])
    expect(q(s, '.pm-rate-mine')).toBeNull()
    s.unmount()

    withBackend({ 'property.board': () => board({ myCompany: null }) }, CONTACT)
    const c = render(<BoardView />)
    await waitFor(() => expect(q(c, '.pm-link--results')).not.toBeNull())
    expect(text(q(c, '.pm-link--results .pm-link__title'))).toBe('本公司评定结果与申诉')
    expect(q(c, '.pm-link--close')).toBeNull()
  })
})

describe('评价物业 (rate)', () => {
  const choose = async (r: RenderResult, stars: Record<string, number>) => {
    for (const [d, n] of Object.entries(stars)) await tap(r, `.pm-stars--${d} .pm-star-${n}`)
  }

  it('nothing is sent until all six are chosen; then the payload has the stars and the comment; the toast and back to the company', async () => {
    withBackend({ 'property.mine': () => mine(), 'property.rate': (p) => mine({ rating: { stars: p.stars, comment: p.comment || null, byName: '孙丽', updatedAt: new Date().toISOString(), excluded: false } }) })
    const r = render(<RateView />)
    await waitFor(() => expect(text(q(r, '.pm-rate-company'))).toBe('安居物业服务有限公司'))
    expect(text(q(r, '.pm-rate-note'))).toBe('每户每季度评价一次，2026年12月31日 24:00 前可以修改。')
    // Each star is a labelled button.
    expect(q(r, '.pm-stars--security .pm-star-4')!.getAttribute('aria-label')).toBe('安保 4 星')

    await choose(r, { security: 4, cleaning: 5, repair: 3 })
    expect(text(q(r, '.pm-stars--security .pm-stars__word'))).toBe('4 星 · 满意')
    expect(qa(r, '.pm-stars--security .pm-star--on')).toHaveLength(4)
    expect(text(q(r, '.pm-rate-submit'))).toContain('还有 3 项未选')
    await tap(r, '.pm-rate-submit')
    await waitFor(() => expect(text(q(r, '.pm-stars--greening .pm-stars__error'))).toBe('请为这一项选择 1–5 星'))
    expect(q(r, '.pm-stars--security .pm-stars__error')).toBeNull()
    expect(backend.calls('property.rate')).toHaveLength(0)

    await choose(r, { greening: 4, attitude: 2, fees: 1 })
    await typeInto(r, '.pm-rate-comment textarea', ' 保洁很及时 ')
    await tap(r, '.pm-rate-submit')
    await waitFor(() => expect(backend.calls('property.rate')).toHaveLength(1))
    expect(backend.calls('property.rate')[0]).toEqual({
      companyId: 'pc-anju',
      stars: { security: 4, cleaning: 5, repair: 3, greening: 4, attitude: 2, fees: 1 },
      comment: '保洁很及时',
    })
    await waitFor(() => expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '评价已提交' })))
    expect(Taro.redirectTo).toHaveBeenCalledWith({ url: PROPERTY_URLS.company('pc-anju') })
  })

  it('prefills my household’s rating and says until when it can change; the server’s field issues show under their field', async () => {
    const stars = { security: 4, cleaning: 4, repair: 4, greening: 4, attitude: 4, fees: 4 }
    withBackend({
      'property.mine': () => mine({ rating: { stars, comment: '还行', byName: '孙丽', updatedAt: '2026-11-02T02:00:00.000Z', excluded: false } }),
      'property.rate': () =>
        fail('INVALID_INPUT', '填写的内容有误', [
          { path: 'stars.repair', message: '最多 5 星' },
          { path: 'comment', message: '评语含有不宜公开的内容，请修改' },
        ]),
    })
    const r = render(<RateView />)
    await waitFor(() => expect(text(q(r, '.pm-rate-note'))).toBe('本季度已评价，可在 2026年12月31日 24:00 前修改。'))
    expect(qa(r, '.pm-stars--repair .pm-star--on')).toHaveLength(4)
    await waitFor(() => expect((q(r, '.pm-rate-comment textarea') as HTMLTextAreaElement | null)?.value).toBe('还行'))
    expect(text(q(r, '.pm-rate-submit'))).toBe('保存修改')

    await tap(r, '.pm-stars--repair .pm-star-2')
    await tap(r, '.pm-rate-submit')
    await waitFor(() => expect(text(q(r, '.pm-stars--repair .pm-stars__error'))).toBe('最多 5 星'))
    expect(text(fieldOf(r, '.pm-rate-comment'))).toContain('评语含有不宜公开的内容，请修改')
    expect(backend.calls('property.rate')[0].stars).toEqual({ ...stars, repair: 2 })
    expect(Taro.redirectTo).not.toHaveBeenCalled()
    // Changing the field clears its message.
    await tap(r, '.pm-stars--repair .pm-star-3')
    expect(q(r, '.pm-stars--repair .pm-stars__error')).toBeNull()
  })

  it('a blocked household sees why instead of the form, and an unverified one the way to verify', async () => {
    withBackend({ 'property.mine': () => mine({ blocked: '住址认证后才能评价物业，请联系网格员认证或填写邀请码' }) }, demoProfile({ verified: false }))
    const r = render(<RateView />)
    await waitFor(() => expect(text(q(r, '.pm-blocked'))).toContain('住址认证后才能评价物业'))
    expect(q(r, '.pm-star')).toBeNull()
    expect(q(r, '.pm-rate-submit')).toBeNull()
    await waitFor(() => expect(text(q(r, '.pm-go-onboarding'))).toBe('填写邀请码认证住址'))
    await tap(r, '.pm-go-onboarding')
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/onboarding/pages/index/index' })
  })
})

describe('物业公司 (company)', () => {
  it('shows the score with its correction beside the original, the dimensions, the trend as text, violations and 评价', async () => {
    withBackend({ 'property.company': () => company(), 'property.comments': () => ({ items: [{ id: 'r1', text: '保安很负责', quarterLabel: '2026年第三季度', estate: '翠园小区', at: '2026-09-01T02:00:00.000Z', stars: 4 }], nextCursor: null }) })
    const r = render(<CompanyView id='pc-anju' />)
    await waitFor(() => expect(text(q(r, '.pm-company-name'))).toBe('安居物业服务有限公司'))
    expect(text(q(r, '.pm-latest .pm-overall'))).toBe('4.02')
    expect(text(q(r, '.pm-latest .pm-list-tag'))).toBe('未上榜')
    expect(text(q(r, '.pm-correction'))).toBe('已更正：原 4.12 → 现 4.02，原因：一件投诉经复核属实（李秀梅，2026年10月20日）')
    expect(text(q(r, '.pm-deduction'))).toBe('扣分：属实投诉 1 件（扣 0.10 分）')
    expect(qa(r, '.pm-dim')).toHaveLength(6)
    expect(text(q(r, '.pm-dim--security'))).toContain('安保')
    expect(text(q(r, '.pm-dim--security .pm-dim__value'))).toBe('4.20')
    expect(text(q(r, '.pm-current'))).toContain('本季度（2026年第四季度）已有 3 户评价')
    expect(text(q(r, '.pm-estates'))).toBe('服务小区：翠园小区')

    // The chart's text alternative: every published quarter, a gap said as 评价不足.
    expect(q(r, '.pm-trend__canvas')).not.toBeNull()
    expect(qa(r, '.pm-trend__item').map(text)).toEqual(['2026年第一季度 4.56 · 红榜', '2026年第二季度 评价不足', '2026年第三季度 4.02（已更正）'])
    await tap(r, '.trend-chip-1') // 安保
    await waitFor(() => expect(text(q(r, '.pm-trend__item'))).toBe('2026年第一季度 4.20'))

    expect(text(q(r, '.pm-violation'))).toContain('一般违规')
    expect(text(q(r, '.pm-violation'))).toContain('电梯年检逾期 15 天')
    await waitFor(() => expect(text(q(r, '.pm-comment__text'))).toBe('保安很负责'))
    expect(backend.calls('property.comments')[0]).toEqual({ id: 'pc-anju', pageSize: 20 })
    expect(q(r, '.pm-hide-comment')).toBeNull() // residents cannot hide comments

    await tap(r, '.pm-rate')
    expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: PROPERTY_URLS.rate })
  })

  it('without a published quarter it says so; no 评价 button when the household cannot rate', async () => {
    withBackend({ 'property.company': () => company({ latest: null, trend: [], violations: [], canRate: false }), 'property.comments': () => ({ items: [], nextCursor: null }) })
    const r = render(<CompanyView id='pc-anju' />)
    await waitFor(() => expect(text(q(r, '.pm-no-latest'))).toBe('尚未公布评定结果'))
    expect(text(q(r, '.pm-trend-empty'))).toContain('还没有公布过季度结果')
    expect(q(r, '.pm-rate')).toBeNull()
    await waitFor(() => expect(text(q(r, '.pm-comments'))).toContain('还没有居民评语'))
  })
})

describe('季度评定 (close)', () => {
  it('shows the buttons `can` allows: 计算 and 开始申诉期 with the version; then 公布 after a confirmation, or why it must wait', async () => {
    const modal = jest.spyOn(Taro, 'showModal').mockImplementation(() => Promise.resolve({ confirm: true, cancel: false, errMsg: 'showModal:ok' }))
    withBackend(
      {
        'property.close': () => close(),
        'property.openAppeal': (p) => close({ version: p.version + 1, state: 'appeal', stateLabel: '申诉期', appealUntil: '2026-10-12T16:00:00.000Z', can: ['publish'], waitReason: null }),
        'property.publish': (p) => close({ version: p.version + 1, state: 'published', stateLabel: '已公布', publishedAt: '2026-10-13T02:00:00.000Z', can: ['correct'] }),
      },
      STAFF,
    )
    const r = render(<CloseView />)
    await waitFor(() => expect(text(q(r, '.pm-close-state'))).toBe('待审核'))
    expect(text(q(r, '.pm-compute'))).toBe('重新计算')
    expect(q(r, '.pm-open-appeal')).not.toBeNull()
    expect(q(r, '.pm-publish')).toBeNull()
    expect(q(r, '.pm-correct')).toBeNull()
    expect(qa(r, '.pm-result')).toHaveLength(2)

    await tap(r, '.pm-open-appeal')
    await waitFor(() => expect(text(q(r, '.pm-close-state'))).toBe('申诉期'))
    expect(backend.calls('property.openAppeal')).toEqual([{ quarter: '2026Q3', version: 3 }])
    expect(q(r, '.pm-open-appeal')).toBeNull()

    await tap(r, '.pm-publish')
    await waitFor(() => expect(text(q(r, '.pm-close-state'))).toBe('已公布'))
    expect(modal).toHaveBeenLastCalledWith(expect.objectContaining({ content: expect.stringContaining('公布后不可修改') }))
    expect(backend.calls('property.publish')).toEqual([{ quarter: '2026Q3', version: 4 }])
    expect(qa(r, '.pm-correct')).toHaveLength(2)
    // WeChat (and Taro H5) refuse a confirm button longer than 4 characters: the dialog would never show.
    for (const [opts] of modal.mock.calls) expect(String(opts?.confirmText ?? '').length).toBeLessThanOrEqual(4)
  })

  it('before the window closes: no 公布, the wait reason; a pending appeal is decided with a reason', async () => {
    const pending = { text: '两件投诉已整改，申请复核', photos: [], byName: '安居联系人', at: '2026-10-05T02:00:00.000Z', state: 'pending' as const, stateLabel: '待处理', decision: null, decidedAt: null }
    withBackend(
      {
        'property.close': () => close({ state: 'appeal', stateLabel: '申诉期', can: [], waitReason: '申诉期至 10月12日 24:00，期满后才能公布', results: [result({ state: 'appeal', stateLabel: '申诉期', appeal: pending })] }),
        'property.decideAppeal': (p) =>
          close({ state: 'appeal', stateLabel: '申诉期', can: [], waitReason: null, results: [result({ state: 'appeal', stateLabel: '申诉期', appeal: { ...pending, state: 'rejected', stateLabel: '未采纳', decision: p.reason, decidedAt: new Date().toISOString() } })] }),
      },
      STAFF,
    )
    const r = render(<CloseView />)
    await waitFor(() => expect(text(q(r, '.pm-wait-reason'))).toBe('申诉期至 10月12日 24:00，期满后才能公布'))
    expect(q(r, '.pm-publish')).toBeNull()
    expect(q(r, '.pm-compute')).toBeNull()
    expect(text(q(r, '.pm-appeal__text'))).toBe('两件投诉已整改，申请复核')

    await tap(r, '.pm-appeal-reject')
    await tap(r, '.pm-decide-submit')
    await waitFor(() => expect(text(q(r, '.pm-decide-sheet'))).toContain('请填写处理理由'))
    expect(backend.calls('property.decideAppeal')).toHaveLength(0)
    await typeInto(r, '.pm-decide-reason textarea', '投诉属实，证据充分')
    await tap(r, '.pm-decide-submit')
    await waitFor(() => expect(q(r, '.pm-decide-sheet')).toBeNull())
    expect(backend.calls('property.decideAppeal')).toEqual([{ quarter: '2026Q3', companyId: 'pc-anju', accept: false, reason: '投诉属实，证据充分' }])
    expect(text(q(r, '.pm-appeal__decision'))).toContain('未采纳：投诉属实，证据充分')
    expect(q(r, '.pm-appeal-reject')).toBeNull()
  })
})

describe('staff pages', () => {
  const companies = (over: Partial<CompaniesOutT> = {}): CompaniesOutT => ({
    companies: [
      { id: 'pc-anju', name: '安居物业服务有限公司', phone: '0571-88880001', version: 1, estates: [{ id: 'e-cuiyuan', name: '翠园小区' }], contacts: [{ openid: 'demo-pc-anju', name: '钱国平' }] },
      { id: 'pc-jinhua', name: '锦华物业管理有限公司', phone: null, version: 2, estates: [{ id: 'e-hupan', name: '湖畔花园' }], contacts: [] },
    ],
    estates: [
      { id: 'e-cuiyuan', name: '翠园小区', companyId: 'pc-anju' },
      { id: 'e-hupan', name: '湖畔花园', companyId: 'pc-jinhua' },
    ],
    ...over,
  })

  it('物业公司管理: a bad phone never leaves the phone; a new company is sent with a request id, kept on a retry; an estate is reassigned; a contact added by phone', async () => {
    let attempts = 0
    withBackend(
      {
        'property.companies': () => companies(),
        'property.saveCompany': (p) => (++attempts === 1 ? fail('INTERNAL', '网络不太好，请检查网络后重试') : companies({ companies: [...companies().companies, { id: 'pc-new', name: p.name, phone: p.phone, version: 1, estates: [], contacts: [] }] })),
        'property.assignEstate': (p) => companies({ estates: [{ id: 'e-cuiyuan', name: '翠园小区', companyId: p.companyId }, companies().estates[1]] }),
        'property.setContact': () => fail('NOT_FOUND', '没有找到用这个手机号登记的人'),
      },
      STAFF,
    )
    const r = render(<CompaniesView />)
    await waitFor(() => expect(qa(r, '.pm-company-card')).toHaveLength(2))
    expect(text(q(r, '.pm-company-card--pc-anju'))).toContain('钱国平')

    await tap(r, '.pm-add-company')
    await typeInto(r, '.pm-company-name-input input', '新城物业')
    await typeInto(r, '.pm-company-phone-input input', 'abc')
    await tap(r, '.pm-company-submit')
    // The shared schema refuses it before anything is sent; the message is under the field.
    await waitFor(() => expect(text(fieldOf(r, '.pm-company-phone-input'))).toContain('请填写正确的电话号码'))
    expect(backend.calls('property.saveCompany')).toHaveLength(0)
    await typeInto(r, '.pm-company-phone-input input', '0571-88880003')
    await tap(r, '.pm-company-submit')
    await waitFor(() => expect(text(q(r, '.pm-company-sheet'))).toContain('网络不太好'))
    await tap(r, '.pm-company-submit')
    await waitFor(() => expect(qa(r, '.pm-company-card')).toHaveLength(3))
    const saves = backend.all.filter((c) => c.key === 'property.saveCompany')
    expect(saves.map((c) => c.payload)).toEqual([
      { name: '新城物业', phone: '0571-88880003' },
      { name: '新城物业', phone: '0571-88880003' },
    ])
    expect(saves[0].requestId).toBeTruthy()
    expect(saves[1].requestId).toBe(saves[0].requestId)

    await pick(r, '.pm-estate--e-cuiyuan .pm-estate-company', 2) // 锦华 (0 is 未指定)
    await waitFor(() => expect(backend.calls('property.assignEstate')).toEqual([{ estateId: 'e-cuiyuan', companyId: 'pc-jinhua' }]))
    await waitFor(() => expect(text(q(r, '.pm-estate--e-cuiyuan .pm-estate-company'))).toContain('锦华物业管理有限公司'))

    await tap(r, '.pm-company-card--pc-jinhua .pm-add-contact')
    await typeInto(r, '.pm-contact-phone input', '13800001009')
    await tap(r, '.pm-contact-submit')
    await waitFor(() => expect(text(q(r, '.pm-contact-sheet'))).toContain('没有找到用这个手机号登记的人'))
    expect(backend.calls('property.setContact')).toEqual([{ companyId: 'pc-jinhua', phone: '13800001009', on: true }])
  })

  it('违规记录: record one (level, description; current quarter by default) with a request id; a published quarter’s cannot be withdrawn', async () => {
    const v = (over: Partial<ViolationOutT>): ViolationOutT => ({ id: 'v1', companyId: 'pc-jinhua', quarter: '2026Q3', level: 'general', levelLabel: '一般', description: '消防通道堆放杂物', photos: [], at: '2026-08-03T02:00:00.000Z', byName: '李秀梅', removed: false, ...over })
    withBackend(
      {
        'property.violations': () => ({ items: [v({})] }),
        'property.company': () => company({ id: 'pc-jinhua', name: '锦华物业管理有限公司' }),
        'property.close': () => close({ quarters: [{ quarter: '2026Q3', label: '2026年第三季度', state: 'published' }] }),
        'property.recordViolation': (p) => v({ id: 'v2', quarter: '2026Q4', level: p.level, levelLabel: p.level === 'serious' ? '严重' : '一般', description: p.description }),
        'property.removeViolation': (p) => v({ id: p.id, quarter: '2026Q4', level: 'serious', levelLabel: '严重', description: '电梯停运 3 天', removed: true }),
      },
      STAFF,
    )
    const r = render(<ViolationsView companyId='pc-jinhua' now={new Date('2026-11-23T02:00:00Z')} />)
    await waitFor(() => expect(text(q(r, '.pm-head__title'))).toBe('锦华物业管理有限公司'))
    expect(q(r, '.pm-remove-violation')).toBeNull() // 2026Q3 is published
    expect(text(q(r, '.pm-violation-published'))).toContain('季度评定')

    await tap(r, '.pm-record-violation')
    await tap(r, '.pm-violation-submit')
    await waitFor(() => expect(text(q(r, '.pm-violation-sheet'))).toContain('请选择违规等级'))
    expect(text(q(r, '.pm-violation-quarter'))).toContain('2026年第四季度（本季度）')
    await tap(r, '.level-chip-1')
    await typeInto(r, '.pm-violation-description textarea', '电梯停运 3 天')
    await tap(r, '.pm-violation-submit')
    await waitFor(() => expect(qa(r, '.pm-violation-card')).toHaveLength(2))
    const [call] = backend.all.filter((c) => c.key === 'property.recordViolation')
    expect(call.payload).toEqual({ companyId: 'pc-jinhua', level: 'serious', description: '电梯停运 3 天', photos: [] })
    expect(call.requestId).toBeTruthy()

    await tap(r, '.pm-remove-violation')
    await typeInto(r, '.pm-remove-reason textarea', '记错了公司')
    await tap(r, '.pm-remove-submit')
    await waitFor(() => expect(q(r, '.pm-removed-tag')).not.toBeNull())
    expect(backend.calls('property.removeViolation')).toEqual([{ id: 'v2', reason: '记错了公司' }])
  })

  it('投诉认定: 属实 against the suggested company with a note', async () => {
    const item: ComplaintOutT = { caseId: 'case-1', kind: 'message', summary: '垃圾清运不及时', place: '湖畔花园 1号楼', closedAt: '2026-11-02T02:00:00.000Z', suggestedCompanyId: 'pc-jinhua', mark: null }
    withBackend(
      {
        'property.complaints': () => ({ items: [item], nextCursor: null }),
        'property.companies': () => companies(),
        'property.markComplaint': (p) => ({ ...item, mark: { companyId: p.companyId, companyName: '锦华物业管理有限公司', quarter: '2026Q4', substantiated: p.substantiated, note: p.note || null, byName: '李秀梅' } }),
      },
      STAFF,
    )
    const r = render(<ComplaintsView />)
    await waitFor(() => expect(text(q(r, '.pm-complaint'))).toContain('垃圾清运不及时'))
    expect(text(q(r, '.pm-unmarked'))).toBe('尚未认定')
    await tap(r, '.pm-mark-true')
    await waitFor(() => expect(text(q(r, '.pm-mark-company'))).toContain('锦华物业管理有限公司'))
    await typeInto(r, '.pm-mark-reason textarea', '现场核实属实')
    await tap(r, '.pm-mark-submit')
    await waitFor(() => expect(text(q(r, '.pm-mark'))).toContain('属实'))
    expect(backend.calls('property.markComplaint')).toEqual([{ caseId: 'case-1', companyId: 'pc-jinhua', substantiated: true, note: '现场核实属实' }])
    expect(text(q(r, '.pm-mark'))).toContain('2026年第四季度')
  })

  it('集中评价核查: the flagged list; 剔除 needs a reason; the status chips reload the list', async () => {
    const b: BurstOutT = { id: 'b1', companyId: 'pc-anju', companyName: '安居物业服务有限公司', quarter: '2026Q4', hourText: '11月20日 20:00–21:00', count: 26, status: 'flagged', statusLabel: '待核查', reason: null }
    withBackend(
      {
        'property.bursts': (p) => ({ items: p.status === 'flagged' ? [b] : [], nextCursor: null }),
        'property.reviewBurst': (p) => ({ ...b, status: p.exclude ? 'excluded' : 'dismissed', statusLabel: p.exclude ? '已剔除' : '已保留', reason: p.reason }),
      },
      STAFF,
    )
    const r = render(<BurstsView />)
    await waitFor(() => expect(text(q(r, '.pm-burst'))).toContain('11月20日 20:00–21:00 共 26 条评价'))
    await tap(r, '.pm-burst-exclude')
    await tap(r, '.pm-burst-submit')
    await waitFor(() => expect(text(q(r, '.pm-burst-sheet'))).toContain('请填写核查结论'))
    await typeInto(r, '.pm-burst-reason textarea', '评语雷同，疑似刷分')
    await tap(r, '.pm-burst-submit')
    await waitFor(() => expect(text(q(r, '.pm-burst__status'))).toBe('已剔除'))
    expect(backend.calls('property.reviewBurst')).toEqual([{ id: 'b1', exclude: true, reason: '评语雷同，疑似刷分' }])
    expect(q(r, '.pm-burst-exclude')).toBeNull()

    await tap(r, '.burst-status-chip-1')
    await waitFor(() => expect(backend.calls('property.bursts').at(-1)).toEqual({ status: 'excluded', pageSize: 20 }))
    await waitFor(() => expect(text(q(r, '.ui-pw--empty'))).toContain('暂无记录'))
  })

  it('本公司评定结果: the contact appeals within the window; the appeal shows with its state', async () => {
    const inAppeal = result({ state: 'appeal', stateLabel: '申诉期', appealUntil: '2026-10-12T16:00:00.000Z', canAppeal: true })
    withBackend(
      {
        'property.results': () => ({ company: { id: 'pc-anju', name: '安居物业服务有限公司' }, items: [inAppeal, result({ quarter: '2026Q2', quarterLabel: '2026年第二季度', state: 'published', stateLabel: '已公布' })] }),
        'property.appeal': (p) => ({ ...inAppeal, canAppeal: false, appeal: { text: p.text, photos: [], byName: '钱国平', at: '2026-10-06T02:00:00.000Z', state: 'pending', stateLabel: '待处理', decision: null, decidedAt: null } }),
      },
      CONTACT,
    )
    const r = render(<ResultsView />)
    await waitFor(() => expect(qa(r, '.pm-result')).toHaveLength(2))
    expect(text(q(r, '.pm-appeal-until'))).toBe('申诉截止：2026年10月13日 00:00')
    expect(qa(r, '.pm-appeal-open')).toHaveLength(1)
    await tap(r, '.pm-appeal-open')
    await tap(r, '.pm-appeal-submit')
    await waitFor(() => expect(text(q(r, '.pm-appeal-sheet'))).toContain('请写明申诉理由'))
    await typeInto(r, '.pm-appeal-text textarea', '一件投诉已在办结前整改')
    await tap(r, '.pm-appeal-submit')
    await waitFor(() => expect(text(q(r, '.pm-appeal__text'))).toBe('一件投诉已在办结前整改'))
    expect(backend.calls('property.appeal')).toEqual([{ communityId: 'c-cuihu', quarter: '2026Q3', text: '一件投诉已在办结前整改', photos: [] }])
    expect(text(q(r, '.pm-appeal-state'))).toBe('待处理')
    expect(q(r, '.pm-appeal-open')).toBeNull()
  })
})

describe('计分标准设置 (settings)', () => {
  const settings = (s: ScoreSettings = DEFAULT_SCORE_SETTINGS) => ({ ...s, formula: formulaText(s) })
  const input = (r: RenderResult, key: string) => q(r, `.pm-set-input-${key} input`) as HTMLInputElement | null

  it('loads the values; 保存 sends the numbers; the formula and the form follow the answer; the toast', async () => {
    withBackend(
      {
        'property.settings': () => settings({ complaint: 0.1, general: 0.2, serious: 0.5, burstPerHour: 20 }),
        'property.saveSettings': (p) => settings(p),
      },
      ADMIN,
    )
    const r = render(<SettingsView />)
    await waitFor(() => expect(input(r, 'burstPerHour')?.value).toBe('20'))
    expect([input(r, 'complaint')?.value, input(r, 'general')?.value, input(r, 'serious')?.value]).toEqual(['0.1', '0.2', '0.5'])
    expect(text(fieldOf(r, '.pm-set-input-burstPerHour'))).toContain('集中评价阈值（每小时同一公司新增评价数）')
    expect(text(q(r, '.pm-settings-title'))).toBe('翠湖社区 物业计分标准')
    expect(qa(r, '.pm-formula__line').map(text)).toEqual(formulaText())

    await typeInto(r, '.pm-set-input-complaint input', '0.15')
    await typeInto(r, '.pm-set-input-serious input', '1')
    await typeInto(r, '.pm-set-input-burstPerHour input', '30')
    await tap(r, '.pm-settings-save')
    await waitFor(() => expect(backend.calls('property.saveSettings')).toHaveLength(1))
    expect(backend.calls('property.saveSettings')[0]).toEqual({ complaint: 0.15, general: 0.2, serious: 1, burstPerHour: 30 })
    const saved = { complaint: 0.15, general: 0.2, serious: 1, burstPerHour: 30 }
    await waitFor(() => expect(qa(r, '.pm-formula__line').map(text)).toEqual(formulaText(saved)))
    expect(text(q(r, '.pm-settings-formula'))).toContain('每件属实的物业投诉扣 0.15 分')
    expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已保存', icon: 'success' }))
    expect(input(r, 'serious')?.value).toBe('1')
  })

  it('the server’s field issue shows under its field; more than two decimals never leave the phone', async () => {
    withBackend(
      {
        'property.settings': () => settings(),
        'property.saveSettings': () => fail('INVALID_INPUT', '填写的内容有误', [{ path: 'burstPerHour', message: '不能大于 1000' }]),
      },
      ADMIN,
    )
    const r = render(<SettingsView />)
    await waitFor(() => expect(input(r, 'general')?.value).toBe('0.2'))
    await typeInto(r, '.pm-set-input-general input', '0.125')
    await tap(r, '.pm-settings-save')
    await waitFor(() => expect(text(fieldOf(r, '.pm-set-input-general'))).toContain('最多两位小数'))
    expect(backend.calls('property.saveSettings')).toHaveLength(0)

    await typeInto(r, '.pm-set-input-general input', '0.25')
    expect(text(fieldOf(r, '.pm-set-input-general'))).not.toContain('最多两位小数')
    await tap(r, '.pm-settings-save')
    await waitFor(() => expect(text(fieldOf(r, '.pm-set-input-burstPerHour'))).toContain('不能大于 1000'))
    expect(backend.calls('property.saveSettings')).toEqual([{ complaint: 0.1, general: 0.25, serious: 0.5, burstPerHour: 20 }])
    expect(q(r, '.pm-set-general.ui-field--invalid')).toBeNull()
    expect(Taro.showToast).not.toHaveBeenCalledWith(expect.objectContaining({ title: '已保存' }))

    // An empty field is refused by the shared schema before sending, under that field.
    await typeInto(r, '.pm-set-input-complaint input', '')
    await tap(r, '.pm-settings-save')
    await waitFor(() => expect(text(fieldOf(r, '.pm-set-input-complaint'))).toContain('请填写数字'))
    expect(backend.calls('property.saveSettings')).toHaveLength(1)
  })

  it('staff see the values read-only, without 保存; only admins get the link on 季度评定', async () => {
    withBackend({ 'property.settings': () => settings({ complaint: 0.3, general: 0.2, serious: 0.5, burstPerHour: 50 }), 'property.close': () => close() }, STAFF)
    const r = render(<SettingsView />)
    await waitFor(() => expect(text(q(r, '.pm-set-value-burstPerHour'))).toBe('50 条'))
    expect(text(q(r, '.pm-set-value-complaint'))).toBe('0.3 分')
    expect(q(r, '.pm-set-input')).toBeNull()
    expect(q(r, '.pm-settings-save')).toBeNull()
    expect(text(q(r, '.pm-settings'))).toContain('仅社区管理员可以修改')
    expect(qa(r, '.pm-formula__line').map(text)).toEqual(formulaText({ complaint: 0.3, general: 0.2, serious: 0.5, burstPerHour: 50 }))
    r.unmount()

    const c = render(<CloseView />)
    await waitFor(() => expect(text(q(c, '.pm-close-state'))).toBe('待审核'))
    expect(q(c, '.pm-settings-link')).toBeNull()
    c.unmount()

    withBackend({ 'property.close': () => close() }, ADMIN)
    const a = render(<CloseView />)
    await waitFor(() => expect(q(a, '.pm-settings-link')).not.toBeNull())
    expect(text(q(a, '.pm-settings-link'))).toBe('计分标准设置 ›')
    await tap(a, '.pm-settings-link')
    expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: PROPERTY_URLS.settings })
  })
})

describe('pure helpers', () => {
  it('the chart breaks its line at a quarter without a score and keeps points inside the plot', () => {
    const series = trendSeries(company().trend, 'overall')
    const l = trendLayout(series, 343, 180)
    expect(l.points.map((p) => p.y === null)).toEqual([false, true, false])
    expect(l.segments).toHaveLength(2)
    expect(l.yOf(5)).toBe(l.top)
    expect(l.yOf(1)).toBe(l.bottom)
    for (const p of l.points) expect(p.x).toBeGreaterThanOrEqual(l.left)

    // Painted: one stroke per run of the line, every text inside the canvas.
    const texts: Array<{ text: string; x: number }> = []
    let moves = 0
    const ctx = new Proxy({} as Record<string, unknown>, {
      get: (target, key) =>
        key in target
          ? target[key as string]
          : key === 'measureText'
            ? (t: string) => ({ width: t.length * 7 })
            : key === 'fillText'
              ? (text: string, x: number) => texts.push({ text, x })
              : key === 'moveTo'
                ? () => moves++
                : () => undefined,
      set: (target, key, value) => ((target[key as string] = value), true),
    }) as unknown as CanvasRenderingContext2D
    drawTrend(ctx, 200, 180, series, 14)
    expect(texts.map((t) => t.text)).toEqual(expect.arrayContaining(['4.56', '4.02', '26年Q1', '26年Q3', '—']))
    for (const t of texts) {
      expect(t.x - (t.text.length * 7) / 2).toBeGreaterThanOrEqual(0)
      expect(t.x + (t.text.length * 7) / 2).toBeLessThanOrEqual(200)
    }
    expect(moves).toBe(5 + 2 + 2) // five grid lines, the 红榜 and 黑榜 lines, two runs of the trend
  })

  it('corrections read against the score before them; the editable-until time is the end of the last day', () => {
    const s = (overall: number) => score({ overall })
    expect(
      correctionLines(s(4.1), [
        { at: '2026-10-20T02:00:00.000Z', byName: '李秀梅', reason: 'a', score: s(4.0) },
        { at: '2026-10-21T02:00:00.000Z', byName: '李秀梅', reason: 'b', score: s(3.9) },
      ]),
    ).toEqual(['已更正：原 4.10 → 现 4.00，原因：a（李秀梅，2026年10月20日）', '已更正：原 4.00 → 现 3.90，原因：b（李秀梅，2026年10月21日）'])
    expect(untilText('2026-12-31T16:00:00.000Z')).toBe('2026年12月31日 24:00')
    expect(recentQuarters('2027Q1', 3).map((x) => x.quarter)).toEqual(['2027Q1', '2026Q4', '2026Q3'])
  })
})
