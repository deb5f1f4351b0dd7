/**
 * What only the dispute pages load or send (the submit form and its places); everything both
 * case kinds share (lists, one case, its actions, grids) is in features/cases/data.ts.
 */
import { call } from '@/services/gateway'
import { loadSession } from '@/services/session'
import { casesApi, type CaseDetailT, type SubmitDisputeInputT } from '@/shared/api/cases'
import { userApi } from '@/shared/api/user'
import type { Profile } from '@/shared/domain/user'
import { quiet } from '@/features/cases/data'

export function submitDispute(payload: SubmitDisputeInputT, requestId: string): Promise<CaseDetailT> {
  return call(casesApi, 'submit', payload, { requestId, toast: false })
}

// ---------- places for the submit form ----------

export type { PlaceOption } from '@/features/cases/ui/PlacePicker'
import type { PlaceOption } from '@/features/cases/ui/PlacePicker'

export async function loadChildPlaces(parentId: string): Promise<PlaceOption[]> {
  const res = await call(userApi, 'places', { parentId }, quiet)
  return res.items.map((p) => ({ id: p.id, name: p.name }))
}

export interface LocationDefaults {
  estateName: string
  buildings: PlaceOption[]
  units: PlaceOption[]
  buildingId: string
  unitId: string
}

/**
 * The resident's own estate: its buildings, the units of their building, and their building and
 * unit preselected. null when the person has not onboarded (no address yet).
 */
export async function loadLocationDefaults(): Promise<{ profile: Profile; location: LocationDefaults } | null> {
  const { profile } = await loadSession()
  if (!profile) return null
  const { estate, building, unit } = profile.address
  const [buildings, units] = await Promise.all([loadChildPlaces(estate.id), loadChildPlaces(building.id)])
  return {
    profile,
    location: { estateName: estate.name, buildings, units, buildingId: building.id, unitId: unit.id },
  }
}
