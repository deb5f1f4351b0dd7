/**
 * The signed-in person as the client knows them: one cached `user.me` answer that pages read
 * and refresh after onboarding or a profile change. Listeners let React hooks follow it.
 */
import { userMeApi } from '@/shared/api/user-me'
import type { Profile } from '@/shared/domain/user'
import { call } from './gateway'

export interface Session {
  openid: string
  profile: Profile | null
}

let current: Session | null = null
let pending: Promise<Session> | null = null
const listeners = new Set<(s: Session | null) => void>()

export function getSession(): Session | null {
  return current
}

export function setSession(s: Session | null): void {
  current = s
  listeners.forEach((l) => l(s))
}

/** Load (or reload) the session from the backend; concurrent callers share one request. */
export function loadSession(force = false): Promise<Session> {
  if (current && !force) return Promise.resolve(current)
  if (!pending) {
    pending = call(userMeApi, 'me', {}, { toast: false })
      .then((s) => {
        setSession(s)
        return s
      })
      .finally(() => {
        pending = null
      })
  }
  return pending
}

export function onSession(l: (s: Session | null) => void): () => void {
  listeners.add(l)
  return () => listeners.delete(l)
}
