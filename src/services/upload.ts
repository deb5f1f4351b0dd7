/**
 * Photo upload through the one gateway: to cloud storage under `u/<openid>/` in the mini-program
 * (the server checks ownership by that prefix), to the local cloud's /upload in H5.
 */
import Taro from '@tarojs/taro'
import { ApiError, ensureCloud } from './gateway'
import { loadSession } from './session'

function rand(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`
}

export async function uploadPhoto(tempFilePath: string): Promise<string> {
  const { openid } = await loadSession()
  if (process.env.TARO_ENV === 'weapp') {
    const ext = /\.(png|gif|webp|jpe?g)$/i.exec(tempFilePath)?.[1] ?? 'jpg'
    ensureCloud()
    const res = await Taro.cloud.uploadFile({ cloudPath: `u/${openid}/${rand()}.${ext}`, filePath: tempFilePath })
    return res.fileID
  }
  const blob = await (await fetch(tempFilePath)).blob()
  const type = blob.type.split('/')[1] ?? 'jpg'
  const res = await fetch('/upload', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'x-file-name': encodeURIComponent(`photo.${type}`), 'content-type': 'application/octet-stream' },
    body: blob,
  })
  const env = (await res.json()) as { ok: boolean; data?: { fileId: string }; error?: { code: 'INTERNAL'; message: string } }
  if (!env.ok || !env.data) throw new ApiError(env.error ?? { code: 'INTERNAL', message: '图片上传失败，请重试' })
  return env.data.fileId
}
