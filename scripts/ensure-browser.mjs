// The e2e tests drive Debian's chromium (a test tool's own browser download does not work on
// these machines) and need CJK fonts to render Chinese. Installs both when missing and running
// as root (CI, fresh dev machines); otherwise says what to install.
import { existsSync } from 'node:fs'
import { execSync } from 'node:child_process'

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const fonts = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc'
const missing = [!existsSync(chromium) && 'chromium', !existsSync(fonts) && 'fonts-noto-cjk'].filter(Boolean)
if (missing.length) {
  if (process.getuid?.() === 0) {
    console.log(`Installing ${missing.join(' ')} (Debian packages) for the browser tests…`)
    execSync(`apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${missing.join(' ')} >/dev/null`, { stdio: 'inherit' })
  } else {
    console.error(`The browser tests need: sudo apt-get install -y ${missing.join(' ')}`)
    process.exit(1)
  }
}
