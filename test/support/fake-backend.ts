/**
 * A scripted backend for component tests: replaces the gateway's transport, answers
 * `<function>.<action>` from handlers and records every call. A handler returns the data, or
 * `fail(code, message, issues)` for an error envelope.
 *
 *   const backend = fakeBackend({ 'user.me': () => ({ openid: 'o1', profile: null }) })
 *   …
 *   expect(backend.calls('user.onboard')).toHaveLength(0)
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- scripted payloads are loosely typed on purpose */
import { setTransport, type Transport } from '@/services/gateway'
import { setSession } from '@/services/session'
import type { ErrorBody, ErrorCode, FieldIssue } from '@/shared/errors'
import type { Profile } from '@/shared/domain/user'

const FAILURE = Symbol('failure')
interface Failure {
  [FAILURE]: ErrorBody
}

export function fail(code: ErrorCode, message: string, issues?: FieldIssue[]): Failure {
  return { [FAILURE]: issues ? { code, message, issues } : { code, message } }
}

export type Handler = (payload: any) => unknown
export interface Call {
  key: string
  payload: any
  requestId?: string
}

export interface FakeBackend {
  all: Call[]
  calls(key: string): any[]
  /** Replace or add handlers. */
  on(handlers: Record<string, Handler>): void
}

export function fakeBackend(initial: Record<string, Handler>): FakeBackend {
  const handlers: Record<string, Handler> = { ...initial }
  const all: Call[] = []
  const transport: Transport = async (fn, event) => {
    const key = `${fn}.${event.action}`
    all.push({ key, payload: event.payload, requestId: event.requestId })
    const h = handlers[key]
    if (!h) return { ok: false, error: { code: 'NOT_FOUND', message: `fake backend: no handler for ${key}` } }
    const out = await h(event.payload)
    if (out && typeof out === 'object' && FAILURE in out) return { ok: false, error: (out as Failure)[FAILURE] }
    return { ok: true, data: out }
  }
  setTransport(transport)
  setSession(null)
  return {
    all,
    calls: (key) => all.filter((c) => c.key === key).map((c) => c.payload),
    on: (more) => Object.assign(handlers, more),
  }
}

/** The demo place tree (as `user.places` answers it), a small slice of the seed. */
export const PLACES: Record<string, Array<{ id: string; name: string; kind: string }>> = {
  '': [
    { id: 'c-cuihu', name: '翠湖社区', kind: 'community' },
    { id: 'c-jinqiao', name: '金桥社区', kind: 'community' },
  ],
  'c-cuihu': [
    { id: 'e-cuiyuan', name: '翠园小区', kind: 'estate' },
    { id: 'e-hupan', name: '湖畔花园', kind: 'estate' },
  ],
  'e-cuiyuan': [
    { id: 'b-cy-1', name: '1栋', kind: 'building' },
    { id: 'b-cy-2', name: '2栋', kind: 'building' },
  ],
  'b-cy-1': [
    { id: 'b-cy-1-u1', name: '1单元', kind: 'unit' },
    { id: 'b-cy-1-u2', name: '2单元', kind: 'unit' },
  ],
}

export const placesHandler: Handler = (p: { parentId?: string }) => ({ items: PLACES[p.parentId ?? ''] ?? [] })

const place = (id: string, kind: string, name: string) => ({ id, kind, name })

/** A profile as `user.me` returns it. */
export function demoProfile(over: Partial<Profile> = {}): Profile {
  return {
    openid: 'demo-res-sun',
    name: '孙丽',
    phoneMasked: '138****1008',
    roles: ['resident'],
    verified: true,
    address: {
      street: place('st-cuihu', 'street', '翠湖街道') as Profile['address']['street'],
      community: place('c-cuihu', 'community', '翠湖社区') as Profile['address']['community'],
      estate: place('e-cuiyuan', 'estate', '翠园小区') as Profile['address']['estate'],
      building: place('b-cy-1', 'building', '1栋') as Profile['address']['building'],
      unit: place('b-cy-1-u1', 'unit', '1单元') as Profile['address']['unit'],
      room: '1202',
      gridName: '翠湖第一网格',
      text: '翠园小区 1栋 1单元 1202',
    },
    gridIds: [],
    partyUnit: null,
    ...over,
  }
}
