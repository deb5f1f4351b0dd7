import { volunteerApi } from '../../../src/shared/api/volunteer'
import { serve } from '../runtime/serve'
import { cancelActivity, get, list, publish, roster, save } from '../handlers/volunteer/activities'
import { cancel, check, qr, signUp } from '../handlers/volunteer/signup'
import { adjustHours, bonus, exportXlsx, ledger, leaderboard, mine, profile } from '../handlers/volunteer/points'
import { tick } from '../handlers/volunteer/tick'

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
})
