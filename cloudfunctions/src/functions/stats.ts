import { statsApi } from '../../../src/shared/api/stats'
import { serve } from '../runtime/serve'
import { month } from '../handlers/stats/figures'
import { ledger, tick } from '../handlers/stats/ledger'

export default serve(statsApi, { month, ledger, tick })
