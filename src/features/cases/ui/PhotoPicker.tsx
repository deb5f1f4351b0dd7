import Taro from '@tarojs/taro'
import { View, Text, Image } from '@tarojs/components'
import { useCallback, useRef, useState } from 'react'
import { cx } from '@/components'
import { choosePhotos } from '@/services/media'
import { uploadPhoto } from '@/services/upload'
import { MAX_PHOTOS, type PhotoItem } from '../form'
import './cases.css'

let photoSeq = 0
const photoKey = () => `p${Date.now().toString(36)}${(photoSeq++).toString(36)}`

export interface PhotoUploads {
  items: PhotoItem[]
  /** Some photo is still on its way up. */
  uploading: boolean
  /** Picks photos (album or camera) and uploads each at once. */
  add: () => Promise<void>
  remove: (key: string) => void
  /** A tap on a thumbnail: preview, or upload again after a failure. */
  open: (item: PhotoItem) => void
  /** Empties the list (after the photos were sent). */
  clear: () => void
}

/**
 * Photos chosen on the phone and uploaded right away through the one upload service, at most
 * `max`. `onChange` runs when the resident adds or removes one (to clear an inline error).
 */
export function usePhotoUploads(onChange?: () => void, max = MAX_PHOTOS): PhotoUploads {
  const [items, setItems] = useState<PhotoItem[]>([])
  const ref = useRef(items)
  ref.current = items
  const changed = useRef(onChange)
  changed.current = onChange

  const patch = (key: string, p: Partial<PhotoItem>) => setItems((list) => list.map((it) => (it.key === key ? { ...it, ...p } : it)))

  const upload = useCallback(async (item: PhotoItem) => {
    patch(item.key, { status: 'uploading' })
    try {
      const fileId = await uploadPhoto(item.path)
      patch(item.key, { status: 'done', fileId })
    } catch {
      patch(item.key, { status: 'failed' })
    }
  }, [])

  const add = useCallback(async () => {
    const remaining = max - ref.current.length
    if (remaining <= 0) {
      void Taro.showToast({ title: `最多上传 ${max} 张照片`, icon: 'none' })
      return
    }
    let paths: string[]
    try {
      paths = await choosePhotos(remaining)
    } catch {
      return // the picker failed (e.g. no camera permission): nothing was picked
    }
    const room = max - ref.current.length
    if (paths.length > room) {
      void Taro.showToast({ title: `最多上传 ${max} 张，多出的 ${paths.length - room} 张未添加`, icon: 'none' })
      paths = paths.slice(0, Math.max(0, room))
    }
    const added: PhotoItem[] = paths.map((path) => ({ key: photoKey(), path, status: 'uploading' }))
    if (added.length === 0) return
    setItems((list) => list.concat(added))
    changed.current?.()
    await Promise.all(added.map(upload))
  }, [max, upload])

  const remove = useCallback((key: string) => {
    setItems((list) => list.filter((p) => p.key !== key))
    changed.current?.()
  }, [])

  const open = useCallback(
    (item: PhotoItem) => {
      if (item.status === 'failed') {
        void upload(item)
        return
      }
      void Taro.previewImage({ urls: ref.current.map((p) => p.path), current: item.path }).catch(() => undefined)
    },
    [upload],
  )

  const clear = useCallback(() => setItems([]), [])

  return { items, uploading: items.some((p) => p.status === 'uploading'), add, remove, open, clear }
}

export interface PhotoPickerProps {
  uploads: PhotoUploads
  max?: number
  className?: string
}

/** The thumbnails of chosen photos (uploading / failed states, remove) and the + tile. */
export function PhotoPicker({ uploads, max = MAX_PHOTOS, className }: PhotoPickerProps) {
  return (
    <View className={cx('photos', className)}>
      {uploads.items.map((p, i) => (
        <View key={p.key} className={cx('photo', `photo--${p.status}`)}>
          <Image className='photo__img' src={p.path} mode='aspectFill' onClick={() => uploads.open(p)} aria-label={`已选照片 ${i + 1}`} />
          {p.status === 'uploading' ? (
            <View className='photo__state'>
              <View className='photo__spinner' />
              <Text>上传中</Text>
            </View>
          ) : null}
          {p.status === 'failed' ? (
            <View className='photo__state photo__state--failed' onClick={() => uploads.open(p)}>
              <Text>上传失败</Text>
              <Text>点按重试</Text>
            </View>
          ) : null}
          <View className='photo__remove' hoverClass='photo__remove--hover' onClick={() => uploads.remove(p.key)} aria-label={`删除照片 ${i + 1}`}>
            <Text>×</Text>
          </View>
        </View>
      ))}
      {uploads.items.length < max ? (
        <View className='photo photo-add' hoverClass='photo-add--hover' onClick={() => void uploads.add()} aria-label={`添加照片 ${uploads.items.length}/${max}`}>
          <Text className='photo-add__plus' aria-hidden>
            +
          </Text>
          <Text className='photo-add__text'>
            {uploads.items.length}/{max}
          </Text>
        </View>
      ) : null}
    </View>
  )
}
