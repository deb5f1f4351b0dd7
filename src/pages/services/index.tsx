import { View, Text } from '@tarojs/components'
import { Cell, CellGroup, PageRoot, Section } from '@/components'
import { FEATURE_ENTRIES, openEntry } from '@/features/entries'
import './index.css'

/** 办事: every service as a list row. Staff entries (工作台) will be added here by role. */
export default function ServicesPage() {
  return (
    <PageRoot className='services'>
      <Section title='居民服务'>
        <CellGroup>
          {FEATURE_ENTRIES.map((entry) => (
            <Cell
              key={entry.key}
              className={`entry-${entry.key}`}
              icon={
                <View className='services-icon'>
                  <Text>{entry.glyph}</Text>
                </View>
              }
              title={entry.title}
              description={entry.description}
              onClick={() => openEntry(entry)}
            />
          ))}
        </CellGroup>
      </Section>
    </PageRoot>
  )
}
