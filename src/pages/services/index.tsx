import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { Cell, CellGroup, PageRoot, Section } from '@/components'
import { isCaseHandler, isCommunityStaff } from '@/features/cases/format'
import { FEATURE_ENTRIES, openEntry } from '@/features/entries'
import { MESSAGE_URLS } from '@/features/message/config'
import { useSession } from '@/features/profile/useSession'
import { VOLUNTEER_URLS } from '@/features/volunteer/config'
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
      {isCaseHandler(roles) ? (
        <Section title='工作台' className='services-workbench'>
          <CellGroup>
            <Cell
              className='services-message-inbox'
              icon={<ServiceIcon glyph='办' />}
              title='留言办理'
              description='按时限答复居民留言，超期在前'
              onClick={() => void Taro.navigateTo({ url: MESSAGE_URLS.inbox })}
            />
            {isCommunityStaff(roles) ? (
              <Cell
                className='services-volunteer-manage'
                icon={<ServiceIcon glyph='志' />}
                title='志愿活动管理'
                description='发布活动、签到二维码、名单、导出工时'
                onClick={() => void Taro.navigateTo({ url: VOLUNTEER_URLS.list })}
              />
            ) : null}
          </CellGroup>
        </Section>
      ) : null}
    </PageRoot>
  )
}
