/**
 * Photos whose content check (内容安全) still runs: the uploader sees theirs marked 审核中, everyone
 * else a 图片审核中 placeholder with no image (the server sends no URL); a photo that failed is
 * never sent, its uploader only told how many.
 */
import { render } from '@testing-library/react'
import { qa, text } from '../support/dom'
import { CasePhotos } from '@/features/cases/ui/CaseParts'
import { Photos } from '@/packages/property/components/Photos'

const mine = { fileId: 'local://u/demo-res-sun/a.jpg', url: '/files/u/demo-res-sun/a.jpg?exp=1&sig=x', checking: true }
const theirs = { fileId: 'local://u/demo-res-wu/b.jpg', url: null, checking: true }
const passed = { fileId: 'local://u/demo-res-wu/c.jpg', url: '/files/u/demo-res-wu/c.jpg?exp=1&sig=y', checking: false }

it('a case: the uploader’s pending photo is marked 审核中, someone else’s is a placeholder without an image', () => {
  const r = render(<CasePhotos photos={[mine, theirs, passed]} rejected={1} />)
  const tiles = qa(r, '.case-photo')
  expect(tiles).toHaveLength(3)
  expect(text(tiles[0])).toBe('审核中')
  expect(tiles[0].querySelector('.case-photo__img, .pm-photo__img')).not.toBeNull()
  expect(text(tiles[1])).toBe('图片审核中')
  expect(tiles[1].querySelector('.case-photo__img, .pm-photo__img')).toBeNull()
  expect(tiles[1].className).toContain('case-photo--pending')
  expect(text(tiles[2])).toBe('')
  expect(r.container.innerHTML).not.toContain(theirs.fileId)
  expect(text(qa(r, '.case-photos__rejected')[0])).toMatch(/有 1 张图片未通过审核/)
})

it('a case with only rejected photos shows the note alone; without any, nothing', () => {
  expect(text(render(<CasePhotos photos={[]} rejected={2} />).container)).toMatch(/有 2 张图片未通过审核/)
  expect(render(<CasePhotos photos={[]} />).container.innerHTML).toBe('')
})

it('evidence photos (物业): the same placeholder', () => {
  const r = render(<Photos photos={[theirs, passed]} />)
  const tiles = qa(r, '.pm-photo')
  expect(text(tiles[0])).toBe('图片审核中')
  expect(tiles[0].querySelector('.case-photo__img, .pm-photo__img')).toBeNull()
  expect(tiles[1].querySelector('.case-photo__img, .pm-photo__img')).not.toBeNull()
})
