import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { Button } from '../Button'
import { cx } from '../cx'
import { Keep } from '../Keep'
import './index.css'

/** 首页 (a tab page: opened with switchTab). */
const HOME_URL = '/pages/home/index'

export interface DoneProps {
  /** 纠纷已提交, 预约成功 … */
  title: string
  /** What happens next and by when: 「张伟将在 12月1日 08:31 前受理」. */
  next: string
  /** Further lines: what to bring, where to find the code, how progress is told. */
  notes?: readonly string[]
  /** The new record's page: 查看进度 opens it in place of this one. */
  detailUrl: string
  detailLabel?: string
  /** `warning`: done, but someone still has to decide (待审核). */
  tone?: 'success' | 'warning'
  className?: string
}

/**
 * The page after a submit (a dispute, a message, a booking): that it went through, what happens
 * next and by when, and the two ways on — 查看进度 (the record, replacing the form in the page
 * stack, so 返回 leads back to the list) and 返回首页.
 */
export function Done({ title, next, notes = [], detailUrl, detailLabel = '查看进度', tone = 'success', className }: DoneProps) {
  return (
    <View className={cx('ui-done', `ui-done--${tone}`, className)} role='status'>
      <View className='ui-done__icon' aria-hidden>
        <Text>{tone === 'success' ? '✓' : '…'}</Text>
      </View>
      <Text className='ui-done__title'>{title}</Text>
      <Keep className='ui-done__next' text={next} />
      {notes.map((n) => (
        <Keep key={n} className='ui-done__note' text={n} />
      ))}
      <View className='ui-done__actions'>
        <Button type='primary' block className='ui-done__detail' onClick={() => void Taro.redirectTo({ url: detailUrl })}>
          {detailLabel}
        </Button>
        <Button type='default' block className='ui-done__home' onClick={() => void Taro.switchTab({ url: HOME_URL })}>
          返回首页
        </Button>
      </View>
    </View>
  )
}
