/**
 * Every collection a function touches is declared in the one list production is set up from
 * (functions/indexes.ts: the README's setup creates exactly these collections and indexes).
 * Read from the sources: `.collection(<literal or constant>)` in the runtime and the handlers.
 */
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { INDEXES } from '../../cloudfunctions/src/functions/indexes'

const SRC = resolve(__dirname, '../../cloudfunctions/src')

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : []
  })
}

it('declares every collection the runtime and the handlers use', () => {
  const sources = [...files(join(SRC, 'runtime')), ...files(join(SRC, 'handlers'))].map((f) => readFileSync(f, 'utf8'))
  const all = sources.join('\n')
  // The same constant name may stand for different collections in different features (SETTINGS): take them all.
  const constants = new Map<string, Set<string>>()
  for (const m of all.matchAll(/(?:export )?const ([A-Z_]+) = '([a-z_]+)'/g)) constants.set(m[1], (constants.get(m[1]) ?? new Set()).add(m[2]))
  const used = new Set<string>()
  // `.collection(x)`, and the effect helpers that are handed a collection (settle, sweep); a
  // parameter passed through (`collection`, `c`) is named by its caller, which is scanned too.
  for (const m of all.matchAll(/(?:\.collection(?:<[^>(]*>)?|(?:sweepEffects|settleNow|settle|getOrNull|txGetOrNull)(?:<[^>(]*>)?)\((?:ctx, |tx, )?([^,)]*)[,)]/g)) {
    const arg = m[1].trim()
    const literal = /^'([a-z_]+)'$/.exec(arg)
    if (literal) used.add(literal[1])
    else for (const c of constants.get(arg) ?? []) used.add(c)
  }
  const declared = new Set(Object.keys(INDEXES))
  expect([...used].filter((c) => !declared.has(c)).sort()).toEqual([])
  expect(used.size).toBeGreaterThan(30)
})

/**
 * README's index table (Deploying to CloudBase) is generated from the same list: run
 * `UPDATE_README=1 npx jest test/build/collections --selectProjects node` after changing it.
 */
it("README lists every declared collection and index, from the one list", () => {
  const readmePath = resolve(__dirname, '../../README.md')
  const readme = readFileSync(readmePath, 'utf8')
  const rows = Object.entries(INDEXES).flatMap(([name, specs]) =>
    specs.length === 0
      ? [`| \`${name}\` | （无，只按 _id 读写） | |`]
      : specs.map((s) => `| \`${name}\` | ${s.fields.map(([f, d]) => `\`${f}\` ${d === 1 ? '升序' : '降序'}`).join('，')} | ${s.unique ? '唯一' : ''} |`),
  )
  const table = ['<!-- indexes:start (generated from cloudfunctions/src/functions/indexes.ts) -->', '| 集合 | 索引字段 | |', '| --- | --- | --- |', ...rows, '<!-- indexes:end -->'].join('\n')
  const current = /<!-- indexes:start[^]*?<!-- indexes:end -->/.exec(readme)?.[0]
  if (process.env.UPDATE_README && current !== undefined) writeFileSync(readmePath, readme.replace(current, table))
  else expect(current).toBe(table)
})
