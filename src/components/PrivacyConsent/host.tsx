/**
 * Where the consent sheet (./index) sits on every page (PageRoot renders this), H5: the sheet —
 * with the buttons it draws — is loaded the first time a privacy API waits for an answer
 * (services/privacy.ts), not with the page, so 首页's first screen does not carry it (issue 13's
 * size budget). The question waits meanwhile; once loaded, the sheet shows it. weapp:
 * ./host.weapp.tsx renders the sheet from the start (its listener answers WeChat at any time).
 */
import { useEffect, useState, type ComponentType } from 'react'
import { answerConsent, onConsentAsk } from '@/services/privacy'
// The sheet draws our Button: its stylesheet comes with the page, as it did before. Left to the
// sheet's chunk it would be appended after the page's own CSS and undo the page's `.ui-btn` rules.
import '../Button/index.css'

let loaded: ComponentType | null = null
let loading: Promise<ComponentType> | null = null

function loadSheet(): Promise<ComponentType> {
  loading ??= import('./index').then(
    (m) => (loaded = m.PrivacyConsent),
    (e: unknown) => {
      loading = null // asked again on the next question
      throw e
    },
  )
  return loading
}

export function ConsentSheet() {
  const [Sheet, setSheet] = useState<ComponentType | null>(() => loaded)
  useEffect(() => {
    if (Sheet) return undefined
    let live = true
    const off = onConsentAsk((ask) => {
      if (!ask) return
      loadSheet().then(
        (S) => {
          if (live) setSheet(() => S)
        },
        // Not loaded (offline): the question is refused, as 拒绝 would; the next tap asks again.
        () => answerConsent(false),
      )
    })
    return () => {
      live = false
      off()
    }
  }, [Sheet])
  return Sheet ? <Sheet /> : null
}
