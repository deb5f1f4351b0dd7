/** Where a line may not break inside a text (pure: the unit tests read it without Taro). */

/** Tokens a line must never split: times and ranges (08:00–12:00), dates with their time (11月24日 08:31). */
const TOKEN = /\d{1,2}月\d{1,2}日(?: \d{1,2}:\d{2})?|\d{1,2}:\d{2}(?:\s?[–~-]\s?\d{1,2}:\d{2})?/

/** `text` cut into plain runs and the tokens kept whole. */
export function keepParts(text: string): Array<{ text: string; keep: boolean }> {
  const out: Array<{ text: string; keep: boolean }> = []
  let at = 0
  const re = new RegExp(TOKEN.source, 'g')
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > at) out.push({ text: text.slice(at, m.index), keep: false })
    out.push({ text: m[0], keep: true })
    at = m.index + m[0].length
  }
  if (at < text.length) out.push({ text: text.slice(at), keep: false })
  return out
}
