/** user function: onboarding, profile, verification, roles — through serve() on the local cloud. */
import { testCloud, type TestCloud } from '../support/cloud'
import { DEMO } from '../../cloudfunctions/src/local/seed'

let t: TestCloud
beforeEach(async () => {
  t = await testCloud()
})
afterEach(() => t.close())

const P = DEMO.people
const good = { communityId: 'c-cuihu', estateId: 'e-cuiyuan', buildingId: 'b-cy-1', unitId: 'b-cy-1-u2', room: '1501' }

describe('onboarding', () => {
  it('lists communities, then estates, buildings and units of a parent', async () => {
    const c = await t.ok('new-1', 'user', 'places', {})
    expect(c.items.map((p: { name: string }) => p.name)).toEqual(['翠湖社区', '金桥社区'])
    const e = await t.ok('new-1', 'user', 'places', { parentId: 'c-cuihu' })
    expect(e.items.map((p: { name: string }) => p.name)).toEqual(['翠园小区', '湖畔花园'])
    const u = await t.ok('new-1', 'user', 'places', { parentId: 'b-cy-1' })
    expect(u.items.map((p: { kind: string }) => p.kind)).toEqual(['unit', 'unit'])
  })

  it('creates the person as an unverified resident with their address, grid and masked phone', async () => {
    expect((await t.ok('new-1', 'user', 'me')).profile).toBeNull()
    const p = await t.ok('new-1', 'user', 'onboard', { ...good, name: '钱小满', phone: '13912345678' })
    expect(p).toMatchObject({ openid: 'new-1', name: '钱小满', phoneMasked: '139****5678', roles: ['resident'], verified: false })
    expect(p.address.text).toBe('翠园小区 1栋 2单元 1501')
    expect(p.address.gridName).toBe('翠湖第一网格')
    const me = await t.ok('new-1', 'user', 'me')
    expect(me.profile.address.community.name).toBe('翠湖社区')
  })

  it.each([
    ['an unknown community', { ...good, communityId: 'c-nowhere' }, 'communityId', /没有找到这个社区/],
    ['a building not in the estate', { ...good, buildingId: 'b-hp-1', unitId: 'b-hp-1-u1' }, 'buildingId', /不在该小区/],
    ['a unit of another building', { ...good, unitId: 'b-cy-2-u1' }, 'unitId', /不在该楼栋/],
    ['a malformed phone', { ...good, phone: '12345' }, 'phone', /11 位手机号/],
    ['an 11-digit number that is no mobile number', { ...good, phone: '23800001234' }, 'phone', /^手机号应以 1 开头，请核对$/],
    ['a mobile number with a wrong second digit', { ...good, phone: '12800001234' }, 'phone', /^手机号第 2 位应为 3 至 9，请核对$/],
    ['a 10 KB name', { ...good, name: '名'.repeat(10 * 1024) }, 'name', /最多 20 个字/],
    ['an empty room', { ...good, room: '' }, 'room', /门牌号/],
  ])('rejects %s with a clear Chinese error and writes nothing', async (_label, payload, path, message) => {
    const before = await t.count('users')
    const r = await t.call('new-2', 'user', 'onboard', payload)
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.error.code).toBe('INVALID_INPUT')
    const issue = r.error.issues!.find((i) => i.path === path)
    expect(issue?.message).toMatch(message)
    expect(await t.count('users')).toBe(before)
  })

  it('rejects a name that fails the content check', async () => {
    const r = await t.call('new-3', 'user', 'onboard', { ...good, name: '赌博王' })
    expect(!r.ok && r.error.code).toBe('CONTENT_REJECTED')
    expect(await t.count('users', { _id: 'new-3' })).toBe(0)
  })

  it('exchanges a phone code on the server (weapp phone button)', async () => {
    const p = await t.ok('new-4', 'user', 'onboard', { ...good, phoneCode: 'dev:13700001111' })
    expect(p.phoneMasked).toBe('137****1111')
    const bad = await t.call('new-5', 'user', 'onboard', { ...good, phoneCode: 'garbage' })
    expect(!bad.ok && bad.error.issues![0].path).toBe('phone')
  })

  it('verifies the address with a grid worker invitation code of the right grid only', async () => {
    const inv = await t.ok(P.mediator1, 'user', 'createInvite', { gridId: 'g-cuihu-1' })
    expect(inv.code).toMatch(/^[A-Z2-9]{6}$/)
    const wrongGrid = await t.call('new-6', 'user', 'onboard', { ...good, buildingId: 'b-cy-3', unitId: 'b-cy-3-u1', inviteCode: inv.code })
    expect(!wrongGrid.ok && wrongGrid.error.issues![0].path).toBe('inviteCode')
    const p = await t.ok('new-6', 'user', 'onboard', { ...good, inviteCode: inv.code })
    expect(p.verified).toBe(true)
    const unknown = await t.call('new-7', 'user', 'onboard', { ...good, inviteCode: 'ZZZZZZ' })
    expect(!unknown.ok && unknown.error.message).toMatch(/邀请码不存在/)
  })

  it('lets only a grid worker of that grid create invitations', async () => {
    expect((await t.call(P.mediator1, 'user', 'createInvite', { gridId: 'g-cuihu-2' })).ok).toBe(false)
    const r = await t.call(P.resident, 'user', 'createInvite', { gridId: 'g-cuihu-1' })
    expect(!r.ok && r.error.code).toBe('FORBIDDEN')
  })

  it('moving house resets verification', async () => {
    const p = await t.ok(P.resident, 'user', 'onboard', { ...good, room: '909' })
    expect(p.verified).toBe(false)
    expect(p.roles).toEqual(['resident'])
  })
})

describe('staff and grid workers', () => {
  it('forbids a resident from staff-only actions', async () => {
    for (const [action, payload] of [
      ['residents', {}],
      ['verify', { openid: P.unverified }],
      ['setRoles', { openid: P.resident, roles: ['staff'] }],
    ] as const) {
      const r = await t.call(P.resident, 'user', action, payload)
      expect(!r.ok && r.error.code).toBe('FORBIDDEN')
    }
  })

  it('lists the community residents with masked phones, paginated, and the unverified queue', async () => {
    const page1 = await t.ok(P.staff, 'user', 'residents', { pageSize: 3 })
    expect(page1.items).toHaveLength(3)
    expect(page1.nextCursor).toBe('3')
    expect(page1.items.every((i: { phoneMasked: string }) => /\*\*\*\*/.test(i.phoneMasked))).toBe(true)
    const queue = await t.ok(P.staff, 'user', 'residents', { onlyUnverified: true })
    expect(queue.items.map((i: { openid: string }) => i.openid)).toEqual([P.unverified])
    const other = await t.ok(P.otherStaff, 'user', 'residents', {})
    expect(other.items.every((i: { addressText: string }) => i.addressText.startsWith('金桥新村'))).toBe(true)
  })

  it('says which grids a grid worker looks after (empty for everyone else), also after setRoles', async () => {
    const all = await t.ok(P.staff, 'user', 'residents', { pageSize: 50 })
    const byId = new Map(all.items.map((i: { openid: string; gridIds: string[] }) => [i.openid, i.gridIds]))
    expect(byId.get(P.mediator1)).toEqual(['g-cuihu-1'])
    expect(byId.get(P.resident)).toEqual([])
    const r = await t.ok(P.staff, 'user', 'setRoles', { openid: P.mediator1, roles: ['resident', 'grid_worker'], gridIds: ['g-cuihu-1', 'g-cuihu-3'] })
    expect(r.gridIds).toEqual(['g-cuihu-1', 'g-cuihu-3'])
    const again = await t.ok(P.staff, 'user', 'residents', { pageSize: 50 })
    expect(again.items.find((i: { openid: string }) => i.openid === P.mediator1).gridIds).toEqual(['g-cuihu-1', 'g-cuihu-3'])
  })

  it('staff verify a resident of their community; another community cannot see them', async () => {
    const denied = await t.call(P.otherStaff, 'user', 'verify', { openid: P.unverified })
    expect(!denied.ok && denied.error.code).toBe('NOT_FOUND')
    const r = await t.ok(P.staff, 'user', 'verify', { openid: P.unverified })
    expect(r.verified).toBe(true)
    expect((await t.ok(P.unverified, 'user', 'me')).profile.verified).toBe(true)
  })

  it('a grid worker verifies only residents of their grids', async () => {
    // 黄海 lives in 湖畔花园 2号楼 (第三网格), not 张伟's 第一网格.
    const r = await t.call(P.mediator1, 'user', 'verify', { openid: P.unverified })
    expect(!r.ok && r.error.code).toBe('NOT_FOUND')
  })

  it('staff grant volunteer and grid worker roles, but only an admin grants staff', async () => {
    const r = await t.ok(P.staff, 'user', 'setRoles', { openid: P.resident2, roles: ['resident', 'grid_worker'], gridIds: ['g-cuihu-3'] })
    expect(r.roles).toEqual(['resident', 'grid_worker'])
    const grid = (await t.cloud.db.collection('grids').doc('g-cuihu-3').get()).data as unknown as { workerIds: string[] }
    expect(grid.workerIds).toContain(P.resident2)
    const denied = await t.call(P.staff, 'user', 'setRoles', { openid: P.resident, roles: ['resident', 'staff'] })
    expect(!denied.ok && denied.error.code).toBe('FORBIDDEN')
    const ok = await t.ok(P.admin, 'user', 'setRoles', { openid: P.resident, roles: ['resident', 'staff'] })
    expect(ok.roles).toContain('staff')
    const foreign = await t.call(P.admin, 'user', 'setRoles', { openid: P.resident2, roles: ['grid_worker'], gridIds: ['g-jinqiao-1'] })
    expect(!foreign.ok && foreign.error.code).toBe('INVALID_INPUT')
  })

  it('lists the community grids for staff and grid workers, not for residents', async () => {
    const g = await t.ok(P.mediator1, 'user', 'grids')
    expect(g.items.map((i: { name: string }) => i.name)).toEqual(['翠湖第一网格', '翠湖第二网格', '翠湖第三网格'])
    expect(g.items.find((i: { mine: boolean }) => i.mine).id).toBe('g-cuihu-1')
    expect((await t.ok(P.otherStaff, 'user', 'grids')).items.map((i: { id: string }) => i.id)).toEqual(['g-jinqiao-1'])
    const r = await t.call(P.resident, 'user', 'grids')
    expect(!r.ok && r.error.code).toBe('FORBIDDEN')
  })

  it('an admin cannot remove their own admin role', async () => {
    const r = await t.call(P.admin, 'user', 'setRoles', { openid: P.admin, roles: ['resident', 'staff'] })
    expect(!r.ok && r.error.code).toBe('PRECONDITION_FAILED')
  })
})

describe('demo activity', () => {
  it('creates disputes and bookings in several states through the real functions', async () => {
    const { seedDemoActivity } = await import('../../cloudfunctions/src/local/seed')
    await seedDemoActivity((openid, fn, action, payload) => t.cloud.call(fn, { action, payload }, openid), t.clock.now())
    const mine = await t.ok(P.resident, 'cases', 'mine', {})
    expect(mine.items.map((c: { statusLabel: string }) => c.statusLabel)).toEqual(['调解中'])
    const queue = await t.ok(P.staff, 'cases', 'queue', { status: 'open' })
    expect(queue.items).toHaveLength(2)
    const pending = await t.ok(P.staff, 'booking', 'pending', {})
    expect(pending.items).toHaveLength(1)
  })
})

describe('found in review', () => {
  it('registering an employer unit records it but does not make the person a 在职党员', async () => {
    const p = await t.ok(P.resident, 'user', 'updateProfile', { partyUnit: '市第一人民医院' })
    expect(p.partyUnit).toBe('市第一人民医院')
    expect(p.roles).toEqual(['resident'])
  })

  it('an invitation code is not used up when the address is already verified', async () => {
    const inv = await t.ok(P.mediator1, 'user', 'createInvite', { gridId: 'g-cuihu-1' })
    const me = await t.ok(P.resident, 'user', 'me')
    const a = me.profile.address
    for (let i = 0; i < 3; i++) {
      await t.ok(P.resident, 'user', 'onboard', { communityId: a.community.id, estateId: a.estate.id, buildingId: a.building.id, unitId: a.unit.id, room: a.room, inviteCode: inv.code })
    }
    const doc = (await t.cloud.db.collection('invites').doc(inv.code).get()).data as unknown as { uses: number }
    expect(doc.uses).toBe(0)
  })
})
