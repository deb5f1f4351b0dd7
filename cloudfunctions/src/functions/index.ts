/**
 * Every cloud function of the product with its deployment manifest. The build writes one
 * deployable folder per entry (cloudfunctions/dist/<name>); the local cloud serves the same
 * objects over HTTP and runs their timer triggers on an interval.
 */
import type { CloudFunction } from '../runtime/serve'
import { MANIFEST, type FunctionManifest } from './manifest'
import user from './user'
import cases from './cases'
import inbox from './inbox'
import booking from './booking'
import volunteer from './volunteer'
import property from './property'
import grid from './grid'
import media from './media'
import privacy from './privacy'
import stats from './stats'
import work from './work'

export type { TimerTrigger } from './manifest'

export interface FunctionEntry extends FunctionManifest {
  fn: CloudFunction
}

const IMPLEMENTATIONS: Record<keyof typeof MANIFEST, CloudFunction> = { user, cases, inbox, booking, volunteer, property, grid, media, privacy, work, stats }

export const FUNCTIONS: Record<string, FunctionEntry> = Object.fromEntries(
  Object.entries(MANIFEST).map(([name, m]) => [name, { ...m, fn: IMPLEMENTATIONS[name] }]),
)
