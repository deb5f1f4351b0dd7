/**
 * Per-community case numbers (受理 / 办结 / 评价时限, reopen count, when a failed case closes):
 * stored in `case_settings/<communityId>` over PRODUCT.md's defaults, edited by the community's
 * admin within bounds. Read once in `CASE_SETTINGS_TTL_MS` per function instance at most
 * (deadlines are computed on every change; a warm instance is reused while calls come), and at
 * once after a save on the same instance.
 */
import { AppError } from '../../../../src/shared/errors'
import type { casesApi } from '../../../../src/shared/api/cases'
import { caseSettingsProblem, caseSettingsWithDefaults, type CaseSettings } from '../../../../src/shared/rules/cases'
import type { HandlersOf } from '../../runtime/serve'
import type { Ctx } from '../../runtime/context'
import { DB_NOT_FOUND, isDbError } from '../../platform/db'

export const CASE_SETTINGS = 'case_settings'
/** How long an instance keeps a community's case settings (another instance sees a save within this time). */
export const CASE_SETTINGS_TTL_MS = 5 * 60_000
const cache = new Map<string, { at: number; s: CaseSettings }>()

export async function caseSettings(ctx: Pick<Ctx, 'db' | 'clock'>, communityId: string): Promise<CaseSettings> {
  const now = ctx.clock.now().getTime()
  const hit = cache.get(communityId)
  if (hit && Math.abs(now - hit.at) < CASE_SETTINGS_TTL_MS) return hit.s
  let stored: Partial<CaseSettings> | null = null
  try {
    stored = (await ctx.db.collection<Partial<CaseSettings>>(CASE_SETTINGS).doc(communityId).get()).data
  } catch (e) {
    if (!isDbError(e, DB_NOT_FOUND)) throw e
  }
  const s = caseSettingsWithDefaults(stored)
  cache.set(communityId, { at: now, s })
  return s
}

/** Forget cached settings (tests that change them directly). */
export function clearCaseSettingsCache(): void {
  cache.clear()
}

type H = HandlersOf<typeof casesApi>

export const settings: H['settings'] = async (_input, ctx) => caseSettings(ctx, ctx.user!.address.communityId)

export const saveSettings: H['saveSettings'] = async (input, ctx) => {
  const communityId = ctx.user!.address.communityId
  cache.delete(communityId)
  const next: CaseSettings = { ...(await caseSettings(ctx, communityId)) }
  for (const [k, v] of Object.entries(input)) if (v !== undefined) next[k as keyof CaseSettings] = v as number
  const problem = caseSettingsProblem(next)
  if (problem) throw new AppError('INVALID_INPUT', problem.message, [{ path: problem.path, message: problem.message }])
  await ctx.db.collection(CASE_SETTINGS).doc(communityId).set({ data: { ...next, updatedAt: ctx.clock.now(), updatedBy: ctx.openid } })
  cache.set(communityId, { at: ctx.clock.now().getTime(), s: next })
  return next
}
