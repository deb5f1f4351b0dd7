/**
 * Every collection a function touches is declared in the one list production is set up from
 * (functions/indexes.ts: the README's setup creates exactly these collections and indexes).
 * Read from the sources: `.collection(<literal or constant>)` in the runtime and the handlers.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs'
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
  const declared = new Set([...Object.keys(INDEXES), 'meta'])
  expect([...used].filter((c) => !declared.has(c)).sort()).toEqual([])
  expect(used.size).toBeGreaterThan(30)
})
