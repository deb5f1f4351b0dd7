/** 职能部门 per street and their contacts; the community's grid settings. */
import { AppError } from '../../../../src/shared/errors'
import type { DepartmentOutT, gridApi } from '../../../../src/shared/api/grid'
import type { HandlersOf } from '../../runtime/serve'
import type { Ctx } from '../../runtime/context'
import { createdId } from '../../runtime/requests'
import { setContactRole } from '../common/contacts'
import { DB_DUPLICATE_KEY, isDbError } from '../../platform/db'
import { DEPARTMENTS, GRID_SETTINGS, departmentContacts, getOrNull, gridSettings, type DepartmentDoc } from './model'

type H = HandlersOf<typeof gridApi>

async function departmentsOut(ctx: Ctx, streetId: string): Promise<{ items: DepartmentOutT[] }> {
  const res = await ctx.db.collection<DepartmentDoc>(DEPARTMENTS).where({ streetId }).orderBy('createdAt', 'asc').limit(200).get()
  const contacts = await Promise.all(res.data.map((d) => departmentContacts(ctx, d._id)))
  return { items: res.data.map((d, i) => ({ id: d._id, name: d.name, kind: d.kind, phone: d.phone ?? null, contacts: contacts[i] })) }
}

export const departments: H['departments'] = async (_input, ctx) => departmentsOut(ctx, ctx.user!.address.streetId)

export const saveDepartment: H['saveDepartment'] = async (input, ctx) => {
  const streetId = ctx.user!.address.streetId
  const now = ctx.clock.now()
  const phone = input.phone?.trim() || null
  if (!input.id) {
    const doc: DepartmentDoc = { _id: createdId(ctx, 'dp'), streetId, name: input.name, kind: input.kind, phone, version: 1, createdAt: now }
    try {
      await ctx.db.collection(DEPARTMENTS).add({ data: doc as unknown as Record<string, unknown> })
    } catch (e) {
      if (!isDbError(e, DB_DUPLICATE_KEY)) throw e // a retry of this request: it is there already
    }
    return departmentsOut(ctx, streetId)
  }
  const d = await getOrNull<DepartmentDoc>(ctx, DEPARTMENTS, input.id)
  if (!d || d.streetId !== streetId) throw new AppError('NOT_FOUND', '没有找到本街道的这个部门')
  const r = await ctx.db.collection(DEPARTMENTS).where({ _id: d._id, version: d.version }).update({ data: { name: input.name, kind: input.kind, phone, version: d.version + 1 } })
  if (r.stats.updated !== 1) throw new AppError('CONFLICT', '部门信息已被他人修改，请刷新后再试')
  return departmentsOut(ctx, streetId)
}

/** A contact is a person with role `department` and its id on their own record (one write). */
export const setDepartmentContact: H['setDepartmentContact'] = async (input, ctx) => {
  const streetId = ctx.user!.address.streetId
  const d = await getOrNull<DepartmentDoc>(ctx, DEPARTMENTS, input.departmentId)
  if (!d || d.streetId !== streetId) throw new AppError('NOT_FOUND', '没有找到本街道的这个部门')
  await setContactRole(ctx, {
    role: 'department',
    field: 'departmentId',
    orgId: d._id,
    phone: input.phone,
    openid: input.openid,
    on: input.on,
    elsewhere: '此人已是另一个部门的联系人，请先在那个部门取消',
    notContact: '此人不是这个部门的联系人',
  })
  return departmentsOut(ctx, streetId)
}

export const settings: H['settings'] = async (_input, ctx) => gridSettings(ctx, ctx.user!.address.communityId)

export const saveSettings: H['saveSettings'] = async (input, ctx) => {
  const communityId = ctx.user!.address.communityId
  await ctx.db.collection(GRID_SETTINGS).doc(communityId).set({ data: { ...input, updatedAt: ctx.clock.now(), updatedBy: ctx.openid } })
  return gridSettings(ctx, communityId)
}
