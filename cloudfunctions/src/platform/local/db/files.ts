/**
 * Durable storage: one append-only datafile per collection, in nedb's format (one JSON document
 * per line, Dates as `{"$$date": ms}`, removals as `{"$$deleted": true, "_id": ...}`), so a file
 * can be inspected with @seald-io/nedb. The last line for an `_id` wins.
 *
 * An append resolves once the bytes are written to the file (the OS holds them, so they survive
 * the process being killed; a machine crash may lose the last seconds, as with nedb's default).
 * Loading tolerates a torn final line (a write cut off mid-way was never acknowledged) and
 * compacts the file if it holds stale lines; compaction is crash-safe (write `<file>~`, fsync,
 * rename), like nedb's.
 */
import { mkdir, open, readdir, readFile, rename, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import { deserialize, isPlainObject, type PlainObject, serialize } from './values'

export type StoredDoc = PlainObject & { _id: string }

const SUFFIX = '.db'

/**
 * Collection name → file name, reversibly and safely on every file system: letters (lower case),
 * digits, `_` and `-` stay; an upper-case letter becomes `^` + its lower case (case-insensitive
 * file systems); anything else becomes `%` + 4 hex digits.
 */
export function fileNameFor(collection: string): string {
  const encoded = collection.replace(/[^a-z0-9_-]/g, (c) =>
    /[A-Z]/.test(c) ? `^${c.toLowerCase()}` : `%${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
  return encoded + SUFFIX
}

export function collectionFor(fileName: string): string | undefined {
  if (!fileName.endsWith(SUFFIX)) return undefined
  const encoded = fileName.slice(0, -SUFFIX.length)
  if (!/^(?:[a-z0-9_-]|\^[a-z]|%[0-9a-f]{4})+$/.test(encoded)) return undefined
  return encoded.replace(/\^([a-z])|%([0-9a-f]{4})/g, (_m, upper: string | undefined, hex: string | undefined) =>
    upper !== undefined ? upper.toUpperCase() : String.fromCharCode(parseInt(hex ?? '0', 16)),
  )
}

export const docLine = (doc: StoredDoc): string => serialize(doc)
export const removalLine = (id: string): string => serialize({ $$deleted: true, _id: id })

async function syncDir(dir: string): Promise<void> {
  // Directories cannot be fsync'ed everywhere (Windows): best effort, as nedb does.
  try {
    const handle = await open(dir, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  } catch {
    /* not supported here */
  }
}

export class CollectionFile {
  private handle: FileHandle | undefined

  constructor(
    readonly dir: string,
    readonly path: string,
  ) {}

  static forCollection(dir: string, collection: string): CollectionFile {
    return new CollectionFile(dir, join(dir, fileNameFor(collection)))
  }

  /** Reads the datafile; `stale` says whether compaction would shrink or repair it. */
  async load(): Promise<{ docs: Map<string, StoredDoc>; stale: boolean }> {
    const docs = new Map<string, StoredDoc>()
    let text: string
    try {
      text = await readFile(this.path, 'utf8')
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { docs, stale: false }
      throw e
    }
    const lines = text.split('\n')
    let records = 0
    let torn = false
    lines.forEach((line, i) => {
      if (line === '') return
      let record: unknown
      try {
        record = deserialize(line)
      } catch {
        if (i === lines.length - 1) {
          torn = true // an unterminated last line: a write cut off before it was acknowledged
          return
        }
        throw new Error(`local db: ${this.path} line ${i + 1} is corrupt; refusing to load it`)
      }
      records++
      if (!isPlainObject(record) || typeof record._id !== 'string') return // e.g. nedb's $$indexCreated lines
      if (record.$$deleted === true) docs.delete(record._id)
      else docs.set(record._id, record as StoredDoc)
    })
    return { docs, stale: torn || records !== docs.size || !text.endsWith('\n') }
  }

  async append(lines: readonly string[]): Promise<void> {
    if (lines.length === 0) return
    this.handle ??= await open(this.path, 'a')
    await this.handle.appendFile(lines.join('\n') + '\n', 'utf8')
  }

  /** Rewrites the file to exactly `docs`, crash-safely. */
  async rewrite(docs: Iterable<StoredDoc>): Promise<void> {
    await this.close()
    const temp = `${this.path}~`
    const handle = await open(temp, 'w')
    try {
      const lines: string[] = []
      for (const doc of docs) lines.push(docLine(doc))
      await handle.writeFile(lines.length > 0 ? lines.join('\n') + '\n' : '', 'utf8')
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temp, this.path)
    await syncDir(this.dir)
  }

  async close(): Promise<void> {
    const handle = this.handle
    this.handle = undefined
    await handle?.close()
  }
}

/** The collections that have a datafile in `dir` (creating `dir` if needed). */
export async function listCollections(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true })
  const names: string[] = []
  for (const entry of await readdir(dir)) {
    const name = collectionFor(entry)
    if (name !== undefined) names.push(name)
  }
  return names
}
