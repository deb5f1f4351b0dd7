import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { Button, Card, PageRoot, PageWrapper, Segmented, cx } from '@/components'
import { currentMonth } from '@/features/cases/format'
import { MonthSwitcher } from '@/features/cases/ui/MonthSwitcher'
import { IS_WEAPP } from '@/features/stats/download'
import { sectionsOf, tabsOf, type Section } from '@/features/stats/format'
import { useMonthStats } from '@/features/stats/useMonthStats'
import { MONTH_PATTERN } from '@/shared/rules/stats'
import { BarChart, LineChart, Tiles } from '../../components/Charts'

function SectionView({ s }: { s: Section }) {
  return (
    <Card title={s.title} className={cx('st-section', `st-section--${s.key}`)}>
      {s.type === 'tiles' ? <Tiles tiles={s.tiles} /> : null}
      {s.type === 'bars' ? <BarChart bars={s.bars} max={s.max} empty={s.empty} /> : null}
      {s.type === 'line' ? <LineChart points={s.points} max={s.max} unit={s.unit} empty={s.empty} /> : null}
      {s.type !== 'tiles' && s.hint ? <Text className='st-hint'>{s.hint}</Text> : null}
    </Card>
  )
}

/** 工作台账: build the month's .xlsx; weapp opens it, H5 shows the link to it. */
function LedgerCard({ month, ledger, onExport }: Pick<ReturnType<typeof useMonthStats>, 'month' | 'ledger'> & { onExport: () => void }) {
  const file = ledger.state === 'ready' ? ledger.file : undefined
  return (
    <Card title='工作台账' className='st-ledger'>
      <Text className='st-ledger__text'>导出{month.slice(0, 4)}年{Number(month.slice(5))}月的工作台账（Excel）：每项工作一张表，含统计和明细。</Text>
      <Button type='primary' block className='st-ledger-btn' loading={ledger.state === 'working'} onClick={onExport}>
        {ledger.state === 'working' ? '正在生成…' : file ? '重新生成' : '生成本月台账'}
      </Button>
      {file && IS_WEAPP ? <Text className='st-ledger__done'>已打开「{file.fileName}」，可从右上角菜单转发或保存。</Text> : null}
      {file && !IS_WEAPP ? (
        <a className='st-ledger__link' href={file.url} download={file.fileName}>
          下载「{file.fileName}」
        </a>
      ) : null}
      {ledger.state === 'failed' ? <Text className='st-ledger__error'>{ledger.message}</Text> : null}
    </Card>
  )
}

/**
 * 统计: a month's figures for the people who do the community's work — 三率 of disputes and
 * messages, room utilisation per room and hour with the 爽约率, volunteer hours and people,
 * property scores — by community / grid / category / staff member, drawn as bars and a line; and
 * the month's 工作台账 as an .xlsx.
 */
export function StatsView({ initialMonth }: { initialMonth?: string }) {
  const thisMonth = currentMonth()
  const start = initialMonth && MONTH_PATTERN.test(initialMonth) && initialMonth <= thisMonth ? initialMonth : thisMonth
  const s = useMonthStats(start)
  const stats = s.stats
  const sections = stats ? sectionsOf(stats, s.tab) : []

  usePullDownRefresh(() => {
    void s.reload().finally(() => Taro.stopPullDownRefresh())
  })

  return (
    <PageRoot className='stats-page'>
      <MonthSwitcher month={s.month} latest={thisMonth} onChange={s.setMonth} />
      <PageWrapper loading={s.loading && !stats} error={stats ? null : s.error} onRetry={() => void s.reload()}>
        {stats ? (
          <View className={cx('st-body', s.loading && 'st-body--loading')}>
            <Text className='st-title'>{stats.title}</Text>
            {stats.tabs.length > 1 ? (
              <Segmented name='st-tabs' variant='line' options={tabsOf(stats).map((t) => ({ key: t.key, label: `按${t.label}` }))} value={s.tab} onChange={s.setTab} />
            ) : null}
            {sections.map((sec) => (
              <SectionView key={sec.key} s={sec} />
            ))}
            <LedgerCard month={s.month} ledger={s.ledger} onExport={() => void s.exportLedger()} />
          </View>
        ) : null}
      </PageWrapper>
    </PageRoot>
  )
}

export default function StatsPage() {
  const month = useRouter().params.month
  return <StatsView initialMonth={month ? decodeURIComponent(month) : undefined} />
}
