/* eslint-disable @typescript-eslint/no-explicit-any -- a fake backend takes loosely typed payloads on purpose */
/**
 * Test data for the dispute pages, shaped exactly as the `cases` and `user` contracts return it
 * (the client gateway validates every answer against the output schema), and a fake backend
 * that answers envelopes by function and action.
 */
import type { CaseDetailT, CaseSummaryT, TimelineEntryT } from '../../src/shared/api/cases'
import type { Profile } from '../../src/shared/domain/user'
import type { Envelope } from '../../src/shared/errors'

export function demoProfile(overrides: Partial<Profile> = {}): Profile {
  const place = (id: string, kind: 'street' | 'community' | 'estate' | 'building' | 'unit', name: string) => ({ id, kind, name })
  return {
    openid: 'demo-res-sun',
    name: '孙丽',
    phoneMasked: '138****1008',
    roles: ['resident'],
    verified: true,
    address: {
      street: place('st-cuihu', 'street', '翠湖街道'),
      community: place('c-cuihu', 'community', '翠湖社区'),
      estate: place('e-cuiyuan', 'estate', '翠园小区'),
      building: place('b-cy-1', 'building', '1栋'),
      unit: place('b-cy-1-u1', 'unit', '1单元'),
      room: '1202',
      gridName: '翠湖第一网格',
      text: '翠湖社区 翠园小区 1栋 1单元 1202',
    },
    gridIds: [],
    partyUnit: null,
    ...overrides,
  }
}

export const BUILDINGS = [
  { id: 'b-cy-1', name: '1栋', kind: 'building' as const },
  { id: 'b-cy-2', name: '2栋', kind: 'building' as const },
]
export const UNITS = [
  { id: 'b-cy-1-u1', name: '1单元', kind: 'unit' as const },
  { id: 'b-cy-1-u2', name: '2单元', kind: 'unit' as const },
]

export function entry(action: string, label: string, overrides: Partial<TimelineEntryT> = {}): TimelineEntryT {
  return {
    at: '2026-11-23T02:00:00.000Z',
    byName: '孙丽',
    byRole: '居民',
    action,
    label,
    from: null,
    to: null,
    note: null,
    private: false,
    ...overrides,
  }
}

export function demoDetail(overrides: Partial<CaseDetailT> = {}): CaseDetailT {
  return {
    id: 'case-1',
    kind: 'dispute',
    category: '噪音',
    title: '【噪音】楼上每晚十一点后还在装修',
    status: 'resolved',
    statusLabel: '已调解',
    urgency: 'normal',
    level: 'grid',
    complex: false,
    dueAt: '2026-11-30T02:00:00.000Z',
    overdue: false,
    submittedAt: '2026-11-23T02:00:00.000Z',
    locationText: '翠园小区 1栋 1单元',
    gridName: '翠湖第一网格',
    description: '楼上每晚十一点后还在装修，孩子睡不着。',
    photos: [],
    otherParty: null,
    submitter: { name: '孙丽', phone: '138****1008' },
    assigneeName: '张伟',
    departmentName: null,
    departmentId: null,
    deptDueAt: null,
    agreement: '楼上住户承诺每晚 22:00 后不再施工',
    failReason: null,
    satisfaction: null,
    satisfactionComment: null,
    reopenCount: 0,
    version: 4,
    timeline: [
      entry('submit', '提交', { to: 'submitted' }),
      entry('accept', '受理', { at: '2026-11-23T03:00:00.000Z', byName: '张伟', byRole: '网格员', from: 'submitted', to: 'accepted' }),
      entry('resolve', '调解成功', {
        at: '2026-11-24T08:30:00.000Z',
        byName: '张伟',
        byRole: '网格员',
        from: 'accepted',
        to: 'resolved',
        note: '楼上住户承诺每晚 22:00 后不再施工',
      }),
    ],
    thread: [],
    wall: null,
    paused: false,
    unread: 0,
    can: ['rate'],
    viewerRole: 'owner',
    ...overrides,
  }
}

export function demoSummary(overrides: Partial<CaseSummaryT> = {}): CaseSummaryT {
  const { description: _d, photos: _p, otherParty: _o, submitter: _s, agreement: _g, failReason: _f, satisfaction: _sa, satisfactionComment: _sc, reopenCount: _r, version: _v, timeline: _t, thread: _th, wall: _w, paused: _pa, can: _c, viewerRole: _vr, ...summary } = demoDetail()
  return { ...summary, ...overrides }
}

export interface RecordedCall {
  fn: string
  action: string
  payload: any
  requestId?: string
}

export type Answer = (payload: any, call: RecordedCall) => Envelope<unknown> | Promise<Envelope<unknown>>

/** A fake backend: `answers['cases.get'] = () => ok(detail)`; anything unanswered is NOT_FOUND. */
export function fakeBackend(answers: Record<string, Answer> = {}) {
  const calls: RecordedCall[] = []
  const handle = async (fn: string, event: { action: string; payload: unknown; requestId?: string }): Promise<Envelope<unknown>> => {
    const call: RecordedCall = { fn, action: event.action, payload: event.payload, requestId: event.requestId }
    calls.push(call)
    const answer = answers[`${fn}.${event.action}`]
    if (!answer) return { ok: false, error: { code: 'NOT_FOUND', message: `no answer for ${fn}.${event.action}` } }
    return answer(event.payload, call)
  }
  return {
    calls,
    answers,
    handle,
    callsOf: (fn: string, action?: string) => calls.filter((c) => c.fn === fn && (!action || c.action === action)),
  }
}

export const ok = <T,>(data: T): Envelope<T> => ({ ok: true, data })

/** A resident with an address: user.me and the places of their estate and building. */
export function residentAnswers(profile: Profile = demoProfile()): Record<string, Answer> {
  return {
    'user.me': () => ok({ openid: profile.openid, profile }),
    'user.places': (p: { parentId?: string }) => ok({ items: p.parentId === 'e-cuiyuan' ? BUILDINGS : p.parentId?.startsWith('b-') ? UNITS.map((u) => ({ ...u, id: u.id.replace('b-cy-1', p.parentId!) })) : [] }),
  }
}
