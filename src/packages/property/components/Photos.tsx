import Taro from '@tarojs/taro'
import { View, Image } from '@tarojs/components'
import { cx } from '@/components'
import './property.css'

/** Evidence photos (违规、申诉), each opening the viewer. */
export function Photos({ photos, className }: { photos: ReadonlyArray<{ fileId: string; url: string | null }>; className?: string }) {
  if (!photos.length) return null
  const urls = photos.map((p) => p.url ?? p.fileId)
  return (
    <View className={cx('pm-photos', className)}>
      {photos.map((p, i) => (
        <View key={p.fileId} className='pm-photo' aria-label={`查看第 ${i + 1} 张照片`} onClick={() => void Taro.previewImage({ urls, current: urls[i] }).catch(() => undefined)}>
          <Image className='pm-photo__img' src={urls[i]} mode='aspectFill' />
        </View>
      ))}
    </View>
  )
}
