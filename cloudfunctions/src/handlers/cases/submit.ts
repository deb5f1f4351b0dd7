/** Submitting a dispute: validate places and photos, route to the grid (or community queue), notify. */
import { AppError } from '../../../../src/shared/errors'
import type { casesApi } from '../../../../src/shared/api/cases'
import { DISPUTE_CATEGORIES, acceptDeadline } from '../../../../src/shared/rules/cases'
import { formatShort } from '../../../../src/shared/time'
import type { HandlersOf } from '../../runtime/serve'
import { gridsById, knownPlaces } from '../common/places'
import { checkedPhotos, requireCleanText } from '../common/content'
import { notifyEffect } from '../common/effects'
import { createdId } from '../../runtime/requests'
import { caseLink, detailOf, entry, viewerOf, type CaseDoc } from './model'
import { actingFor } from '../common/proxy'
import { proxyText } from '../../../../src/shared/domain/proxy'
import { createCase, createdBefore, newCase } from './create'
import { handlersAt } from './act'
import { countEffect } from './stats'
import { caseSettings } from './settings'

type H = HandlersOf<typeof casesApi>

export const submit: H['submit'] = async (input, ctx) => {
  // 代办: the case is the resident's (their community, household, name and phone); the caller is recorded as `proxy`.
  const acting = input.onBehalfOf ? await actingFor(ctx, input.onBehalfOf) : null
  const user = acting?.owner ?? ctx.user!
  const id = createdId(ctx, 'cs')
  if (ctx.retry) {
    const found = await createdBefore(ctx, id)
    if (found) return found
  }
  if (!(DISPUTE_CATEGORIES as readonly string[]).includes(input.category)) {
    throw new AppError('INVALID_INPUT', '请选择纠纷类型', [{ path: 'category', message: '请选择纠纷类型' }])
  }
  const ids = [input.location.buildingId, input.location.unitId ?? '', input.otherParty?.buildingId ?? '', input.otherParty?.unitId ?? '']
  const places = await knownPlaces(ctx, ids)
  const building = places.get(input.location.buildingId)
  if (!building || building.kind !== 'building' || building.communityId !== user.address.communityId) {
    throw new AppError('INVALID_INPUT', '请选择本社区的楼栋', [{ path: 'location.buildingId', message: '请选择本社区的楼栋' }])
  }
  const unit = input.location.unitId ? places.get(input.location.unitId) : undefined
  if (input.location.unitId && (!unit || unit.parentId !== building._id)) {
    throw new AppError('INVALID_INPUT', '所选单元不在该楼栋内', [{ path: 'location.unitId', message: '所选单元不在该楼栋内' }])
  }
  const ob = input.otherParty ? places.get(input.otherParty.buildingId) : undefined
  const ou = input.otherParty ? places.get(input.otherParty.unitId) : undefined
  if (input.otherParty && (!ob || ob.kind !== 'building' || ob.communityId !== user.address.communityId || !ou || ou.parentId !== ob._id)) {
    throw new AppError('INVALID_INPUT', '对方住址不在本社区', [{ path: 'otherParty', message: '请选择本社区的楼栋和单元' }])
  }
  // The text check (the platform's), the estates' names for the location texts (the instance's
  // place tree), the grid with its workers (read fresh: they route the case) and the deadlines, together.
  const [, estates, grids, settings] = await Promise.all([
    requireCleanText(ctx, input.description, 'description'),
    knownPlaces(ctx, [building.estateId ?? '', ob?.estateId ?? '']),
    gridsById(ctx, building.gridId ? [building.gridId] : []),
    caseSettings(ctx, user.address.communityId),
  ])
  // Photos after the text passed: a pending check is registered with the case it belongs to.
  const photos = await checkedPhotos(ctx, input.photos, { collection: 'cases', docId: id })
  const grid = building.gridId ? grids.get(building.gridId) : undefined
  const estate = building.estateId ? estates.get(building.estateId) : undefined
  const otherParty: CaseDoc['otherParty'] =
    input.otherParty && ob && ou
      ? { ...input.otherParty, text: `${(ob.estateId && estates.get(ob.estateId)?.name) || ''} ${ob.name} ${ou.name} ${input.otherParty.room}`.trim() }
      : null
  // Routing: the mediator(s) of the grid; a grid without one sends the case to the community queue.
  const level = grid && grid.workerIds.length > 0 ? 'grid' : 'community'
  const now = ctx.clock.now()
  const c = newCase(ctx, {
    _id: id,
    kind: 'dispute',
    communityId: user.address.communityId,
    streetId: user.address.streetId,
    gridId: building.gridId ?? null,
    gridName: grid?.name ?? null,
    level,
    householdId: user.householdId,
    category: input.category,
    description: input.description,
    photos,
    location: { buildingId: building._id, unitId: unit?._id ?? null, text: `${estate?.name ?? ''} ${building.name}${unit ? ` ${unit.name}` : ''}`.trim() },
    otherParty,
    urgency: input.urgency,
    dueAt: acceptDeadline(now, input.urgency, settings),
    ...(acting
      ? {
          ownerId: user._id,
          ownerName: user.name ?? '居民',
          ownerPhone: user.phone ?? null,
          proxy: acting.proxy,
          timeline: [entry(ctx, 'submit', null, 'submitted', proxyText(acting.proxy))],
        }
      : {}),
  })
  // What follows from the new case (the month's 受理量, telling the handlers) travels in its own
  // write and is settled after it: never lost by a crash, never the cause of an error answer.
  const effects = [
    ...countEffect(c, { received: 1 }),
    notifyEffect(ctx, [handlersAt(c)], {
      title: `新的${input.urgency === 'urgent' ? '紧急' : ''}纠纷待受理`,
      body: `${c.location.text}：${input.category}，请在 ${formatShort(c.dueAt!)} 前受理`,
      link: caseLink(c),
      ref: `case:${id}`,
      template: 'case_new',
      fields: { subject: `${input.category}纠纷`, time: now, note: '待受理' },
    }),
    // 代办: the resident is told it was submitted for them (it is theirs: 我的纠纷, and every notice after).
    ...(acting
      ? [
          notifyEffect(ctx, [{ people: [user._id] }], {
            title: `${acting.proxy.byRole}为您代办了一件纠纷`,
            body: `${c.location.text}：${input.category}。${proxyText(acting.proxy)}，可在「我的纠纷」查看进度`,
            link: caseLink(c),
            ref: `case:${id}`,
            template: 'case_progress',
            fields: { subject: `${input.category}纠纷`, status: '待受理', note: `${acting.proxy.byName}代办` },
          }),
        ]
      : []),
  ]
  const found = await createCase(ctx, c, effects, { grids })
  if (found) return found
  return detailOf(ctx, c, acting ? (viewerOf(ctx.user, c) ?? 'observer') : 'owner', new Map())
}
