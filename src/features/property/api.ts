/**
 * Everything the property pages (物业服务评价与红黑榜) load or change, as plain functions over the
 * one gateway (pages stay thin; tests call these the same way). Errors are `ApiError`s; the pages
 * show them inline or as a toast of their own, so none of these toast.
 */
import type { ListPage } from '@/components/usePagedList'
import { call } from '@/services/gateway'
import {
  propertyApi,
  type BoardOutT,
  type BurstOutT,
  type CloseOutT,
  type CompaniesOutT,
  type CompanyOutT,
  type ComplaintOutT,
  type MyRatingOutT,
  type ResultOutT,
  type ViolationOutT,
} from '@/shared/api/property'
import type { InputOf, OutputOf } from '@/shared/api/define'
import type { Stars, ViolationLevel } from '@/shared/rules/property'

const quiet = { toast: false } as const
const PAGE_SIZE = 20
const page = (cursor: string | undefined) => ({ pageSize: PAGE_SIZE, ...(cursor ? { cursor } : {}) })

export type CommentT = Awaited<ReturnType<typeof fetchComments>>['items'][number]
export type BurstStatus = BurstOutT['status']
export type SettingsOutT = OutputOf<typeof propertyApi, 'settings'>
export type SettingsInputT = InputOf<typeof propertyApi, 'saveSettings'>

// ---------- everyone ----------

/** The lists of the latest published quarter, or of `quarter` (信用档案). */
export function loadBoard(quarter?: string | null): Promise<BoardOutT> {
  return call(propertyApi, 'board', quarter ? { quarter } : {}, quiet)
}

export function loadCompany(id: string): Promise<CompanyOutT> {
  return call(propertyApi, 'company', { id }, quiet)
}

export function fetchComments(id: string, cursor: string | undefined) {
  return call(propertyApi, 'comments', { id, ...page(cursor) }, quiet)
}

/** My household's rating of this quarter (and whether I may rate). */
export function loadMyRating(): Promise<MyRatingOutT> {
  return call(propertyApi, 'mine', {}, quiet)
}

/** Rating again in the same quarter replaces the household's rating (its id is company:quarter:household). */
export function rate(companyId: string, stars: Stars, comment: string): Promise<MyRatingOutT> {
  return call(propertyApi, 'rate', { companyId, stars, comment }, quiet)
}

// ---------- the company contact (物业联系人) ----------

export function loadResults() {
  return call(propertyApi, 'results', {}, quiet)
}

export function appeal(r: Pick<ResultOutT, 'communityId' | 'quarter'>, text: string, photos: string[]): Promise<ResultOutT> {
  return call(propertyApi, 'appeal', { communityId: r.communityId, quarter: r.quarter, text, photos }, quiet)
}

// ---------- staff ----------

export function loadCompanies(): Promise<CompaniesOutT> {
  return call(propertyApi, 'companies', {}, quiet)
}

export interface CompanyInput {
  id?: string
  version?: number
  name: string
  /** '' or null: no phone. */
  phone: string | null
}

/** New (with a request id: a retry answers the first result) or changed (id + version). */
export function saveCompany(input: CompanyInput, requestId?: string): Promise<CompaniesOutT> {
  const phone = input.phone?.trim() ? input.phone.trim() : null
  const payload = { ...(input.id ? { id: input.id, version: input.version } : {}), name: input.name, phone }
  return call(propertyApi, 'saveCompany', payload, requestId ? { ...quiet, requestId } : quiet)
}

export function assignEstate(estateId: string, companyId: string | null): Promise<CompaniesOutT> {
  return call(propertyApi, 'assignEstate', { estateId, companyId }, quiet)
}

export function addContact(companyId: string, phone: string): Promise<CompaniesOutT> {
  return call(propertyApi, 'setContact', { companyId, phone: phone.trim(), on: true }, quiet)
}

export function removeContact(companyId: string, openid: string): Promise<CompaniesOutT> {
  return call(propertyApi, 'setContact', { companyId, openid, on: false }, quiet)
}

export function loadViolations(companyId: string) {
  return call(propertyApi, 'violations', { companyId }, quiet)
}

export interface ViolationInput {
  companyId: string
  /** null: the current quarter (the server's default). */
  quarter: string | null
  level: ViolationLevel
  description: string
  photos: string[]
}

export function recordViolation(input: ViolationInput, requestId: string): Promise<ViolationOutT> {
  const { quarter, ...rest } = input
  return call(propertyApi, 'recordViolation', { ...rest, ...(quarter ? { quarter } : {}) }, { ...quiet, requestId })
}

export function removeViolation(id: string, reason: string): Promise<ViolationOutT> {
  return call(propertyApi, 'removeViolation', { id, reason }, quiet)
}

export function fetchComplaints(cursor: string | undefined): Promise<ListPage<ComplaintOutT, string>> {
  return call(propertyApi, 'complaints', page(cursor), quiet)
}

export function markComplaint(caseId: string, companyId: string, substantiated: boolean, note: string): Promise<ComplaintOutT> {
  return call(propertyApi, 'markComplaint', { caseId, companyId, substantiated, note }, quiet)
}

export function fetchBursts(status: BurstStatus, cursor: string | undefined): Promise<ListPage<BurstOutT, string>> {
  return call(propertyApi, 'bursts', { status, ...page(cursor) }, quiet)
}

export function reviewBurst(id: string, exclude: boolean, reason: string): Promise<BurstOutT> {
  return call(propertyApi, 'reviewBurst', { id, exclude, reason }, quiet)
}

export function hideComment(id: string, reason: string) {
  return call(propertyApi, 'hideComment', { id, reason }, quiet)
}

/** The quarter close of `quarter` (omitted: the server picks the latest ended quarter). */
export function loadClose(quarter?: string | null): Promise<CloseOutT> {
  return call(propertyApi, 'close', quarter ? { quarter } : {}, quiet)
}

export function computeQuarter(quarter: string): Promise<CloseOutT> {
  return call(propertyApi, 'compute', { quarter }, quiet)
}

export function openAppeal(c: Pick<CloseOutT, 'quarter' | 'version'>): Promise<CloseOutT> {
  return call(propertyApi, 'openAppeal', { quarter: c.quarter, version: c.version }, quiet)
}

export function publishQuarter(c: Pick<CloseOutT, 'quarter' | 'version'>): Promise<CloseOutT> {
  return call(propertyApi, 'publish', { quarter: c.quarter, version: c.version }, quiet)
}

export function decideAppeal(quarter: string, companyId: string, accept: boolean, reason: string): Promise<CloseOutT> {
  return call(propertyApi, 'decideAppeal', { quarter, companyId, accept, reason }, quiet)
}

export function correctResult(quarter: string, companyId: string, reason: string): Promise<CloseOutT> {
  return call(propertyApi, 'correct', { quarter, companyId, reason }, quiet)
}

/** 计分标准: the community's deductions and burst threshold, with the formula they give. */
export function loadSettings(): Promise<SettingsOutT> {
  return call(propertyApi, 'settings', {}, quiet)
}

/** Admins only; the answer is the saved settings with the formula as residents now read it. */
export function saveSettings(input: SettingsInputT): Promise<SettingsOutT> {
  return call(propertyApi, 'saveSettings', input, quiet)
}
