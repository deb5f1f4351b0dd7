/** What the e2e tests of both case kinds (纠纷, 留言) read off a case's pages. */
import type { Page } from 'playwright-core'

/** Waits for the detail page of a case to show `status` in its header. */
export async function expectStatus(page: Page, status: string): Promise<void> {
  await page.locator('.case-head__status', { hasText: status }).waitFor()
}

/** The 办理记录 labels, newest first. */
export async function timelineLabels(page: Page): Promise<string[]> {
  return (await page.locator('.tl-item__label').allTextContents()).map((s) => s.trim())
}
