/** Offset pagination: fetch one record more than asked to know whether there is a next page. */
import type { PageInputT } from '../../../../src/shared/api/common'

export function pageArgs(input: Pick<PageInputT, 'cursor' | 'pageSize'>): { skip: number; limit: number } {
  return { skip: input.cursor ? Number(input.cursor) : 0, limit: input.pageSize }
}

export function pageResult<T>(rows: T[], input: Pick<PageInputT, 'cursor' | 'pageSize'>): { items: T[]; nextCursor: string | null } {
  const { skip, limit } = pageArgs(input)
  return { items: rows.slice(0, limit), nextCursor: rows.length > limit ? String(skip + limit) : null }
}

/** CloudBase answers at most this many documents per query (a server-side read). */
export const MAX_PAGE = 1000

/** Every page of a query that may pass one page (usually one request), one page after another. */
export async function allPages<T>(page: (skip: number) => Promise<{ data: T[] }>, size = MAX_PAGE): Promise<T[]> {
  return (await pagesUpTo(page, Infinity, size)).items
}

/** Pages one after another until `max` documents; `cut` says there were more (an export says its list was cut). */
export async function pagesUpTo<T>(page: (skip: number) => Promise<{ data: T[] }>, max: number, size = MAX_PAGE): Promise<{ items: T[]; cut: boolean }> {
  const items: T[] = []
  for (let skip = 0; skip < max; skip += size) {
    const res = await page(skip)
    items.push(...res.data)
    if (res.data.length < size) return { items, cut: false }
  }
  return { items, cut: true }
}

/** Every page of a large query in two waits: the count and the first page together, then the other pages together. */
export async function allPagesCounted<T>(count: () => Promise<{ total: number }>, page: (skip: number) => Promise<{ data: T[] }>, size = MAX_PAGE): Promise<T[]> {
  const [n, first] = await Promise.all([count(), page(0)])
  if (first.data.length < size) return first.data
  const skips = Array.from({ length: Math.ceil(n.total / size) - 1 }, (_, i) => (i + 1) * size)
  return [...first.data, ...(await Promise.all(skips.map(page))).flatMap((r) => r.data)]
}
