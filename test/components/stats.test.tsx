/**
 * 统计与台账's charts in jsdom: bars are as long as their share of the largest value (or of a
 * fixed scale), carry their labels and values; the line's dots sit at their values and its
 * segments join them; and the page draws a month's answer per tab, the ledger link in H5.
 */
import { act, render, waitFor } from '@testing-library/react'
import { fakeBackend } from '../support/fake-backend'
import { q, qa, tap, text } from '../support/dom'
import { BarChart, LineChart } from '@/packages/stats/components/Charts'
import { StatsView } from '@/packages/stats/pages/index/index'
import { lineLayout } from '@/features/stats/chart'
import type { CaseRowT, MonthStatsT } from '@/shared/api/stats'

const widthOf = (el: Element) => (el as HTMLElement).style.width

describe('BarChart', () => {
  it('draws each bar as its share of the largest value, with its label, value and note', () => {
    const r = render(
      <BarChart
        empty='没有数据'
        bars={[
          { key: 'a', label: '翠湖第一网格', value: 8, text: '8 件', note: '满意 100%' },
          { key: 'b', label: '翠湖第二网格', value: 2, text: '2 件' },
          { key: 'c', label: '翠湖第三网格', value: 0, text: '0 件' },
        ]}
      />,
    )
    expect(qa(r, '.st-bar__label').map(text)).toEqual(['翠湖第一网格', '翠湖第二网格', '翠湖第三网格'])
    expect(qa(r, '.st-bar__value').map(text)).toEqual(['8 件', '2 件', '0 件'])
    expect(qa(r, '.st-bar__fill').map(widthOf)).toEqual(['100%', '25%', '0%'])
    expect(qa(r, '.st-bar__fill')[2].className).toContain('st-bar__fill--zero')
    expect(qa(r, '.st-bar__note').map(text)).toEqual(['满意 100%'])
  })

  it('on a fixed scale (scores out of 5) and says so when there is nothing to draw', () => {
    const r = render(<BarChart empty='没有数据' max={5} bars={[{ key: 'x', label: '安居物业', value: 4.5, text: '4.50 分' }]} />)
    expect(widthOf(q(r, '.st-bar__fill')!)).toBe('90%')
    const none = render(<BarChart empty='本月没有数据' bars={[{ key: 'x', label: '噪音', value: 0, text: '0 件' }]} />)
    expect(text(q(none, '.st-empty'))).toBe('本月没有数据')
    expect(q(none, '.st-bar')).toBeNull()
  })
})

describe('LineChart', () => {
  const points = [
    { key: '9', label: '9时', value: 10 },
    { key: '10', label: '10时', value: 40 },
    { key: '11', label: '11时', value: 20 },
  ]

  it('puts each dot at its value on the scale and joins them with segments', () => {
    const l = lineLayout(points, 300, 150, 50, '%')
    const r = render(<LineChart points={points} max={50} unit='%' empty='—' width={300} height={150} />)
    const dots = qa(r, '.st-line__dot') as HTMLElement[]
    expect(dots.map((d) => parseFloat(d.style.top))).toEqual(l.points.map((p) => Math.round(p.y! * 10) / 10))
    // Higher values sit higher: 40 % above 20 % above 10 %.
    const [y9, y10, y11] = dots.map((d) => parseFloat(d.style.top))
    expect(y10).toBeLessThan(y11)
    expect(y11).toBeLessThan(y9)
    // Evenly spread over the plot, first at its left edge, last at its right.
    expect(dots.map((d) => parseFloat(d.style.left))).toEqual([l.left, (l.left + l.right) / 2, l.right])
    const segments = qa(r, '.st-line__segment') as HTMLElement[]
    expect(segments).toHaveLength(2)
    // The first segment rises (negative angle), the second falls; each is as long as the gap it spans.
    expect(segments[0].style.transform).toMatch(/^rotate\(-/)
    expect(segments[1].style.transform).toMatch(/^rotate\(\d/)
    const [a, b] = [l.points[0], l.points[1]]
    expect(parseFloat(segments[0].style.width)).toBeCloseTo(Math.hypot(b.x - a.x, b.y! - a.y!), 0)
    expect(qa(r, '.st-line__x').map(text)).toEqual(['9时', '10时', '11时'])
    expect(qa(r, '.st-line__guide-label').map(text)).toEqual(['0%', '25%', '50%'])
  })
})

describe('the statistics page', () => {
  const row = (key: string, name: string, over: Partial<CaseRowT> = {}): CaseRowT => ({
    key, name, received: 0, accepted: 0, acceptedOnTime: 0, resolved: 0, failed: 0, rated: 0, satisfied: 0, onTimeRate: null, successRate: null, satisfactionRate: null, ...over,
  })
  const month: MonthStatsT = {
    month: '2026-11',
    scope: 'community',
    title: '翠湖社区',
    tabs: ['community', 'grid', 'category', 'staff'],
    cases: [
      { kind: 'dispute', label: '邻里纠纷', total: row('total', '翠湖社区', { received: 4, accepted: 4, acceptedOnTime: 3, onTimeRate: 75 }), byCommunity: [], byGrid: [row('g1', '翠湖第一网格', { received: 3 }), row('g2', '翠湖第二网格', { received: 1 })], byCategory: [row('噪音', '噪音', { received: 4 })], byStaff: [row('s', '张伟', { accepted: 4 })] },
      { kind: 'message', label: '居民留言', total: row('total', '翠湖社区'), byCommunity: [], byGrid: [], byCategory: [], byStaff: [] },
    ],
    booking: {
      total: { key: 'total', name: '翠湖社区', used: 2, noShow: 1, usedMinutes: 240, openMinutes: 2400, utilisation: 10, noShowRate: 33.3 },
      byRoom: [{ key: 'r1', name: '议事会议室', used: 2, noShow: 0, usedMinutes: 240, openMinutes: 1200, utilisation: 20, noShowRate: 0 }],
      byHour: [
        { hour: 9, label: '09:00', usedMinutes: 60, openMinutes: 600, utilisation: 10 },
        { hour: 10, label: '10:00', usedMinutes: 120, openMinutes: 600, utilisation: 20 },
      ],
      byCommunity: [],
    },
    volunteer: { total: { key: 'total', name: '翠湖社区', hours: 6, people: 3, credits: 3, points: 60 }, byCategory: [], byCommunity: [] },
    property: { quarter: '2026Q4', quarterLabel: '2026年第四季度', companies: [] },
  }

  it('draws the community tab, switches to 按网格, and links the ledger in H5', async () => {
    const backend = fakeBackend({ 'stats.month': () => month, 'stats.ledger': () => ({ fileName: '翠湖社区_2026年11月_工作台账.xlsx', url: '/files/exports/c-cuihu/ledger.xlsx?exp=1&sig=s', sheets: ['邻里纠纷'] }) })
    const r = render(<StatsView initialMonth='2026-11' />)
    await waitFor(() => expect(q(r, '.st-section--booking-room')).not.toBeNull())
    expect(backend.calls('stats.month')).toEqual([{ month: '2026-11' }])
    expect(text(q(r, '.st-section--dispute-tiles .st-tile--onTime .st-tile__value'))).toBe('75%')
    // A rate's bar is its share of 100 % (20 % utilisation: a fifth of the track), not of the busiest room.
    expect(widthOf(q(r, '.st-section--booking-room .st-bar__fill')!)).toBe('20%')
    expect(qa(r, '.st-section--booking-hour .st-line__dot')).toHaveLength(2)
    expect(text(q(r, '.st-section--property .st-empty'))).toBe('本季度还没有物业评价')

    await tap(r, '.st-tabs-grid')
    expect(qa(r, '.st-section--dispute-byGrid .st-bar__fill').map(widthOf)).toEqual(['100%', '33.3%'])
    expect(q(r, '.st-section--booking-room')).toBeNull()

    await tap(r, '.st-ledger-btn')
    await waitFor(() => expect(q(r, 'a.st-ledger__link')).not.toBeNull())
    const link = q(r, 'a.st-ledger__link') as HTMLAnchorElement
    expect(link.getAttribute('href')).toBe('/files/exports/c-cuihu/ledger.xlsx?exp=1&sig=s')
    expect(link.getAttribute('download')).toBe('翠湖社区_2026年11月_工作台账.xlsx')
    expect(backend.calls('stats.ledger')).toEqual([{ month: '2026-11' }])
    await act(async () => undefined)
  })
})
