import { privacyApi } from '../../../src/shared/api/privacy'
import { serve } from '../runtime/serve'
import { mine } from '../handlers/privacy/export'
import { cancelDeletion, completeDeletion, deletions, requestDeletion } from '../handlers/privacy/deletion'

export default serve(privacyApi, { mine, requestDeletion, cancelDeletion, deletions, completeDeletion })
