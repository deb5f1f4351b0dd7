/** 职能部门 per street and their contacts; the community's grid settings. */
import { saveStoredSettings } from '../common/settings'
import { AppError } from '../../../../src/shared/errors'
import type { DepartmentOutT, gridApi } from '../../../../src/shared/api/grid'
import type { HandlersOf } from '../../runtime/serve'
import type { Ctx } from '../../runtime/context'
import { createdId } from '../../runtime/requests'
import { setContactRole } from '../common/contacts'
import { DB_DUPLICATE_KEY, isDbError } from '../../platform/db'
import { gridSettingsWithDefaults } from '../../../../src/shared/rules/grid'
import type { UserDoc } from '../../../../src/shared/domain/user'
import { DEPARTMENTS, GRID_SETTINGS, contactsOfDepartments, gridSettings, type DepartmentDoc } from './model'

type H = HandlersOf<typeof gridApi>

type Contact = { openid: string; name: string }

function departmentOut(d: DepartmentDoc, contacts: Map<string, Contact[]>): DepartmentOutT {
  return { id: d._id, name: d.name, kind: d.kind, phone: d.phone ?? null, contacts: contacts.get(d._id) ?? [] }
}

function listOf(ctx: Ctx, streetId: string): Promise<DepartmentDoc[]> {
  return ctx.db
    .collection<DepartmentDoc>(DEPARTMENTS)
    .where({ streetId })
    .orderBy('createdAt', 'asc')
    .limit(200)
    .get()
    .then((r) => r.data)
}

/**
 * Every department contact (role `department`), by the role's index, for a list shown whole: one
 * query beside the departments instead of one after them (a district has a few hundred; paged
 * past 1000). Contacts of departments not in `wanted` are dropped.
 */
async function allContacts(ctx: Ctx, wanted?: (id: string) => boolean): Promise<Map<string, Contact[]>> {
  const out = new Map<string, Contact[]>()
  for (let skip = 0; ; skip += 1000) {
    const page = await ctx.db.collection<UserDoc>('users').where({ roles: 'department' }).field({ _id: true, name: true, departmentId: true }).skip(skip).limit(1000).get()
    for (const u of page.data) {
      if (!u.departmentId || (wanted && !wanted(u.departmentId))) continue
      out.set(u.departmentId, [...(out.get(u.departmentId) ?? []), { openid: u._id, name: u.name ?? '联系人' }])
    }
    if (page.data.length < 1000) return out
  }
}

export const departments: H['departments'] = async (_input, ctx) => {
  const [list, contacts] = await Promise.all([listOf(ctx, ctx.user!.address.streetId), allContacts(ctx)])
  return { items: list.map((d) => departmentOut(d, contacts)) }
}

/** A new department is added beside reading the list; an edit is a compare-and-set on the version read with the list. */
export const saveDepartment: H['saveDepartment'] = async (input, ctx) => {
  const streetId = ctx.user!.address.streetId
  const now = ctx.clock.now()
  const phone = input.phone?.trim() || null
  if (!input.id) {
    const doc: DepartmentDoc = { _id: createdId(ctx, 'dp'), streetId, name: input.name, kind: input.kind, phone, version: 1, createdAt: now }
    const added = ctx.db
      .collection(DEPARTMENTS)
      .add({ data: doc as unknown as Record<string, unknown> })
      .catch((e: unknown) => {
        if (!isDbError(e, DB_DUPLICATE_KEY)) throw e // a retry of this request: it is there already
      })
    const [, list] = await Promise.all([added, listOf(ctx, streetId)])
    const ids = [...new Set([...list.map((d) => d._id), doc._id])]
    const contacts = await contactsOfDepartments(ctx, ids)
    const items = list.some((d) => d._id === doc._id) ? list : [...list, doc]
    return { items: items.map((d) => departmentOut(d, contacts)) }
  }
  const list = await listOf(ctx, streetId)
  const d = list.find((x) => x._id === input.id)
  if (!d) throw new AppError('NOT_FOUND', '没有找到本街道的这个部门')
  const [r, contacts] = await Promise.all([
    ctx.db.collection(DEPARTMENTS).where({ _id: d._id, version: d.version }).update({ data: { name: input.name, kind: input.kind, phone, version: d.version + 1 } }),
    contactsOfDepartments(ctx, list.map((x) => x._id)),
  ])
  if (r.stats.updated !== 1) throw new AppError('CONFLICT', '部门信息已被他人修改，请刷新后再试')
  const next: DepartmentDoc = { ...d, name: input.name, kind: input.kind, phone, version: d.version + 1 }
  return { items: list.map((x) => departmentOut(x._id === d._id ? next : x, contacts)) }
}

/** A contact is a person with role `department` and its id on their own record (one write). */
export const setDepartmentContact: H['setDepartmentContact'] = async (input, ctx) => {
  const streetId = ctx.user!.address.streetId
  const list = await listOf(ctx, streetId)
  const d = list.find((x) => x._id === input.departmentId)
  if (!d) throw new AppError('NOT_FOUND', '没有找到本街道的这个部门')
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
  const contacts = await contactsOfDepartments(ctx, list.map((x) => x._id))
  return { items: list.map((x) => departmentOut(x, contacts)) }
}

export const settings: H['settings'] = async (_input, ctx) => gridSettings(ctx, ctx.user!.address.communityId)

/** Answers the settings as stored, derived from what was written (the same defaults a read applies). */
export const saveSettings: H['saveSettings'] = async (input, ctx) => {
  const communityId = ctx.user!.address.communityId
  await saveStoredSettings(ctx, GRID_SETTINGS, communityId, input)
  return gridSettingsWithDefaults(input)
}
