import { userApi } from '../../../src/shared/api/user'
import { serve } from '../runtime/serve'
import { me, onboard, updateProfile } from '../handlers/user/profile'
import { grids, places } from '../handlers/user/places'
import { colleagues, residents, setRoles, verify } from '../handlers/user/residents'
import { createInvite } from '../handlers/user/invites'
import { tick } from '../handlers/user/tick'
import { setup } from '../handlers/user/setup'

export default serve(
  userApi,
  { me, places, onboard, updateProfile, residents, colleagues, verify, setRoles, createInvite, grids, setup, tick },
  // The person acted on is read in the same wait as the caller's record (runtime/preload.ts).
  { verify: (i) => [['users', i.openid]], setRoles: (i) => [['users', i.openid]] },
)
