/**
 * Handing the month's 工作台账 (.xlsx in cloud storage, behind a temporary URL) to the person:
 * weapp downloads it to a temporary file and opens it in WeChat's document viewer (from whose menu
 * it can be forwarded or opened in another app); H5 shows a link to the file (the page renders it,
 * `download` names the file).
 */
import Taro from '@tarojs/taro'
import type { LedgerOutT } from '@/shared/api/stats'

export const IS_WEAPP = process.env.TARO_ENV === 'weapp'

/** weapp only: download and open the ledger. Throws with a Chinese message when either step fails. */
export async function openLedger(ledger: Pick<LedgerOutT, 'url'>): Promise<void> {
  let filePath = ''
  try {
    const res = await Taro.downloadFile({ url: ledger.url })
    if (res.statusCode !== 200 || !res.tempFilePath) throw new Error(String(res.statusCode))
    filePath = res.tempFilePath
  } catch {
    throw new Error('台账下载失败，请检查网络后重试')
  }
  try {
    await Taro.openDocument({ filePath, fileType: 'xlsx', showMenu: true })
  } catch {
    throw new Error('台账已下载，但无法打开，请安装能打开 Excel 表格的应用')
  }
}
