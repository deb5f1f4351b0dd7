import { bookingApi } from '../../../src/shared/api/booking'
import { serve } from '../runtime/serve'
import { book } from '../handlers/booking/book'
import { calendar, get, mine, pending } from '../handlers/booking/read'
import { approve, cancel, checkIn, reject, staffCancel, verify } from '../handlers/booking/act'
import { block, blackouts, unblock } from '../handlers/booking/blackouts'
import { room, rooms, saveRoom, saveSettings, settings } from '../handlers/booking/rooms'
import { tick } from '../handlers/booking/tick'

export default serve(bookingApi, {
  rooms,
  room,
  book,
  mine,
  get,
  cancel,
  checkIn,
  saveRoom,
  block,
  unblock,
  blackouts,
  pending,
  approve,
  reject,
  staffCancel,
  calendar,
  verify,
  settings,
  saveSettings,
  tick,
}, {
  // 代办: the resident booked for is read in the first wait (nothing more without it).
  book: (i) => (i.onBehalfOf ? [['users', i.onBehalfOf.openid]] : []),
})
