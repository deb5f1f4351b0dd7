import { act, renderHook, waitFor } from '@testing-library/react'
import { usePagedList, type ListPage } from '@/components/usePagedList'

type Item = { id: number }

/** A fake backend of `total` items served `size` per page, cursor = next index as a string. */
function pager(total: number, size: number) {
  const calls: Array<string | undefined> = []
  const fetchPage = async (cursor: string | undefined): Promise<ListPage<Item>> => {
    calls.push(cursor)
    const start = cursor ? Number(cursor) : 0
    const items = Array.from({ length: Math.max(0, Math.min(size, total - start)) }, (_, i) => ({ id: start + i }))
    const next = start + size
    return { items, nextCursor: next < total ? String(next) : null }
  }
  return { fetchPage, calls }
}

describe('usePagedList', () => {
  it('loads the first page on mount, then appends pages until there is no more', async () => {
    const { fetchPage, calls } = pager(5, 2)
    const { result } = renderHook(() => usePagedList(fetchPage))
    expect(result.current.loading).toBe(true)
    await waitFor(() => expect(result.current.loaded).toBe(true))
    expect(result.current.items.map((i) => i.id)).toEqual([0, 1])
    expect(result.current.hasMore).toBe(true)

    await act(() => result.current.loadMore())
    await act(() => result.current.loadMore())
    expect(result.current.items.map((i) => i.id)).toEqual([0, 1, 2, 3, 4])
    expect(result.current.hasMore).toBe(false)

    await act(() => result.current.loadMore()) // no more: no request
    expect(calls).toEqual([undefined, '2', '4'])
  })

  it('refresh replaces the list from the first page', async () => {
    const { fetchPage, calls } = pager(3, 2)
    const { result } = renderHook(() => usePagedList(fetchPage))
    await waitFor(() => expect(result.current.loaded).toBe(true))
    await act(() => result.current.loadMore())
    await act(() => result.current.refresh())
    expect(result.current.items.map((i) => i.id)).toEqual([0, 1])
    expect(calls).toEqual([undefined, '2', undefined])
  })

  it('keeps the items and reports the message when a page fails', async () => {
    let fail = false
    const fetchPage = async (cursor: string | undefined): Promise<ListPage<Item>> => {
      if (fail) throw { message: '网络不太好，请稍后再试' }
      return { items: [{ id: cursor ? 1 : 0 }], nextCursor: cursor ? null : '1' }
    }
    const { result } = renderHook(() => usePagedList(fetchPage))
    await waitFor(() => expect(result.current.loaded).toBe(true))
    fail = true
    await act(() => result.current.loadMore())
    expect(result.current.error).toEqual({ message: '网络不太好，请稍后再试' })
    expect(result.current.items).toHaveLength(1)
    fail = false
    await act(() => result.current.loadMore())
    expect(result.current.error).toBeNull()
    expect(result.current.items.map((i) => i.id)).toEqual([0, 1])
  })

  it('drops a stale page that arrives after a refresh', async () => {
    const resolvers: Array<(p: ListPage<Item>) => void> = []
    const fetchPage = (_cursor: string | undefined) => new Promise<ListPage<Item>>((resolve) => resolvers.push(resolve))
    const { result } = renderHook(() => usePagedList(fetchPage))
    let refreshed: Promise<void> = Promise.resolve()
    act(() => {
      refreshed = result.current.refresh()
    })
    await act(async () => {
      resolvers[1]({ items: [{ id: 2 }], nextCursor: null }) // the refresh answers first
      resolvers[0]({ items: [{ id: 1 }], nextCursor: '1' }) // the first load answers late
      await refreshed
    })
    expect(result.current.items.map((i) => i.id)).toEqual([2])
    expect(result.current.hasMore).toBe(false)
  })

  it('does not load on mount with auto: false', () => {
    const { fetchPage, calls } = pager(3, 2)
    const { result } = renderHook(() => usePagedList(fetchPage, { auto: false }))
    expect(result.current.loading).toBe(false)
    expect(calls).toEqual([])
  })
})
