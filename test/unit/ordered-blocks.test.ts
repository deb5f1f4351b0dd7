/**
 * The ordered index's storage (platform/local/db/indexes.ts `Blocks`): a sorted sequence in blocks,
 * addressed by position. Thousands of random inserts and removals (blocks split, empty, merge
 * back through `from`) must leave it equal, position by position, to a plain sorted array.
 */
import { Blocks } from '../../cloudfunctions/src/platform/local/db/indexes'

function rng(seed: number): (n: number) => number {
  let a = seed
  return (n) => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n)
  }
}

const lowerBound = (xs: number[], v: number) => {
  let i = 0
  while (i < xs.length && xs[i] < v) i++
  return i
}

it('stays equal to a sorted array through random inserts and removals', () => {
  const r = rng(7)
  const model: number[] = []
  let blocks = Blocks.from<number>([])
  for (let step = 0; step < 6000; step++) {
    const op = r(10)
    if (op < 6 || model.length === 0) {
      const v = r(3000)
      const at = blocks.lowerBound((x) => x < v)
      expect(at).toBe(lowerBound(model, v))
      blocks.insertAt(at, v)
      model.splice(at, 0, v)
    } else if (op < 9) {
      const at = r(model.length)
      expect(blocks.at(at)).toBe(model[at])
      blocks.removeAt(at)
      model.splice(at, 1)
    } else {
      // A rebuild, as a large commit does.
      blocks = Blocks.from(blocks.toArray())
    }
    expect(blocks.size).toBe(model.length)
  }
  expect(model.length).toBeGreaterThan(1500) // several blocks deep
  expect(blocks.toArray()).toEqual(model)
  for (let k = 0; k < 200; k++) {
    const a = r(model.length + 1)
    const b = a + r(model.length + 1 - a)
    expect([...blocks.range(a, b)]).toEqual(model.slice(a, b))
    const v = r(3100)
    expect(blocks.lowerBound((x) => x < v)).toBe(lowerBound(model, v))
  }
  // Read backwards by position, as a reversed index run does.
  const back: number[] = []
  for (let i = model.length - 1; i >= 0; i--) back.push(blocks.at(i))
  expect(back).toEqual([...model].reverse())
})
