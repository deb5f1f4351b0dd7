import { mediaApi } from '../../../src/shared/api/media'
import { serve } from '../runtime/serve'
import { receiveVerdict } from '../handlers/common/media'

/** The 内容安全 verdicts of photo checks, pushed by WeChat (消息推送 → `wxa_media_check`); nobody calls it. */
export default serve(mediaApi, { wxa_media_check: receiveVerdict })
