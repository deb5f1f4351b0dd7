/**
 * The camera scanner, for every feature that reads a code on site (场地核销, 志愿签到). weapp only:
 * in H5 `Taro.scanCode` "succeeds" with an error message instead of a result, so it is never
 * called there and the person types the code instead.
 */
import Taro from '@tarojs/taro'

/** Scans a QR code or barcode and returns its text; null when the person cancels or there is no scanner (H5). */
export async function scanCode(scanType: Array<'barCode' | 'qrCode'> = ['barCode', 'qrCode']): Promise<string | null> {
  if (process.env.TARO_ENV !== 'weapp') return null
  try {
    const res = await Taro.scanCode({ onlyFromCamera: true, scanType })
    return res.result ?? null
  } catch {
    return null
  }
}
