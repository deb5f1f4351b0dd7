/**
 * Demo data (演示数据) for the local cloud: one street with two communities, estates, buildings,
 * units, grids, two property companies, the 党群服务中心 rooms, a few volunteer activities, and
 * a demo person for every role. Runs once per data folder (marked by `meta/seed`).
 */
import type { Database } from '../platform/db'
import { DB_NOT_FOUND, isDbError } from '../platform/db'
import type { Address, GridDoc, PlaceDoc, UserDoc } from '../../../src/shared/domain/user'
import type { Role } from '../../../src/shared/api/define'
import { addDays, atShanghai, businessDate, hhmm, minutesOfDay, quarterOf, sh } from '../../../src/shared/time'
import { DEFAULT_SCORE_SETTINGS, DIMENSIONS, addStars, emptyStars, previousQuarter, quarterRange, score, type Stars } from '../../../src/shared/rules/property'
import { DEFAULT_BOOKING_SETTINGS } from '../../../src/shared/rules/booking'
import { rosterKey } from '../../../src/shared/rules/grid'
import { pageFrom, type CloseDoc, type ViolationDoc } from '../handlers/property/model'

export const SEED_VERSION = 1

type Extra = Record<string, unknown>
export const DEMO = {
  street: 'st-cuihu',
  communities: { cuihu: 'c-cuihu', jinqiao: 'c-jinqiao' },
  people: {
    admin: 'demo-admin-wang',
    staff: 'demo-staff-li',
    street: 'demo-street-zhou',
    mediator1: 'demo-grid-zhang',
    mediator2: 'demo-grid-liu',
    volunteer: 'demo-vol-chen',
    party: 'demo-party-zhao',
    resident: 'demo-res-sun',
    resident2: 'demo-res-wu',
    unverified: 'demo-res-huang',
    otherStaff: 'demo-staff-zheng',
    otherResident: 'demo-res-guo',
    /** 物业联系人 of 安居物业 (role `property`). */
    propertyAnju: 'demo-pc-anju',
    /** 职能部门 contact of 翠湖街道城管中队 (role `department`). */
    department: 'demo-dept-ma',
    /** An elderly resident living alone (独居老人), on 张伟's grid. */
    elder: 'demo-res-he',
  },
} as const

function place(p: Omit<PlaceDoc, 'order'> & { order?: number }, order: number): PlaceDoc {
  return { order, ...p }
}

export function demoPlaces(): { places: PlaceDoc[]; grids: GridDoc[] } {
  const st = DEMO.street
  const places: PlaceDoc[] = [place({ _id: st, kind: 'street', name: '翠湖街道', parentId: null, streetId: st, communityId: null }, 0)]
  const grids: GridDoc[] = []
  const communities = [
    {
      id: DEMO.communities.cuihu,
      name: '翠湖社区',
      estates: [
        { id: 'e-cuiyuan', name: '翠园小区', company: 'pc-anju', buildings: [['b-cy-1', '1栋', 'g-cuihu-1'], ['b-cy-2', '2栋', 'g-cuihu-1'], ['b-cy-3', '3栋', 'g-cuihu-2']] },
        { id: 'e-hupan', name: '湖畔花园', company: 'pc-jinhua', buildings: [['b-hp-1', '1号楼', 'g-cuihu-2'], ['b-hp-2', '2号楼', 'g-cuihu-3']] },
      ],
      grids: [
        ['g-cuihu-1', '翠湖第一网格', [DEMO.people.mediator1]],
        ['g-cuihu-2', '翠湖第二网格', [DEMO.people.mediator2]],
        ['g-cuihu-3', '翠湖第三网格', []],
      ] as Array<[string, string, string[]]>,
    },
    {
      id: DEMO.communities.jinqiao,
      name: '金桥社区',
      estates: [{ id: 'e-jinqiao', name: '金桥新村', company: 'pc-jinhua', buildings: [['b-jq-1', '1幢', 'g-jinqiao-1'], ['b-jq-2', '2幢', 'g-jinqiao-1']] }],
      grids: [['g-jinqiao-1', '金桥第一网格', []]] as Array<[string, string, string[]]>,
    },
  ]
  communities.forEach((c, ci) => {
    places.push(place({ _id: c.id, kind: 'community', name: c.name, parentId: st, streetId: st, communityId: c.id }, ci))
    for (const [gid, gname, workers] of c.grids) grids.push({ _id: gid, communityId: c.id, name: gname, workerIds: workers })
    c.estates.forEach((e, ei) => {
      places.push(place({ _id: e.id, kind: 'estate', name: e.name, parentId: c.id, streetId: st, communityId: c.id, propertyCompanyId: e.company }, ei))
      e.buildings.forEach(([bid, bname, gid], bi) => {
        places.push(place({ _id: bid, kind: 'building', name: bname, parentId: e.id, streetId: st, communityId: c.id, estateId: e.id, gridId: gid }, bi))
        for (let u = 1; u <= 2; u++) {
          places.push(
            place({ _id: `${bid}-u${u}`, kind: 'unit', name: `${u}单元`, parentId: bid, streetId: st, communityId: c.id, estateId: e.id, buildingId: bid, gridId: gid }, u),
          )
        }
      })
    })
  })
  return { places, grids }
}

const byId = (places: PlaceDoc[], id: string) => places.find((p) => p._id === id)

function addr(places: PlaceDoc[], unitId: string, room: string): Address {
  const unit = places.find((p) => p._id === unitId)!
  return {
    streetId: unit.streetId,
    communityId: unit.communityId!,
    estateId: unit.estateId!,
    buildingId: unit.buildingId!,
    unitId,
    room,
    gridId: unit.gridId ?? null,
  }
}

export function demoPeople(places: PlaceDoc[], now: Date): UserDoc[] {
  const P = DEMO.people
  const rows: Array<[string, string, string, Role[], string, string, boolean, string[], Extra?]> = [
    [P.admin, '王建华', '13800001001', ['resident', 'staff', 'admin'], 'b-cy-1-u1', '101', true, []],
    [P.staff, '李秀梅', '13800001002', ['resident', 'staff'], 'b-cy-2-u1', '302', true, []],
    [P.street, '周国强', '13800001003', ['resident', 'street'], 'b-hp-1-u2', '801', true, []],
    [P.mediator1, '张伟', '13800001004', ['resident', 'grid_worker'], 'b-cy-1-u2', '602', true, ['g-cuihu-1']],
    [P.mediator2, '刘芳', '13800001005', ['resident', 'grid_worker'], 'b-cy-3-u1', '1101', true, ['g-cuihu-2']],
    [P.volunteer, '陈静', '13800001006', ['resident', 'volunteer'], 'b-hp-1-u1', '502', true, []],
    [P.party, '赵磊', '13800001007', ['resident', 'party_member', 'volunteer'], 'b-cy-2-u2', '1203', true, [], { partyUnit: '市自来水有限公司' }],
    [P.resident, '孙丽', '13800001008', ['resident'], 'b-cy-1-u1', '1202', true, []],
    [P.resident2, '吴敏', '13800001009', ['resident'], 'b-cy-3-u2', '401', true, []],
    [P.unverified, '黄海', '13800001010', ['resident'], 'b-hp-2-u1', '203', false, []],
    [P.otherStaff, '郑晓', '13800001011', ['resident', 'staff'], 'b-jq-1-u1', '101', true, []],
    [P.otherResident, '郭晓燕', '13800001012', ['resident'], 'b-jq-2-u2', '502', true, []],
    [P.propertyAnju, '钱国平', '13800001013', ['resident', 'property'], 'b-cy-2-u2', '101', true, [], { companyId: 'pc-anju' }],
    [P.department, '马强', '13800001014', ['resident', 'department'], 'b-hp-2-u2', '302', true, [], { departmentId: 'dp-chengguan' }],
    [P.elder, '何桂英', '13800001015', ['resident'], 'b-cy-2-u1', '201', true, []],
  ]
  return rows.map(([id, name, phone, roles, unitId, room, verified, gridIds, extra], i) => {
    const address = addr(places, unitId, room)
    const created = new Date(now.getTime() - (rows.length - i) * 60_000)
    return {
      _id: id,
      name,
      phone,
      roles,
      verified,
      ...(verified ? { verifiedBy: P.staff, verifiedAt: created } : {}),
      address,
      householdId: `${unitId}:${room}`,
      rosterKey: rosterKey({ estate: byId(places, address.estateId), building: byId(places, address.buildingId), unit: byId(places, unitId) }, address),
      gridIds,
      createdAt: created,
      updatedAt: created,
      version: 1,
      ...(extra ?? {}),
    } as UserDoc
  })
}

export function demoCompanies(now: Date): Extra[] {
  // Each company's public page of each community (handlers/property/model.ts CompanyPage), as
  // publishing and recording violations keep it: from the history below.
  const history = new Map(demoPropertyHistory(now))
  const closes = (history.get('property_closes') ?? []) as unknown as CloseDoc[]
  const violations = (history.get('property_violations') ?? []) as unknown as ViolationDoc[]
  const pagesOf = (companyId: string, communityIds: string[]) =>
    Object.fromEntries(
      communityIds.map((c) => [
        c,
        pageFrom(
          now,
          closes.filter((x) => x.communityId === c).flatMap((x) => (x.rows ?? []).filter((r) => r.companyId === companyId).map((row) => ({ quarter: x.quarter, row }))),
          violations.filter((v) => v.communityId === c && v.companyId === companyId),
        ),
      ]),
    )
  return [
    // `contacts`: the list staff see, kept with the company (handlers/property/admin.ts setContact); the role is on the person's record.
    { _id: 'pc-anju', name: '安居物业服务有限公司', estateIds: ['e-cuiyuan'], phone: '0571-88880001', communityIds: [DEMO.communities.cuihu], contacts: [{ openid: DEMO.people.propertyAnju, name: '钱国平' }], version: 1, pages: pagesOf('pc-anju', [DEMO.communities.cuihu]), pageVersion: 1 },
    {
      _id: 'pc-jinhua', name: '锦华物业管理有限公司', estateIds: ['e-hupan', 'e-jinqiao'], phone: '0571-88880002', communityIds: [DEMO.communities.cuihu, DEMO.communities.jinqiao], contacts: [], version: 1,
      pages: pagesOf('pc-jinhua', [DEMO.communities.cuihu, DEMO.communities.jinqiao]), pageVersion: 1,
    },
  ]
}

/**
 * 物业红黑榜 history (信用档案): the two quarters before `now` in 翠湖社区, published, with the
 * ratings, sums and violations they were computed from, and results computed by the real score
 * (rules/property.ts) — so the list, the company pages and the trend chart have a past to show.
 * Households here are synthetic (`demo-hh-…`): history, not people who sign in.
 */
export function demoPropertyHistory(now: Date): Array<[string, Extra[]]> {
  const community = DEMO.communities.cuihu
  const q1 = previousQuarter(quarterOf(now))
  const q0 = previousQuarter(q1)
  // [company, estate, quarter, households, stars around, serious/general violations]
  const plan: Array<[string, string, string, number, number, number, number]> = [
    ['pc-anju', 'e-cuiyuan', q0, 40, 4.5, 0, 0],
    ['pc-anju', 'e-cuiyuan', q1, 60, 5, 0, 0],
    ['pc-jinhua', 'e-hupan', q0, 24, 3.4, 0, 1],
    ['pc-jinhua', 'e-hupan', q1, 30, 2.4, 0, 1],
  ]
  const ratings: Extra[] = []
  const sums: Extra[] = []
  const violations: Extra[] = []
  const results: Extra[] = []
  const closes: Extra[] = []
  const names: Record<string, string> = { 'pc-anju': '安居物业服务有限公司', 'pc-jinhua': '锦华物业管理有限公司' }
  const comments = ['保安很负责，晚上巡逻到位', '楼道打扫得很干净', '报修后第二天就来修好了', '绿化修剪及时', '收费公示清楚']
  const complaintsOf = ['电梯经常坏，报修很慢', '垃圾清运不及时', '物业费用途不公开']
  for (const [companyId, estateId, quarter, n, around, serious, general] of plan) {
    const { start } = quarterRange(quarter)
    let total = emptyStars()
    for (let i = 0; i < n; i++) {
      const at = new Date(start.getTime() + (i + 1) * 36 * 3600_000)
      const stars = Object.fromEntries(DIMENSIONS.map((d, k) => [d, Math.max(1, Math.min(5, Math.round(around + (((i * 7 + k * 3) % 5) - 2) * 0.4)))])) as Stars
      total = addStars(total, stars, 1)
      const householdId = `demo-hh-${estateId}-${i}`
      const comment = i % 6 === 0 ? (around >= 4 ? comments : complaintsOf)[(i / 6) % 3] : null
      ratings.push({
        _id: `${companyId}:${quarter}:${householdId}`,
        companyId, communityId: community, estateId, quarter, householdId,
        raterId: householdId, raterName: '居民', stars, comment, commentHidden: null, commentShown: comment !== null, excluded: null,
        hour: sh(at).format('YYYY-MM-DDTHH'), createdAt: at, updatedAt: at, version: 1,
      })
    }
    sums.push({ _id: `${community}:${companyId}:${quarter}`, communityId: community, companyId, quarter, n, sums: total, updatedAt: start })
    for (let v = 0; v < serious + general; v++) {
      violations.push({
        _id: `demo-pv-${companyId}-${quarter}-${v}`, communityId: community, companyId, quarter, level: v < serious ? 'serious' : 'general',
        description: '消防通道堆放杂物，整改通知后一周内未清理', photos: [], by: DEMO.people.staff, byName: '李秀梅',
        at: new Date(start.getTime() + 20 * 24 * 3600_000), removed: null,
      })
    }
    const input = { n, sums: total, complaints: 0, violations: { general, serious } }
    const end = quarterRange(quarter).end
    results.push({
      _id: `${community}:${companyId}:${quarter}`, communityId: community, companyId, companyName: names[companyId], quarter,
      input, score: score(input, DEFAULT_SCORE_SETTINGS), settings: DEFAULT_SCORE_SETTINGS, computedAt: new Date(end.getTime() + 3 * 24 * 3600_000),
      appeal: null, corrections: [], version: 1,
    })
  }
  for (const quarter of [q0, q1]) {
    const end = quarterRange(quarter).end
    closes.push({
      _id: `${community}:${quarter}`, communityId: community, quarter, state: 'published', companyIds: ['pc-anju', 'pc-jinhua'],
      computedAt: new Date(end.getTime() + 3 * 24 * 3600_000), computedBy: DEMO.people.staff,
      appealUntil: new Date(end.getTime() + 10 * 24 * 3600_000), publishedAt: new Date(end.getTime() + 11 * 24 * 3600_000), publishedBy: DEMO.people.staff, version: 3,
      // As publishing writes it (handlers/property/close.ts): the deductions used and the published list.
      settings: DEFAULT_SCORE_SETTINGS,
      rows: results.filter((r) => r.quarter === quarter).map((r) => ({ companyId: r.companyId, companyName: r.companyName, input: r.input, score: r.score, corrections: [] })),
    })
  }
  return [
    ['property_ratings', ratings],
    ['rating_sums', sums],
    ['property_violations', violations],
    ['property_results', results],
    ['property_closes', closes],
  ]
}

/** 职能部门 of the demo street (collection `departments`), for 分流转办 and 吹哨. */
export function demoDepartments(now: Date): Extra[] {
  const d = (id: string, name: string, kind: string, phone: string, i: number) => ({ _id: id, streetId: DEMO.street, name, kind, phone, version: 1, createdAt: new Date(now.getTime() - (10 - i) * 60_000) })
  return [
    d('dp-chengguan', '翠湖街道城管中队', '城管', '0571-88881001', 0),
    d('dp-police', '翠湖派出所', '派出所', '0571-88881002', 1),
    d('dp-market', '翠湖市场监管所', '市场监管', '0571-88881003', 2),
    d('dp-housing', '区住建局物业科', '住建', '0571-88881004', 3),
  ]
}

/** Opening hours, index 0 = Sunday (as `weekday()` counts); null = closed that day. */
const weekdays = (open: number, close: number, closedOn: number[] = []) =>
  Array.from({ length: 7 }, (_, day) => (closedOn.includes(day) ? null : { open, close }))

/** 党群服务中心 rooms (collection `rooms`, shape: handlers/booking/model.ts RoomDoc). */
export function demoRooms(): Extra[] {
  const c = DEMO.communities.cuihu
  // Each room carries its community's booking numbers (handlers/booking/model.ts): the defaults, as no settings were saved.
  const room = (r: Extra) => ({ photos: [], slotMinutes: 30, active: true, version: 1, description: null, rules: { ...DEFAULT_BOOKING_SETTINGS }, ...r })
  return [
    room({ _id: 'room-duogong', communityId: c, name: '多功能活动室', capacity: 40, facilities: ['投影仪', '音响', '空调', '桌椅 40 套'], location: '党群服务中心一楼', openHours: weekdays(8 * 60, 21 * 60), bookableBy: 'verified', needsApproval: true, order: 0, description: '适合居民议事、文艺排练、讲座培训等活动' }),
    room({ _id: 'room-huiyi', communityId: c, name: '议事会议室', capacity: 12, facilities: ['白板', '电视屏', '空调'], location: '党群服务中心二楼 201', openHours: weekdays(8 * 60 + 30, 17 * 60 + 30, [0]), bookableBy: 'residents', needsApproval: false, order: 1 }),
    room({ _id: 'room-shuhua', communityId: c, name: '书画室', capacity: 16, facilities: ['书画桌', '笔墨纸砚'], location: '党群服务中心二楼 203', openHours: weekdays(9 * 60, 17 * 60), bookableBy: 'residents', needsApproval: false, order: 2 }),
    room({ _id: 'room-jq-huodong', communityId: DEMO.communities.jinqiao, name: '金桥活动室', capacity: 30, facilities: ['音响', '空调'], location: '金桥社区服务站', openHours: weekdays(8 * 60, 20 * 60), bookableBy: 'residents', needsApproval: true, order: 0 }),
  ]
}

export function demoActivities(now: Date): Extra[] {
  const c = DEMO.communities.cuihu
  const d = (days: number) => addDays(businessDate(now), days)
  const mk = (id: string, title: string, category: string, day: number, startMin: number, hours: number, capacity: number, place: string, points: number) => ({
    _id: id,
    communityId: c,
    title,
    category,
    startAt: atShanghai(d(day), startMin),
    endAt: atShanghai(d(day), startMin + hours * 60),
    signupDeadline: atShanghai(d(day - 1), 20 * 60),
    place,
    capacity,
    taken: 0,
    placesLeft: capacity,
    hours,
    points,
    requirements: '请穿着志愿者马甲，提前 10 分钟到场签到',
    contact: '李秀梅 13800001002',
    status: 'published',
    createdBy: DEMO.people.staff,
    createdAt: now,
  })
  return [
    mk('act-clean', '翠园小区楼道清理', '环境整治', 3, 9 * 60, 2, 20, '翠园小区 1栋楼下集合', 20),
    mk('act-elder', '关爱独居老人上门探访', '关爱老人', 5, 14 * 60, 3, 10, '党群服务中心一楼大厅', 30),
    mk('act-civil', '文明养犬劝导', '文明劝导', 8, 18 * 60 + 30, 2, 15, '湖畔花园南门', 20),
  ]
}

async function seeded(db: Database): Promise<boolean> {
  try {
    await db.collection('meta').doc('seed').get()
    return true
  } catch (e) {
    if (isDbError(e, DB_NOT_FOUND)) return false
    throw e
  }
}

/** Insert the demo data once; returns whether it ran. */
export async function seedDemo(db: Database, now: Date = new Date()): Promise<boolean> {
  if (await seeded(db)) return false
  const { places, grids } = demoPlaces()
  const batches: Array<[string, Extra[]]> = [
    ['places', places as unknown as Extra[]],
    ['grids', grids as unknown as Extra[]],
    ['users', demoPeople(places, now) as unknown as Extra[]],
    ['companies', demoCompanies(now)],
    ['rooms', demoRooms()],
    ['activities', demoActivities(now)],
    ...demoPropertyHistory(now),
    ['departments', demoDepartments(now)],
  ]
  for (const [name, docs] of batches) await db.collection(name).add({ data: docs })
  await db.collection('meta').doc('seed').set({ data: { version: SEED_VERSION, at: now } })
  return true
}

type Call = (openid: string, fn: string, action: string, payload: unknown) => Promise<{ ok: boolean; data?: unknown; error?: unknown }>
/** A scheduled job run now (the local cloud's `runTimer`): what the demo's changes set off at its next run, shown at once. */
type RunTimer = (fn: string, trigger: string) => Promise<{ ok: boolean; error?: unknown }>

/**
 * Demo activity (演示业务数据): a few disputes and messages in different states and a few bookings, made by
 * the demo people through the real functions (so every rule, timeline entry, notification and
 * counter is exactly what the app would produce). Run once, right after `seedDemo`.
 */
export async function seedDemoActivity(call: Call, now: Date = new Date(), runTimer?: RunTimer): Promise<void> {
  const P = DEMO.people
  const must = async <T>(who: string, fn: string, action: string, payload: unknown): Promise<T> => {
    const r = await call(who, fn, action, payload)
    if (!r.ok) throw new Error(`demo ${fn}.${action} failed: ${JSON.stringify(r.error)}`)
    return r.data as T
  }
  type C = { id: string; version: number }
  const ref = (c: C) => ({ id: c.id, version: c.version })
  // 1. 孙丽: noise from upstairs, accepted and being mediated by 张伟.
  let a = await must<C>(P.resident, 'cases', 'submit', {
    kind: 'dispute',
    category: '噪音',
    description: '楼上 1302 每晚十一点后还在拖动家具、走路很重，持续一周了，孩子睡不好，希望协调晚上十点后保持安静。',
    location: { buildingId: 'b-cy-1', unitId: 'b-cy-1-u1' },
    otherParty: { buildingId: 'b-cy-1', unitId: 'b-cy-1-u1', room: '1302' },
    urgency: 'normal',
  })
  a = await must<C>(P.mediator1, 'cases', 'accept', ref(a))
  a = await must<C>(P.mediator1, 'cases', 'start', ref(a))
  await must<C>(P.mediator1, 'cases', 'addNote', { ...ref(a), text: '已约双方周六上午在党群服务中心面谈', shared: true })
  // 2. 吴敏: water leaking from upstairs, resolved, waiting for her rating.
  let b = await must<C>(P.resident2, 'cases', 'submit', {
    kind: 'dispute',
    category: '漏水',
    description: '卫生间天花板渗水，怀疑楼上 501 防水层老化，墙面已经发霉。',
    location: { buildingId: 'b-cy-3', unitId: 'b-cy-3-u2' },
    otherParty: { buildingId: 'b-cy-3', unitId: 'b-cy-3-u2', room: '501' },
    urgency: 'normal',
  })
  b = await must<C>(P.mediator2, 'cases', 'accept', ref(b))
  await must<C>(P.mediator2, 'cases', 'resolve', { ...ref(b), agreement: '501 住户本周内请物业重做卫生间防水，并承担 401 天花板修复费用。' })
  // 3. 赵磊: a car blocking the fire lane, urgent, just submitted.
  await must<C>(P.party, 'cases', 'submit', {
    kind: 'dispute',
    category: '停车',
    description: '2 栋楼下消防通道长期停放一辆白色面包车，影响消防车通行。',
    location: { buildingId: 'b-cy-2' },
    urgency: 'urgent',
  })
  // Bookings three days ahead: one waiting for approval, one confirmed.
  const day = addDays(businessDate(now), 3)
  await must<C>(P.volunteer, 'booking', 'book', {
    roomId: 'room-duogong',
    date: day,
    start: '14:00',
    end: '16:00',
    purpose: '志愿者培训：独居老人探访注意事项',
    attendees: 20,
    contactName: '陈静',
    contactPhone: '13800001006',
  })
  const c = await must<C>(P.resident, 'booking', 'book', {
    roomId: 'room-duogong',
    date: day,
    start: '09:00',
    end: '10:30',
    purpose: '楼栋议事会：讨论加装电梯分摊方案',
    attendees: 15,
    contactName: '孙丽',
    contactPhone: '13800001008',
  })
  await must<C>(P.staff, 'booking', 'approve', ref(c))

  // 居民留言: a suggestion answered and published on the 留言墙, a repair waiting for a first
  // reply, and a question where staff asked for more information; one saved reply template.
  await must(P.staff, 'cases', 'saveTemplate', { title: '已收到，尽快处理', text: '您好，您的留言已收到，我们会在时限内处理并答复您，感谢您对社区工作的支持。' })
  let m = await must<C>(P.resident2, 'cases', 'write', {
    category: '建议',
    text: '建议在湖畔花园 1 号楼旁增设电动自行车充电桩，现在很多人从 3栋401 拉线充电，很危险。我的电话 13800001009。',
    wantsPublic: true,
  })
  m = await must<C>(P.mediator2, 'cases', 'reply', { ...ref(m), text: '感谢建议！社区已联系物业，计划下月在 1 号楼东侧安装 10 个充电口。' })
  const draft = await must<{ text: string; reply: string | null }>(P.staff, 'cases', 'wallDraft', { id: m.id })
  await must(P.staff, 'cases', 'publish', { ...ref(m), text: draft.text, reply: draft.reply ?? undefined })
  await must<C>(P.party, 'cases', 'write', { category: '报修', text: '2 栋 2 单元楼道灯坏了三天，晚上老人上下楼很不方便。', utility: false })
  const q = await must<C>(P.resident, 'cases', 'write', { category: '咨询', text: '请问老旧小区加装电梯的补贴怎么申请？需要哪些材料？' })
  await must<C>(P.mediator1, 'cases', 'requestInfo', { ...ref(q), text: '您好，请问您家是几号楼几单元？同单元有多少户同意加装？' })

  // 网格化管理: 张伟 tags 何桂英's household 独居老人 and logged his last visit 16 days ago (now
  // overdue: the plan is every 14 days); he reports a blocked fire lane, which 李秀梅 routes to 城管.
  const elder = 'b-cy-2-u1:201'
  await must(P.mediator1, 'grid', 'tag', { id: elder, tag: '独居老人', on: true, reason: '独居，子女在外地，患高血压' })
  await must(P.mediator1, 'grid', 'visit', { id: elder, at: new Date(now.getTime() - 16 * 24 * 3600_000).toISOString(), found: '身体状况良好，血压药充足；提醒注意用电安全。', followUp: false })
  const ev = await must<C>(P.mediator1, 'cases', 'report', {
    type: '安全隐患',
    description: '2栋东侧消防通道被三辆电动车和纸箱堵住，已口头提醒，仍未清理。',
    location: { buildingId: 'b-cy-2' },
  })
  await must<C>(P.staff, 'cases', 'route', { ...ref(ev), departmentId: 'dp-chengguan', days: 3, note: '请城管中队协调清理消防通道' })
  await must(P.mediator1, 'cases', 'report', { type: '设施损坏', description: '3栋单元门门禁损坏，外来人员可随意进出。', location: { buildingId: 'b-cy-3' } })

  // 物业红黑榜: 吴敏's household rates 安居物业 for this quarter (the past quarters are seeded history).
  await must(P.resident2, 'property', 'rate', {
    companyId: 'pc-anju',
    stars: { security: 5, cleaning: 4, repair: 4, greening: 5, attitude: 5, fees: 4 },
    comment: '门岗很负责，快递也帮忙代收，维修有时要等两三天。',
  })

  await seedWorkbenchActivity(must, now)
  // The property job counts the burst from the ratings (every few minutes): flagged now, not at its next run.
  if (runTimer) {
    const r = await runTimer('property', 'tick')
    if (!r.ok) throw new Error(`demo data: property.tick failed: ${JSON.stringify(r.error)}`)
  }
}

/**
 * What the 工作台 (issue 15) shows the demo staff beside the above, made through the real functions
 * too: a booking to check in today and a volunteer activity today (each only while today still
 * has a slot for it: at least 2 h ahead, inside the room's or a sensible day's hours), a complaint
 * escalated to the street, a dispute in 金桥社区 (the street's per-community figures), and new
 * households of 翠园小区 rating 安居物业 within the hour — a burst flagged for review.
 */
async function seedWorkbenchActivity(must: <T>(who: string, fn: string, action: string, payload: unknown) => Promise<T>, now: Date): Promise<void> {
  const P = DEMO.people
  type C = { id: string; version: number }
  const ref = (c: C) => ({ id: c.id, version: c.version })
  const today = businessDate(now)
  const soonest = Math.ceil((minutesOfDay(now) + 121) / 30) * 30
  // 书画室 (09:00–17:00 every day, no approval): 吴敏 checks in today.
  const slot = Math.max(soonest, 9 * 60)
  if (slot + 60 <= 17 * 60) {
    await must(P.resident2, 'booking', 'book', {
      roomId: 'room-shuhua',
      date: today,
      start: hhmm(slot),
      end: hhmm(slot + 60),
      purpose: '书法兴趣小组练习',
      attendees: 8,
      contactName: '吴敏',
      contactPhone: '13800001009',
    })
  }
  // An activity this afternoon or evening: the organiser shows the check-in QR today.
  const start = Math.max(soonest, 14 * 60)
  if (start + 90 <= 22 * 60) {
    const a = await must<C>(P.staff, 'volunteer', 'save', {
      title: '社区垃圾分类宣传',
      category: '文明劝导',
      description: '在翠园小区南门设点，向居民讲解垃圾分类要点，发放宣传册。',
      startAt: atShanghai(today, start).toISOString(),
      endAt: atShanghai(today, start + 90).toISOString(),
      signupDeadline: atShanghai(today, start - 30).toISOString(),
      place: '翠园小区南门',
      capacity: 10,
      points: 10,
      contact: '李秀梅 13800001002',
    })
    await must(P.staff, 'volunteer', 'publish', ref(a))
  }
  // 吴敏's complaint, taken up by 刘芳's grid, then by the community, then by the street.
  let m = await must<C>(P.resident2, 'cases', 'write', { category: '投诉', text: '湖畔花园 2 号楼底商餐馆油烟直排，晚饭时间整栋楼都是油烟味，多次反映未解决。' })
  m = await must<C>(P.mediator2, 'cases', 'escalate', { ...ref(m), reason: '涉及餐饮油烟排放，需社区协调市场监管' })
  await must<C>(P.staff, 'cases', 'escalate', { ...ref(m), reason: '需街道协调市场监管所执法' })
  // 金桥社区: 郭晓燕's neighbour's dog barks at night.
  await must(P.otherResident, 'cases', 'submit', {
    kind: 'dispute',
    category: '宠物',
    description: '隔壁 501 的狗每天夜里叫，已经沟通过两次仍未改善。',
    location: { buildingId: 'b-jq-2', unitId: 'b-jq-2-u2' },
    otherParty: { buildingId: 'b-jq-2', unitId: 'b-jq-2-u2', room: '501' },
    urgency: 'normal',
  })
  // 集中评价: a small community's threshold (王建华 sets 3 an hour instead of 20), and three new
  // households of 翠园小区, verified by 李秀梅, all giving 安居物业 five stars within the hour.
  await must(P.admin, 'property', 'saveSettings', { ...DEFAULT_SCORE_SETTINGS, burstPerHour: 3 })
  const raters: Array<[string, string, string, string]> = [
    ['demo-rater-zhou', '周敏', 'b-cy-1-u2', '1501'],
    ['demo-rater-lin', '林芳', 'b-cy-2-u2', '1502'],
    ['demo-rater-xu', '许刚', 'b-cy-3-u1', '1503'],
  ]
  for (const [openid, name, unitId, room] of raters) {
    await must(openid, 'user', 'onboard', { communityId: DEMO.communities.cuihu, estateId: 'e-cuiyuan', buildingId: unitId.replace(/-u\d$/, ''), unitId, room, name })
    await must(P.staff, 'user', 'verify', { openid })
    await must(openid, 'property', 'rate', { companyId: 'pc-anju', stars: { security: 5, cleaning: 5, repair: 5, greening: 5, attitude: 5, fees: 5 } })
  }
}
