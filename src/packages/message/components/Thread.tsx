import { View, Text } from '@tarojs/components'
import { Tag, cx } from '@/components'
import { CasePhotos } from '@/features/cases/ui/CaseParts'
import type { ThreadPostT } from '@/shared/api/cases'
import { formatShort } from '@/shared/time'
import './message.css'

/**
 * A message's conversation as chat bubbles, oldest first: the resident on the right, the
 * community on the left; a reply that asks for more information is marked 请补充.
 */
export function Thread({ posts }: { posts: readonly ThreadPostT[] }) {
  return (
    <View className='thread'>
      {posts.map((p, i) => (
        <View key={`${p.at}-${i}`} className={cx('post', `post--${p.side}`, p.asksInfo && 'post--asks')}>
          <Text className='post__who'>
            {p.side === 'staff' ? `${p.byName} · 社区` : p.byName}
            <Text className='post__time'> {formatShort(p.at)}</Text>
          </Text>
          <View className='post__bubble'>
            {p.asksInfo ? (
              <Tag type='warning' className='post__asks'>
                请补充
              </Tag>
            ) : null}
            <Text className='post__text'>{p.text}</Text>
            <CasePhotos photos={p.photos} className='post__photos' />
          </View>
        </View>
      ))}
    </View>
  )
}
