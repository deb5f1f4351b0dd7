import Taro from '@tarojs/taro'
import { View, Text, Picker } from '@tarojs/components'
import { useState } from 'react'
import { Button, Card, LinkTiles, PageRoot, PageWrapper, Tag, cx, type LinkTile } from '@/components'
import { PROPERTY_URLS } from '@/features/property/config'
import { isPropertyContact, isPropertyStaff, listTagType, overallText } from '@/features/property/format'
import { useBoard, useRoles } from '@/features/property/hooks'
import type { Role } from '@/shared/api/define'
import type { BoardOutT, BoardRowT } from '@/shared/api/property'
import { formatDate } from '@/shared/time'
import '../../components/property.css'

const go = (url: string) => void Taro.navigateTo({ url })

type Tab = 'red' | 'black' | 'ranking' | 'unranked'
const TABS: ReadonlyArray<{ key: Tab; label: string; empty: string }> = [
  { key: 'red', label: '红榜', empty: '本季度没有物业公司上红榜' },
  { key: 'black', label: '黑榜', empty: '本季度没有物业公司上黑榜' },
  { key: 'ranking', label: '全部排名', empty: '本季度没有评价满 10 户的物业公司' },
  { key: 'unranked', label: '暂不排名', empty: '所有物业公司都已参与排名' },
]

function links(roles: readonly Role[]): LinkTile[] {
  const out: LinkTile[] = []
  if (isPropertyStaff(roles)) {
    out.push(
      { key: 'close', title: '季度评定', desc: '计算、申诉、公布', url: PROPERTY_URLS.close },
      { key: 'companies', title: '物业公司管理', desc: '公司、小区、联系人', url: PROPERTY_URLS.companies },
      { key: 'complaints', title: '投诉认定', desc: '物业投诉是否属实', url: PROPERTY_URLS.complaints },
      { key: 'bursts', title: '集中评价核查', desc: '短时间大量评价', url: PROPERTY_URLS.bursts },
    )
  }
  if (isPropertyContact(roles)) out.push({ key: 'results', title: '本公司评定结果与申诉', desc: '季度结果、申诉', url: PROPERTY_URLS.results })
  return out
}

/** One company on a list: rank, name, score (or 评价不足), its list and a 更正 mark. */
export function BoardRowView({ row, showList }: { row: BoardRowT; showList: boolean }) {
  const s = row.score
  return (
    <View className={cx('pm-row', 'pm-board-row', `pm-board-row--${s.list}`)} hoverClass='pm-row--hover' onClick={() => go(PROPERTY_URLS.company(row.companyId))}>
      <Text className={cx('pm-rank', row.rank !== null && row.rank <= 3 && 'pm-rank--top')}>{row.rank ?? '—'}</Text>
      <View className='pm-row__main'>
        <Text className='pm-row__title'>{row.name}</Text>
        <View className='pm-row__tags'>
          {showList && s.list !== 'none' ? (
            <Tag type={listTagType(s.list)} className={`pm-list-tag pm-list-tag--${s.list}`}>
              {s.listLabel}
            </Tag>
          ) : null}
          {row.corrected ? (
            <Tag type='warning' className='pm-corrected-tag'>
              更正
            </Tag>
          ) : null}
          <Text className='pm-row__sub'>{s.n} 户评价</Text>
        </View>
      </View>
      <Text className={cx('pm-row__score', !s.published && 'pm-row__score--none')}>{overallText(s)}</Text>
      <Text className='pm-row__arrow'>›</Text>
    </View>
  )
}

function Lists({ board }: { board: BoardOutT }) {
  // 红榜 first; when it is empty, the first list that is not.
  const [tab, setTab] = useState<Tab>(() => TABS.find((t) => board[t.key].length > 0)?.key ?? 'red')
  const rows = board[tab]
  const current = TABS.find((t) => t.key === tab)!
  return (
    <View className='pm-lists'>
      <View className='pm-tabs' aria-role='tablist'>
        {TABS.map((t) => (
          <View key={t.key} className={cx('pm-tab', `pm-tab--${t.key}`, tab === t.key && 'pm-tab--on')} aria-role='tab' aria-selected={tab === t.key} onClick={() => setTab(t.key)}>
            <Text>
              {t.label} {board[t.key].length}
            </Text>
          </View>
        ))}
      </View>
      <PageWrapper empty={rows.length === 0} emptyText={current.empty} className={`pm-list-${tab}`}>
        <View className='pm-list'>
          <Card className={cx('pm-board', `pm-board--${tab}`)}>
            {rows.map((r) => (
              <BoardRowView key={r.companyId} row={r} showList={tab === 'ranking' || tab === 'unranked'} />
            ))}
          </Card>
        </View>
      </PageWrapper>
    </View>
  )
}

/** 物业红黑榜: the latest published quarter's 红榜, 黑榜 and ranking, past quarters, the formula; rate my company. */
export function BoardView() {
  const { roles } = useRoles()
  const [quarter, setQuarter] = useState<string | null>(null)
  const board = useBoard(quarter)
  const b = board.data

  return (
    <PageRoot className='pm-board-page'>
      <LinkTiles hook='pm' links={links(roles)} />
      <PageWrapper loading={board.loading && !b} error={b ? null : board.error} onRetry={() => void board.reload()}>
        {b ? (
          <View>
            <View className='pm-head'>
              <Text className='pm-head__title'>{b.communityName} 物业服务红黑榜</Text>
              {b.quarter ? (
                <Text className='pm-head__sub pm-quarter'>
                  {b.quarterLabel}
                  {b.publishedAt ? ` · ${formatDate(b.publishedAt)} 公布` : ''}
                </Text>
              ) : null}
              {b.quarters.length > 1 ? (
                <Picker
                  mode='selector'
                  range={b.quarters.map((x) => x.label)}
                  value={Math.max(0, b.quarters.findIndex((x) => x.quarter === b.quarter))}
                  onChange={(e) => setQuarter(b.quarters[Number(e.detail.value)]?.quarter ?? null)}
                  className='pm-quarter-picker'
                >
                  <View className='ui-picker pm-quarter-value'>
                    <Text>往季结果：{b.quarterLabel} ▾</Text>
                  </View>
                </Picker>
              ) : null}
            </View>

            {b.myCompany ? (
              <View className='pm-cta'>
                <Button type='primary' block className='pm-rate-mine' onClick={() => go(PROPERTY_URLS.rate)}>
                  评价我家物业
                </Button>
                <Text className='pm-cta__note'>{b.myCompany.name}</Text>
              </View>
            ) : null}

            {b.quarter ? <Lists key={b.quarter} board={b} /> : <PageWrapper empty emptyText='尚未公布季度结果' className='pm-no-quarter' />}

            <View className='pm-list'>
              <Card title='计分规则' className='pm-formula'>
                {b.formula.map((line, i) => (
                  <Text key={i} className='pm-formula__line'>
                    {line}
                  </Text>
                ))}
              </Card>
            </View>
          </View>
        ) : null}
      </PageWrapper>
    </PageRoot>
  )
}

export default function BoardPage() {
  return <BoardView />
}
