/**
 * The onboarding (入驻 / 修改住址) form: pure helpers (validation, payload, error mapping) and
 * one small hook holding the state. Loading the place lists goes through `loadPlaces`.
 */
import { useCallback, useRef, useState } from 'react'
import { ApiError } from '@/services/gateway'
import type { OnboardInputT } from '@/shared/api/user'
import type { Profile } from '@/shared/domain/user'
import { errorMessage } from '@/components/usePagedList'
import { loadPlaces, submitOnboarding, type Place } from './api'

export const LEVELS = ['community', 'estate', 'building', 'unit'] as const
export type LevelKey = (typeof LEVELS)[number]

export const LEVEL_LABELS: Record<LevelKey, string> = { community: '社区', estate: '小区', building: '楼栋', unit: '单元' }

export interface Chosen {
  id: string
  name: string
}

export interface LevelState {
  /** null: not loaded (yet). */
  options: Place[] | null
  loading: boolean
  error: string | null
  selected: Chosen | null
  /** The option list is shown (nothing chosen yet, or 重新选择). */
  open: boolean
}

export type Levels = Record<LevelKey, LevelState>

export interface OnboardingValues {
  room: string
  name: string
  /** H5: typed. */
  phone: string
  /** weapp: the one-time code of the 手机号快速验证 button. */
  phoneCode: string
  inviteCode: string
  consent: boolean
}

export type FieldKey = LevelKey | 'room' | 'name' | 'phone' | 'inviteCode' | 'consent'
export type FieldErrors = Partial<Record<FieldKey, string>>

const emptyLevel = (): LevelState => ({ options: null, loading: false, error: null, selected: null, open: false })

export function initialLevels(profile: Profile | null): Levels {
  const levels: Levels = { community: emptyLevel(), estate: emptyLevel(), building: emptyLevel(), unit: emptyLevel() }
  if (profile) {
    for (const key of LEVELS) levels[key].selected = { id: profile.address[key].id, name: profile.address[key].name }
  } else {
    levels.community.open = true
  }
  return levels
}

export function initialValues(profile: Profile | null): OnboardingValues {
  return { room: profile?.address.room ?? '', name: profile?.name ?? '', phone: '', phoneCode: '', inviteCode: '', consent: false }
}

export const CONSENT_REQUIRED = '提供手机号前，请先阅读并勾选同意《用户隐私保护指引》'

/**
 * Checks what only the form knows (every level chosen, consent before a phone). A level shows
 * only once the one above is chosen, so only the first one missing is marked: the others are
 * not on screen yet.
 */
export function validateOnboarding(levels: Levels, values: OnboardingValues): FieldErrors {
  const errors: FieldErrors = {}
  const missing = LEVELS.find((key) => !levels[key].selected)
  if (missing) errors[missing] = `请选择${LEVEL_LABELS[missing]}`
  if (!values.room.trim()) errors.room = '请填写门牌号'
  if ((values.phone.trim() || values.phoneCode) && !values.consent) errors.consent = CONSENT_REQUIRED
  return errors
}

/** The `user.onboard` payload; empty optional fields are left out. */
export function buildOnboardPayload(levels: Levels, values: OnboardingValues): OnboardInputT {
  const id = (k: LevelKey) => levels[k].selected?.id ?? ''
  const payload: OnboardInputT = {
    communityId: id('community'),
    estateId: id('estate'),
    buildingId: id('building'),
    unitId: id('unit'),
    room: values.room.trim(),
  }
  if (values.name.trim()) payload.name = values.name.trim()
  if (values.phoneCode) payload.phoneCode = values.phoneCode
  else if (values.phone.trim()) payload.phone = values.phone.trim()
  if (values.inviteCode.trim()) payload.inviteCode = values.inviteCode.trim().toUpperCase()
  return payload
}

/** Server issue paths → the form's fields. */
export const ONBOARD_FIELDS: Record<string, FieldKey> = {
  communityId: 'community',
  estateId: 'estate',
  buildingId: 'building',
  unitId: 'unit',
  room: 'room',
  name: 'name',
  phone: 'phone',
  phoneCode: 'phone',
  inviteCode: 'inviteCode',
}

/**
 * Splits an error into messages beside fields (server issue path → field, by `map`) and a top
 * message for the rest: a field-less error, or issues no field shows.
 */
export function splitErrors<K extends string = FieldKey>(
  e: unknown,
  map: Record<string, K> = ONBOARD_FIELDS as Record<string, K>,
): { fields: Partial<Record<K, string>>; top: string | null } {
  if (!(e instanceof ApiError)) return { fields: {}, top: errorMessage(e) }
  const fields: Partial<Record<K, string>> = {}
  let unmatched = false
  for (const [path, message] of Object.entries(e.fieldErrors())) {
    const key = map[path]
    if (key && !fields[key]) fields[key] = message
    else if (!key) unmatched = true
  }
  const matched = Object.keys(fields).length > 0
  return { fields, top: matched && !unmatched ? null : e.message }
}

export interface OnboardingForm {
  levels: Levels
  values: OnboardingValues
  errors: FieldErrors
  topError: string | null
  submitting: boolean
  /** Fills the form (a profile: 修改住址) and loads the first list. */
  start: (profile: Profile | null) => void
  choose: (level: LevelKey, place: Place) => void
  /** 重新选择 / 重试: shows the level's list again (loading it when needed). */
  reopen: (level: LevelKey) => void
  setValue: <K extends keyof OnboardingValues>(key: K, value: OnboardingValues[K]) => void
  /** Validates and sends; resolves to the new profile, or null when something needs fixing. */
  submit: () => Promise<Profile | null>
}

function parentOf(levels: Levels, level: LevelKey): string | undefined {
  const i = LEVELS.indexOf(level)
  return i === 0 ? undefined : (levels[LEVELS[i - 1]].selected?.id ?? undefined)
}

export function useOnboardingForm(): OnboardingForm {
  const [levels, setLevels] = useState<Levels>(() => initialLevels(null))
  const [values, setValues] = useState<OnboardingValues>(() => initialValues(null))
  const [errors, setErrors] = useState<FieldErrors>({})
  const [topError, setTopError] = useState<string | null>(null)
  const [submitting, setSubmitting] = useState(false)
  // The parent each level's list was last asked for: a late answer for an old parent is dropped.
  const asked = useRef<Partial<Record<LevelKey, string>>>({})
  const levelsRef = useRef(levels)
  levelsRef.current = levels
  const valuesRef = useRef(values)
  valuesRef.current = values

  const patchLevel = useCallback((level: LevelKey, patch: Partial<LevelState>) => {
    setLevels((prev) => ({ ...prev, [level]: { ...prev[level], ...patch } }))
  }, [])

  const load = useCallback(
    async (level: LevelKey, parentId: string | undefined) => {
      const tag = parentId ?? ''
      asked.current[level] = tag
      patchLevel(level, { loading: true, error: null })
      try {
        const options = await loadPlaces(parentId)
        if (asked.current[level] !== tag) return
        patchLevel(level, { options, loading: false })
      } catch (e) {
        if (asked.current[level] !== tag) return
        patchLevel(level, { loading: false, error: errorMessage(e) })
      }
    },
    [patchLevel],
  )

  const start = useCallback(
    (profile: Profile | null) => {
      setLevels(initialLevels(profile))
      setValues(initialValues(profile))
      setErrors({})
      setTopError(null)
      if (!profile) void load('community', undefined)
    },
    [load],
  )

  const choose = useCallback(
    (level: LevelKey, place: Place) => {
      const i = LEVELS.indexOf(level)
      const same = levelsRef.current[level].selected?.id === place.id
      setLevels((prev) => {
        const next: Levels = { ...prev, [level]: { ...prev[level], selected: { id: place.id, name: place.name }, open: false } }
        if (!same) {
          LEVELS.slice(i + 1).forEach((k, j) => {
            next[k] = { ...emptyLevel(), open: j === 0, loading: j === 0 }
          })
        }
        return next
      })
      setErrors((prev) => {
        const next = { ...prev }
        for (const k of LEVELS.slice(i)) delete next[k]
        return next
      })
      const nextLevel = LEVELS[i + 1]
      if (!same && nextLevel) void load(nextLevel, place.id)
      if (!same) for (const k of LEVELS.slice(i + 2)) asked.current[k] = undefined
    },
    [load],
  )

  const reopen = useCallback(
    (level: LevelKey) => {
      const current = levelsRef.current
      patchLevel(level, { open: true })
      if (current[level].options === null || current[level].error) void load(level, parentOf(current, level))
    },
    [load, patchLevel],
  )

  const setValue = useCallback(<K extends keyof OnboardingValues>(key: K, value: OnboardingValues[K]) => {
    setValues((prev) => ({ ...prev, [key]: value }))
    const field: FieldKey | null = key === 'phoneCode' ? 'phone' : key in ONBOARD_FIELDS || key === 'consent' ? (key as FieldKey) : null
    if (field) {
      setErrors((prev) => {
        if (!prev[field]) return prev
        const next = { ...prev }
        delete next[field]
        return next
      })
    }
  }, [])

  const submit = useCallback(async (): Promise<Profile | null> => {
    const lv = levelsRef.current
    const vals = valuesRef.current
    const local = validateOnboarding(lv, vals)
    setTopError(null)
    if (Object.keys(local).length > 0) {
      setErrors(local)
      return null
    }
    setSubmitting(true)
    try {
      const profile = await submitOnboarding(buildOnboardPayload(lv, vals))
      setErrors({})
      return profile
    } catch (e) {
      const { fields, top } = splitErrors(e)
      setErrors(fields)
      setTopError(top)
      return null
    } finally {
      setSubmitting(false)
    }
  }, [])

  return { levels, values, errors, topError, submitting, start, choose, reopen, setValue, submit }
}
