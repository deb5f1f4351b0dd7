/**
 * A person who acts for an organisation — a property company's contact (物业联系人), a
 * department's (职能部门): a role plus the organisation's id on their own `users` record, so
 * naming or removing one is a single compare-and-set write with nothing else to keep in step.
 */
import { AppError } from '../../../../src/shared/errors'
import type { UserDoc } from '../../../../src/shared/domain/user'
import type { Ctx } from '../../runtime/context'
import { getOrNull } from './docs'

export interface ContactChange {
  role: 'property' | 'department'
  field: 'companyId' | 'departmentId'
  orgId: string
  /** The person, by the phone they registered with, or by openid (removing one listed). */
  phone?: string
  openid?: string
  on: boolean
  /** Said when the person already acts for another organisation of this kind. */
  elsewhere: string
  /** Said when removing someone who is not this organisation's contact. */
  notContact: string
}

export async function setContactRole(ctx: Ctx, c: ContactChange): Promise<void> {
  let person: UserDoc | null = null
  if (c.openid) person = await getOrNull<UserDoc>(ctx, 'users', c.openid)
  else if (c.phone) person = (await ctx.db.collection<UserDoc>('users').where({ phone: c.phone }).limit(1).get()).data[0] ?? null
  else throw new AppError('INVALID_INPUT', '请填写联系人的手机号', [{ path: 'phone', message: '请填写手机号' }])
  if (!person) throw new AppError('NOT_FOUND', '没有找到使用该手机号登记的用户，请对方先在小程序中登记并填写手机号')
  const version = person.version ?? 1
  const current = person[c.field] ?? null
  if (c.on && current && current !== c.orgId && person.roles.includes(c.role)) throw new AppError('CONFLICT', c.elsewhere)
  if (!c.on && current !== c.orgId) throw new AppError('NOT_FOUND', c.notContact)
  const data = c.on ? { roles: ctx._.addToSet(c.role), [c.field]: c.orgId } : { roles: ctx._.pull(c.role), [c.field]: null }
  const r = await ctx.db
    .collection('users')
    .where({ _id: person._id, version })
    .update({ data: { ...data, version: version + 1, updatedAt: ctx.clock.now() } })
  if (r.stats.updated !== 1) throw new AppError('CONFLICT', '此人的信息刚刚有变化，请重试')
}
