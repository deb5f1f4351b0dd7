/**
 * 我的数据: everything held about the caller, section by section (the same answer is the exported
 * file). Only the caller's own records, each found by an index on their openid (or their
 * household, for their ratings, then filtered to those they gave); their own phone in full.
 *
 * 网格 records (care tags and visits of their household) are held for the grid's workers and the
 * community's staff only (PRODUCT.md: tags are never shown to residents). The section says that
 * such records exist and how many, without their content — the person knows what is held, and
 * the grid worker's notes stay where the rule keeps them.
 */
import type { DataItemT, DataSectionT, DeletionOutT, privacyApi } from '../../../../src/shared/api/privacy'
import { DELETION_STATE_LABELS } from '../../../../src/shared/api/privacy'
import { ROLE_LABELS } from '../../../../src/shared/api/define'
import type { UserDoc } from '../../../../src/shared/domain/user'
import { proxyText } from '../../../../src/shared/domain/proxy'
import { BOOKING_STATUS_LABELS, BOOKING_ACTION_LABELS } from '../../../../src/shared/rules/booking'
import { SATISFACTION_LABELS, actionLabel, statusLabel } from '../../../../src/shared/rules/cases'
import { DIMENSIONS, DIMENSION_LABELS, quarterLabel } from '../../../../src/shared/rules/property'
import { LEDGER_LABELS } from '../../../../src/shared/rules/volunteer'
import { formatDateTime } from '../../../../src/shared/time'
import type { HandlersOf } from '../../runtime/serve'
import type { Ctx } from '../../runtime/context'
import { addressIds, addressOut, gridNames, knownPlaces } from '../common/places'
import { getOrNull } from '../common/docs'
import { noticeFor } from '../common/notify'
import type { CaseDoc } from '../cases/model'
import type { HouseholdDoc } from '../grid/model'
import { STATE_LABELS as SIGNUP_STATE_LABELS } from '../volunteer/model'
import { DELETIONS, recordsOf, workRoleBlock, type DeletionDoc } from './model'

type H = HandlersOf<typeof privacyApi>

/** At most this many of each kind of record in the answer (the latest first). */
const MAX_PER_SECTION = 1000

const f = (label: string, value: string | number | null | undefined) => ({ label, value: value === null || value === undefined || value === '' ? '—' : String(value) })
const when = (d: Date | null | undefined) => (d ? formatDateTime(d) : null)
const short = (s: string, n = 24) => (s.length > n ? `${s.slice(0, n)}…` : s)

export function deletionOut(d: DeletionDoc | null): DeletionOutT | null {
  if (!d) return null
  return { state: d.state, stateLabel: DELETION_STATE_LABELS[d.state], reason: d.reason, requestedAt: d.requestedAt.toISOString(), doneAt: d.doneAt ? d.doneAt.toISOString() : null }
}

function caseItem(c: CaseDoc): DataItemT {
  const timeline = c.timeline
    .filter((t) => !t.private)
    .map((t) => `${formatDateTime(t.at)} ${t.byName}（${t.byRole}）${actionLabel(c.kind, t.action)}${t.note ? `：${t.note}` : ''}`)
  const thread = (c.thread ?? []).map((t) => `${formatDateTime(t.at)} ${t.byName}：${t.text}`)
  return {
    id: c._id,
    title: `【${c.category}】${short(c.description.replace(/\s+/g, ' '))}`,
    at: c.submittedAt.toISOString(),
    fields: [
      f('类型', c.category),
      f('内容', c.description),
      f('状态', statusLabel(c.kind, c.status, c.level)),
      f('地点', c.location.text),
      ...(c.kind === 'dispute' ? [f('对方', c.otherParty?.text ?? null), f('紧急程度', c.urgency === 'urgent' ? '紧急' : '一般')] : []),
      f('照片', c.photos.length ? `${c.photos.length} 张` : null),
      f('提交时填写的姓名', c.ownerName),
      f('提交时填写的手机号', c.ownerPhone),
      ...(c.proxy ? [f('代办', proxyText(c.proxy))] : []),
      f('承办人', c.assigneeName),
      f('结果', c.agreement ?? c.failReason),
      f('评价', c.satisfaction ? `${SATISFACTION_LABELS[c.satisfaction]}${c.satisfactionComment ? `：${c.satisfactionComment}` : ''}` : null),
      ...(c.kind === 'message'
        ? [f('往来', thread.join('\n')), f('希望公开', c.wall?.wanted ? '是' : '否'), f('留言墙', c.wall?.status === 'published' ? (c.wall.text ?? '') : null)]
        : []),
      f('办理记录', timeline.join('\n')),
    ],
  }
}

function section(key: DataSectionT['key'], title: string, items: DataItemT[], note: string | null = null): DataSectionT {
  return { key, title, note, count: items.length, items: items.slice(0, MAX_PER_SECTION) }
}

async function profileItems(ctx: Ctx, u: UserDoc): Promise<DataItemT[]> {
  const [places, grids] = await Promise.all([knownPlaces(ctx, addressIds(u.address)), gridNames(ctx, u.address.gridId ? [u.address.gridId] : [])])
  const a = addressOut(u.address, places, grids)
  const extra = u as UserDoc & { volunteerConsentAt?: Date; bookingSuspendedUntil?: Date }
  return [
    {
      id: u._id,
      title: u.name ?? '未留姓名',
      at: u.createdAt.toISOString(),
      fields: [
        f('姓名', u.name),
        f('手机号', u.phone),
        f('住址', `${a.community.name} ${a.text}`),
        f('网格', a.gridName),
        f('住址认证', u.verified ? `已认证（${when(u.verifiedAt ?? null) ?? ''}）` : '待认证'),
        f('角色', u.roles.map((r) => ROLE_LABELS[r]).join('、')),
        f('报到单位', u.partyUnit),
        f('同意志愿服务使用姓名和手机号', when(extra.volunteerConsentAt ?? null)),
        f('预约暂停至', when(extra.bookingSuspendedUntil ?? null)),
        f('入驻时间', when(u.createdAt)),
        f('微信身份标识（OPENID）', u._id),
      ],
    },
  ]
}

export const mine: H['mine'] = async (_input, ctx) => {
  const u = ctx.user
  const deletion = await getOrNull<DeletionDoc>(ctx, DELETIONS, ctx.openid)
  if (!u) return { generatedAt: ctx.clock.now().toISOString(), sections: [], deletion: deletionOut(deletion), deletionBlocked: '尚未入驻，没有保存您的个人信息' }
  const [r, household, totals, profile] = await Promise.all([
    recordsOf(ctx, u._id, u.householdId, MAX_PER_SECTION),
    getOrNull<HouseholdDoc>(ctx, 'households', u.householdId),
    getOrNull<{ points?: number; hours?: number; activities?: number }>(ctx, 'volunteer_totals', `person:${u._id}`),
    profileItems(ctx, u),
  ])
  const activityIds = [...new Set(r.signups.filter((s) => !s.activity).map((s) => s.activityId))]
  const companyIds = [...new Set(r.ratings.map((x) => x.companyId))]
  const [activities, companies] = await Promise.all([
    activityIds.length ? ctx.db.collection<{ _id: string; title: string; startAt: Date }>('activities').where({ _id: ctx._.in(activityIds) }).field({ title: true, startAt: true }).limit(1000).get() : { data: [] },
    companyIds.length ? ctx.db.collection<{ _id: string; name: string }>('companies').where({ _id: ctx._.in(companyIds) }).field({ name: true }).limit(1000).get() : { data: [] },
  ])
  const activityOf = new Map(activities.data.map((a) => [a._id, a]))
  const companyOf = new Map(companies.data.map((c) => [c._id, c.name]))

  const bookings: DataItemT[] = r.bookings.map((b) => ({
    id: b._id,
    title: `${b.roomName} ${b.date}`,
    at: b.createdAt.toISOString(),
    fields: [
      f('场地', b.roomName),
      f('时间', `${formatDateTime(b.startAt)}–${formatDateTime(b.endAt).slice(-5)}`),
      f('状态', BOOKING_STATUS_LABELS[b.status]),
      f('用途', b.purpose),
      f('人数', b.attendees),
      f('单位', b.organisation),
      f('联系人', b.contactName),
      f('联系电话', b.contactPhone),
      ...(b.proxy ? [f('代办', proxyText(b.proxy))] : []),
      f('驳回 / 取消原因', b.rejectReason ?? b.cancelReason),
      f('记录', b.timeline.map((t) => `${formatDateTime(t.at)} ${t.byName} ${BOOKING_ACTION_LABELS[t.action]}${t.note ? `：${t.note}` : ''}`).join('\n')),
    ],
  }))

  const signups: DataItemT[] = r.signups.map((s) => {
    const a = s.activity ?? activityOf.get(s.activityId)
    return {
      id: s._id,
      title: a?.title ?? '志愿活动',
      at: s.signedAt.toISOString(),
      fields: [
        f('活动', a?.title ?? null),
        f('活动时间', a ? when(a.startAt) : null),
        f('状态', SIGNUP_STATE_LABELS[s.state]),
        f('报名姓名', s.name),
        f('报名手机号', s.phone),
        f('报到单位', s.partyUnit),
        f('签到', when(s.checkedInAt)),
        f('签退', when(s.checkedOutAt)),
        f('工时', s.credited ? s.hours : null),
        f('积分', s.credited ? s.points : null),
        f('取消', s.cancelledAt ? `${when(s.cancelledAt)}${s.late ? '（开始前 2 小时内取消）' : ''}` : null),
      ],
    }
  })

  const points: DataItemT[] = [
    { id: `person:${u._id}`, title: '累计', at: null, fields: [f('积分余额', totals?.points ?? 0), f('志愿工时', totals?.hours ?? 0), f('参加活动', totals?.activities ?? 0)] },
    ...r.ledger.map((e) => ({
      id: e._id,
      title: `${LEDGER_LABELS[e.kind]} ${e.points >= 0 ? '+' : ''}${e.points}`,
      at: e.at.toISOString(),
      fields: [f('类别', LEDGER_LABELS[e.kind]), f('积分', e.points), f('工时', e.hours), f('原因', e.reason)],
    })),
  ]

  const ratings: DataItemT[] = r.ratings.map((x) => ({
    id: x._id,
    title: `${companyOf.get(x.companyId) ?? '物业公司'} ${quarterLabel(x.quarter)}`,
    at: x.updatedAt.toISOString(),
    fields: [
      f('物业公司', companyOf.get(x.companyId) ?? null),
      f('季度', quarterLabel(x.quarter)),
      ...DIMENSIONS.map((d) => f(DIMENSION_LABELS[d], `${x.stars[d]} 星`)),
      f('评语', x.comment),
      f('评语状态', x.comment ? (x.commentShown ? '公开显示' : '未显示') : null),
      f('评价人', x.raterName),
    ],
  }))

  const notices: DataItemT[] = r.notices.map((n) => {
    const mineOf = noticeFor(n, u._id)
    return { id: n._id, title: mineOf.title, at: n.createdAt.toISOString(), fields: [f('内容', mineOf.body), f('已读', mineOf.read ? '是' : '否')] }
  })

  const visits = household?.recent?.length ?? 0
  const grid: DataItemT[] = household
    ? [
        {
          id: `household:${u.householdId}`,
          title: '网格走访与关爱记录',
          at: household.updatedAt.toISOString(),
          fields: [
            f('关爱标签', household.tags.length ? `${household.tags.length} 项` : '无'),
            f('走访记录', visits ? `${visits} 次${household.lastVisitAt ? `，最近一次 ${when(household.lastVisitAt)}` : ''}` : '无'),
          ],
        },
      ]
    : []

  const disputes = r.cases.filter((c) => c.kind === 'dispute')
  const messages = r.cases.filter((c) => c.kind !== 'dispute')
  return {
    generatedAt: ctx.clock.now().toISOString(),
    sections: [
      section('profile', '个人资料', profile, '入驻和修改资料时填写；手机号仅处理您事项的工作人员可见完整号码'),
      section('disputes', '我提交的纠纷', disputes.map(caseItem)),
      section('messages', '我的留言', messages.map(caseItem)),
      section('bookings', '我的预约', bookings),
      section('volunteer', '志愿活动报名', signups),
      section('points', '志愿积分与工时', points),
      section('ratings', '物业评价', ratings, '同一户的其他家庭成员提交的评价不在此列'),
      section('notices', '收到的通知', notices),
      section('grid', '网格记录', grid, '网格员为您的住户登记的关爱标签和走访记录，仅网格员和社区工作人员可见，用于上门关怀；这里列出记录的数量，不显示内容。如有疑问可联系您的网格员'),
    ],
    deletion: deletionOut(deletion),
    deletionBlocked: workRoleBlock(u),
  }
}
