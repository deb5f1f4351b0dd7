/**
 * Profile and onboarding: plain functions over the gateway (tests call them the same way pages
 * do). Pages never call the backend directly.
 */
import { call, newRequestId } from '@/services/gateway'
import { loadSession } from '@/services/session'
import { userApi, type OnboardInputT } from '@/shared/api/user'
import type { Profile } from '@/shared/domain/user'
import type { z } from '@/shared/z'
import type { PlaceItem } from '@/shared/api/user'

export type Place = z.infer<typeof PlaceItem>

/** Children of a place (no parent: every community). Errors are shown inline by the caller. */
export async function loadPlaces(parentId?: string): Promise<Place[]> {
  const res = await call(userApi, 'places', parentId ? { parentId } : {}, { toast: false })
  return res.items
}

/** 入驻 / 修改住址; then reloads the cached session so every page follows. */
export async function submitOnboarding(payload: OnboardInputT): Promise<Profile> {
  const profile = await call(userApi, 'onboard', payload, { requestId: newRequestId(), toast: false })
  await loadSession(true).catch(() => undefined)
  return profile
}

export interface ProfilePatch {
  name?: string
  phone?: string
  phoneCode?: string
  partyUnit?: string
}

/** 修改资料 (name, phone, 报到单位); then reloads the session. */
export async function saveProfile(patch: ProfilePatch): Promise<Profile> {
  const profile = await call(userApi, 'updateProfile', patch, { toast: false })
  await loadSession(true).catch(() => undefined)
  return profile
}
