import { View, Text } from '@tarojs/components'
import { cx } from '@/components'
import './cases.css'

export interface ChipOption<K extends string> {
  key: K
  label: string
  /** Shown but not selectable (with `note` saying why). */
  disabled?: boolean
  /** A second, smaller line under the label. */
  note?: string
}

export interface ChipsProps<K extends string> {
  /** Class prefix of each chip: `<name>-chip` and `<name>-chip-<index>` (tests select by it). */
  name: string
  options: ReadonlyArray<ChipOption<K>>
  value: K | null
  onChange: (key: K) => void
  /** Chips per row (default: as many as fit). */
  columns?: 2 | 3 | 4
  className?: string
}

/** A single-choice group of large chips (≥ one tap target high). */
export function Chips<K extends string>({ name, options, value, onChange, columns, className }: ChipsProps<K>) {
  return (
    <View className={cx('chips', columns && `chips--cols-${columns}`, className)} aria-role='radiogroup'>
      {options.map((o, i) => {
        const on = o.key === value
        return (
          <View
            key={o.key}
            className={cx('chip', `${name}-chip`, `${name}-chip-${i}`, on && 'chip--on', o.disabled && 'chip--disabled', o.note && 'chip--noted')}
            hoverClass={o.disabled ? undefined : 'chip--hover'}
            aria-role='radio'
            aria-checked={on}
            aria-disabled={o.disabled ? true : undefined}
            onClick={() => {
              if (!o.disabled) onChange(o.key)
            }}
          >
            <Text className='chip__label'>{o.label}</Text>
            {o.note ? <Text className='chip__note'>{o.note}</Text> : null}
          </View>
        )
      })}
    </View>
  )
}
