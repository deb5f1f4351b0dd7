/**
 * Durable storage: one append-only datafile per collection, in nedb's format (one JSON document
 * per line, Dates as `{"$$date": ms}`, removals as `{"$$deleted": true, "_id": ...}`), so a file
 * can be inspected with @seald-io/nedb. The last line for an `_id` wins.
 *
 * An append resolves once the bytes are written to the file (the OS holds them, so they survive
 * the process being killed; a machine crash may lose the last seconds, as with nedb's default).
 * Loading tolerates a torn final line (a write cut off mid-way was never acknowledged) and
 * compacts the file if it holds stale lines.
 *
 * Compaction rewrites a file to its live documents crash-safely, like nedb's: write `<file>~`,
 * fsync it, rename it over `<file>`. At every instant `<file>` alone holds every acknowledged
 * write (the old file until the atomic rename, the new one after it), so a `<file>~` found on
 * opening is a leftover of an interrupted compaction and is removed. Besides at load, a file is
 * compacted while running once it is `wasteful` (see there): the store counts the bytes it
 * appends and the bytes its live lines take, so deciding costs nothing and a compaction, which
 * costs O(live size), happens only after at least as many bytes were appended since the last one.
 * Appending and rewriting one file must never overlap: the store does both under its write lock.
 */
import { appendFile, mkdir, open, readdir, readFile, rename, rm, truncate, writeFile, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import { deserialize, isPlainObject, type PlainObject, serialize } from './values'

export type StoredDoc = PlainObject & { _id: string }

/** One change to persist: a document's new version, or `null` for its removal. */
export type FileWrite = readonly [id: string, doc: StoredDoc | null]

const SUFFIX = '.db'
const TEMP = '~'

/** Below this size a datafile is never compacted while running: rewriting tiny files over and over costs more than it saves. */
export const MIN_COMPACT_BYTES = 64 * 1024

/** Rewrites are written in chunks of about this size, so a big collection is never one huge string. */
const CHUNK_BYTES = 1024 * 1024

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

/** Bytes a line takes in the file, its newline included. */
const lineSize = (line: string): number => Buffer.byteLength(line, 'utf8') + 1

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
  /** Bytes in the datafile: read at load, plus every append, reset by a rewrite. */
  private bytes = 0
  /** Per live `_id`, the bytes of the line that holds its current version; and their sum. */
  private lineBytes = new Map<string, number>()
  private liveBytes = 0
  /** No compaction while running before the file reaches this size (raised after a failed one). */
  private compactAt = MIN_COMPACT_BYTES
  /** It holds lines of a commit that failed (maybe only part of a line): only a rewrite repairs it. */
  private damaged = false

  constructor(
    readonly dir: string,
    readonly path: string,
  ) {}

  static forCollection(dir: string, collection: string): CollectionFile {
    return new CollectionFile(dir, join(dir, fileNameFor(collection)))
  }

  /**
   * Worth compacting: over MIN_COMPACT_BYTES and more than twice its live size. Right after a
   * rewrite the file is its live size, so it becomes wasteful again only once more than that was
   * appended: compacting costs O(live), amortised O(1) per byte written.
   */
  get wasteful(): boolean {
    return this.damaged || (this.bytes >= this.compactAt && this.bytes > 2 * this.liveBytes)
  }

  /** Reads the datafile; `stale` says whether compaction would shrink or repair it. */
  async load(): Promise<{ docs: Map<string, StoredDoc>; stale: boolean }> {
    const docs = new Map<string, StoredDoc>()
    const lineBytes = new Map<string, number>()
    let buffer: Buffer
    try {
      buffer = await readFile(this.path)
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { docs, stale: false }
      throw e
    }
    const text = buffer.toString('utf8')
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
      if (record.$$deleted === true) {
        docs.delete(record._id)
        lineBytes.delete(record._id)
      } else {
        docs.set(record._id, record as StoredDoc)
        lineBytes.set(record._id, lineSize(line))
      }
    })
    this.account(buffer.length, lineBytes)
    return { docs, stale: torn || records !== docs.size || !text.endsWith('\n') }
  }

  /**
   * Appends the changes' lines; a removal of a document the file does not hold writes nothing.
   * If it fails the file is invalidated, so that a rewrite to the committed documents drops
   * whatever part of the lines reached it.
   */
  async append(writes: readonly FileWrite[]): Promise<void> {
    const lines: string[] = []
    const sizes: Array<[string, number | undefined]> = []
    for (const [id, doc] of writes) {
      if (doc === null && !this.lineBytes.has(id)) continue
      const line = doc === null ? removalLine(id) : docLine(doc)
      lines.push(line)
      sizes.push([id, doc === null ? undefined : lineSize(line)])
    }
    if (lines.length === 0) return
    const text = lines.join('\n') + '\n'
    try {
      this.handle ??= await open(this.path, 'a')
      await this.handle.appendFile(text, 'utf8')
    } catch (e) {
      this.invalidate()
      throw e
    }
    this.bytes += Buffer.byteLength(text, 'utf8')
    for (const [id, size] of sizes) {
      this.liveBytes -= this.lineBytes.get(id) ?? 0
      if (size === undefined) this.lineBytes.delete(id)
      else {
        this.lineBytes.set(id, size)
        this.liveBytes += size
      }
    }
  }

  /** The file holds lines that are not the committed documents' (a failed or abandoned commit): make it `wasteful`. */
  invalidate(): void {
    this.damaged = true
  }

  /**
   * Rewrites the file to exactly `docs`, crash-safely (see the top of this file). The caller
   * must not append meanwhile. On failure the old file is intact and stays in use, and the next
   * attempt waits until the file has grown again.
   */
  async rewrite(docs: Iterable<StoredDoc>): Promise<void> {
    const snapshot = [...docs] // the documents as they are now, whatever happens to the Map later
    const temp = this.path + TEMP
    const lineBytes = new Map<string, number>()
    let written = 0
    try {
      await this.close()
      const handle = await open(temp, 'w')
      try {
        let chunk: string[] = []
        let chunkBytes = 0
        const flush = async (): Promise<void> => {
          if (chunk.length === 0) return
          const bytes = Buffer.from(chunk.join('\n') + '\n', 'utf8')
          chunk = []
          chunkBytes = 0
          for (let at = 0; at < bytes.length; ) at += (await handle.write(bytes, at, bytes.length - at)).bytesWritten
        }
        for (const doc of snapshot) {
          const line = docLine(doc)
          const size = lineSize(line)
          chunk.push(line)
          chunkBytes += size
          written += size
          lineBytes.set(doc._id, size)
          if (chunkBytes >= CHUNK_BYTES) await flush()
        }
        await flush()
        await handle.sync()
      } finally {
        await handle.close()
      }
      await rename(temp, this.path)
    } catch (e) {
      this.compactAt = this.bytes + Math.max(MIN_COMPACT_BYTES, this.liveBytes)
      await rm(temp, { force: true }).catch(() => undefined)
      throw e
    }
    await syncDir(this.dir)
    this.account(written, lineBytes)
  }

  async close(): Promise<void> {
    const handle = this.handle
    this.handle = undefined
    await handle?.close()
  }

  private account(bytes: number, lineBytes: Map<string, number>): void {
    this.bytes = bytes
    this.lineBytes = lineBytes
    this.liveBytes = 0
    for (const size of lineBytes.values()) this.liveBytes += size
    this.compactAt = MIN_COMPACT_BYTES
    this.damaged = false
  }
}

/**
 * The commit journal: a write that touches more than one line (a transaction over several
 * collections, an `add` of many documents) is first written whole to `commit.journal`, then
 * appended to each datafile, then the journal is emptied. A process killed between two datafile
 * appends leaves the journal complete, and the next open replays it (appending the same lines
 * again is harmless: the last line for an `_id` wins). A journal cut off mid-write was never
 * applied anywhere and is ignored; the folder holds the journal only while such a write is under way. So a multi-collection write survives a crash all or nothing,
 * as a CloudBase transaction does. (Not named `*.db`: never taken for a collection.)
 */
export const JOURNAL = 'commit.journal'
const JOURNAL_END = '\n#end\n'

export async function writeJournal(dir: string, batches: ReadonlyArray<readonly [string, readonly FileWrite[]]>): Promise<void> {
  const line = serialize({ batches: batches.map(([collection, writes]) => ({ collection, writes: writes.map(([id, doc]) => ({ id, doc })) })) })
  // One line and an end mark: a torn journal has no end mark and is ignored.
  await writeFile(join(dir, JOURNAL), line + JOURNAL_END, 'utf8')
}

export async function clearJournal(dir: string): Promise<void> {
  await rm(join(dir, JOURNAL), { force: true })
}

/** Replays a complete journal left by a crash into the datafiles (before they are loaded), then empties it. */
export async function replayJournal(dir: string): Promise<number> {
  let text: string
  try {
    text = await readFile(join(dir, JOURNAL), 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0
    throw e
  }
  if (!text.endsWith(JOURNAL_END)) {
    await clearJournal(dir)
    return 0
  }
  const entry = deserialize(text.slice(0, -JOURNAL_END.length)) as { batches: Array<{ collection: string; writes: Array<{ id: string; doc: StoredDoc | null }> }> }
  for (const { collection, writes } of entry.batches) {
    const lines = writes.map(({ id, doc }) => (doc === null ? removalLine(id) : docLine(doc)))
    if (lines.length === 0) continue
    const path = join(dir, fileNameFor(collection))
    await cutTornTail(path) // the append the crash cut short: glued to it, the replayed line would corrupt both
    await appendFile(path, lines.join('\n') + '\n', 'utf8')
  }
  await clearJournal(dir)
  return entry.batches.length
}

/** Cuts an unterminated last line (a write a crash cut off, never acknowledged) off a datafile. */
async function cutTornTail(path: string): Promise<void> {
  let buffer: Buffer
  try {
    buffer = await readFile(path)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return
    throw e
  }
  if (buffer.length === 0 || buffer[buffer.length - 1] === 0x0a) return
  await truncate(path, buffer.lastIndexOf(0x0a) + 1)
}

/**
 * The collections that have a datafile in `dir` (creating `dir` if needed). Removes the
 * `<file>~` leftovers of compactions a crash interrupted: until its rename a temp file is not
 * the data, the datafile beside it (or its absence) is.
 */
export async function listCollections(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true })
  const names: string[] = []
  for (const entry of await readdir(dir)) {
    if (entry.endsWith(SUFFIX + TEMP) && collectionFor(entry.slice(0, -TEMP.length)) !== undefined) {
      await rm(join(dir, entry), { force: true })
      continue
    }
    const name = collectionFor(entry)
    if (name !== undefined) names.push(name)
  }
  return names
}
