/**
 * What the case engine reads of the grid function's data, kept per function instance like the
 * place tree (common/places.ts), so routing a patrol report or reading the figures costs no
 * request for it once seen:
 * - departments (职能部门): a department's name and street, `REFERENCE_TTL_MS` (a rename shows in
 *   new routings within that time; a department created since is read at once, being unknown);
 * - the community's grid settings (网格事项清单, a department's default days), kept like every
 *   feature's settings (common/settings.ts: an admin's change reaches every instance within its TTL).
 * Kept in the instance's memory (runtime/instance.ts). The documents are the grid function's
 * (handlers/grid); only reading is done here.
 */
import { AppError } from '../../../../src/shared/errors'
import { gridSettingsWithDefaults, type GridSettings } from '../../../../src/shared/rules/grid'
import type { Ctx } from '../../runtime/context'
import { REFERENCE_TTL_MS } from '../common/places'
import { storedSettings } from '../common/settings'
import { instanceMap } from '../../runtime/instance'

export interface DepartmentRef {
  _id: string
  name: string
  streetId: string
}


/** Departments by id, from the instance's cache where it has them, the rest in one read. */
export async function knownDepartments(ctx: Pick<Ctx, 'db' | '_' | 'clock'>, ids: string[]): Promise<Map<string, DepartmentRef>> {
  const now = ctx.clock.now().getTime()
  const departments = instanceMap<{ at: number; d: DepartmentRef }>(ctx, 'departments')
  const out = new Map<string, DepartmentRef>()
  const missing: string[] = []
  for (const id of new Set(ids.filter(Boolean))) {
    const hit = departments.get(id)
    if (hit && Math.abs(now - hit.at) < REFERENCE_TTL_MS) out.set(id, hit.d)
    else missing.push(id)
  }
  if (missing.length) {
    const res = await ctx.db.collection<DepartmentRef>('departments').where({ _id: ctx._.in(missing) }).field({ _id: true, name: true, streetId: true }).limit(missing.length).get()
    for (const d of res.data) {
      const ref = { _id: d._id, name: d.name, streetId: d.streetId }
      departments.set(d._id, { at: now, d: ref })
      out.set(d._id, ref)
    }
  }
  return out
}

/**
 * A department of this street, or the form's error. Not yet known here: the street's departments
 * are read together (one indexed read, a street has a few dozen), so routing to another of them
 * needs no read either.
 */
export async function departmentOf(ctx: Pick<Ctx, 'db' | '_' | 'clock'>, id: string, streetId: string): Promise<DepartmentRef> {
  const now = ctx.clock.now().getTime()
  const departments = instanceMap<{ at: number; d: DepartmentRef }>(ctx, 'departments')
  const hit = departments.get(id)
  if (!hit || Math.abs(now - hit.at) >= REFERENCE_TTL_MS) {
    const res = await ctx.db.collection<DepartmentRef>('departments').where({ streetId }).field({ _id: true, name: true, streetId: true }).limit(200).get()
    for (const d of res.data) departments.set(d._id, { at: now, d: { _id: d._id, name: d.name, streetId: d.streetId } })
  }
  const d = (await knownDepartments(ctx, [id])).get(id)
  if (!d || d.streetId !== streetId) throw new AppError('INVALID_INPUT', '请选择本街道登记的职能部门', [{ path: 'departmentId', message: '请选择本街道的职能部门' }])
  return d
}

/** The community's grid settings over their defaults (the same rule the grid function reads them by). */
export async function gridSettingsOf(ctx: Pick<Ctx, 'db' | 'clock'>, communityId: string): Promise<GridSettings> {
  return gridSettingsWithDefaults(await storedSettings<GridSettings>(ctx, 'grid_settings', communityId))
}
