/**
 * The month and year 积分榜 (leaderboards): one document per person, community and period
 * (`volunteer_ranks/<communityId>:<period>:<openid>`: the name they are shown with, points, hours),
 * so a board is read as its top rows in the order of a declared index — a page costs the page,
 * whatever the number of volunteers — and the caller's own row by id.
 *
 * The documents are counters moved by the ledger entries' own effects (model.ts totalsEffects),
 * in the same transaction as the person's totals and the month board, so they always equal the
 * sum of the period's entries (`recountRanks` recounts them from the ledger). The name is the
 * one the person signed up with (or, for a bonus, their record's), fixed when the document is
 * created; a deletion (注销) replaces it with 已注销居民.
 *
 * Boards kept before these documents existed (`volunteer_totals/board:…`, one document holding
 * every volunteer of the community) are copied into them once by the job (`migrateRanks`).
 */
import { atShanghai, sh } from '../../../../src/shared/time'
import { VOLUNTEER_RULES } from '../../../../src/shared/rules/volunteer'
import type { UserDoc } from '../../../../src/shared/domain/user'
import type { Ctx } from '../../runtime/context'
import { instanceMap } from '../../runtime/instance'
import { placeChildren } from '../common/places'
import { allPages } from '../common/paging'
import { getOrNull } from '../common/docs'
import { LEDGER, RANKS, TOTALS, rankId, type LedgerDoc } from './model'

/** How many rows a board shows. */
export const BOARD_SIZE = VOLUNTEER_RULES.boardSize

export interface RankDoc {
  _id: string
  communityId: string
  /** `YYYY-MM` or `YYYY` (Asia/Shanghai). */
  period: string
  openid: string
  name: string | null
  points: number
  hours: number
}

/** The periods an instant counts in: its month and its year. */
export const periodsOf = (at: Date): [string, string] => [sh(at).format('YYYY-MM'), sh(at).format('YYYY')]

const r1 = (n: number) => Math.round(n * 10) / 10

export interface BoardRow {
  rank: number
  name: string
  points: number
  hours: number
}

/**
 * The period's board: its top BOARD_SIZE rows in the index's order (points, then hours, then a
 * fixed tie-break), ranked 1..n by position, and the caller's own row read by id beside them
 * (`rank` when they are on the board, null below it). One wait, two requests.
 */
export async function readBoard(ctx: Ctx, communityId: string, period: string): Promise<{ items: BoardRow[]; me: { rank: number | null; points: number; hours: number } | null }> {
  const [top, own] = await Promise.all([
    ctx.db
      .collection<RankDoc>(RANKS)
      .where({ communityId, period })
      .orderBy('points', 'desc')
      .orderBy('hours', 'desc')
      .orderBy('openid', 'asc')
      .limit(BOARD_SIZE)
      .get(),
    getOrNull<RankDoc>(ctx, RANKS, rankId(communityId, period, ctx.openid)),
  ])
  const rows = top.data.filter((r) => (r.points ?? 0) > 0 || (r.hours ?? 0) > 0)
  const items = rows.map((r, i) => ({ rank: i + 1, name: r.name || '志愿者', points: r.points ?? 0, hours: r1(r.hours ?? 0) }))
  const at = rows.findIndex((r) => r.openid === ctx.openid)
  const counted = own && ((own.points ?? 0) > 0 || (own.hours ?? 0) > 0)
  return { items, me: counted ? { rank: at >= 0 ? at + 1 : null, points: own.points ?? 0, hours: r1(own.hours ?? 0) } : null }
}

/** Every person's points and hours of a period in a community, summed from the ledger (what the rows must equal). */
export async function recountRanks(ctx: Pick<Ctx, 'db' | '_'>, communityId: string, period: string): Promise<Map<string, { points: number; hours: number }>> {
  const year = period.length === 4
  const from = atShanghai(year ? `${period}-01-01` : `${period}-01`, 0)
  const to = sh(from).add(1, year ? 'year' : 'month').toDate()
  const entries = await allPages((skip) =>
    ctx.db.collection<LedgerDoc>(LEDGER).where({ communityId, at: ctx._.gte(from).and(ctx._.lt(to)) }).orderBy('at', 'asc').field({ openid: true, points: true, hours: true }).skip(skip).limit(1000).get(),
  )
  const out = new Map<string, { points: number; hours: number }>()
  for (const e of entries) {
    const p = out.get(e.openid) ?? { points: 0, hours: 0 }
    p.points += e.points
    p.hours += e.hours
    out.set(e.openid, p)
  }
  return out
}

// ---------------------------------------------------------------- the one-off copy of the old boards

const MIGRATED = 'volunteer-ranks'
/** People copied per transaction. */
const CHUNK = 50

type OldBoard = { _id: string; communityId: string; period: string; people?: Record<string, { points?: number; hours?: number }> }

/**
 * Boards kept before the rows existed, copied into them once (the job, `meta/volunteer-ranks`
 * marks it done). Only the current month's and year's boards are shown, so only they are copied.
 * Each chunk of people is copied in a transaction that reads the board: a ledger entry settled
 * meanwhile moves the board and the rows in one transaction too, so the copy either sees it or
 * runs again after it — the rows always equal the board.
 */
export async function migrateRanks(ctx: Ctx): Promise<number> {
  const known = instanceMap<boolean>(ctx, 'volunteerRanks')
  if (known.get(MIGRATED)) return 0
  const marker = await getOrNull<{ done?: boolean }>(ctx, 'meta', MIGRATED)
  if (marker?.done) {
    known.set(MIGRATED, true)
    return 0
  }
  const communities = await placeChildren(ctx, null)
  const [month, year] = periodsOf(ctx.clock.now())
  const ids = communities.flatMap((c) => [`board:${c._id}:${month}`, `board:${c._id}:${year}`])
  const boards = ids.length ? (await ctx.db.collection<OldBoard>(TOTALS).where({ _id: ctx._.in(ids) }).limit(ids.length).get()).data : []
  let copied = 0
  for (const b of boards) {
    const people = Object.keys(b.people ?? {})
    if (people.length === 0) continue
    const names = await namesFor(ctx, b.communityId, people)
    for (let i = 0; i < people.length; i += CHUNK) {
      const chunk = people.slice(i, i + CHUNK)
      await ctx.db.runTransaction(async (tx) => {
        const board = (await tx.collection<OldBoard>(TOTALS).doc(b._id).get()).data
        await Promise.all(
          chunk.map((openid) => {
            const t = board.people?.[openid] ?? {}
            const row: Omit<RankDoc, '_id'> = { communityId: b.communityId, period: b.period, openid, name: names.get(openid) ?? null, points: t.points ?? 0, hours: t.hours ?? 0 }
            return tx.collection(RANKS).doc(rankId(b.communityId, b.period, openid)).set({ data: row })
          }),
        )
      })
      copied += chunk.length
    }
  }
  await ctx.db.collection('meta').doc(MIGRATED).set({ data: { done: true, at: ctx.clock.now(), copied } })
  known.set(MIGRATED, true)
  return copied
}

/** The names the old boards were shown with: the community's kept names, else the person's record. */
async function namesFor(ctx: Ctx, communityId: string, people: string[]): Promise<Map<string, string>> {
  const kept = await getOrNull<{ names?: Record<string, string> }>(ctx, TOTALS, `names:${communityId}`)
  const out = new Map(Object.entries(kept?.names ?? {}))
  const unnamed = people.filter((p) => !out.has(p))
  for (let i = 0; i < unnamed.length; i += 100) {
    const res = await ctx.db.collection<UserDoc>('users').where({ _id: ctx._.in(unnamed.slice(i, i + 100)) }).field({ _id: true, name: true }).limit(100).get()
    for (const u of res.data) if (u.name) out.set(u._id, u.name)
  }
  return out
}
