import Taro, { useRouter } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { useState } from 'react'
import { Button, Card, InfoRow, PageRoot, PageWrapper, PagedListView, Tag, cx } from '@/components'
import { hideComment } from '@/features/property/api'
import { PROPERTY_URLS } from '@/features/property/config'
import { isPropertyStaff, quarterLabel } from '@/features/property/format'
import { useComments, useCompany, useRoles } from '@/features/property/hooks'
import type { CompanyOutT } from '@/shared/api/property'
import { formatDate } from '@/shared/time'
import { Photos } from '../../components/Photos'
import { ReasonSheet } from '../../components/ReasonSheet'
import { Corrections, DimensionBars, ScoreHead } from '../../components/ScoreDetail'
import { TrendChart } from '../../components/TrendChart'
import '../../components/property.css'

const isWeapp = process.env.TARO_ENV === 'weapp'

function call(phone: string) {
  if (isWeapp) void Taro.makePhoneCall({ phoneNumber: phone }).catch(() => undefined)
  else window.location.href = `tel:${phone}`
}

function Violations({ items }: { items: CompanyOutT['violations'] }) {
  const shown = items.filter((v) => !v.removed)
  if (!shown.length) return <Text className='pm-sub pm-no-violations'>没有违规记录</Text>
  return (
    <View>
      {shown.map((v) => (
        <View key={v.id} className={cx('pm-item', 'pm-violation', `pm-violation--${v.level}`)}>
          <View className='pm-tags'>
            <Tag type={v.level === 'serious' ? 'danger' : 'warning'} className='pm-violation__level'>
              {v.levelLabel}违规
            </Tag>
            <Text className='pm-sub'>
              {quarterLabel(v.quarter)} · {formatDate(v.at)}
            </Text>
          </View>
          <Text className='pm-text pm-violation__text'>{v.description}</Text>
          <Photos photos={v.photos} />
        </View>
      ))}
    </View>
  )
}

function Comments({ id, staff }: { id: string; staff: boolean }) {
  const list = useComments(id)
  const [hiding, setHiding] = useState<string | null>(null)
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set())
  const items = list.items.filter((c) => !hidden.has(c.id))
  return (
    <View className='pm-comments'>
      <PagedListView list={list} empty={list.loaded && items.length === 0} emptyText='还没有居民评语'>
        <View className='pm-list'>
          <Card className='pm-comment-card'>
            {items.map((c) => (
              <View key={c.id} className='pm-item pm-comment'>
                <View className='pm-tags'>
                  <Text className='pm-stars-mini' aria-label={`${c.stars} 星`}>
                    {'★'.repeat(Math.round(c.stars))}
                    {'☆'.repeat(Math.max(0, 5 - Math.round(c.stars)))}
                  </Text>
                </View>
                <Text className='pm-text pm-comment__text'>{c.text}</Text>
                <Text className='pm-sub'>
                  {c.estate} · {c.quarterLabel} · {formatDate(c.at)}
                </Text>
                {staff ? (
                  <View className='pm-actions'>
                    <Button type='default' size='small' className='pm-hide-comment' onClick={() => setHiding(c.id)}>
                      隐藏评语
                    </Button>
                  </View>
                ) : null}
              </View>
            ))}
          </Card>
        </View>
      </PagedListView>
      <ReasonSheet
        open={hiding !== null}
        title='隐藏评语'
        label='隐藏原因'
        placeholder='例如：含有辱骂或个人信息'
        max={100}
        confirmText='确认隐藏'
        name='pm-hide'
        onClose={() => setHiding(null)}
        onSubmit={async (reason) => {
          const id = hiding!
          await hideComment(id, reason)
          setHidden((s) => new Set(s).add(id))
          setHiding(null)
          void Taro.showToast({ title: '已隐藏，评分仍计入', icon: 'none' })
        }}
      >
        <Text className='pm-hint'>隐藏后居民看不到这条评语，评分仍计入得分。</Text>
      </ReasonSheet>
    </View>
  )
}

/** 物业公司: its latest published score with dimensions and corrections, the trend, violations and comments; 评价. */
export function CompanyView({ id }: { id: string }) {
  const { roles } = useRoles()
  const { data: c, loading, error, reload } = useCompany(id)

  if (!c) {
    return (
      <PageRoot className='pm-company'>
        <PageWrapper loading={loading} error={loading ? null : error} onRetry={() => void reload()} />
      </PageRoot>
    )
  }

  const latest = c.latest
  return (
    <PageRoot className={cx('pm-company', c.canRate && 'ui-with-bottom-bar')}>
      <View className='pm-head'>
        <Text className='pm-head__title pm-company-name'>{c.name}</Text>
        {c.estates.length ? <Text className='pm-head__sub pm-estates'>服务小区：{c.estates.join('、')}</Text> : null}
        {c.phone ? (
          <View className='pm-phone' onClick={() => call(c.phone!)}>
            <InfoRow label='联系电话' value={c.phone} />
          </View>
        ) : null}
      </View>

      <View className='pm-list'>
        <Card title={latest ? `${latest.quarterLabel}评定` : '评定结果'} className='pm-latest'>
          {latest ? (
            <View>
              <ScoreHead score={latest.score} />
              <Corrections original={latest.original} corrections={latest.corrections} />
              <DimensionBars score={latest.score} />
            </View>
          ) : (
            <Text className='pm-sub pm-no-latest'>尚未公布评定结果</Text>
          )}
          <Text className='pm-hint pm-current'>
            本季度（{c.current.quarterLabel}）已有 {c.current.n} 户评价，季度结束并公布后显示得分。
          </Text>
        </Card>

        <Card title='历年走势（信用档案）' className='pm-trend-card'>
          <TrendChart trend={c.trend} />
        </Card>

        <Card title='违规记录' className='pm-violations'>
          <Violations items={c.violations} />
        </Card>
      </View>

      <View className='pm-section-title'>
        <Text className='pm-list-title'>居民评语</Text>
      </View>
      <Comments id={c.id} staff={isPropertyStaff(roles)} />

      {c.canRate ? (
        <View className='ui-bottom-bar'>
          <Button type='primary' block className='pm-rate' onClick={() => void Taro.navigateTo({ url: PROPERTY_URLS.rate })}>
            评价
          </Button>
        </View>
      ) : null}
    </PageRoot>
  )
}

export default function CompanyPage() {
  const router = useRouter()
  return <CompanyView id={String(router.params.id ?? '')} />
}
