import { View, Text, Picker } from '@tarojs/components'
import { cx } from '@/components'

export interface PlaceOption {
  id: string
  name: string
}

/** One level of a place (小区 / 楼栋 / 单元) picked from a list, as the case forms use it. */
export function PlacePicker({ options, value, placeholder, onChange, className }: { options: PlaceOption[]; value: string; placeholder: string; onChange: (id: string) => void; className?: string }) {
  const index = options.findIndex((o) => o.id === value)
  return (
    <Picker
      mode='selector'
      range={options.map((o) => o.name)}
      value={index < 0 ? 0 : index}
      onChange={(e) => {
        const picked = options[Number(e.detail.value)]
        if (picked) onChange(picked.id)
      }}
    >
      <View className={cx('ui-picker', 'place-picker', className)}>
        <Text className={index < 0 ? 'ui-placeholder' : ''}>{index < 0 ? placeholder : options[index].name}</Text>
        <Text className='place-picker__arrow'>▾</Text>
      </View>
    </Picker>
  )
}
