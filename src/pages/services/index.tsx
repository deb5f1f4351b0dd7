import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { Cell, CellGroup, PageRoot, Section } from '@/components'
import { isCaseHandler, isCommunityStaff } from '@/features/cases/format'
import { FEATURE_ENTRIES, openEntry } from '@/features/entries'
import { GRID_URLS } from '@/features/grid/config'
import { hasEventEntry, isGridPerson, managesDepartments } from '@/features/grid/roles'
import { MESSAGE_URLS } from '@/features/message/config'
import { useSession } from '@/features/profile/useSession'
import { VOLUNTEER_URLS } from '@/features/volunteer/config'
import { WORK_URL } from '@/features/work/config'
import { hasWorkRole } from '@/features/work/badge'
import { useWorkCount } from '@/features/work/useWorkCount'
import './index.css'

function ServiceIcon({ glyph }: { glyph: string }) {
  return (
    <View className='services-icon'>
      <Text>{glyph}</Text>
    </View>
  )
}

/** 办事: every service as a list row, the 留言墙, and for those who handle cases their 工作台 rows. */
export default function ServicesPage() {
  const { session } = useSession()
  const roles = session?.profile?.roles
  const workCount = useWorkCount()
  return (
    <PageRoot className='services'>
      <Section title='居民服务'>
        <CellGroup>
          {FEATURE_ENTRIES.map((entry) => (
            <Cell
              key={entry.key}
              className={`entry-${entry.key}`}
              icon={<ServiceIcon glyph={entry.glyph} />}
              title={entry.title}
              description={entry.description}
              onClick={() => openEntry(entry)}
            />
          ))}
          <Cell
            className='entry-wall'
            icon={<ServiceIcon glyph='墙' />}
            title='留言墙'
            description='居民公开的留言与社区答复'
            onClick={() => void Taro.navigateTo({ url: MESSAGE_URLS.wall })}
          />
        </CellGroup>
      </Section>
      {isCaseHandler(roles) || hasEventEntry(roles) || hasWorkRole(roles) ? (
        <Section title='工作台' className='services-workbench'>
          <CellGroup>
            {hasWorkRole(roles) ? (
              <Cell
                className='services-work'
                icon={<ServiceIcon glyph='待' />}
                title='我的待办'
                description='各项待办集中处理，超期在前'
                value={workCount > 0 ? `${workCount} 项` : undefined}
                onClick={() => void Taro.navigateTo({ url: WORK_URL })}
              />
            ) : null}
            {isCaseHandler(roles) ? (
              <Cell
                className='services-message-inbox'
                icon={<ServiceIcon glyph='办' />}
                title='留言办理'
                description='按时限答复居民留言，超期在前'
                onClick={() => void Taro.navigateTo({ url: MESSAGE_URLS.inbox })}
              />
            ) : null}
            {isCommunityStaff(roles) ? (
              <Cell
                className='services-volunteer-manage'
                icon={<ServiceIcon glyph='志' />}
                title='志愿活动管理'
                description='发布活动、签到二维码、名单、导出工时'
                onClick={() => void Taro.navigateTo({ url: VOLUNTEER_URLS.list })}
              />
            ) : null}
            {isGridPerson(roles) ? (
              <Cell
                className='services-grid-home'
                icon={<ServiceIcon glyph='网' />}
                title='网格工作'
                description='网格户籍、重点户走访、巡查上报'
                onClick={() => void Taro.navigateTo({ url: GRID_URLS.home })}
              />
            ) : null}
            {hasEventEntry(roles) ? (
              <Cell
                className='services-grid-events'
                icon={<ServiceIcon glyph='报' />}
                title='上报事项'
                description='网格上报的事项，按时限接收、处置'
                onClick={() => void Taro.navigateTo({ url: GRID_URLS.events })}
              />
            ) : null}
            {managesDepartments(roles) ? (
              <Cell
                className='services-grid-departments'
                icon={<ServiceIcon glyph='部' />}
                title='职能部门'
                description='登记街道职能部门及联系人'
                onClick={() => void Taro.navigateTo({ url: GRID_URLS.departments })}
              />
            ) : null}
          </CellGroup>
        </Section>
      ) : null}
    </PageRoot>
  )
}
