import { useEffect, useState } from 'react'
import { getSession, loadSession, onSession, type Session } from '@/services/session'

/**
 * The signed-in person for the case pages (roles decide the 待办纠纷 / 留言办理 / 统计 links). Failures
 * leave `session` null: the pages still work for a resident.
 */
export function useCaseSession(): { session: Session | null; loaded: boolean } {
  const [session, setSession] = useState<Session | null>(getSession)
  const [loaded, setLoaded] = useState(() => getSession() !== null)
  useEffect(() => {
    let alive = true
    const off = onSession((s) => {
      if (alive) setSession(s)
    })
    loadSession()
      .then((s) => {
        if (alive) setSession(s)
      })
      .catch(() => undefined)
      .finally(() => {
        if (alive) setLoaded(true)
      })
    return () => {
      alive = false
      off()
    }
  }, [])
  return { session, loaded }
}
