import { inboxApi } from '../../../src/shared/api/inbox'
import { serve } from '../runtime/serve'
import { list, markRead, unread } from '../handlers/inbox'

export default serve(inboxApi, { list, unread, markRead })
