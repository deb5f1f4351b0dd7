import { View, Text } from '@tarojs/components'
import { cx } from '@/components'
import { STAR_WORDS } from '@/features/property/format'
import './property.css'

export interface StarPickerProps {
  /** The dimension's key (test hooks: `pm-stars--security`, `pm-star-4`). */
  name: string
  label: string
  /** 0: not chosen. */
  value: number
  onChange: (stars: number) => void
  error?: string
}

/** One rated dimension: its label, five large star buttons and the choice in words. */
export function StarPicker({ name, label, value, onChange, error }: StarPickerProps) {
  return (
    <View className={cx('pm-stars', `pm-stars--${name}`, error && 'pm-stars--invalid')}>
      <View className='pm-stars__head'>
        <Text className='pm-stars__label'>{label}</Text>
        <Text className={cx('pm-stars__word', !value && 'pm-stars__word--none')}>{value ? `${value} 星 · ${STAR_WORDS[value]}` : '请选择'}</Text>
      </View>
      <View className='pm-stars__row' aria-role='radiogroup' aria-label={label}>
        {[1, 2, 3, 4, 5].map((n) => (
          <View
            key={n}
            className={cx('pm-star', `pm-star-${n}`, n <= value && 'pm-star--on')}
            hoverClass='pm-star--hover'
            aria-role='radio'
            aria-checked={n === value}
            aria-label={`${label} ${n} 星`}
            onClick={() => onChange(n)}
          >
            <Text className='pm-star__glyph'>{n <= value ? '★' : '☆'}</Text>
          </View>
        ))}
      </View>
      {error ? (
        <Text className='pm-error pm-stars__error ui-form-error' aria-live='polite'>
          {error}
        </Text>
      ) : null}
    </View>
  )
}
