import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { Card, Cell, CellGroup, PageRoot, PageWrapper, Section, Tag, cx } from '@/components'
import { openLink, type CommunityFigureT, type WorkGroupT, type WorkItemT } from '@/features/work/api'
import { STATS_URLS } from '@/features/stats/config'
import { moreText, seesStats, splitGroups, totalLine } from '@/features/work/format'
import { useWorkbench } from '@/features/work/hooks'
import { useSession } from '@/features/profile/useSession'
import { formatShort } from '@/shared/time'
import './index.css'

function ItemRow({ item }: { item: WorkItemT }) {
  return (
    <Cell
      className={cx('work-item', item.overdue && 'work-item--overdue')}
      title={item.title}
      description={[item.dueText, item.detail].filter(Boolean).join(' · ')}
      onClick={() => openLink(item.link)}
    >
      <View className='work-item__tags'>
        {item.overdue ? (
          <Tag type='danger' className='work-item__overdue'>
            超期
          </Tag>
        ) : null}
        {item.tag ? (
          <Tag type={item.overdue ? 'muted' : 'warning'} className='work-item__tag'>
            {item.tag}
          </Tag>
        ) : null}
      </View>
    </Cell>
  )
}

function GroupCard({ group }: { group: WorkGroupT }) {
  return (
    <Card
      title={group.title}
      className={cx('work-group', `work-group--${group.key}`)}
      extra={
        <View className='work-group__figures'>
          {group.overdue > 0 ? (
            <Tag type='danger' className='work-group__overdue'>
              超期 {group.overdue}
            </Tag>
          ) : null}
          <Text className='work-group__count'>{group.count} 项</Text>
        </View>
      }
    >
      {group.note ? <Text className='work-group__note'>{group.note}</Text> : null}
      <CellGroup className='work-group__items'>
        {group.items.map((item) => (
          <ItemRow key={item.id} item={item} />
        ))}
        <Cell className='work-group__more' title={moreText(group)} onClick={() => openLink(group.link)} />
      </CellGroup>
    </Card>
  )
}

function Communities({ rows }: { rows: CommunityFigureT[] }) {
  return (
    <Section title='各社区待办' className='work-communities'>
      <CellGroup>
        {rows.map((c) => (
          <Cell
            key={c.id}
            className={cx('work-community', `work-community--${c.id}`)}
            title={c.name}
            description={c.overdue > 0 ? `其中超期 ${c.overdue} 件` : '无超期'}
            value={`待办 ${c.open} 件`}
            arrow={false}
          />
        ))}
      </CellGroup>
    </Section>
  )
}

/**
 * 工作台 (grid workers, staff, admins, the street): what waits for me across the features, overdue
 * first, each item one tap from the page where it is handled; the street also sees each
 * community's figures. Pull down (or come back from an item) to refresh.
 */
export function WorkbenchView() {
  const { session } = useSession()
  const res = useWorkbench()
  const s = res.data
  const { active, clear } = s ? splitGroups(s.groups) : { active: [], clear: [] }
  return (
    <PageRoot className='work'>
      <PageWrapper loading={res.loading && !s} error={s ? null : res.error} onRetry={() => void res.reload()} skeletonRows={3}>
        {s ? (
          <View className='work-body'>
            <View className={cx('work-head', s.overdue > 0 && 'work-head--overdue')}>
              <Text className='work-total'>{totalLine(s)}</Text>
              <Text className='work-head__time'>更新于 {formatShort(s.at)} · 下拉刷新</Text>
            </View>
            {s.communities ? <Communities rows={s.communities} /> : null}
            {active.length === 0 ? (
              <View className='work-empty'>
                <Text className='work-empty__title'>暂无待办</Text>
                <Text className='work-empty__text'>新的纠纷、留言、预约等需要您处理时，会显示在这里。</Text>
              </View>
            ) : (
              active.map((g) => <GroupCard key={g.key} group={g} />)
            )}
            {clear.length > 0 && active.length > 0 ? <Text className='work-clear'>已处理完：{clear.join('、')}</Text> : null}
            {seesStats(session?.profile?.roles) ? (
              <CellGroup className='work-links'>
                <Cell className='work-stats' title='统计与台账' description='各项工作的月度统计，导出月度工作台账' onClick={() => void Taro.navigateTo({ url: STATS_URLS.index() }).catch(() => void Taro.showToast({ title: '统计与台账暂未开放', icon: 'none' }).catch(() => undefined))} />
              </CellGroup>
            ) : null}
          </View>
        ) : null}
      </PageWrapper>
    </PageRoot>
  )
}

export default function WorkbenchPage() {
  return <WorkbenchView />
}
