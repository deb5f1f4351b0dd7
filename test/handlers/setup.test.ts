/**
 * Declared collections: the local cloud is strict like CloudBase (an undeclared collection is
 * refused with -502005), and `user.setup` makes a new environment ready from the one list.
 * Runs in the node project and, through the real wx-server-sdk, in the sdk project.
 */
import { z } from '../../src/shared/z'
import { action, defineFunction } from '../../src/shared/api/define'
import { serve } from '../../cloudfunctions/src/runtime/serve'
import { FUNCTIONS } from '../../cloudfunctions/src/functions'
import { COLLECTIONS, INDEXES } from '../../cloudfunctions/src/functions/indexes'
import { DEMO } from '../../cloudfunctions/src/local/seed'
import { testCloud, type TestCloud } from '../support/cloud'

const P = DEMO.people
let t: TestCloud | undefined
afterEach(async () => {
  await t?.close()
  t = undefined
})

describe('a collection missing from the declared list', () => {
  const api = defineFunction('stray', {
    jot: action({ summary: 'writes to a collection nobody declared', access: 'user', input: z.object({}), output: z.object({}) }),
  })
  const stray = serve(api, {
    async jot(_input, ctx) {
      await ctx.db.collection('undeclared_notes').add({ data: { by: ctx.openid } })
      return {}
    },
  })

  it('fails the way CloudBase fails it (-502005), answers INTERNAL and writes nothing', async () => {
    t = await testCloud({ functions: { ...FUNCTIONS, stray: { fn: stray, triggers: [], openapi: [], timeoutSec: 3 } } })
    const logged: string[] = []
    t.cloud.platform.log = { info() {}, warn() {}, error: (m, meta) => logged.push(`${m} ${JSON.stringify(meta)}`) }
    const r = await t.call(P.resident, 'stray', 'jot')
    expect(r).toEqual({ ok: false, error: { code: 'INTERNAL', message: '系统开小差了，请稍后再试' } })
    expect(logged.join('\n')).toMatch(/-502005 database collection not exists/)
    expect(t.cloud.db.collectionExists('undeclared_notes')).toBe(false)
  })
})

describe('user.setup', () => {
  const indexCount = Object.values(INDEXES).reduce((n, specs) => n + specs.length, 0)

  it('on a new environment: anyone signed in creates every declared collection once; then only an admin may run it', async () => {
    t = await testCloud({ collections: [], seed: false })
    // Before setup nothing works, and says so.
    const early = await t.call('first-deployer', 'user', 'me')
    expect(!early.ok && early.error).toEqual({ code: 'PRECONDITION_FAILED', message: '服务尚未初始化，请联系社区管理员' })

    const out = await t.ok('first-deployer', 'user', 'setup')
    expect([...out.created].sort()).toEqual([...COLLECTIONS].sort())
    expect(out.existing).toEqual([])
    expect(out.indexes).toHaveLength(indexCount)
    expect(out.indexes).toContainEqual({ collection: 'users', fields: 'address.communityId 升序, roles 升序', unique: false })
    for (const name of COLLECTIONS) expect(t.cloud.db.collectionExists(name)).toBe(true)

    // The environment is no longer new: a person who is not an admin is refused, and nothing was counted.
    const again = await t.call('first-deployer', 'user', 'setup')
    expect(!again.ok && again.error.code).toBe('FORBIDDEN')
    expect(await t.count('rate_counters')).toBe(0)
    // And the app works: the person can see who they are.
    expect(await t.ok('first-deployer', 'user', 'me')).toMatchObject({ profile: null })
  })

  it('on a set-up environment an admin finds everything present; staff are refused', async () => {
    t = await testCloud()
    const out = await t.ok(P.admin, 'user', 'setup')
    expect(out.created).toEqual([])
    expect([...out.existing].sort()).toEqual([...COLLECTIONS].sort())
    const staff = await t.call(P.staff, 'user', 'setup')
    expect(!staff.ok && staff.error).toEqual({ code: 'FORBIDDEN', message: '仅管理员可初始化云开发环境' })
    const anonymous = await t.call(null, 'user', 'setup')
    expect(!anonymous.ok && anonymous.error.code).toBe('UNAUTHENTICATED')
  })

  it('creates only what is missing, and two admins at once create each collection once', async () => {
    t = await testCloud({ collections: COLLECTIONS.filter((c) => c !== 'visits' && c !== 'grid_stats') })
    const [a, b] = await Promise.all([t.call(P.admin, 'user', 'setup'), t.call(P.admin, 'user', 'setup')])
    expect(a.ok && b.ok).toBe(true)
    const created = [a, b].flatMap((r) => (r.ok ? (r.data as { created: string[] }).created : []))
    expect(created.sort()).toEqual(['grid_stats', 'visits'])
    expect(t.cloud.db.collectionExists('visits')).toBe(true)
  })
})
