import { useRouter } from '@tarojs/taro'
import { View, Text, Canvas } from '@tarojs/components'
import { useEffect, useRef } from 'react'
import { Card, PageRoot, PageWrapper } from '@/components'
import { getCanvas2d, type Canvas2d } from '@/features/volunteer/canvas'
import { useActivity, useRotatingQr } from '@/features/volunteer/hooks'
import { drawQr } from '@/features/volunteer/qr'
import { sh } from '@/shared/time'
import '../../components/volunteer.css'

const CANVAS_ID = 'vol-qr-canvas'

/** 签到二维码 (staff): the rotating signed QR and its 6-digit code in large type, for volunteers to scan or type on site. */
export function QrView({ id }: { id: string }) {
  const { data: activity } = useActivity(id)
  const { qr, error, loading, reload } = useRotatingQr(id)
  const canvas = useRef<Canvas2d | null>(null)

  // Draw each new token (the canvas is found once, then reused).
  const token = qr?.token
  useEffect(() => {
    if (!token) return
    let alive = true
    void (async () => {
      const c = canvas.current ?? (await getCanvas2d(`#${CANVAS_ID}`))
      if (!alive || !c) return
      canvas.current = c
      drawQr(c.ctx, token, Math.min(c.width, c.height))
    })()
    return () => {
      alive = false
    }
  }, [token])

  return (
    <PageRoot className='vol-qr-page'>
      {activity ? (
        <View className='vol-head'>
          <Text className='vol-head__title'>{activity.title}</Text>
          <Text className='vol-head__time'>{activity.timeText}</Text>
        </View>
      ) : null}
      <PageWrapper loading={loading && !qr} error={qr ? null : error} onRetry={() => void reload()}>
        {qr ? (
          <Card className='vol-qr'>
            <View className='vol-qr'>
              <Canvas type='2d' id={CANVAS_ID} className='vol-qr__canvas' />
              <Text className='vol-qr__hint'>志愿者在活动页点「扫码签到 / 签退」扫描；不能扫码时输入下方短码</Text>
              <Text className='vol-qr__code vol-short-code' selectable>
                {qr.code}
              </Text>
              <Text className='vol-qr__hint vol-qr-expiry'>每分钟自动更换 · 下次更换 {sh(qr.expiresAt).format('HH:mm:ss')}</Text>
            </View>
          </Card>
        ) : null}
      </PageWrapper>
    </PageRoot>
  )
}

export default function QrPage() {
  const router = useRouter()
  return <QrView id={String(router.params.id ?? '')} />
}
