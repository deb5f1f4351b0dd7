import { casesApi } from '../../../src/shared/api/cases'
import { serve } from '../runtime/serve'
import { submit } from '../handlers/cases/submit'
import { report, route, whistle } from '../handlers/cases/event'
import { get, mine, queue } from '../handlers/cases/read'
import { accept, addNote, close, escalate, fail, markComplex, rate, reassign, refer, resolve, sendBack, start, takeOver, withdraw } from '../handlers/cases/act'
import { answerPost, deleteTemplate, publish, reply, requestInfo, saveTemplate, templates, unpublish, wall, wallDraft, write } from '../handlers/cases/message'
import { saveSettings, settings } from '../handlers/cases/settings'
import { stats } from '../handlers/cases/stats'
import { tick } from '../handlers/cases/tick'

export default serve(casesApi, {
  submit,
  report,
  route,
  whistle,
  mine,
  queue,
  get,
  accept,
  start,
  resolve,
  fail,
  escalate,
  refer,
  close,
  markComplex,
  addNote,
  reassign,
  takeOver,
  withdraw,
  rate,
  write,
  reply,
  requestInfo,
  answer: answerPost,
  templates,
  saveTemplate,
  deleteTemplate,
  wall,
  wallDraft,
  publish,
  unpublish,
  settings,
  saveSettings,
  sendBack,
  stats,
  tick,
})
