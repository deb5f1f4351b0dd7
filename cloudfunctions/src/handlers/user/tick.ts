/**
 * The `user` function's scheduled job (every 5 minutes): settle what a crashed or failed call
 * left on a person's record (grid worker lists), forget request ids older than a day, and drop
 * old rate-limit counters. Each part is idempotent and bounded per run.
 */
import type { userApi } from '../../../../src/shared/api/user'
import type { HandlersOf } from '../../runtime/serve'
import { pruneRequests } from '../../runtime/requests'
import { pruneCounters } from '../../runtime/limits'
import { sweepEffects } from '../common/effects'

export const tick: HandlersOf<typeof userApi>['tick'] = async (_input, ctx) => {
  const settled = await sweepEffects(ctx, 'users')
  const requestsPruned = await pruneRequests(ctx)
  const countersPruned = await pruneCounters(ctx)
  return { settled, requestsPruned, countersPruned }
}
