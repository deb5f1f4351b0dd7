import Taro from '@tarojs/taro'

/** The five services of the product, shown on 首页 (grid) and 办事 (list). */
export type EntryKey = 'dispute' | 'booking' | 'volunteer' | 'property' | 'message'

export interface FeatureEntry {
  key: EntryKey
  title: string
  description: string
  /** One character drawn in the entry's icon circle. */
  glyph: string
  /**
   * The feature's first page in its subpackage. Unset until the feature exists; add the
   * subpackage to app.config.ts `subPackages` and set the path here (e.g.
   * '/packages/dispute/pages/index/index').
   */
  url?: string
}

export const FEATURE_ENTRIES: readonly FeatureEntry[] = [
  { key: 'dispute', title: '邻里纠纷', description: '噪音、漏水、停车等邻里矛盾调解', glyph: '调', url: '/packages/dispute/pages/mine/index' },
  { key: 'booking', title: '场地预约', description: '党群服务中心活动室预约', glyph: '约', url: '/packages/booking/pages/rooms/index' },
  { key: 'volunteer', title: '志愿活动', description: '报名参加社区志愿服务', glyph: '志', url: '/packages/volunteer/pages/list/index' },
  { key: 'property', title: '物业红黑榜', description: '评价物业服务，查看红黑榜', glyph: '榜', url: '/packages/property/pages/board/index' },
  { key: 'message', title: '居民留言', description: '咨询、建议、投诉、报修', glyph: '言', url: '/packages/message/pages/mine/index' },
]

/** 入驻 / 完善住址 (subpackage `packages/onboarding`). */
export { ONBOARDING_URL } from '@/components/routes'

/** Opens a feature; features not built yet say so instead of failing. */
export function openEntry(entry: FeatureEntry): void {
  if (entry.url) {
    void Taro.navigateTo({ url: entry.url })
    return
  }
  void Taro.showToast({ title: `${entry.title}即将开放`, icon: 'none' })
}
