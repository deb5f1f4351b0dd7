import Taro from '@tarojs/taro'
import { View, Text, Canvas } from '@tarojs/components'
import { useEffect, useRef, useState } from 'react'
import { Button, PageRoot, PageWrapper, useResource } from '@/components'
import { loadProfile } from '@/features/volunteer/api'
import { getCanvas2d, saveCanvasImage, shareCanvasImage, type Canvas2d } from '@/features/volunteer/canvas'
import { certificateText, drawCertificate } from '@/features/volunteer/certificate'
import '../../components/volunteer.css'

const isWeapp = process.env.TARO_ENV === 'weapp'
const CANVAS_ID = 'vol-cert-canvas'

/** 志愿服务证明: drawn on a canvas from the profile; saved to the album or shared (weapp), downloaded as PNG (H5). */
export function CertificateView() {
  const profile = useResource(loadProfile, [])
  const p = profile.data
  const canvas = useRef<Canvas2d | null>(null)
  const [drawn, setDrawn] = useState(false)
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    if (!p) return
    let alive = true
    void getCanvas2d(`#${CANVAS_ID}`).then((c) => {
      if (!alive || !c) return
      drawCertificate(c.ctx, c.width, c.height, p)
      canvas.current = c
      setDrawn(true)
    })
    return () => {
      alive = false
    }
  }, [p])

  const save = async () => {
    const c = canvas.current
    if (!c || busy) return
    setBusy(true)
    const result = await saveCanvasImage(c, `志愿服务证明-${p?.name ?? ''}.png`)
    setBusy(false)
    if (result === 'saved') void Taro.showToast({ title: '已保存到相册', icon: 'success' })
    else if (result === 'downloaded') void Taro.showToast({ title: '图片已下载', icon: 'success' })
    else if (result === 'denied')
      void Taro.showModal({ title: '无法保存', content: '请在右上角「…」→「设置」中允许保存到相册后重试', showCancel: false }).catch(() => undefined)
    else if (result === 'failed') void Taro.showToast({ title: '保存失败，请长按图片或截屏保存', icon: 'none' })
  }

  const share = async () => {
    const c = canvas.current
    if (!c) return
    if (!(await shareCanvasImage(c))) void Taro.showToast({ title: '当前微信版本不支持分享图片，请先保存到相册', icon: 'none' })
  }

  return (
    <PageRoot className='vol-cert-page'>
      <PageWrapper loading={profile.loading && !p} error={p ? null : profile.error} onRetry={() => void profile.reload()}>
        {p ? (
          <View className='vol-cert'>
            <Canvas type='2d' id={CANVAS_ID} className='vol-cert__canvas' />
            <Text className='vol-cert__text vol-cert-statement'>{certificateText(p)}</Text>
            {p.activities === 0 ? <Text className='vol-cert__text'>参加活动并完成签到、签退，活动结束后工时会自动记入证明。</Text> : null}
            <View className='vol-actions vol-cert-actions'>
              <Button type='primary' className='vol-cert-save' loading={busy} disabled={!drawn} onClick={() => void save()}>
                {isWeapp ? '保存到相册' : '下载图片'}
              </Button>
              {isWeapp ? (
                <Button type='default' className='vol-cert-share' disabled={!drawn} onClick={() => void share()}>
                  分享给好友
                </Button>
              ) : null}
            </View>
          </View>
        ) : null}
      </PageWrapper>
    </PageRoot>
  )
}

export default function CertificatePage() {
  return <CertificateView />
}
