/**
 * Per-community case numbers (受理 / 办结 / 评价时限, reopen count, when a failed case closes):
 * stored in `case_settings/<communityId>` over PRODUCT.md's defaults, edited by the community's
 * admin within bounds. Read like every feature's settings (handlers/common/settings.ts: once in a
 * while per function instance; deadlines are computed on every change).
 */
import { AppError } from '../../../../src/shared/errors'
import type { casesApi } from '../../../../src/shared/api/cases'
import { caseSettingsProblem, caseSettingsWithDefaults, type CaseSettings } from '../../../../src/shared/rules/cases'
import type { HandlersOf } from '../../runtime/serve'
import type { Ctx } from '../../runtime/context'
import { saveStoredSettings, storedSettings } from '../common/settings'

export const CASE_SETTINGS = 'case_settings'
export async function caseSettings(ctx: Pick<Ctx, 'db' | 'clock'>, communityId: string): Promise<CaseSettings> {
  return caseSettingsWithDefaults(await storedSettings<CaseSettings>(ctx, CASE_SETTINGS, communityId))
}

type H = HandlersOf<typeof casesApi>

export const settings: H['settings'] = async (_input, ctx) => caseSettings(ctx, ctx.user!.address.communityId)

export const saveSettings: H['saveSettings'] = async (input, ctx) => {
  const communityId = ctx.user!.address.communityId
  const next: CaseSettings = { ...(await caseSettings(ctx, communityId)) }
  for (const [k, v] of Object.entries(input)) if (v !== undefined) next[k as keyof CaseSettings] = v as number
  const problem = caseSettingsProblem(next)
  if (problem) throw new AppError('INVALID_INPUT', problem.message, [{ path: problem.path, message: problem.message }])
  await saveStoredSettings(ctx, CASE_SETTINGS, communityId, next)
  return next
}
