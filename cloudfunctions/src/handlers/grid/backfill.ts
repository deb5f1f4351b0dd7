/**
 * Records written before 网格户籍 kept its order — people (`users.rosterKey`, written at onboarding
 * since) and households (`households.rosterKey`, written with each tag or visit) — get their key
 * from the grid timer, a batch per run, so the roster's pages (ordered by it) list them in place
 * instead of first. Found through an index on the key (`rosterKey: null` also matches a missing
 * field, as in CloudBase); a record with no address to order by gets '' and is not asked again.
 * Once every record has a key, a run costs two queries that find nothing.
 */
import { rosterKey } from '../../../../src/shared/rules/grid'
import type { UserDoc } from '../../../../src/shared/domain/user'
import type { Ctx } from '../../runtime/context'
import { knownPlaces } from '../common/places'
import { HOUSEHOLDS, type HouseholdDoc } from './model'

/** Records keyed per run at most, of each collection. */
const BATCH = 200

type Address = { estateId: string; buildingId: string; unitId: string; room: string }

export async function backfillRosterKeys(ctx: Ctx): Promise<number> {
  const [people, homes] = await Promise.all([
    ctx.db.collection<UserDoc>('users').where({ rosterKey: null }).field({ _id: true, address: true }).limit(BATCH).get(),
    ctx.db.collection<HouseholdDoc>(HOUSEHOLDS).where({ rosterKey: null }).field({ _id: true, unitId: true, buildingId: true, room: true }).limit(BATCH).get(),
  ])
  if (people.data.length === 0 && homes.data.length === 0) return 0
  const units = await knownPlaces(ctx, [...people.data.map((u) => u.address?.unitId ?? ''), ...homes.data.map((h) => h.unitId ?? '')])
  const parents = await knownPlaces(ctx, [...units.values()].flatMap((u) => [u.estateId ?? '', u.buildingId ?? '']))
  const keyOf = (a: Partial<Address> | null | undefined): string => {
    const unit = a?.unitId ? units.get(a.unitId) : undefined
    const estateId = a?.estateId ?? unit?.estateId
    const buildingId = a?.buildingId ?? unit?.buildingId
    if (!a?.unitId || !a.room || !estateId || !buildingId) return ''
    return rosterKey({ estate: parents.get(estateId), building: parents.get(buildingId), unit }, { estateId, buildingId, unitId: a.unitId, room: a.room })
  }
  await Promise.all([
    ...people.data.map((u) => ctx.db.collection('users').doc(u._id).update({ data: { rosterKey: keyOf(u.address) } })),
    ...homes.data.map((h) => ctx.db.collection(HOUSEHOLDS).doc(h._id).update({ data: { rosterKey: keyOf(h) } })),
  ])
  return people.data.length + homes.data.length
}
