/** 工作台: the summary over the gateway, and opening an item's page. */
import Taro from '@tarojs/taro'
import { call } from '@/services/gateway'
import { workApi, type WorkSummaryT } from '@/shared/api/work'
import { setWorkCount } from './badge'

export type { WorkSummaryT, WorkGroupT, WorkItemT, CommunityFigureT } from '@/shared/api/work'

/** The workbench; its total becomes the 我的 tab's badge. Errors are shown by the page (no toast). */
export async function loadSummary(): Promise<WorkSummaryT> {
  const s = await call(workApi, 'summary', {}, { toast: false })
  void setWorkCount(s.total, Date.parse(s.at))
  return s
}

/** Opens a link the server gave (a subpackage page with its id). */
export function openLink(link: string): void {
  const url = link.startsWith('/') ? link : `/${link}`
  void Taro.navigateTo({ url }).catch(() => void Taro.showToast({ title: '该页面暂时无法打开', icon: 'none' }).catch(() => undefined))
}
