/** serve(): the function runtime's promises, through a small test function on the local platform. */
import { z } from '../../src/shared/z'
import { action, defineFunction } from '../../src/shared/api/define'
import { AppError } from '../../src/shared/errors'
import { serve } from '../../cloudfunctions/src/runtime/serve'
import { testCloud, type TestCloud } from '../support/cloud'
import { DEMO } from '../../cloudfunctions/src/local/seed'
import { FUNCTIONS } from '../../cloudfunctions/src/functions'
import { createdId, DEFAULT_LEASE_MS, requestKey } from '../../cloudfunctions/src/runtime/requests'
import { DB_DUPLICATE_KEY, DB_NOT_FOUND, isDbError } from '../../cloudfunctions/src/platform/db'

const api = defineFunction('probe', {
  write: action({
    summary: 'writes a note',
    access: 'member',
    input: z.strictObject({ title: z.string().check(z.minLength(1), z.maxLength(10)), count: z.int().check(z.gte(1)) }),
    output: z.object({ id: z.string() }),
  }),
  staffOnly: action({ summary: 'staff', access: ['staff'], input: z.object({}), output: z.object({ ok: z.literal(true) }) }),
  anyone: action({ summary: 'any signed-in', access: 'user', input: z.object({}), output: z.object({ openid: z.string(), onboarded: z.boolean() }) }),
  boom: action({ summary: 'throws', access: 'user', input: z.object({}), output: z.object({}) }),
  refuse: action({ summary: 'refuses', access: 'user', input: z.object({}), output: z.object({}) }),
  badOutput: action({ summary: 'returns the wrong shape', access: 'user', input: z.object({}), output: z.object({ n: z.number() }) }),
  tick: action({ summary: 'timer only', access: 'system', input: z.object({}), output: z.object({ ran: z.boolean() }) }),
  probe_event: action({ summary: 'message push only', access: 'push', input: z.object({ MsgType: z.literal('event'), n: z.number() }), output: z.object({ n: z.number(), openid: z.string() }) }),
  create: action({ summary: 'idempotent create', access: 'member', idempotent: true, input: z.object({}), output: z.object({ id: z.string() }) }),
})

const probe = serve(api, {
  async write(input, ctx) {
    const r = await ctx.db.collection('notes').add({ data: { ...input, by: ctx.openid } })
    return { id: r._id }
  },
  async staffOnly() {
    return { ok: true as const }
  },
  async anyone(_i, ctx) {
    return { openid: ctx.openid, onboarded: !!ctx.user }
  },
  async boom() {
    throw new Error('secret database password leaked in stack')
  },
  async refuse() {
    throw new AppError('PRECONDITION_FAILED', '现在不能这样做')
  },
  async badOutput() {
    return { n: 'not a number' } as unknown as { n: number }
  },
  async tick() {
    return { ran: true }
  },
  async probe_event(input, ctx) {
    return { n: input.n, openid: ctx.openid }
  },
  // The contract of an idempotent create: its record's id derives from the request, and a retry
  // answers from the record the first run wrote.
  async create(_i, ctx) {
    const id = createdId(ctx, 'n')
    const found = async () => {
      try {
        return (await ctx.db.collection<{ by: string }>('notes').doc(id).get()).data
      } catch (e) {
        if (isDbError(e, DB_NOT_FOUND)) return null
        throw e
      }
    }
    if (ctx.retry && (await found())) return { id }
    try {
      await ctx.db.collection('notes').add({ data: { _id: id, by: ctx.openid } })
    } catch (e) {
      if (!(isDbError(e, DB_DUPLICATE_KEY) && (await found()))) throw e
    }
    return { id }
  },
})

let t: TestCloud
const logged: string[] = []
beforeEach(async () => {
  t = await testCloud({ functions: { ...FUNCTIONS, probe: { fn: probe, triggers: [{ name: 'tick', cron: '0 * * * * * *', everyMs: 60000 }], openapi: [], timeoutSec: 3 } }, extraCollections: ['notes'] })
  logged.length = 0
  t.cloud.platform.log = { info() {}, warn() {}, error: (m, meta) => logged.push(`${m} ${JSON.stringify(meta)}`) }
})
afterEach(() => t.close())

const resident = DEMO.people.resident

it('answers an unknown action with NOT_FOUND, not undefined', async () => {
  const r = await t.call(resident, 'probe', 'nope')
  expect(r).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringContaining('nope') } })
  const proto = await t.call(resident, 'probe', 'constructor')
  expect(proto.ok).toBe(false)
  expect(!proto.ok && proto.error.code).toBe('NOT_FOUND')
})

it('answers an unknown function with NOT_FOUND', async () => {
  const r = await t.call(resident, 'nofn', 'x')
  expect(!r.ok && r.error.code).toBe('NOT_FOUND')
})

it('rejects an invalid payload listing the fields in Chinese, and writes nothing', async () => {
  const r = await t.call(resident, 'probe', 'write', { title: 'x'.repeat(11), count: 0.5, extra: 1 })
  expect(r.ok).toBe(false)
  if (r.ok) return
  expect(r.error.code).toBe('INVALID_INPUT')
  expect(r.error.message).toMatch(/填写的内容有误/)
  const paths = r.error.issues!.map((i) => i.path)
  expect(paths).toEqual(expect.arrayContaining(['title', 'count']))
  expect(r.error.issues!.find((i) => i.path === 'title')!.message).toBe('最多 10 个字')
  expect(await t.count('notes')).toBe(0)
})

it('treats a missing identity as UNAUTHENTICATED', async () => {
  const r = await t.call(null, 'probe', 'anyone')
  expect(!r.ok && r.error.code).toBe('UNAUTHENTICATED')
})

it('takes identity from the platform, never the payload', async () => {
  const r = await t.ok(resident, 'probe', 'anyone', {})
  expect(r).toEqual({ openid: resident, onboarded: true })
  const spoof = await t.call(resident, 'probe', 'write', { title: 'a', count: 1, openid: DEMO.people.admin })
  expect(!spoof.ok && spoof.error.code).toBe('INVALID_INPUT')
})

it('requires onboarding for member actions', async () => {
  const r = await t.call('stranger-1', 'probe', 'write', { title: 'a', count: 1 })
  expect(!r.ok && r.error.code).toBe('NOT_ONBOARDED')
  expect(!r.ok && r.error.message).toMatch(/入驻/)
})

it('denies a role the caller does not hold in the database', async () => {
  const r = await t.call(resident, 'probe', 'staffOnly')
  expect(!r.ok && r.error.code).toBe('FORBIDDEN')
  expect((await t.ok(DEMO.people.staff, 'probe', 'staffOnly')).ok).toBe(true)
})

it('turns an unexpected exception into INTERNAL without leaking it, and logs it', async () => {
  const r = await t.call(resident, 'probe', 'boom')
  expect(r).toEqual({ ok: false, error: { code: 'INTERNAL', message: '系统开小差了，请稍后再试' } })
  expect(JSON.stringify(r)).not.toMatch(/secret/)
  expect(logged.join('\n')).toMatch(/secret database password/)
})

it('passes an AppError through as its envelope', async () => {
  const r = await t.call(resident, 'probe', 'refuse')
  expect(r).toEqual({ ok: false, error: { code: 'PRECONDITION_FAILED', message: '现在不能这样做' } })
})

it('checks the output against its schema', async () => {
  const r = await t.call(resident, 'probe', 'badOutput')
  expect(!r.ok && r.error.code).toBe('INTERNAL')
  expect(logged.join('\n')).toMatch(/output does not match/)
})

it('lets only the timer trigger run system actions', async () => {
  const r = await t.call(DEMO.people.admin, 'probe', 'tick')
  expect(!r.ok && r.error.code).toBe('FORBIDDEN')
  const forged = await t.cloud.call('probe', { Type: 'Timer', TriggerName: 'tick' }, DEMO.people.admin)
  expect(forged.ok).toBe(false)
  const timer = await t.cloud.runTimer('probe', 'tick')
  expect(timer).toEqual({ ok: true, data: { ran: true } })
})

it('lets only the platform’s message push run push actions, with the event as payload; a push runs nothing else', async () => {
  const event = { MsgType: 'event', Event: 'probe_event', n: 3 }
  expect(await t.cloud.push('probe', event)).toEqual({ ok: true, data: { n: 3, openid: '' } })
  const asAction = await t.call(DEMO.people.admin, 'probe', 'probe_event', event)
  expect(!asAction.ok && asAction.error.code).toBe('FORBIDDEN')
  for (const who of [DEMO.people.admin, null]) expect((await t.cloud.call('probe', event, who)).ok).toBe(false)
  // A push names only push actions: not the timer's, not a person's.
  expect((await t.cloud.push('probe', { ...event, Event: 'tick' })).ok).toBe(false)
  expect((await t.cloud.push('probe', { ...event, Event: 'anyone' })).ok).toBe(false)
  // Not shaped like a push: not a push.
  expect((await t.cloud.push('probe', { action: 'probe_event', payload: event })).ok).toBe(false)
})

it('rejects a non-object event and a malformed request id', async () => {
  const r = await t.cloud.call('probe', 'hello', resident)
  expect(!r.ok && r.error.code).toBe('INVALID_INPUT')
  const bad = await t.call(resident, 'probe', 'create', {}, 'x')
  expect(!bad.ok && bad.error.code).toBe('INVALID_INPUT')
})

it('makes idempotent creates safe to retry: same request id, one record, same answer', async () => {
  const first = await t.call<{ id: string }>(resident, 'probe', 'create', {}, 'req-abcdef12')
  const again = await t.call(resident, 'probe', 'create', {}, 'req-abcdef12')
  expect(first.ok && again.ok).toBe(true)
  expect(again).toEqual(first)
  expect(await t.count('notes')).toBe(1)
  const other = await t.call<{ id: string }>(resident, 'probe', 'create', {}, 'req-other123')
  expect(other.ok && first.ok && other.data.id !== first.data.id).toBe(true)
  // Only ids are remembered, never the whole answer.
  const stored = (await t.cloud.db.collection('requests').limit(10).get()).data
  expect(stored.map((r) => Object.keys(r).sort())).toEqual([
    ['_id', 'at', 'attempts', 'leaseUntil', 'ref', 'state'],
    ['_id', 'at', 'attempts', 'leaseUntil', 'ref', 'state'],
  ])
})

describe('a request cut short (crash or timeout) is never stuck', () => {
  const key = requestKey(resident, 'probe', 'create', 'req-crashed1')
  /** What a process killed mid-way leaves: the claim still running, with or without the record. */
  async function crashed(wroteRecord: boolean) {
    const now = t.clock.now()
    await t.cloud.db.collection('requests').add({ data: { _id: key, state: 'running', at: now, leaseUntil: new Date(now.getTime() + DEFAULT_LEASE_MS), attempts: 1 } })
    if (wroteRecord) await t.cloud.db.collection('notes').add({ data: { _id: `n${key}`, by: resident } })
  }

  it('within the lease a retry is told to wait; after it, the retry runs and creates the record once', async () => {
    await crashed(false)
    const early = await t.call(resident, 'probe', 'create', {}, 'req-crashed1')
    expect(!early.ok && early.error.code).toBe('CONFLICT')
    t.clock.advance(DEFAULT_LEASE_MS + 1)
    const later = await t.call<{ id: string }>(resident, 'probe', 'create', {}, 'req-crashed1')
    expect(later).toEqual({ ok: true, data: { id: `n${key}` } })
    expect(await t.count('notes')).toBe(1)
    const again = await t.call(resident, 'probe', 'create', {}, 'req-crashed1')
    expect(again).toEqual(later)
  })

  it('after the lease, a retry whose first run had written the record answers from it, without a second one', async () => {
    await crashed(true)
    t.clock.advance(DEFAULT_LEASE_MS + 1)
    const later = await t.call<{ id: string }>(resident, 'probe', 'create', {}, 'req-crashed1')
    expect(later).toEqual({ ok: true, data: { id: `n${key}` } })
    expect(await t.count('notes')).toBe(1)
  })

  it('many retries at once after the lease: one takes the claim over, the record exists once', async () => {
    await crashed(false)
    t.clock.advance(DEFAULT_LEASE_MS + 1)
    const all = await Promise.all(Array.from({ length: 20 }, () => t.call(resident, 'probe', 'create', {}, 'req-crashed1')))
    expect(all.filter((r) => r.ok).length).toBeGreaterThanOrEqual(1)
    for (const r of all) if (!r.ok) expect(r.error.code).toBe('CONFLICT')
    expect(await t.count('notes')).toBe(1)
  })

  it('request ids are forgotten after a day by the user job', async () => {
    await t.ok(resident, 'probe', 'create', {})
    await t.call(resident, 'probe', 'create', {}, 'req-abcdef12')
    expect(await t.count('requests')).toBe(1)
    t.clock.advanceHours(23)
    await t.cloud.runTimer('user', 'tick')
    expect(await t.count('requests')).toBe(1)
    t.clock.advanceHours(2)
    const r = await t.cloud.runTimer('user', 'tick')
    expect(r).toMatchObject({ ok: true, data: { requestsPruned: 1 } })
    expect(await t.count('requests')).toBe(0)
  })
})
