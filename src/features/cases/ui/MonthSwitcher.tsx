import { View, Text } from '@tarojs/components'
import { cx } from '@/components'
import { addMonths, monthLabel } from '../format'
import './MonthSwitcher.css'

/** ‹ 2026年11月 › for a monthly figures page; › stops at `latest` (the current month). */
export function MonthSwitcher({ month, latest, onChange }: { month: string; latest: string; onChange: (month: string) => void }) {
  const atLatest = month >= latest
  return (
    <View className='month-picker'>
      <View className='month-picker__btn month-prev' hoverClass='month-picker__btn--hover' onClick={() => onChange(addMonths(month, -1))} aria-label='上个月'>
        <Text>‹</Text>
      </View>
      <Text className='month-picker__label'>{monthLabel(month)}</Text>
      <View
        className={cx('month-picker__btn', 'month-next', atLatest && 'month-picker__btn--disabled')}
        hoverClass={atLatest ? 'none' : 'month-picker__btn--hover'}
        onClick={() => {
          if (!atLatest) onChange(addMonths(month, 1))
        }}
        aria-label='下个月'
      >
        <Text>›</Text>
      </View>
    </View>
  )
}
