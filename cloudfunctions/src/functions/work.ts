import { workApi } from '../../../src/shared/api/work'
import { serve } from '../runtime/serve'
import { badge, summary } from '../handlers/work/summary'

export default serve(workApi, { summary, badge })
