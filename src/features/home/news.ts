/**
 * 社区动态 on 首页: the activities open for sign-up and the latest 留言墙 posts, read with the
 * existing actions `volunteer.list` and `cases.wall`. 首页's first screen has a size budget, so
 * they come from the files holding only those actions (`volunteer-list.ts`, `wall.ts`: the very
 * action objects the two contracts declare), not the whole contracts.
 */
import { call } from '@/services/gateway'
import { volunteerListApi, type ActivitySummaryT } from '@/shared/api/volunteer-list'
import { wallApi, type WallItemT } from '@/shared/api/wall'

export interface CommunityNews {
  /** Open for sign-up, soonest first. */
  activities: ActivitySummaryT[]
  /** 留言墙, newest first. */
  wall: WallItemT[]
}

/** The few items 首页 shows; a part that fails to load is left out (the rest still shows). */
export async function loadCommunityNews(): Promise<CommunityNews> {
  const quiet = { toast: false } as const
  const [activities, wall] = await Promise.all([
    call(volunteerListApi, 'list', { pageSize: 2, phase: 'open' }, quiet).then((p) => p.items, () => []),
    call(wallApi, 'wall', { pageSize: 2 }, quiet).then((p) => p.items, () => []),
  ])
  return { activities, wall }
}
