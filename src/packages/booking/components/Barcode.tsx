import { View } from '@tarojs/components'
import { code128cWidths } from '@/features/booking/barcode'
import './booking.css'

/** The check-in code as a Code 128 barcode drawn with Views (staff scan it with 扫码核销). */
export function Barcode({ code }: { code: string }) {
  let widths: number[]
  try {
    widths = code128cWidths(code)
  } catch {
    return null
  }
  return (
    <View className='bk-barcode' aria-label={`核销码 ${code} 的条形码`}>
      {widths.map((w, i) => (
        <View key={i} className={i % 2 === 0 ? 'bk-barcode__bar' : 'bk-barcode__gap'} style={{ width: `${w * 2}px` }} />
      ))}
    </View>
  )
}
