import { View, Text } from '@tarojs/components'
import type { ReactNode } from 'react'
import { Tag, cx } from '@/components'
import { lastVisitText, nextDueText, residentsText, visitTagType } from '@/features/grid/format'
import type { HouseholdRowT } from '@/shared/api/grid'
import './grid.css'

export interface HouseholdItemProps {
  item: HouseholdRowT
  /** The roster groups by 楼栋 and 单元 already: the room is enough; elsewhere the whole address. */
  title: string
  onClick: () => void
  /** A button on the right (待走访: 去走访). */
  action?: ReactNode
}

/**
 * One household: the room, its residents (phones masked), care tags, 上次走访 and the visit state.
 * The row opens the household; with an action, the row's text does, so that the action's button
 * is not a control inside another (a screen reader and a keyboard reach each on its own).
 */
export function HouseholdItem({ item, title, onClick, action }: HouseholdItemProps) {
  const due = item.visitState !== 'ok' ? nextDueText(item.nextDueAt) : null
  const hasAction = action !== undefined && action !== null
  return (
    <View className={cx('hh-item', `hh-item--${item.visitState}`)} hoverClass={hasAction ? 'none' : 'hh-item--hover'} onClick={hasAction ? undefined : onClick}>
      <View className='hh-item__main' hoverClass={hasAction ? 'hh-item--hover' : 'none'} onClick={hasAction ? onClick : undefined}>
        <View className='hh-item__head'>
          <Text className='hh-item__room'>{title}</Text>
          {item.nextDueAt ? (
            <Tag type={visitTagType(item)} className={cx('hh-item__state', `hh-item__state--${item.visitState}`)}>
              {item.visitStateLabel}
            </Tag>
          ) : null}
        </View>
        <Text className='hh-item__residents'>{residentsText(item.residents)}</Text>
        {item.tags.length ? (
          <View className='hh-tags'>
            {item.tags.map((t) => (
              <Text key={t} className='hh-tag'>
                {t}
              </Text>
            ))}
          </View>
        ) : null}
        <Text className='hh-item__visit'>
          上次走访：{lastVisitText(item.lastVisitAt)}
          {due ? ` · ${due}` : ''}
        </Text>
      </View>
      {hasAction ? (
        <View className='hh-item__action'>{action}</View>
      ) : (
        <Text className='hh-item__arrow'>›</Text>
      )}
    </View>
  )
}
