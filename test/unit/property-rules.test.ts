/** The 物业 score (rules/property.ts), against values computed by hand. */
import { DIMENSIONS, addStars, emptyStars, formulaText, previousQuarter, quarterLabel, quarterRange, score, type Stars } from '../../src/shared/rules/property'

const all = (v: number): Stars => Object.fromEntries(DIMENSIONS.map((d) => [d, v])) as Stars
const none = { general: 0, serious: 0 }

describe('score', () => {
  it('with fewer than 10 ratings the score is computed but not published, and the company is on no list', () => {
    // 5 ratings of 4 stars: (3.5 × 10 + 20) / (10 + 5) = 55 / 15 = 3.666… → 3.67
    const s = score({ n: 5, sums: all(20), complaints: 0, violations: none })
    expect(s).toMatchObject({ published: false, base: 3.67, overall: 3.67, list: 'none' })
    expect(s.dims.security).toBe(3.67)
    expect(s.reason).toContain('不足 10 条')
  })

  it('a 严重 violation puts the company on 黑榜 whatever its score, even without enough ratings', () => {
    // 20 ratings of 5 stars: (35 + 100) / 30 = 4.5, minus 0.5 for the violation = 4.0
    const s = score({ n: 20, sums: all(100), complaints: 0, violations: { general: 0, serious: 1 } })
    expect(s).toMatchObject({ base: 4.5, deduction: 0.5, overall: 4, list: 'black' })
    expect(score({ n: 3, sums: all(15), complaints: 0, violations: { general: 0, serious: 1 } })).toMatchObject({ published: false, list: 'black' })
  })

  it('exactly 4.5 is 红榜; exactly 3.0 is on neither list; just under 3.0 is 黑榜', () => {
    expect(score({ n: 20, sums: all(100), complaints: 0, violations: none })).toMatchObject({ overall: 4.5, list: 'red' })
    // (35 + 25) / 20 = 3.0
    expect(score({ n: 10, sums: all(25), complaints: 0, violations: none })).toMatchObject({ overall: 3, list: 'none' })
    // one substantiated complaint: 3.0 − 0.1 = 2.9
    expect(score({ n: 10, sums: all(25), complaints: 1, violations: none })).toMatchObject({ overall: 2.9, list: 'black' })
    // 4.5 with a 一般 violation drops to 4.3: no longer 红榜
    expect(score({ n: 20, sums: all(100), complaints: 0, violations: { general: 1, serious: 0 } })).toMatchObject({ overall: 4.3, list: 'none' })
  })

  it('deductions: 0.1 per substantiated complaint and 0.2 per 一般 violation by default, configurable, never below 1', () => {
    // 30 ratings of 4 stars: (35 + 120) / 40 = 3.875 → 3.88; minus 2 × 0.1 + 1 × 0.2 = 0.4 → 3.48
    expect(score({ n: 30, sums: all(120), complaints: 2, violations: { general: 1, serious: 0 } })).toMatchObject({ base: 3.88, deduction: 0.4, overall: 3.48 })
    expect(score({ n: 30, sums: all(120), complaints: 2, violations: none }, { complaint: 0.25, general: 0.2, serious: 0.5, burstPerHour: 20 })).toMatchObject({ overall: 3.38 })
    expect(score({ n: 10, sums: all(10), complaints: 40, violations: none })).toMatchObject({ overall: 1, list: 'black' })
  })

  it('dimensions are scored separately and the overall is their mean', () => {
    // 10 ratings: security 5s (50), the others 3s (30): security (35 + 50) / 20 = 4.25, others (35 + 30) / 20 = 3.25
    const sums = { ...all(30), security: 50 }
    const s = score({ n: 10, sums, complaints: 0, violations: none })
    expect(s.dims).toEqual({ ...all(3.25), security: 4.25 })
    expect(s.overall).toBe(3.42) // (4.25 + 5 × 3.25) / 6 = 3.4166…
  })

  it("a household's edit replaces its stars in the sums", () => {
    let sums = addStars(emptyStars(), all(2), 1)
    sums = addStars(addStars(sums, all(2), -1), all(5), 1)
    expect(sums).toEqual(all(5))
  })
})

describe('quarters', () => {
  it('runs in Shanghai time and steps back across a year', () => {
    expect(quarterRange('2026Q4').start.toISOString()).toBe('2026-09-30T16:00:00.000Z')
    expect(quarterRange('2026Q4').end.toISOString()).toBe('2026-12-31T16:00:00.000Z')
    expect(previousQuarter('2027Q1')).toBe('2026Q4')
    expect(quarterLabel('2026Q3')).toBe('2026年第三季度')
    expect(formulaText().join('')).toContain('3.5 × 10')
  })
})
