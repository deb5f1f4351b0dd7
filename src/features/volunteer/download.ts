/**
 * Hands a generated .xlsx (base64 from the export action) to the person: H5 downloads it as a
 * file; weapp writes it to the user data folder and opens it in WeChat's document viewer, from
 * whose menu it can be forwarded or opened in another app.
 */
import Taro from '@tarojs/taro'

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(base64)
  const out = new Uint8Array(new ArrayBuffer(bin.length))
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

/** A safe file name (WeChat's file system refuses some characters). */
export function safeFileName(name: string): string {
  const cleaned = name.replace(/[\\/:*?"<>|\s]+/g, '_')
  return /\.xlsx$/i.test(cleaned) ? cleaned : `${cleaned}.xlsx`
}

/** Returns how the file was handed over: `downloaded` (H5) or `opened` (weapp). Throws on failure. */
export async function saveXlsx(fileName: string, base64: string): Promise<'downloaded' | 'opened'> {
  const name = safeFileName(fileName)
  if (process.env.TARO_ENV !== 'weapp') {
    const blob = new Blob([base64ToBytes(base64)], { type: XLSX_TYPE })
    const url = URL.createObjectURL(blob)
    const a = document.createElement('a')
    a.href = url
    a.download = name
    document.body.appendChild(a)
    a.click()
    a.remove()
    setTimeout(() => URL.revokeObjectURL(url), 60_000)
    return 'downloaded'
  }
  const filePath = `${Taro.env.USER_DATA_PATH}/${name}`
  await new Promise<void>((resolve, reject) => {
    Taro.getFileSystemManager().writeFile({ filePath, data: base64, encoding: 'base64', success: () => resolve(), fail: (e) => reject(new Error(e.errMsg)) })
  })
  await Taro.openDocument({ filePath, fileType: 'xlsx', showMenu: true })
  return 'opened'
}
