/** Offset pagination: fetch one record more than asked to know whether there is a next page. */
import type { PageInputT } from '../../../../src/shared/api/common'

export function pageArgs(input: Pick<PageInputT, 'cursor' | 'pageSize'>): { skip: number; limit: number } {
  return { skip: input.cursor ? Number(input.cursor) : 0, limit: input.pageSize }
}

export function pageResult<T>(rows: T[], input: Pick<PageInputT, 'cursor' | 'pageSize'>): { items: T[]; nextCursor: string | null } {
  const { skip, limit } = pageArgs(input)
  return { items: rows.slice(0, limit), nextCursor: rows.length > limit ? String(skip + limit) : null }
}
