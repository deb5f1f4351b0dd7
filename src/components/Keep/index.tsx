import { Text } from '@tarojs/components'
import { keepParts } from './parts'

export { keepParts }

/** Inline, not a stylesheet: one rule, and no CSS order for the pages to agree on. */
const NOWRAP = { whiteSpace: 'nowrap' } as const

export interface KeepProps {
  text: string
  className?: string
}

/**
 * A text whose times and dates never break across lines ("8:00–1|2:00", "11月2|4日"): each
 * such token is a nowrap run; the rest wraps as usual (numbers such as room 201 keep together
 * by themselves now that no style breaks words anywhere).
 */
export function Keep({ text, className }: KeepProps) {
  const parts = keepParts(text)
  return (
    <Text className={className}>
      {parts.map((p, i) =>
        p.keep ? (
          <Text key={i} className='ui-keep' style={NOWRAP}>
            {p.text}
          </Text>
        ) : (
          p.text
        ),
      )}
    </Text>
  )
}
