/**
 * 巡查上报, the third kind of case (`event`) on the same engine: a grid worker reports what they
 * found on patrol; community staff 分流转办 it to a department (职能部门) with a deadline; the
 * department accepts and finishes it (`accept`, `resolve`: the engine's own actions); overdue, the
 * job escalates it to the street (the engine's own escalation), which may 吹哨 — give it to
 * another department with a new deadline. States, deadlines, timeline, notifications, figures and
 * the job are the engine's; only the routing is written here.
 */
import { AppError } from '../../../../src/shared/errors'
import type { casesApi } from '../../../../src/shared/api/cases'
import { acceptDeadline } from '../../../../src/shared/rules/cases'
import { matterProblem } from '../../../../src/shared/rules/grid'
import { formatShort } from '../../../../src/shared/time'
import { hasRole, isStaff } from '../../../../src/shared/domain/user'
import type { HandlersOf } from '../../runtime/serve'
import type { Ctx } from '../../runtime/context'
import { createdId } from '../../runtime/requests'
import { gridNames, knownPlaces } from '../common/places'
import { checkedPhotos, requireCleanText } from '../common/content'
import { notifyEffect, resolveAudience, type Audience } from '../common/effects'
import { departmentContacts } from '../grid/model'
import { departmentOf, gridSettingsOf } from './refs'
import { applyChange, entry, isRepeat, loadCase, viewerOf, type CaseDoc } from './model'
import { createCase, createdBefore, newCase } from './create'
import { answer, caseNotice, tellOwner } from './act'
import { countEffect } from './stats'
import { caseSettings } from './settings'

type H = HandlersOf<typeof casesApi>

export const report: H['report'] = async (input, ctx) => {
  const user = ctx.user!
  const id = createdId(ctx, 'ev')
  if (ctx.retry) {
    const found = await createdBefore(ctx, id)
    if (found) return found
  }
  // The community's list of matters, the places (the instance's tree), the community's staff (told
  // of every report: the community triages them) and the deadlines, together.
  const handlers: Audience = { communityStaff: user.address.communityId }
  const [settings, places, staff, caseRules] = await Promise.all([
    gridSettingsOf(ctx, user.address.communityId),
    knownPlaces(ctx, [input.location.buildingId, input.location.unitId ?? '']),
    resolveAudience(ctx, [handlers]),
    caseSettings(ctx, user.address.communityId),
  ])
  const problem = matterProblem(input.type, settings)
  if (problem) throw new AppError('INVALID_INPUT', problem, [{ path: 'type', message: problem }])
  const building = places.get(input.location.buildingId)
  if (!building || building.kind !== 'building' || building.communityId !== user.address.communityId) {
    throw new AppError('INVALID_INPUT', '请选择本社区的楼栋', [{ path: 'location.buildingId', message: '请选择本社区的楼栋' }])
  }
  const unit = input.location.unitId ? places.get(input.location.unitId) : undefined
  if (input.location.unitId && (!unit || unit.parentId !== building._id)) {
    throw new AppError('INVALID_INPUT', '所选单元不在该楼栋内', [{ path: 'location.unitId', message: '所选单元不在该楼栋内' }])
  }
  const [, estates, grids] = await Promise.all([
    requireCleanText(ctx, input.description, 'description'),
    knownPlaces(ctx, [building.estateId ?? '']),
    gridNames(ctx, [building.gridId ?? '']),
  ])
  const estate = building.estateId ? estates.get(building.estateId) : undefined
  const photos = await checkedPhotos(ctx, input.photos, { collection: 'cases', docId: id })
  const now = ctx.clock.now()
  const c = newCase(ctx, {
    _id: id,
    kind: 'event',
    communityId: user.address.communityId,
    streetId: user.address.streetId,
    gridId: building.gridId ?? null,
    gridName: building.gridId ? (grids.get(building.gridId)?.name ?? null) : null,
    // The community triages every patrol report (分流转办).
    level: 'community',
    householdId: user.householdId,
    category: input.type,
    description: input.description,
    photos,
    location: { buildingId: building._id, unitId: unit?._id ?? null, text: `${estate?.name ?? ''} ${building.name}${unit ? ` ${unit.name}` : ''}`.trim() },
    otherParty: null,
    urgency: input.urgency,
    dueAt: acceptDeadline(now, input.urgency, caseRules),
    departmentId: null,
    departmentName: null,
    deptDueAt: null,
    routings: [],
  })
  const effects = [
    ...countEffect(c, { received: 1 }),
    notifyEffect(
      ctx,
      [{ people: staff }],
      caseNotice(c, {
        title: '新的巡查上报待分流',
        body: `${c.location.text}：${c.category}（${user.name ?? '网格员'}上报）`,
        template: 'case_new',
        fields: { subject: `${c.category}上报事项`, time: now, note: user.name ?? '网格员' },
      }),
    ),
  ]
  const earlier = await createCase(ctx, c, effects)
  return earlier ?? answer(ctx, c)
}

/** Shared by 分流转办 (community staff) and 吹哨 (the street): the report goes to a department with a deadline. */
async function toDepartment(
  ctx: Ctx,
  input: { id: string; version: number; departmentId: string; days?: number; note: string },
  mode: 'route' | 'whistle',
) {
  await requireCleanText(ctx, input.note, 'note')
  const user = ctx.user!
  const c0 = await loadCase(ctx, input.id)
  if (c0.kind !== 'event') throw new AppError('NOT_FOUND', '没有找到该上报事项')
  const allowed =
    mode === 'route'
      ? isStaff(user) && user.address.communityId === c0.communityId && c0.level === 'community'
      : hasRole(user, 'street') && user.address.streetId === c0.streetId && c0.level === 'street'
  if (isRepeat(ctx, c0, input.version, mode)) return answer(ctx, c0)
  if (!allowed) {
    if (!viewerOf(user, c0)) throw new AppError('NOT_FOUND', '没有找到该上报事项')
    throw new AppError('FORBIDDEN', mode === 'route' ? '只有社区可以分流转办待分派的上报事项' : '只有街道可以对上报到街道的事项吹哨')
  }
  if (input.version !== c0.version) throw new AppError('CONFLICT', '该事项已被他人更新，请刷新后再操作')
  if (!['submitted', 'accepted', 'mediating'].includes(c0.status)) throw new AppError('PRECONDITION_FAILED', '当前状态不能转办')
  // The department (the instance's cache), its contacts (read fresh: they are told) and the
  // default days when none were given, together. Round trips (issue 13): the contacts are the one
  // read after the caller's record and the case, so the figures (`routed`) do not take a request of
  // their own: they ride on the case's update and the job settles them (≤ 5 min, exactly once).
  const [dept, contacts, settings] = await Promise.all([
    departmentOf(ctx, input.departmentId, c0.streetId),
    departmentContacts(ctx, input.departmentId),
    input.days ? null : gridSettingsOf(ctx, c0.communityId),
  ])
  if (mode === 'whistle' && dept._id === c0.departmentId) throw new AppError('INVALID_INPUT', '请选择另一个职能部门', [{ path: 'departmentId', message: '吹哨需改派给另一个部门' }])
  const days = input.days ?? settings!.departmentDays
  const now = ctx.clock.now()
  const due = new Date(now.getTime() + days * 24 * 3600_000)
  const patch: Partial<CaseDoc> = {
    level: 'department',
    status: 'submitted',
    assigneeId: null,
    assigneeName: null,
    levelSince: now,
    departmentId: dept._id,
    departmentName: dept.name,
    deptDueAt: due,
    routings: [...(c0.routings ?? []), { departmentId: dept._id, at: now, by: ctx.openid, dueAt: due, whistle: mode === 'whistle' }],
  }
  const verb = mode === 'route' ? '分流转办' : '街道吹哨，改派'
  const c = await applyChange(ctx, c0, input.version, patch, entry(ctx, mode, c0.status, 'submitted', `${verb}至${dept.name}，${formatShort(due)} 前办结：${input.note}`), (n) => [
    ...countEffect(n, { routed: 1 }, [], { id: dept._id, inc: { routed: 1 } }),
    ...(contacts.length
      ? [
          notifyEffect(
            ctx,
            [{ people: contacts.map((p) => p.openid) }],
            caseNotice(n, {
              title: mode === 'route' ? '有转办的上报事项待处置' : '街道吹哨：上报事项待处置',
              body: `${n.location.text}：${n.category}，${formatShort(due)} 前办结。${input.note}`,
              template: 'case_new',
              fields: { subject: `${n.category}上报事项`, time: due, note: mode === 'route' ? '分流转办' : '街道吹哨' },
            }),
          ),
        ]
      : []),
    ...tellOwner(ctx, n, `已转交${dept.name}处置，${formatShort(due)} 前办结`),
  ], { countLater: true })
  return answer(ctx, c)
}

export const route: H['route'] = (input, ctx) => toDepartment(ctx, input, 'route')
export const whistle: H['whistle'] = (input, ctx) => toDepartment(ctx, input, 'whistle')
