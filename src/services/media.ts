/**
 * Picking photos (album or camera): the one place the client asks for images. `chooseMedia`, as
 * WeChat deprecated `chooseImage`; Taro's H5 implements `chooseMedia` too (a file input), so
 * both targets take the same call.
 */
import Taro from '@tarojs/taro'
import { ensureConsent, refusedText } from './privacy'

/** A rejection from the picker that only means the person closed it. */
function isCancel(e: unknown): boolean {
  const msg = (e as { errMsg?: unknown } | null)?.errMsg ?? (e instanceof Error ? e.message : '')
  return typeof msg === 'string' && /cancel/i.test(msg)
}

/**
 * The local paths of the compressed photos picked (up to `count` in WeChat), or [] when the person cancels. Rejects
 * when the picker fails for another reason (e.g. the camera permission was refused). The picker
 * opens only once the person agreed to the privacy guide (services/privacy.ts); a refusal is
 * told in a toast and picks nothing.
 */
export async function choosePhotos(count: number): Promise<string[]> {
  if (count <= 0) return []
  if (!(await ensureConsent('photos'))) {
    void Taro.showToast({ title: refusedText('photos'), icon: 'none', duration: 2500 }).catch(() => undefined)
    return []
  }
  try {
    const res = await Taro.chooseMedia({
      count,
      mediaType: ['image'],
      sizeType: ['compressed'],
      // H5: the browser's own chooser already offers the camera; asking for both would first
      // show Taro's 拍摄 / 从相册选择 sheet on a phone.
      sourceType: process.env.TARO_ENV === 'h5' ? ['album'] : ['album', 'camera'],
    })
    // H5's file input ignores `count`: callers drop the extra ones (and say so).
    return (res.tempFiles ?? []).map((f) => f.tempFilePath)
  } catch (e) {
    if (isCancel(e)) return []
    throw e
  }
}
