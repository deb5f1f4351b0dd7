/**
 * Everything the volunteer pages load or change, as plain functions over the one gateway (pages
 * stay thin; tests call these the same way). Errors are `ApiError`s; the pages show them inline
 * or as a toast of their own, so none of these toast.
 */
import type { ListPage } from '@/components/usePagedList'
import { call } from '@/services/gateway'
import { requestSubscribe } from '@/services/subscribe'
import { volunteerApi, type ActivityDetailT, type ActivityInputT, type ActivitySummaryT } from '@/shared/api/volunteer'
import type { ActivityCategory } from '@/shared/rules/volunteer'
import { VOLUNTEER_SUBSCRIBE_TEMPLATES } from './config'

export { scanCode } from '@/services/scan'

const quiet = { toast: false } as const
const PAGE_SIZE = 20
const page = (cursor: string | undefined) => ({ pageSize: PAGE_SIZE, ...(cursor ? { cursor } : {}) })

/** The list's phase filter (全部 = null). */
export type PhaseFilter = 'open' | 'full' | 'ongoing' | 'finished' | 'draft'

export interface ActivityFilters {
  category: ActivityCategory | null
  phase: PhaseFilter | null
  /** YYYY-MM-DD (Shanghai) or null. */
  date: string | null
  /** Keyword, as typed. */
  q: string
}

export const NO_FILTERS: ActivityFilters = { category: null, phase: null, date: null, q: '' }

// ---------- everyone ----------

export function fetchActivities(f: ActivityFilters, cursor: string | undefined): Promise<ListPage<ActivitySummaryT, string>> {
  const q = f.q.trim().slice(0, 20)
  return call(
    volunteerApi,
    'list',
    { ...page(cursor), ...(f.category ? { category: f.category } : {}), ...(f.phase ? { phase: f.phase } : {}), ...(f.date ? { date: f.date } : {}), ...(q ? { q } : {}) },
    quiet,
  )
}

export function loadActivity(id: string): Promise<ActivityDetailT> {
  return call(volunteerApi, 'get', { id }, quiet)
}

/** Real name and phone, asked for the first time (sent with consent: the form makes it a condition). */
export interface SignUpContact {
  name: string
  phone: string
}

/** Signing up twice is harmless: the sign-up's id is `activity:person`, a repeat answers the first. */
export function signUp(id: string, contact: SignUpContact | null): Promise<ActivityDetailT> {
  const extra = contact ? { name: contact.name, phone: contact.phone, consent: true as const } : {}
  return call(volunteerApi, 'signUp', { id, ...extra }, quiet)
}

export function cancelSignUp(id: string): Promise<ActivityDetailT> {
  return call(volunteerApi, 'cancel', { id }, quiet)
}

/** 签到 / 签退 with a scanned QR's text (weapp). */
export function checkWithToken(mode: 'in' | 'out', token: string): Promise<ActivityDetailT> {
  return call(volunteerApi, 'check', { mode, token }, quiet)
}

/** 签到 / 签退 with the 6-digit code shown under the organiser's QR (H5, or when scanning fails). */
export function checkWithCode(mode: 'in' | 'out', activityId: string, code: string): Promise<ActivityDetailT> {
  return call(volunteerApi, 'check', { mode, activityId, code: code.trim() }, quiet)
}

export function fetchMine(when: 'upcoming' | 'past', cursor: string | undefined): Promise<ListPage<ActivitySummaryT, string>> {
  return call(volunteerApi, 'mine', { ...page(cursor), when }, quiet)
}

export function loadProfile() {
  return call(volunteerApi, 'profile', {}, quiet)
}

export function fetchLedger(cursor: string | undefined) {
  return call(volunteerApi, 'ledger', page(cursor), quiet)
}

export function loadLeaderboard(period: 'month' | 'year') {
  return call(volunteerApi, 'leaderboard', { period }, quiet)
}

/** Asks for this feature's subscribe messages (weapp, templates configured; see services/subscribe.ts). */
export function requestVolunteerSubscribe(templates: readonly string[] = VOLUNTEER_SUBSCRIBE_TEMPLATES): Promise<void> {
  return requestSubscribe(templates)
}

// ---------- staff ----------

export function saveActivity(input: ActivityInputT): Promise<ActivityDetailT> {
  return call(volunteerApi, 'save', input, quiet)
}

export function publishActivity(a: Pick<ActivityDetailT, 'id' | 'version'>): Promise<ActivityDetailT> {
  return call(volunteerApi, 'publish', { id: a.id, version: a.version }, quiet)
}

export function cancelActivity(a: Pick<ActivityDetailT, 'id' | 'version'>, reason: string): Promise<ActivityDetailT> {
  return call(volunteerApi, 'cancelActivity', { id: a.id, version: a.version, reason }, quiet)
}

export function loadRoster(id: string) {
  return call(volunteerApi, 'roster', { id }, quiet)
}

export function loadQr(id: string) {
  return call(volunteerApi, 'qr', { id }, quiet)
}

export function adjustHours(id: string, openid: string, hours: number, reason: string) {
  return call(volunteerApi, 'adjustHours', { id, openid, hours, reason }, quiet)
}

export function awardBonus(openid: string, points: number, reason: string) {
  return call(volunteerApi, 'bonus', { openid, points, reason }, quiet)
}

export function exportHours(from: string, to: string) {
  return call(volunteerApi, 'export', { from, to }, quiet)
}
