/** The case engine's pure rules: every transition allowed and forbidden, deadlines in Asia/Shanghai. */
import {
  CASE_STATUSES,
  TRANSITIONS,
  acceptDeadline,
  canTransition,
  currentDeadline,
  nextStatus,
  onDeadlinePassed,
  resolveDeadline,
  rateDeadline,
  type Actor,
  type CaseAction,
  type CaseStatus,
} from '../../src/shared/rules/cases'
import { businessDate, sh } from '../../src/shared/time'

const ACTORS: Actor[] = ['owner', 'handler', 'system']

describe('state machine', () => {
  const allowed: Array<[CaseAction, CaseStatus, Actor]> = []
  for (const [action, rule] of Object.entries(TRANSITIONS) as Array<[CaseAction, (typeof TRANSITIONS)[CaseAction]]>) {
    for (const from of rule.from) for (const by of rule.by) allowed.push([action, from, by])
  }

  it.each(allowed)('allows %s from %s by %s', (action, from, by) => {
    expect(canTransition('dispute', from, action, by)).toEqual({ ok: true })
  })

  it('forbids every other combination, with a Chinese reason', () => {
    let forbidden = 0
    for (const action of Object.keys(TRANSITIONS) as CaseAction[]) {
      for (const from of CASE_STATUSES) {
        for (const by of ACTORS) {
          if (allowed.some(([a, f, b]) => a === action && f === from && b === by)) continue
          const r = canTransition('dispute', from, action, by)
          expect(r.ok).toBe(false)
          if (!r.ok) expect(r.message).toMatch(/[\u4e00-\u9fa5]/)
          forbidden++
        }
      }
    }
    expect(forbidden).toBeGreaterThan(200)
  })

  it.each([
    ['rating before resolution', 'rate', 'mediating', 'owner', 'state'],
    ['withdrawing after resolution', 'withdraw', 'resolved', 'owner', 'state'],
    ['withdrawing a closed case', 'withdraw', 'closed', 'owner', 'state'],
    ['a resident accepting', 'accept', 'submitted', 'owner', 'actor'],
    ['a handler rating', 'rate', 'resolved', 'handler', 'actor'],
    ['a handler withdrawing', 'withdraw', 'submitted', 'handler', 'actor'],
    ['accepting twice', 'accept', 'accepted', 'handler', 'state'],
    ['resolving before acceptance', 'resolve', 'submitted', 'handler', 'state'],
    ['referring a case that did not fail', 'refer', 'mediating', 'handler', 'state'],
    ['a person auto-closing', 'autoClose', 'resolved', 'handler', 'actor'],
  ] as const)('forbids %s', (_l, action, from, by, reason) => {
    const r = canTransition('dispute', from, action, by)
    expect(r).toMatchObject({ ok: false, reason })
  })

  it('uses the kind-specific labels in messages', () => {
    const d = canTransition('dispute', 'mediating', 'rate', 'owner')
    const m = canTransition('message', 'mediating', 'rate', 'owner')
    expect(!d.ok && d.message).toMatch(/调解中/)
    expect(!m.ok && m.message).toMatch(/处理中/)
  })

  it('reopens once on 不满意, then closes', () => {
    expect(nextStatus('rate', { status: 'resolved', reopenCount: 0 }, { satisfaction: 'unsatisfied' })).toBe('mediating')
    expect(nextStatus('rate', { status: 'resolved', reopenCount: 1 }, { satisfaction: 'unsatisfied' })).toBe('closed')
    expect(nextStatus('rate', { status: 'resolved', reopenCount: 0 }, { satisfaction: 'satisfied' })).toBe('closed')
    expect(nextStatus('rate', { status: 'resolved', reopenCount: 0 }, { satisfaction: 'basically' })).toBe('closed')
  })

  it('returns from 待补充 to the status before the wait', () => {
    expect(nextStatus('supplyInfo', { status: 'waiting_info', statusBeforeWait: 'mediating', reopenCount: 0 })).toBe('mediating')
  })
})

describe('deadlines in Asia/Shanghai', () => {
  it('accept: 24 h, urgent 2 h, across a day boundary', () => {
    // Friday 2026-11-20 23:30 Shanghai = 15:30 UTC
    const submitted = new Date('2026-11-20T15:30:00Z')
    expect(businessDate(submitted)).toBe('2026-11-20')
    const urgent = acceptDeadline(submitted, 'urgent')
    expect(urgent.toISOString()).toBe('2026-11-20T17:30:00.000Z')
    expect(businessDate(urgent)).toBe('2026-11-21') // Saturday 01:30 in Shanghai, still Friday in UTC
    expect(sh(urgent).format('HH:mm')).toBe('01:30')
    expect(acceptDeadline(submitted, 'normal').toISOString()).toBe('2026-11-21T15:30:00.000Z')
  })

  it('resolve: end of the 7th calendar day (weekend included), 复杂 15 days', () => {
    // Friday 2026-11-20 09:00 Shanghai → Friday 2026-11-27 23:59:59 Shanghai
    const submitted = new Date('2026-11-20T01:00:00Z')
    const due = resolveDeadline(submitted, false)
    expect(sh(due).format('YYYY-MM-DD HH:mm:ss ddd')).toBe('2026-11-27 23:59:59 Fri')
    expect(sh(resolveDeadline(submitted, true)).format('YYYY-MM-DD')).toBe('2026-12-05')
    // Submitted at 00:30 Saturday Shanghai (Friday 16:30 UTC): counted from the Shanghai date.
    const lateFriUtc = new Date('2026-11-20T16:30:00Z')
    expect(sh(resolveDeadline(lateFriUtc, false)).format('YYYY-MM-DD')).toBe('2026-11-28')
  })

  it('paused time extends the resolve deadline', () => {
    const submitted = new Date('2026-11-20T01:00:00Z')
    const base = resolveDeadline(submitted, false).getTime()
    expect(resolveDeadline(submitted, false, 3 * 3600_000).getTime() - base).toBe(3 * 3600_000)
  })

  it('the current deadline follows the status; a new level gets a fresh window', () => {
    const submittedAt = new Date('2026-11-20T01:00:00Z')
    const base = { urgency: 'normal' as const, complex: false, submittedAt, pausedMs: 0 }
    expect(currentDeadline({ ...base, status: 'submitted' })!.toISOString()).toBe('2026-11-21T01:00:00.000Z')
    expect(currentDeadline({ ...base, status: 'waiting_info' })).toBeNull()
    expect(currentDeadline({ ...base, status: 'closed' })).toBeNull()
    const resolvedAt = new Date('2026-11-22T01:00:00Z')
    expect(currentDeadline({ ...base, status: 'resolved', resolvedAt })).toEqual(rateDeadline(resolvedAt))
    const levelSince = new Date('2026-11-21T02:00:00Z')
    expect(currentDeadline({ ...base, status: 'submitted', levelSince })!.toISOString()).toBe('2026-11-22T02:00:00.000Z')
  })

  it('escalates grid → community → street, then flags', () => {
    expect(onDeadlinePassed({ status: 'submitted', level: 'grid' })).toEqual({ kind: 'escalate', to: 'community' })
    expect(onDeadlinePassed({ status: 'mediating', level: 'community' })).toEqual({ kind: 'escalate', to: 'street' })
    expect(onDeadlinePassed({ status: 'accepted', level: 'street' })).toEqual({ kind: 'flag' })
    expect(onDeadlinePassed({ status: 'resolved', level: 'grid' })).toEqual({ kind: 'autoClose' })
    expect(onDeadlinePassed({ status: 'closed', level: 'grid' })).toEqual({ kind: 'none' })
  })
})
