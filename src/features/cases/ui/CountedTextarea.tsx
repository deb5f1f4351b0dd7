import { View, Text, Textarea } from '@tarojs/components'
import { cx } from '@/components'
import './cases.css'

export interface CountedTextareaProps {
  value: string
  max: number
  placeholder: string
  onInput: (value: string) => void
  /** Class of the Textarea (its height and the test hooks: `description-input`, `sheet-textarea`…). */
  className?: string
  /** In a fixed-position container (a Sheet): WeChat needs `fixed` there. */
  fixed?: boolean
}

/**
 * A multi-line text box with its count under it (`12/1000`, red when over). The limit is not
 * enforced while typing (a paste is never cut); the form's check says "最多 N 个字".
 */
export function CountedTextarea({ value, max, placeholder, onInput, className, fixed = false }: CountedTextareaProps) {
  const over = value.length > max
  return (
    <View className='counted'>
      <Textarea
        className={cx('ui-textarea', 'case-textarea', className)}
        placeholderClass='ui-placeholder'
        placeholder={placeholder}
        value={value}
        maxlength={-1}
        autoHeight={false}
        fixed={fixed}
        onInput={(e) => onInput(e.detail.value)}
      />
      <View className={cx('counter', over && 'counter--over')}>
        <Text className='counter__text'>
          {value.length}/{max}
        </Text>
      </View>
    </View>
  )
}
