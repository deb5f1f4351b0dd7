/**
 * What the statistics page shows for a month and a tab (社区 / 网格 / 类别 / 人员), as plain data:
 * headline figures and chart sections built from the `stats.month` answer. The page only lays
 * them out; tests read these directly.
 */
import type { BookingFiguresT, CaseFiguresT, CaseRowT, MonthStatsT, PropertyFiguresT, VolunteerFiguresT } from '@/shared/api/stats'
import { STATS_SCOPE_LABELS, type StatsScope } from '@/shared/rules/stats'
import { niceMax, type BarDatum, type LinePoint } from './chart'

export interface Tile {
  key: string
  label: string
  value: string
  note?: string
}

export type Section =
  | { key: string; title: string; type: 'tiles'; tiles: Tile[] }
  | { key: string; title: string; type: 'bars'; bars: BarDatum[]; max?: number; empty: string; hint?: string }
  | { key: string; title: string; type: 'line'; points: LinePoint[]; max: number; unit: string; empty: string; hint?: string }

export const rateText = (r: number | null): string => (r === null ? '—' : `${r}%`)
const hoursText = (minutes: number) => `${Math.round((minutes / 60) * 10) / 10}`

/** The words each kind of case uses for its 三率. */
const WORDS = {
  dispute: { unit: '件', received: '受理量', onTime: '按期受理率', success: '调解成功率' },
  message: { unit: '条', received: '留言量', onTime: '响应率', success: '解决率' },
} as const

export function tabsOf(stats: Pick<MonthStatsT, 'tabs'>): Array<{ key: StatsScope; label: string }> {
  return stats.tabs.map((k) => ({ key: k, label: STATS_SCOPE_LABELS[k] }))
}

function ratesNote(kind: CaseFiguresT['kind'], r: CaseRowT): string {
  const w = WORDS[kind]
  return `${w.onTime.replace('率', '')} ${rateText(r.onTimeRate)} · ${w.success.replace('率', '')} ${rateText(r.successRate)} · 满意 ${rateText(r.satisfactionRate)}`
}

function caseTiles(f: CaseFiguresT): Section {
  const w = WORDS[f.kind]
  const t = f.total
  return {
    key: `${f.kind}-tiles`,
    title: `${f.label} · 三率`,
    type: 'tiles',
    tiles: [
      { key: 'received', label: w.received, value: `${t.received}`, note: w.unit },
      { key: 'onTime', label: w.onTime, value: rateText(t.onTimeRate), note: `${t.acceptedOnTime}/${t.accepted} 按期` },
      { key: 'success', label: w.success, value: rateText(t.successRate), note: `${t.resolved}/${t.resolved + t.failed}` },
      { key: 'satisfaction', label: '满意率', value: rateText(t.satisfactionRate), note: `${t.satisfied}/${t.rated} 满意` },
    ],
  }
}

function caseBars(f: CaseFiguresT, by: 'byCommunity' | 'byGrid' | 'byCategory' | 'byStaff', title: string, value: (r: CaseRowT) => number, empty: string): Section {
  const w = WORDS[f.kind]
  return {
    key: `${f.kind}-${by}`,
    title: `${f.label} · ${title}`,
    type: 'bars',
    bars: f[by].map((r) => ({ key: r.key, label: r.name, value: value(r), text: `${value(r)} ${w.unit}`, note: ratesNote(f.kind, r) })),
    empty,
  }
}

function bookingSections(b: BookingFiguresT, street: boolean): Section[] {
  const t = b.total
  const out: Section[] = [
    {
      key: 'booking-tiles',
      title: '场地预约',
      type: 'tiles',
      tiles: [
        { key: 'utilisation', label: '利用率', value: rateText(t.utilisation), note: `${hoursText(t.usedMinutes)}/${hoursText(t.openMinutes)} 小时` },
        { key: 'noShowRate', label: '爽约率', value: rateText(t.noShowRate), note: `爽约 ${t.noShow} 次` },
        { key: 'used', label: '签到使用', value: `${t.used}`, note: '次' },
      ],
    },
  ]
  if (street) {
    out.push({
      key: 'booking-community',
      title: '场地利用率 · 各社区',
      type: 'bars',
      bars: b.byCommunity.map((r) => ({ key: r.key, label: r.name, value: r.utilisation ?? 0, text: rateText(r.utilisation), note: `使用 ${r.used} 次 · 爽约 ${r.noShow} 次` })),
      // A rate's bar is its share of 100 %, not of the busiest one: 0.4 % must not look full.
      max: 100,
      empty: '本月没有场地使用记录',
    })
  }
  out.push({
    key: 'booking-room',
    title: '场地利用率 · 各场地',
    type: 'bars',
    bars: b.byRoom.map((r) => ({ key: r.key, label: r.name, value: r.utilisation ?? 0, text: rateText(r.utilisation), note: `使用 ${r.used} 次 · 爽约 ${r.noShow} 次 · ${hoursText(r.usedMinutes)}/${hoursText(r.openMinutes)} 小时` })),
    max: 100,
    empty: '本月没有场地使用记录',
    hint: '利用率 = 签到使用的时长 ÷ 开放时长（本月至今）',
  })
  const values = b.byHour.map((h) => h.utilisation)
  out.push({
    key: 'booking-hour',
    title: '各时段利用率',
    type: 'line',
    points: b.byHour.map((h) => ({ key: String(h.hour), label: `${h.hour}时`, value: h.utilisation ?? 0 })),
    max: niceMax(values, 100),
    unit: '%',
    empty: '本月没有场地使用记录',
  })
  return out
}

function volunteerSections(v: VolunteerFiguresT, street: boolean): Section[] {
  const t = v.total
  const out: Section[] = [
    {
      key: 'volunteer-tiles',
      title: '志愿服务',
      type: 'tiles',
      tiles: [
        { key: 'hours', label: '服务工时', value: `${t.hours}`, note: '小时' },
        { key: 'people', label: '服务人数', value: `${t.people ?? 0}`, note: '人' },
        { key: 'credits', label: '服务人次', value: `${t.credits}`, note: '人次' },
      ],
    },
  ]
  if (street) {
    out.push({
      key: 'volunteer-community',
      title: '志愿工时 · 各社区',
      type: 'bars',
      bars: v.byCommunity.map((r) => ({ key: r.key, label: r.name, value: r.hours, text: `${r.hours} 小时`, note: `${r.people ?? 0} 人 · ${r.credits} 人次` })),
      empty: '本月还没有入账的志愿工时',
    })
  }
  return out
}

function propertySection(p: PropertyFiguresT): Section {
  return {
    key: 'property',
    title: `物业服务评分 · ${p.quarterLabel}`,
    type: 'bars',
    max: 5,
    bars: p.companies.map((c) => ({
      key: c.key,
      label: c.communityName && p.companies.some((o) => o.communityName !== c.communityName) ? `${c.name}（${c.communityName}）` : c.name,
      value: c.overall ?? c.average ?? 0,
      text: c.overall !== null ? `${c.overall.toFixed(2)} 分` : c.average !== null ? `均 ${c.average.toFixed(1)} 星` : '暂无评价',
      note: `${c.ratings} 条评价${c.overall === null && c.ratings ? '（不足 10 条，暂不计分）' : ''}${c.list !== 'none' ? ` · ${c.listLabel}` : ''}`,
    })),
    empty: '本季度还没有物业评价',
    hint: '得分按季度计算（红黑榜口径），本月所在季度至今',
  }
}

/** The sections of one tab. */
export function sectionsOf(stats: MonthStatsT, tab: StatsScope): Section[] {
  const street = stats.scope === 'street'
  if (tab === 'community') {
    const cases = stats.cases.flatMap((f) => [caseTiles(f), ...(street ? [caseBars(f, 'byCommunity', '各社区', (r) => r.received, '本月没有数据')] : [])])
    return [
      ...cases,
      ...(stats.booking ? bookingSections(stats.booking, street) : []),
      ...(stats.volunteer ? volunteerSections(stats.volunteer, street) : []),
      ...(stats.property ? [propertySection(stats.property)] : []),
    ]
  }
  if (tab === 'grid') {
    return stats.cases.flatMap((f) => [...(stats.scope === 'grids' ? [caseTiles(f)] : []), caseBars(f, 'byGrid', '按网格', (r) => r.received, '暂无网格')])
  }
  if (tab === 'category') {
    const out = stats.cases.map((f) => caseBars(f, 'byCategory', '按类别', (r) => r.received, '本月没有数据'))
    if (stats.volunteer) {
      out.push({
        key: 'volunteer-category',
        title: '志愿工时 · 按活动类别',
        type: 'bars',
        bars: stats.volunteer.byCategory.map((r) => ({ key: r.key, label: r.name, value: r.hours, text: `${r.hours} 小时`, note: `${r.credits} 人次` })),
        empty: '本月还没有入账的志愿工时',
      })
    }
    return out
  }
  return stats.cases.map((f) => caseBars(f, 'byStaff', '按承办人（受理）', (r) => r.accepted, '本月还没有人受理'))
}
