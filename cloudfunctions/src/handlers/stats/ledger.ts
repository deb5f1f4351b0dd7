/**
 * 工作台账 (issue 15): the month's work ledger as an .xlsx — one sheet per feature, each with its
 * figures (the same counters the statistics page reads: figures.ts) and its item list (the
 * month's records: cases by submission, bookings by date, activities by start, the quarter's
 * property violations) — built by the shared spreadsheet helper (common/xlsx.ts), kept in cloud
 * storage (`exports/<place>/…`) and answered with a temporary download URL.
 *
 * The item lists are read page by page on the indexes the features already keep (a month of one
 * community: its own records only). A grid worker's ledger holds their grids' cases only.
 */
import { randomBytes } from 'node:crypto'
import type { statsApi, BookingFiguresT, CaseFiguresT, CaseRowT, MonthStatsT, PropertyFiguresT, VolunteerFiguresT } from '../../../../src/shared/api/stats'
import { SATISFACTION_LABELS, statusLabel } from '../../../../src/shared/rules/cases'
import { BOOKING_STATUS_LABELS } from '../../../../src/shared/rules/booking'
import { VIOLATION_LABELS } from '../../../../src/shared/rules/property'
import { monthRange } from '../../../../src/shared/rules/stats'
import { formatDateTime, hhmm } from '../../../../src/shared/time'
import type { HandlersOf } from '../../runtime/serve'
import type { Ctx } from '../../runtime/context'
import { headerRow, titleRow, totalRow, valueRow, xlsxBuffer, type Row, type XlsxSheet } from '../common/xlsx'
import { cleanExports, storeFile } from '../common/exports'
import { gridNames } from '../common/places'
import { MAX_PAGE, pagesUpTo } from '../common/paging'
import type { CaseDoc } from '../cases/model'
import { BOOKINGS, type BookingDoc } from '../booking/model'
import { ACTIVITIES, TOTALS, type ActivityDoc } from '../volunteer/model'
import { namesId } from '../volunteer/points'
import { VIOLATIONS, type ViolationDoc } from '../property/model'
import { boardId, monthFigures, quarterOfMonth, scopeOf, type Scope } from './figures'

/** A month of one community is far below this; past it the sheet says the list was cut. */
const MAX_ITEMS = 20_000
const monthPages = <T,>(page: (skip: number) => Promise<{ data: T[] }>) => pagesUpTo(page, MAX_ITEMS)

const rate = (r: number | null) => (r === null ? '—' : `${r}%`)
const hours = (minutes: number) => Math.round((minutes / 60) * 10) / 10
const monthText = (month: string) => `${Number(month.slice(0, 4))}年${Number(month.slice(5, 7))}月`
const short = (s: string, n = 40) => (s.length > n ? `${s.slice(0, n)}…` : s)
const when = (d: Date | null | undefined) => (d ? formatDateTime(d) : '')

// ---------------------------------------------------------------- sheets

function caseSheet(scope: Scope, month: string, f: CaseFiguresT, items: CaseDoc[], cut: boolean, grids: Map<string, { name: string }>): XlsxSheet {
  const dispute = f.kind === 'dispute'
  const head = dispute
    ? ['分组', '名称', '受理量', '已受理', '按期受理', '调解成功', '调解未成', '已评价', '满意', '按期受理率', '调解成功率', '满意率']
    : ['分组', '名称', '留言量', '已答复', '按期答复', '已解决', '未能解决', '已评价', '满意', '响应率', '解决率', '满意率']
  const line = (group: string, r: CaseRowT): Row =>
    valueRow([group, r.name, r.received, r.accepted, r.acceptedOnTime, r.resolved, r.failed, r.rated, r.satisfied, rate(r.onTimeRate), rate(r.successRate), rate(r.satisfactionRate)])
  const t = f.total
  const data: Row[] = [
    titleRow(`${scope.title} · ${monthText(month)} · ${f.label}台账`),
    [],
    headerRow(head),
    ...f.byCommunity.map((r) => line('社区', r)),
    ...f.byGrid.map((r) => line('网格', r)),
    ...f.byCategory.map((r) => line('类别', r)),
    ...f.byStaff.map((r) => line('承办人', r)),
    totalRow([t.name, t.received, t.accepted, t.acceptedOnTime, t.resolved, t.failed, t.rated, t.satisfied, rate(t.onTimeRate), rate(t.successRate), rate(t.satisfactionRate)]),
    [],
    titleRow(`明细（按提交时间，${items.length} ${dispute ? '件' : '条'}${cut ? '，仅列出前 20000 条' : ''}）`),
    headerRow(['编号', '提交时间', '类别', '网格', '紧急', '摘要', '提交人', '状态', '承办人', '受理时间', '按期受理', '办结结果', '满意度']),
    ...items.map((c) =>
      valueRow([
        c._id,
        when(c.submittedAt),
        c.category,
        c.gridId ? (grids.get(c.gridId)?.name ?? c.gridId) : '未划分网格',
        c.urgency === 'urgent' ? '是' : '',
        short(c.description),
        c.ownerName,
        statusLabel(c.kind, c.status, c.level),
        c.assigneeName ?? '',
        when(c.acceptedAt),
        c.acceptedAt ? (c.acceptedOnTime ? '是' : '否') : '',
        c.countedOutcome === 'resolved' ? (dispute ? '调解成功' : '已解决') : c.countedOutcome === 'failed' ? (dispute ? '调解未成' : '未能解决') : '',
        c.satisfaction ? SATISFACTION_LABELS[c.satisfaction] : '',
      ]),
    ),
    totalRow([`${items.length} ${dispute ? '件' : '条'}`]),
  ]
  return { sheet: f.label, data, widths: [16, 18, 10, 10, 10, 10, 10, 8, 8, 12, 12, 10, 10] }
}

function bookingSheet(scope: Scope, month: string, f: BookingFiguresT, items: BookingDoc[], cut: boolean): XlsxSheet {
  const line = (group: string, r: BookingFiguresT['total']): Row => valueRow([group, r.name, hours(r.openMinutes), hours(r.usedMinutes), rate(r.utilisation), r.used, r.noShow, rate(r.noShowRate)])
  const t = f.total
  const data: Row[] = [
    titleRow(`${scope.title} · ${monthText(month)} · 场地预约台账`),
    [],
    headerRow(['分组', '名称', '开放时长（小时）', '使用时长（小时）', '利用率', '签到使用（次）', '爽约（次）', '爽约率']),
    ...f.byCommunity.map((r) => line('社区', r)),
    ...f.byRoom.map((r) => line('场地', r)),
    totalRow([t.name, hours(t.openMinutes), hours(t.usedMinutes), rate(t.utilisation), t.used, t.noShow, rate(t.noShowRate)]),
    [],
    titleRow('各时段利用率（全部场地）'),
    headerRow(['时段', '开放时长（小时）', '使用时长（小时）', '利用率']),
    ...f.byHour.map((h) => valueRow([h.label, hours(h.openMinutes), hours(h.usedMinutes), rate(h.utilisation)])),
    [],
    titleRow(`明细（按使用日期，${items.length} 条${cut ? '，仅列出前 20000 条' : ''}）`),
    headerRow(['日期', '时段', '场地', '预约人', '单位', '用途', '人数', '状态', '签到时间']),
    ...items.map((b) => valueRow([b.date, `${hhmm(b.start)}–${hhmm(b.end)}`, b.roomName, b.ownerName, b.organisation ?? '', short(b.purpose), b.attendees, BOOKING_STATUS_LABELS[b.status], when(b.checkedInAt)])),
    totalRow([`${items.length} 条`]),
  ]
  return { sheet: '场地预约', data, widths: [12, 16, 14, 14, 10, 12, 10, 10, 18] }
}

function volunteerSheet(scope: Scope, month: string, f: VolunteerFiguresT, activities: ActivityDoc[], people: Array<{ name: string; hours: number; points: number; activities: number }>): XlsxSheet {
  const t = f.total
  const data: Row[] = [
    titleRow(`${scope.title} · ${monthText(month)} · 志愿服务台账`),
    [],
    headerRow(['分组', '名称', '服务工时（小时）', '服务人数', '服务人次', '积分']),
    ...f.byCommunity.map((r) => valueRow(['社区', r.name, r.hours, r.people, r.credits, r.points])),
    ...f.byCategory.map((r) => valueRow(['类别', r.name, r.hours, '', r.credits, ''])),
    totalRow([t.name, t.hours, t.people, t.credits, t.points]),
    [],
    titleRow(`本月活动（按开始时间，${activities.length} 场）`),
    headerRow(['活动', '类别', '开始', '结束', '地点', '名额', '已报名', '状态']),
    ...activities.map((a) => valueRow([a.title, a.category, when(a.startAt), when(a.endAt), a.place, a.capacity, a.taken, a.status === 'cancelled' ? '已取消' : '已发布'])),
    [],
    titleRow(`志愿者工时（本月入账，${people.length} 人）`),
    headerRow(['姓名', '服务工时（小时）', '参加活动（次）', '积分']),
    ...people.map((p) => valueRow([p.name, p.hours, p.activities, p.points])),
    totalRow([Math.round(people.reduce((n, p) => n + p.hours, 0) * 10) / 10, people.reduce((n, p) => n + p.activities, 0), people.reduce((n, p) => n + p.points, 0)]),
  ]
  return { sheet: '志愿服务', data, widths: [22, 12, 18, 18, 18, 8, 8, 8] }
}

function propertySheet(scope: Scope, month: string, f: PropertyFiguresT, violations: ViolationDoc[], companyNames: Map<string, string>): XlsxSheet {
  const dims = f.companies[0]?.dims.map((d) => d.label) ?? []
  const data: Row[] = [
    titleRow(`${scope.title} · ${f.quarterLabel}（含${monthText(month)}）· 物业服务评价台账`),
    [],
    headerRow(['物业公司', '社区', '评价数', '综合得分', '平均星级', '上榜', ...dims]),
    ...f.companies.map((c) => valueRow([c.name, c.communityName, c.ratings, c.overall ?? '评价不足，不公布', c.average ?? '', c.listLabel, ...c.dims.map((d) => d.score)])),
    totalRow([`${f.companies.length} 家`, f.companies.reduce((n, c) => n + c.ratings, 0)]),
    [],
    titleRow(`本季度违规记录（${violations.length} 条）`),
    headerRow(['时间', '物业公司', '等级', '情况', '记录人']),
    ...violations.map((v) => valueRow([when(v.at), companyNames.get(v.companyId) ?? v.companyId, VIOLATION_LABELS[v.level], short(v.description, 60), v.byName])),
  ]
  return { sheet: '物业评价', data, widths: [24, 12, 10, 16, 10, 8, 8, 8, 8, 8, 8, 8] }
}

// ---------------------------------------------------------------- the items

/** Each community's pages, the communities side by side (the street's ledger), in the communities' order. */
async function perCommunity<T>(scope: Scope, read: (communityId: string) => Promise<{ items: T[]; cut: boolean }>): Promise<{ items: T[]; cut: boolean }> {
  const got = await Promise.all(scope.communities.map((c) => read(c._id)))
  return { items: got.flatMap((g) => g.items), cut: got.some((g) => g.cut) }
}

async function caseItems(ctx: Ctx, scope: Scope, month: string, kind: 'dispute' | 'message'): Promise<{ items: CaseDoc[]; cut: boolean }> {
  const { from, to } = monthRange(month)
  const all = await perCommunity(scope, (communityId) =>
    monthPages((skip) =>
      ctx.db
        .collection<CaseDoc>('cases')
        .where({ communityId, kind, submittedAt: ctx._.gte(from).and(ctx._.lt(to)) })
        .orderBy('submittedAt', 'asc')
        .field({ timeline: false, photos: false, effects: false })
        .skip(skip)
        .limit(MAX_PAGE)
        .get(),
    ),
  )
  const mine = scope.grids ? new Set(scope.grids.map((g) => g._id)) : null
  return { items: mine ? all.items.filter((x) => x.gridId && mine.has(x.gridId)) : all.items, cut: all.cut }
}

async function bookingItems(ctx: Ctx, scope: Scope, month: string): Promise<{ items: BookingDoc[]; cut: boolean }> {
  const { dates } = monthRange(month)
  return perCommunity(scope, (communityId) =>
    monthPages((skip) =>
      ctx.db
        .collection<BookingDoc>(BOOKINGS)
        .where({ communityId, date: ctx._.gte(dates[0]).and(ctx._.lte(dates[dates.length - 1])) })
        .orderBy('date', 'asc')
        .orderBy('start', 'asc')
        .field({ timeline: false, effects: false })
        .skip(skip)
        .limit(MAX_PAGE)
        .get(),
    ),
  )
}

async function volunteerItems(ctx: Ctx, scope: Scope, month: string) {
  const { from, to } = monthRange(month)
  const ids = scope.communities.map((c) => c._id)
  const [activities, boards, names] = await Promise.all([
    Promise.all(
      ids.map((id) =>
        ctx.db
          .collection<ActivityDoc>(ACTIVITIES)
          .where({ communityId: id, status: ctx._.in(['published', 'cancelled']), startAt: ctx._.gte(from).and(ctx._.lt(to)) })
          .orderBy('startAt', 'asc')
          .field({ title: true, category: true, startAt: true, endAt: true, place: true, capacity: true, taken: true, status: true })
          .limit(1000)
          .get()
          .then((r) => r.data),
      ),
    ),
    ctx.db.collection<{ _id: string; people?: Record<string, { hours?: number; points?: number; activities?: number }> }>(TOTALS).where({ _id: ctx._.in(ids.map((id) => boardId(id, month))) }).limit(ids.length).get(),
    ctx.db.collection<{ _id: string; names?: Record<string, string> }>(TOTALS).where({ _id: ctx._.in(ids.map(namesId)) }).limit(ids.length).get(),
  ])
  const known = new Map<string, string>()
  for (const d of names.data) for (const [openid, name] of Object.entries(d.names ?? {})) known.set(openid, name)
  const people = boards.data
    .flatMap((b) => Object.entries(b.people ?? {}))
    .map(([openid, p]) => ({ openid, hours: Math.round((p.hours ?? 0) * 10) / 10, points: p.points ?? 0, activities: p.activities ?? 0 }))
    .filter((p) => p.hours > 0 || p.points > 0)
  const unnamed = people.map((p) => p.openid).filter((id) => !known.has(id))
  for (let i = 0; i < unnamed.length; i += 100) {
    const res = await ctx.db.collection<{ _id: string; name?: string }>('users').where({ _id: ctx._.in(unnamed.slice(i, i + 100)) }).field({ _id: true, name: true }).limit(100).get()
    for (const u of res.data) known.set(u._id, u.name ?? '志愿者')
  }
  return {
    activities: activities.flat().sort((a, b) => a.startAt.getTime() - b.startAt.getTime()),
    people: people.map((p) => ({ ...p, name: known.get(p.openid) ?? '志愿者' })).sort((a, b) => b.hours - a.hours || b.points - a.points),
  }
}

async function propertyItems(ctx: Ctx, scope: Scope, month: string): Promise<ViolationDoc[]> {
  const ids = scope.communities.map((c) => c._id)
  const res = await ctx.db
    .collection<ViolationDoc>(VIOLATIONS)
    .where({ communityId: ids.length === 1 ? ids[0] : ctx._.in(ids), quarter: quarterOfMonth(month), removed: null })
    .field({ photos: false })
    .limit(1000)
    .get()
  return res.data.sort((a, b) => a.at.getTime() - b.at.getTime())
}

// ---------------------------------------------------------------- the action

/** The sheets of the month for the caller's scope. */
export async function ledgerSheets(ctx: Ctx, scope: Scope, month: string): Promise<{ figures: MonthStatsT; sheets: XlsxSheet[] }> {
  const figures = await monthFigures(ctx, scope, month)
  const community = scope.kind !== 'grids'
  const [disputes, messages, bookings, volunteers, violations] = await Promise.all([
    caseItems(ctx, scope, month, 'dispute'),
    caseItems(ctx, scope, month, 'message'),
    community ? bookingItems(ctx, scope, month) : null,
    community ? volunteerItems(ctx, scope, month) : null,
    community ? propertyItems(ctx, scope, month) : null,
  ])
  const gridIds = [...new Set([...disputes.items, ...messages.items].map((c) => c.gridId).filter((g): g is string => !!g))]
  const grids = await gridNames(ctx, gridIds)
  const [d, m] = figures.cases
  const sheets: XlsxSheet[] = [caseSheet(scope, month, d, disputes.items, disputes.cut, grids), caseSheet(scope, month, m, messages.items, messages.cut, grids)]
  if (figures.booking && bookings) sheets.push(bookingSheet(scope, month, figures.booking, bookings.items, bookings.cut))
  if (figures.volunteer && volunteers) sheets.push(volunteerSheet(scope, month, figures.volunteer, volunteers.activities, volunteers.people))
  if (figures.property && violations) {
    const names = new Map(figures.property.companies.map((c) => [c.key.split(':')[1], c.name]))
    sheets.push(propertySheet(scope, month, figures.property, violations, names))
  }
  return { figures, sheets }
}

/** A folder name for cloud storage: the place's id, ASCII only. */
const folderOf = (scope: Scope, ctx: Ctx) => (scope.kind === 'street' ? ctx.user!.address.streetId : scope.communities[0]._id).replace(/[^A-Za-z0-9_-]/g, '') || 'place'

export const ledger: HandlersOf<typeof statsApi>['ledger'] = async (input, ctx) => {
  const scope = await scopeOf(ctx)
  const { sheets } = await ledgerSheets(ctx, scope, input.month)
  const bytes = await xlsxBuffer(sheets)
  const { url } = await storeFile(ctx, `${folderOf(scope, ctx)}/ledger-${input.month}-${randomBytes(6).toString('hex')}.xlsx`, bytes)
  return { fileName: `${scope.title}_${monthText(input.month)}_工作台账.xlsx`, url, sheets: sheets.map((s) => s.sheet) }
}

/** The `stats` function's timer (hourly): delete the generated files past their day (common/exports.ts). */
export const tick: HandlersOf<typeof statsApi>['tick'] = async (_input, ctx) => ({ exportsRemoved: await cleanExports(ctx) })
