import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { Button, PageRoot, PagedListView, cx, useListPageEvents, usePagedList } from '@/components'
import type { Role } from '@/shared/api/define'
import type { CaseSummaryT } from '@/shared/api/cases'
import type { CaseKind } from '@/shared/rules/cases'
import { fetchMine } from '../data'
import { useCaseSession } from '../useSession'
import { CaseCard } from './CaseCard'
import './cases.css'

const go = (url: string) => void Taro.navigateTo({ url })

export interface PageLink {
  /** Class suffix: `page-link--<key>`. */
  key: string
  title: string
  desc: string
  url: string
}

/** Large links at the top of a page (待办纠纷, 留言办理, 统计, 留言墙). */
export function PageLinks({ links }: { links: readonly PageLink[] }) {
  if (!links.length) return null
  return (
    <View className='handler-links'>
      {links.map((l) => (
        <View key={l.key} className={cx('handler-link', `handler-link--${l.key}`)} hoverClass='handler-link--hover' onClick={() => go(l.url)}>
          <Text className='handler-link__title'>{l.title}</Text>
          <Text className='handler-link__desc'>{l.desc}</Text>
        </View>
      ))}
    </View>
  )
}

export interface CaseMineProps {
  kind: CaseKind
  /** The page root's class (`dispute-mine`, `message-mine`). */
  className: string
  /** The links this person gets, from their roles (handlers: the queue…). */
  links: (roles: readonly Role[]) => PageLink[]
  intro: string
  emptyText: string
  /** Said instead when the person has no address yet. */
  noAddressText: string
  /** The button that starts a new case (提交纠纷, 写留言). */
  newLabel: string
  newUrl: string
  detailUrl: (id: string) => string
}

/** 我的纠纷 / 我的留言: the resident's cases, newest first, with the button to start a new one. */
export function CaseMine({ kind, className, links, intro, emptyText, noAddressText, newLabel, newUrl, detailUrl }: CaseMineProps) {
  const { session, loaded } = useCaseSession()
  const list = usePagedList<CaseSummaryT, string>((cursor) => fetchMine(kind, cursor))
  // Back from a detail or the form: the latest states and unread marks.
  useListPageEvents(list)
  const roles = session?.profile?.roles ?? []
  // No address yet (known from the session, or said by the server): PageWrapper's 去完善住址.
  const noAddress = (loaded && session !== null && session.profile === null) || list.error?.code === 'NOT_ONBOARDED'
  const shown = noAddress ? { ...list, loading: false, loaded: false, error: { code: 'NOT_ONBOARDED', message: noAddressText } } : list
  const empty = !noAddress && list.loaded && list.items.length === 0
  const start = () => go(newUrl)

  return (
    <PageRoot className={cx(className, !empty && !noAddress && 'ui-with-bottom-bar')}>
      <PageLinks links={links(roles)} />

      <View className='case-intro'>
        <Text>{intro}</Text>
      </View>

      <PagedListView
        list={shown}
        empty={empty}
        emptyText={emptyText}
        emptyAction={
          <Button type='primary' className='empty-new-btn' onClick={start}>
            {newLabel}
          </Button>
        }
      >
        <View className='case-list'>
          {list.items.map((item) => (
            <CaseCard key={item.id} item={item} onClick={() => go(detailUrl(item.id))} />
          ))}
        </View>
      </PagedListView>

      {/* The empty state has its own button; otherwise the new button stays at the bottom of the screen. */}
      {empty || noAddress ? null : (
        <View className='ui-bottom-bar'>
          <Button type='primary' block className='case-new-btn' onClick={start}>
            {newLabel}
          </Button>
        </View>
      )}
    </PageRoot>
  )
}
