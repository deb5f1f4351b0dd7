import Taro from '@tarojs/taro'
import { View, Image, Text } from '@tarojs/components'
import { cx } from '@/components'
import './property.css'

/** Evidence photos (违规、申诉), each opening the viewer; one still being checked is a 图片审核中 placeholder (no URL) for all but its uploader. */
export function Photos({ photos, className }: { photos: ReadonlyArray<{ fileId: string; url: string | null; checking?: boolean }>; className?: string }) {
  if (!photos.length) return null
  const urls = photos.flatMap((p) => (p.url ? [p.url] : []))
  return (
    <View className={cx('pm-photos', className)}>
      {photos.map((p, i) =>
        p.url ? (
          <View key={p.fileId} className='pm-photo' aria-label={`查看第 ${i + 1} 张照片${p.checking ? '（审核中）' : ''}`} onClick={() => void Taro.previewImage({ urls, current: p.url! }).catch(() => undefined)}>
            <Image className='pm-photo__img' src={p.url} mode='aspectFill' aria-label={`照片 ${i + 1}`} />
            {p.checking ? <Text className='pm-photo__checking'>审核中</Text> : null}
          </View>
        ) : (
          <View key={p.fileId} className='pm-photo pm-photo--pending'>
            <Text>{p.checking ? '图片审核中' : '图片暂不可用'}</Text>
          </View>
        ),
      )}
    </View>
  )
}
