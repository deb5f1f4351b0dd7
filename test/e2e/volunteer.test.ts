/**
 * 志愿服务活动 end to end: the H5 build in Debian chromium against the REAL local cloud (demo data).
 *
 * 1. 陈静 (volunteer) opens 志愿活动 from the home tile, filters by 环境整治, finds 翠园小区楼道清理,
 *    signs up and sees 剩余名额 drop by one, on the detail and back on the list.
 * 2. On an activity that 李秀梅 (staff) created and published through the API in the setup,
 *    starting in 20 minutes (so check-in is open now): 陈静 signs up; 李秀梅 opens 签到二维码
 *    and reads the 6-digit code under the QR; 陈静 types it (签到); later the same for 签退.
 * 3. 李秀梅 records 1 hour for 陈静 in 报名名单 (调整工时, with a reason); the job runs; 陈静
 *    sees the hours and points in 我的志愿 and her 志愿服务证明.
 *
 * What the harness cannot do, and how the test stands in for it (each is a fixture edit of the
 * database, marked FIXTURE below): the app and the local cloud use the real clock, so waiting for
 * the activity to start and end is not possible. Before 签退 the activity's start is moved 10
 * minutes into the past (签退 opens at the start); before the job, its end is moved to a minute
 * ago. The job itself is the real one (`cloud.runTimer('volunteer', 'tick')`, what the timer
 * trigger runs); the codes, the check-in and check-out, the adjustment and the credit are all
 * the product's own.
 */
import type { Page } from 'playwright-core'
import { eventually, poll, setupBrowser } from './harness'
import { startAppServer, type AppServer } from './app-server'

const e2e = setupBrowser()
let app: AppServer

const VOLUNTEER = 'demo-vol-chen' // 陈静
const STAFF = 'demo-staff-li' // 李秀梅
const CLEAN = '翠园小区楼道清理'
const PATROL = '湖畔花园文明养犬夜间劝导'
const POINTS = 25
let patrolId = ''

/** A call to the local cloud's HTTP gateway as a demo person (what the setup does instead of the staff form). */
async function api<T>(openid: string, action: string, payload: unknown): Promise<T> {
  const res = await fetch(`${app.url}/api/volunteer`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-dev-openid': openid },
    body: JSON.stringify({ action, payload }),
  })
  const env = (await res.json()) as { ok: boolean; data?: T; error?: unknown }
  if (!env.ok) throw new Error(`volunteer.${action}: ${JSON.stringify(env.error)}`)
  return env.data as T
}

beforeAll(async () => {
  app = await startAppServer()
  e2e.onClose(() => app.close())
  // 李秀梅 creates and publishes an activity starting in 20 minutes, one hour long.
  const start = Date.now() + 20 * 60_000
  const draft = await api<{ id: string; version: number }>(STAFF, 'save', {
    title: PATROL,
    category: '文明劝导',
    description: '在湖畔花园南门提醒遛狗的居民牵绳、清理粪便。',
    startAt: new Date(start).toISOString(),
    endAt: new Date(start + 3600_000).toISOString(),
    place: '湖畔花园南门',
    capacity: 6,
    points: POINTS,
    contact: '李秀梅 13800001002',
  })
  patrolId = (await api<{ id: string }>(STAFF, 'publish', { id: draft.id, version: draft.version })).id
})

function watchErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('pageerror', (err) => errors.push(err.message))
  return errors
}

/** The visible (top) page of Taro's H5 page stack: earlier pages stay in the DOM, hidden. */
const top = (page: Page) => page.locator('.taro_page_show.taro_page_stationed').last()
const detailRoute = (id: string) => `/packages/volunteer/pages/detail/index?id=${id}`

/** The organiser's current short code, read from the QR page (and the QR drawn above it). */
async function readShortCode(page: Page): Promise<string> {
  await app.openAs(page, STAFF, `/packages/volunteer/pages/qr/index?id=${patrolId}`)
  const code = await eventually(async () => {
    const text = ((await top(page).locator('.vol-short-code').textContent()) ?? '').trim()
    expect(text).toMatch(/^\d{6}$/)
    return text
  })
  // The QR is drawn: the canvas holds dark pixels, and white ones around them.
  await eventually(async () => {
    const ink = await top(page)
      .locator('.vol-qr__canvas canvas')
      .evaluate((c: HTMLCanvasElement) => {
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data
        let dark = 0
        for (let i = 0; i < d.length; i += 4) if (d[i] < 80 && d[i + 3] > 0) dark++
        return { dark, all: d.length / 4 }
      })
    expect(ink.dark).toBeGreaterThan(ink.all * 0.2)
    expect(ink.dark).toBeLessThan(ink.all * 0.7)
  })
  return code
}

/** 陈静 on the patrol's page types the organiser's code into the 签到 / 签退 sheet. */
async function typeCode(page: Page, mode: 'checkIn' | 'checkOut', code: string): Promise<void> {
  await app.openAs(page, VOLUNTEER, detailRoute(patrolId))
  await top(page).locator(`.vol-action--${mode}`).click()
  await top(page).locator('.vol-code-sheet .vol-check-code input').fill(code)
  await top(page).locator('.vol-code-submit').click()
  await top(page).locator('.vol-code-sheet').waitFor({ state: 'detached' })
}

describe('志愿服务活动 (H5 + local cloud)', () => {
  it('陈静 filters by 环境整治, finds 翠园小区楼道清理, signs up and sees the places left drop by one', async () => {
    const page = await e2e.newPage()
    const errors = watchErrors(page)
    await page.goto(app.signInUrl(VOLUNTEER))
    await page.locator('.entry-volunteer').click()
    await top(page).locator('.vol-card').first().waitFor()
    await poll(() => top(page).locator('.vol-card .ui-card__title').allTextContents()).toContain(PATROL)

    await top(page).locator('.category-chip', { hasText: '环境整治' }).click()
    await poll(() => top(page).locator('.vol-card .ui-card__title').allTextContents()).toEqual([CLEAN])
    const card = top(page).locator('.vol-card', { hasText: CLEAN })
    await poll(() => card.locator('.vol-places').textContent()).toBe('剩余 20 个名额')
    await poll(() => card.textContent()).toContain('2 小时 · 20 积分')
    await e2e.pageShot(page, 'volunteer-list-filtered')

    await card.click()
    await top(page).locator('.vol-detail .vol-head__title', { hasText: CLEAN }).waitFor()
    await poll(() => top(page).locator('.vol-places-row').textContent()).toContain('剩余 20 个名额')
    await e2e.pageShot(page, 'volunteer-detail-before')
    // 陈静's name and phone are on record: no contact sheet, straight to the sign-up.
    await top(page).locator('.vol-action--signUp').click()
    await poll(() => top(page).locator('.vol-signup-state').textContent()).toBe('已报名')
    await poll(() => top(page).locator('.vol-places-row').textContent()).toContain('剩余 19 个名额')
    await poll(() => top(page).locator('.vol-action--cancel').count()).toBe(1)
    await e2e.pageShot(page, 'volunteer-detail-signed-up')

    // Back on the (filtered) list: one place fewer, and her state on the card.
    await page.goBack()
    await poll(() => card.locator('.vol-places').textContent()).toBe('剩余 19 个名额')
    await poll(() => card.locator('.vol-card__mine').textContent()).toBe('已报名')
    expect(errors).toEqual([])
    await page.close()
  })

  it('长辈模式: the list’s chips and cards keep ≥ 18 px text, ≥ 44 px targets, and fit the screen', async () => {
    const page = await e2e.newPage()
    await app.openAs(page, VOLUNTEER, '/packages/volunteer/pages/list/index')
    await page.evaluate(() => localStorage.setItem('elderMode', JSON.stringify({ data: true })))
    await page.reload()
    await poll(() => top(page).locator('.page-root').first().getAttribute('class')).toMatch(/\belder\b/)
    const card = top(page).locator('.vol-card', { hasText: CLEAN })
    await card.waitFor()
    const sizes = await top(page).evaluate((root) => {
      const px = (el: Element | null) => (el ? parseFloat(getComputedStyle(el).fontSize) : 0)
      const chips = Array.from(root.querySelectorAll('.category-chip, .phase-chip'))
      return {
        chipFont: Math.min(...chips.map((c) => px(c.querySelector('.chip__label')))),
        chipHeight: Math.min(...chips.map((c) => c.getBoundingClientRect().height)),
        widest: Math.max(...chips.map((c) => c.getBoundingClientRect().right)),
        cardLine: px(root.querySelector('.vol-card__time')),
        places: px(root.querySelector('.vol-places')),
      }
    })
    expect(sizes.chipFont).toBeGreaterThanOrEqual(18)
    expect(sizes.chipHeight).toBeGreaterThanOrEqual(44)
    expect(sizes.widest).toBeLessThanOrEqual(375)
    expect(sizes.cardLine).toBeGreaterThanOrEqual(18)
    expect(sizes.places).toBeGreaterThanOrEqual(18)
    await e2e.pageShot(page, 'volunteer-list-elder')
    await page.evaluate(() => localStorage.removeItem('elderMode'))
    await page.close()
  })

  it('陈静 signs up for the patrol; 李秀梅 shows the code; 陈静 types it to check in', async () => {
    const page = await e2e.newPage()
    const errors = watchErrors(page)
    await app.openAs(page, VOLUNTEER, detailRoute(patrolId))
    await top(page).locator('.vol-action--signUp').click()
    await poll(() => top(page).locator('.vol-signup-state').textContent()).toBe('已报名')
    // Check-in opens 30 minutes before the start: it is open now; check-out is not yet.
    await poll(() => top(page).locator('.vol-action--checkIn').count()).toBe(1)
    await poll(() => top(page).locator('.vol-action--checkOut').count()).toBe(0)

    const staffPage = await e2e.newPage()
    const staffErrors = watchErrors(staffPage)
    const code = await readShortCode(staffPage)
    await e2e.pageShot(staffPage, 'volunteer-qr')
    await staffPage.close()

    // A wrong code is refused inline, the sheet stays.
    await app.openAs(page, VOLUNTEER, detailRoute(patrolId))
    await top(page).locator('.vol-action--checkIn').click()
    const wrong = code === '000000' ? '111111' : '000000'
    await top(page).locator('.vol-code-sheet .vol-check-code input').fill(wrong)
    await top(page).locator('.vol-code-submit').click()
    await poll(() => top(page).locator('.vol-code-sheet .ui-field__error').textContent()).toContain('短码不正确或已过期')
    await e2e.pageShot(page, 'volunteer-code-wrong')

    await typeCode(page, 'checkIn', code)
    await poll(() => top(page).locator('.vol-signup-state').textContent()).toBe('已签到')
    await poll(() => top(page).locator('.vol-checked-in').count()).toBe(1)
    await e2e.pageShot(page, 'volunteer-checked-in')
    expect(errors).toEqual([])
    expect(staffErrors).toEqual([])
    await page.close()
  })

  it('after the start, 陈静 checks out with the current code', async () => {
    // FIXTURE: the activity started 10 minutes ago (签退 opens at the start); 1 hour long as planned,
    // sign-up closed at the start as before.
    const startAt = new Date(Date.now() - 10 * 60_000)
    await app.cloud.db.collection('activities').doc(patrolId).update({ data: { startAt, endAt: new Date(startAt.getTime() + 3600_000), signupDeadline: startAt } })
    await app.cloud.db.collection('signups').doc(`${patrolId}:${VOLUNTEER}`).update({ data: { startAt } })

    const staffPage = await e2e.newPage()
    const code = await readShortCode(staffPage)
    await staffPage.close()

    const page = await e2e.newPage()
    const errors = watchErrors(page)
    await typeCode(page, 'checkOut', code)
    await poll(() => top(page).locator('.vol-signup-state').textContent()).toBe('已签退')
    await poll(() => top(page).locator('.vol-checked-out').count()).toBe(1)
    expect(errors).toEqual([])
    await page.close()
  })

  it('李秀梅 records 1 hour in 报名名单; after the job 陈静 sees hours, points and her certificate', async () => {
    const staffPage = await e2e.newPage()
    const staffErrors = watchErrors(staffPage)
    await app.openAs(staffPage, STAFF, detailRoute(patrolId))
    // The organiser's buttons: an activity under way may still be edited or cancelled, and shows its QR.
    await poll(() => top(staffPage).locator('.vol-staff .vol-action').allTextContents()).toEqual(['编辑活动', '取消活动', '报名名单', '签到二维码'])
    await e2e.pageShot(staffPage, 'volunteer-detail-staff')
    await top(staffPage).locator('.vol-action--roster').click()
    const row = top(staffPage).locator('.vol-person', { hasText: '陈静' })
    await row.waitFor()
    await poll(() => row.textContent()).toMatch(/签到 (\d+月\d+日 )?\d\d:\d\d · 签退 (\d+月\d+日 )?\d\d:\d\d/)
    await row.locator('.vol-adjust').click()
    await top(staffPage).locator('.vol-roster-amount input').fill('1')
    await top(staffPage).locator('.vol-roster-reason textarea').fill('按计划时长记 1 小时')
    await top(staffPage).locator('.vol-roster-submit').click()
    await poll(() => row.locator('.vol-person__times').textContent()).toContain('工时 1 小时')
    await e2e.pageShot(staffPage, 'volunteer-roster')
    expect(staffErrors).toEqual([])
    await staffPage.close()

    // FIXTURE: the activity ended a minute ago; then the job that the timer runs.
    await app.cloud.db.collection('activities').doc(patrolId).update({ data: { endAt: new Date(Date.now() - 60_000) } })
    const tick = await app.cloud.runTimer('volunteer', 'tick')
    expect(tick).toMatchObject({ ok: true, data: { credited: 1 } })

    const page = await e2e.newPage()
    const errors = watchErrors(page)
    await app.openAs(page, VOLUNTEER, '/pages/mine/index')
    await top(page).locator('.mine-volunteer').click()
    await poll(() => top(page).locator('.vol-total-hours .vol-totals__value').textContent()).toBe('1')
    await poll(() => top(page).locator('.vol-total-points .vol-totals__value').textContent()).toBe(String(POINTS))
    await poll(() => top(page).locator('.vol-total-activities .vol-totals__value').textContent()).toBe('1')
    // 已参加 lists the patrol; the points history has its entry.
    await top(page).locator('.vol-tabs-past').click()
    await poll(() => top(page).locator('.vol-card .ui-card__title').allTextContents()).toEqual([PATROL])
    await top(page).locator('.vol-tabs-ledger').click()
    const entry = top(page).locator('.vol-ledger-row', { hasText: PATROL })
    await poll(() => entry.locator('.vol-row__value').textContent()).toBe(`+${POINTS}`)
    await poll(() => entry.textContent()).toContain('+1 小时')
    await e2e.pageShot(page, 'volunteer-mine-ledger')
    await top(page).locator('.vol-tabs-board').click()
    await poll(() => top(page).locator('.vol-board-row').first().textContent()).toContain('陈静')
    await poll(() => top(page).locator('.vol-board-me').textContent()).toContain('我排第 1 名')
    await e2e.pageShot(page, 'volunteer-mine-board')

    await top(page).locator('.vol-cert-btn').click()
    await poll(() => top(page).locator('.vol-cert-statement').textContent()).toContain('陈静')
    await poll(() => top(page).locator('.vol-cert-statement').textContent()).toContain('累计志愿服务时长 1 小时')
    // The certificate is drawn: the red of the border, title and seal is on the canvas.
    await eventually(async () => {
      const red = await top(page)
        .locator('.vol-cert__canvas canvas')
        .evaluate((c: HTMLCanvasElement) => {
          const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data
          let n = 0
          for (let i = 0; i < d.length; i += 4) if (d[i] > 150 && d[i + 1] < 80 && d[i + 2] < 80) n++
          return n
        })
      expect(red).toBeGreaterThan(2000)
    })
    await poll(() => top(page).locator('.vol-cert-save').getAttribute('aria-disabled')).toBeNull()
    await e2e.pageShot(page, 'volunteer-certificate')

    // H5 saves the certificate as a PNG download.
    const download = page.waitForEvent('download')
    await top(page).locator('.vol-cert-save').click()
    expect((await download).suggestedFilename()).toBe('志愿服务证明-陈静.png')
    expect(errors).toEqual([])
    await page.close()
  })

  it('李秀梅 reaches 志愿活动管理 from 我的, sees the form’s errors inline, and exports the month as .xlsx', async () => {
    const page = await e2e.newPage()
    const errors = watchErrors(page)
    await app.openAs(page, STAFF, '/pages/mine/index')
    await top(page).locator('.mine-volunteer-manage').click()
    await top(page).locator('.vol-link--new').click()
    await top(page).locator('.vol-save').click()
    await poll(() => top(page).locator('.vol-field-start .ui-field__error').textContent()).toBe('请选择开始日期和时间')
    await poll(() => top(page).locator('.vol-field-category .ui-field__error').textContent()).toBe('请选择活动类别')
    await e2e.pageShot(page, 'volunteer-edit-errors')

    await page.goBack()
    await top(page).locator('.vol-link--export').click()
    const download = page.waitForEvent('download')
    await top(page).locator('.vol-export-run').click()
    expect((await download).suggestedFilename()).toMatch(/\.xlsx$/)
    // The default period is this month up to today: 陈静's credited hour of the patrol, which
    // ended a minute before the job ran (only a run in the first minute of a month would miss it).
    await poll(() => top(page).locator('.vol-export-done').textContent()).toContain('1 人')
    await e2e.pageShot(page, 'volunteer-export')
    expect(errors).toEqual([])
    await page.close()
  })
})
