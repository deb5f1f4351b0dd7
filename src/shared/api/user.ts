/** Cloud function `user`: identity, onboarding (入驻), profile, roles and address verification. */
import { plainText, z } from '../z'
import { action, defineFunction, ROLES } from './define'
import { Empty, IdSchema, PageFields, pageOf } from './common'
import { NameSchema, PhoneSchema } from '../ids'
import { PlaceKindSchema, ProfileSchema, RoleSchema, RoomSchema } from '../domain/user'
import { meAction } from './user-me'

export const PlaceItem = z.object({ id: z.string(), name: z.string(), kind: PlaceKindSchema })

export const ResidentItem = z.object({
  openid: z.string(),
  name: z.nullable(z.string()),
  phoneMasked: z.nullable(z.string()),
  roles: z.array(RoleSchema),
  verified: z.boolean(),
  addressText: z.string(),
  gridName: z.nullable(z.string()),
  /** The grids the person looks after (网格员; empty otherwise): the role editor starts from them. */
  gridIds: z.array(z.string()),
})
export type ResidentItemT = z.infer<typeof ResidentItem>

const OpenIdIn = z.string().check(z.minLength(1), z.maxLength(64))
/** weapp: the one-time code from the 手机号快速验证 button, exchanged on the server. */
const PhoneCode = z.optional(z.string().check(z.minLength(1), z.maxLength(128)))

export const OnboardInput = z.strictObject({
  communityId: IdSchema,
  estateId: IdSchema,
  buildingId: IdSchema,
  unitId: IdSchema,
  room: RoomSchema,
  name: z.optional(NameSchema),
  phone: z.optional(PhoneSchema),
  phoneCode: PhoneCode,
  inviteCode: z.optional(z.string().check(z.trim(), z.regex(/^[A-Z0-9]{6}$/, '邀请码为 6 位字母或数字'))),
})
export type OnboardInputT = z.input<typeof OnboardInput>

export const userApi = defineFunction('user', {
  me: meAction,
  places: action({
    read: true,
    summary: '入驻选择：某个上级地点下的社区 / 小区 / 楼栋 / 单元',
    access: 'user',
    input: z.strictObject({ parentId: z.optional(IdSchema) }),
    output: z.object({ items: z.array(PlaceItem) }),
  }),
  onboard: action({
    summary: '入驻：选择社区 → 小区 → 楼栋 → 单元，填写门牌号，可选姓名和手机号',
    access: 'user',
    idempotent: 'record',
    input: OnboardInput,
    output: ProfileSchema,
  }),
  updateProfile: action({
    daily: 'profile',
    summary: '修改姓名、手机号，登记在职党员报到单位',
    access: 'member',
    input: z.strictObject({
      name: z.optional(NameSchema),
      phone: z.optional(PhoneSchema),
      phoneCode: PhoneCode,
      partyUnit: z.optional(z.string().check(z.trim(), z.minLength(2, '请填写报到单位全称'), z.maxLength(40, '单位名称最多 40 个字'), plainText())),
    }),
    output: ProfileSchema,
  }),
  residents: action({
    read: true,
    summary: '工作人员 / 网格员：本社区（网格员：本网格）居民名单，可只看待认证',
    access: ['staff', 'admin', 'grid_worker'],
    input: z.strictObject({ ...PageFields, onlyUnverified: z._default(z.boolean(), false) }),
    output: pageOf(ResidentItem),
  }),
  colleagues: action({
    read: true,
    summary: '工作人员：本社区的工作人员和管理员（转办给同事时选择）',
    access: ['staff', 'admin'],
    input: z.strictObject({}),
    output: z.object({ items: z.array(z.object({ openid: z.string(), name: z.string(), roles: z.array(RoleSchema) })) }),
  }),
  verify: action({
    summary: '工作人员 / 网格员：认证居民住址',
    access: ['staff', 'admin', 'grid_worker'],
    input: z.strictObject({ openid: OpenIdIn }),
    output: ResidentItem,
  }),
  setRoles: action({
    summary: '设置角色：工作人员可设志愿者/党员/网格员，管理员还可设工作人员和管理员',
    access: ['staff', 'admin'],
    input: z.strictObject({
      openid: OpenIdIn,
      roles: z.array(RoleSchema).check(z.minLength(1, '至少保留一个角色'), z.maxLength(ROLES.length)),
      gridIds: z.optional(z.array(IdSchema).check(z.maxLength(20))),
    }),
    output: ResidentItem,
  }),
  grids: action({
    read: true,
    summary: '工作人员 / 网格员：本社区的网格（转办、设置网格员时选择）',
    access: ['staff', 'admin', 'grid_worker'],
    input: Empty,
    output: z.object({ items: z.array(z.object({ id: z.string(), name: z.string(), workerCount: z.number(), mine: z.boolean() })) }),
  }),
  createInvite: action({
    daily: 'invites',
    summary: '网格员：生成本网格的住址认证邀请码（7 天有效，最多 20 户使用）',
    access: ['grid_worker'],
    input: z.strictObject({ gridId: IdSchema }),
    output: z.object({ code: z.string(), expiresAt: z.string(), gridName: z.string() }),
  }),
  setup: action({
    summary: '管理员：初始化云开发环境（创建缺少的集合，列出需在控制台创建的索引）；新环境上任何已登录的人都可执行一次',
    access: 'setup',
    input: Empty,
    output: z.object({
      created: z.array(z.string()),
      existing: z.array(z.string()),
      /** CloudBase's server SDK cannot create indexes: these go into 数据库 → 索引管理 by hand. */
      indexes: z.array(z.object({ collection: z.string(), fields: z.string(), unique: z.boolean() })),
    }),
  }),
  tick: action({
    summary: '定时任务：补发未送达的通知与网格员名单、清理过期的请求编号与频率计数',
    access: 'system',
    input: z.object({}),
    output: z.object({ settled: z.number(), requestsPruned: z.number(), countersPruned: z.number() }),
  }),
})
