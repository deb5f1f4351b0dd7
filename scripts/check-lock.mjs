// CI's lock check: did `npm install` change what the project depends on?
//
// A fresh `npm install` may add other platforms' optional native bindings to the lock as the
// registry gains them (seen: 17 `@unrs/resolver-binding-*` entries). Those are not a drift of
// our dependencies: npm only ever installs the one matching this machine. So the check compares
// the committed lock (git HEAD) with the installed one, ignoring entries that are optional AND
// restricted to an os/cpu/libc, and fails on any other difference (a package added, removed, or
// at another version or integrity), listing it.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

const platformOptional = (entry) => !!entry && entry.optional === true && !!(entry.os || entry.cpu || entry.libc)

function relevant(lock) {
  const out = new Map()
  for (const [path, entry] of Object.entries(lock.packages ?? {})) {
    if (platformOptional(entry)) continue
    // What makes an install different: the version, where it comes from, and what it needs.
    const { version, resolved, integrity, dependencies, optionalDependencies, peerDependencies, devDependencies, link } = entry
    out.set(path, JSON.stringify({ version, resolved, integrity, dependencies, optionalDependencies, peerDependencies, devDependencies, link }))
  }
  return out
}

let committedText
try {
  committedText = execFileSync('git', ['show', 'HEAD:package-lock.json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
} catch {
  console.error('check-lock: package-lock.json is not committed')
  process.exit(1)
}
const before = relevant(JSON.parse(committedText))
const after = relevant(JSON.parse(readFileSync('package-lock.json', 'utf8')))

const drift = []
for (const [path, v] of after) {
  if (!before.has(path)) drift.push(`+ ${path || '(root)'}`)
  else if (before.get(path) !== v) drift.push(`~ ${path || '(root)'}`)
}
for (const path of before.keys()) if (!after.has(path)) drift.push(`- ${path || '(root)'}`)

if (drift.length > 0) {
  console.error(`package-lock.json drifted from the committed one (${drift.length} entries): run npm install and commit it`)
  for (const line of drift.slice(0, 40)) console.error(`  ${line}`)
  process.exit(1)
}
console.log('check-lock: the installed lock matches the committed dependencies (other platforms\' optional bindings ignored)')
