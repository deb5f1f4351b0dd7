import { casesApi } from '../../../src/shared/api/cases'
import { serve } from '../runtime/serve'
import { submit } from '../handlers/cases/submit'
import { get, mine, queue } from '../handlers/cases/read'
import { accept, addNote, escalate, fail, markComplex, rate, reassign, refer, resolve, start, withdraw } from '../handlers/cases/act'
import { stats } from '../handlers/cases/stats'
import { tick } from '../handlers/cases/tick'

export default serve(casesApi, {
  submit,
  mine,
  queue,
  get,
  accept,
  start,
  resolve,
  fail,
  escalate,
  refer,
  markComplex,
  addNote,
  reassign,
  withdraw,
  rate,
  stats,
  tick,
})
