import { launchApp } from './harness'

// A separate file: each test file gets fresh globals, so the app launches with this font size.
it('follows WeChat’s font size: a very large setting starts in 长辈模式 (elder elder-xl)', async () => {
  const mp = await launchApp({ systemInfo: { fontSizeScaleFactor: 1.5, fontSizeSetting: 26 } })
  const page = await mp.openPage('pages/home/index')
  await page.until(() => expect(page.classOf('.page-root').split(' ')).toEqual(expect.arrayContaining(['page-root', 'elder', 'elder-xl'])))
  page.close()
})
