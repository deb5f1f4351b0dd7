import { Text, View } from '@tarojs/components'
import { cx } from '../cx'
import './index.css'

export interface SegmentedProps<K extends string> {
  options: ReadonlyArray<{ key: K; label: string }>
  value: K
  onChange: (key: K) => void
  /** Names the control for tests and page CSS: each option gets `${name}-${key}`. */
  name: string
  /** `pill`: a filled choice (a filter over a list); `line`: tabs underlined (sections of a page). */
  variant?: 'pill' | 'line'
}

/** One choice of a few (待办理 / 已办结; 即将参加 / 已参加 …), as tabs. */
export function Segmented<K extends string>({ options, value, onChange, name, variant = 'pill' }: SegmentedProps<K>) {
  return (
    <View className={cx('ui-seg', `ui-seg--${variant}`, name)} aria-role='tablist'>
      {options.map((o) => (
        <View
          key={o.key}
          className={cx('ui-seg__item', `${name}-${o.key}`, value === o.key && 'ui-seg__item--on')}
          onClick={() => onChange(o.key)}
          aria-role='tab'
          aria-selected={value === o.key}
        >
          <Text>{o.label}</Text>
        </View>
      ))}
    </View>
  )
}
