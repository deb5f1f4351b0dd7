/**
 * The real local cloud for end-to-end tests: the same gateway `npm start` runs (API, dev sign-in,
 * uploads, the H5 build), on a free port, with the demo data in a fresh temporary data folder.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { createLocalCloud, type LocalCloud } from '../../cloudfunctions/src/local/cloud'
import { startGateway } from '../../cloudfunctions/src/local/gateway'
import { seedDemo } from '../../cloudfunctions/src/local/seed'
import { quietLogger } from '../../cloudfunctions/src/platform/local/services'

/** dist/h5, or `$DIST_DIR/h5` (a copy of dist/ that another build cannot replace mid-run). */
export const DIST_H5 = path.resolve(process.env.DIST_DIR ?? path.resolve(__dirname, '..', '..', 'dist'), 'h5')

export interface AppServer {
  url: string
  cloud: LocalCloud
  /** Open the app as a demo person: sets the dev identity cookie through /dev/login. */
  signInUrl(openid: string): string
  /** Signs `page` in as a demo person, then opens a hash route of the app (`/packages/…`). */
  openAs(page: Page, openid: string, route: string): Promise<void>
  close(): Promise<void>
}

/** Real time moved forward on demand: a flow that spans a quarter's end or a 7-day window runs in seconds. */
export class OffsetClock {
  private offset = 0
  now = (): Date => new Date(Date.now() + this.offset)
  /** Jump to `t` (or later: never backwards, records must not go back in time). */
  jumpTo(t: string | Date): void {
    this.offset = Math.max(this.offset, new Date(t).getTime() - Date.now())
  }
  advanceHours(h: number): void {
    this.offset += h * 3600_000
  }
}

export async function startAppServer(opts: { clock?: OffsetClock } = {}): Promise<AppServer> {
  if (!fs.existsSync(path.join(DIST_H5, 'index.html'))) throw new Error('dist/h5 missing: run `npm run build:h5` first')
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-e2e-data-'))
  const cloud = await createLocalCloud({ dataDir, log: quietLogger, clock: opts.clock })
  await seedDemo(cloud.db, opts.clock?.now())
  const gw = await startGateway({ cloud, port: 0, staticDir: DIST_H5 })
  const signInUrl = (openid: string) => `${gw.url}/dev/login?as=${encodeURIComponent(openid)}`
  return {
    url: gw.url,
    cloud,
    signInUrl,
    async openAs(page, openid, route) {
      await page.goto(signInUrl(openid))
      await page.goto(`${gw.url}/#${route}`)
    },
    async close() {
      await gw.close()
      await cloud.close()
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
