/**
 * 我的数据 and 注销 (issue 14): plain functions over the gateway (tests call them as pages do), and
 * handing the export to the person as a file.
 */
import Taro from '@tarojs/taro'
import type { ListPage } from '@/components/usePagedList'
import { call } from '@/services/gateway'
import { privacyApi, type DeletionItemT, type DeletionOutT, type MyDataOutT } from '@/shared/api/privacy'
import { businessDate } from '@/shared/time'

export { DELETIONS_URL, MY_DATA_URL } from './routes'

export function loadMyData(): Promise<MyDataOutT> {
  return call(privacyApi, 'mine', {}, { toast: false })
}

export function askDeletion(reason: string): Promise<DeletionOutT> {
  return call(privacyApi, 'requestDeletion', reason.trim() ? { reason: reason.trim() } : {}, { toast: false })
}

export function withdrawDeletion(): Promise<DeletionOutT> {
  return call(privacyApi, 'cancelDeletion', {})
}

export type DeletionFilter = 'pending' | 'done'

export function fetchDeletionsPage(state: DeletionFilter, cursor: string | undefined): Promise<ListPage<DeletionItemT, string>> {
  return call(privacyApi, 'deletions', { state, ...(cursor ? { cursor } : {}) }, { toast: false })
}

/** Errors toast: it is a confirmed tap on a row, not a form. */
export function completeDeletion(openid: string): Promise<DeletionItemT> {
  return call(privacyApi, 'completeDeletion', { openid })
}

/** The export's file name: 我的数据_2026-11-23.json. */
export function exportFileName(data: Pick<MyDataOutT, 'generatedAt'>): string {
  return `我的数据_${businessDate(data.generatedAt)}.json`
}

/** The file's content: the whole answer, readable (indented), with what it is. */
export function exportJson(data: MyDataOutT): string {
  return JSON.stringify({ 说明: '邻里共治小程序为您保存的个人信息与记录（导出时的状态）', ...data }, null, 2)
}

export type ExportResult = 'downloaded' | 'shared' | 'saved'

/**
 * Hands the export over as a .json file. H5: a download (a link to a Blob). weapp: written to the
 * user data folder, then WeChat's 发送给朋友 / 文件传输助手 sheet (`shareFileMessage` — WeChat's
 * document viewer opens no .json); written synchronously so the share stays inside the tap.
 * `saved`: the file is written but the share was closed or refused (its path is in the message).
 */
export async function handOverExport(data: MyDataOutT): Promise<{ result: ExportResult; path: string }> {
  const name = exportFileName(data)
  const content = exportJson(data)
  if (process.env.TARO_ENV !== 'weapp') {
    const url = URL.createObjectURL(new Blob([content], { type: 'application/json;charset=utf-8' }))
    const a = document.createElement('a')
    a.href = url
    a.download = name
    a.className = 'my-data-download'
    document.body.appendChild(a)
    a.click()
    a.remove()
    setTimeout(() => URL.revokeObjectURL(url), 60_000)
    return { result: 'downloaded', path: name }
  }
  const filePath = `${Taro.env.USER_DATA_PATH}/${name}`
  Taro.getFileSystemManager().writeFileSync(filePath, content, 'utf8')
  try {
    await Taro.shareFileMessage({ filePath, fileName: name })
    return { result: 'shared', path: filePath }
  } catch {
    return { result: 'saved', path: filePath }
  }
}
