import { volunteerApi } from '../../../src/shared/api/volunteer'
import { serve, type PreloadsOf } from '../runtime/serve'
import { cancelActivity, get, list, publish, roster, save } from '../handlers/volunteer/activities'
import { cancel, check, qr, signUp } from '../handlers/volunteer/signup'
import { adjustHours, bonus, exportXlsx, ledger, leaderboard, mine, profile } from '../handlers/volunteer/points'
import { tick } from '../handlers/volunteer/tick'

/** The activity a sign-up names is read in the same wait as the caller's record (runtime/preload.ts). */
const preloads: PreloadsOf<typeof volunteerApi> = {
  signUp: (i) => [['activities', i.id]],
}

export default serve(volunteerApi, {
  list,
  get,
  signUp,
  cancel,
  check,
  mine,
  profile,
  ledger,
  leaderboard,
  save,
  publish,
  cancelActivity,
  roster,
  qr,
  adjustHours,
  bonus,
  export: exportXlsx,
  tick,
}, preloads)
