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

/** A case named in the input is read in the same wait as the caller's record (runtime/preload.ts). */
const theCase = (i: { id: string }) => [['cases', i.id]] as const

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
}, {
  // 代办: the resident acted for is read in the first wait (nothing more without it).
  submit: (i) => (i.onBehalfOf ? [['users', i.onBehalfOf.openid]] : []),
  get: theCase,
  accept: theCase,
  start: theCase,
  resolve: theCase,
  fail: theCase,
  escalate: theCase,
  refer: theCase,
  close: theCase,
  markComplex: theCase,
  addNote: theCase,
  reassign: (i) => [['cases', i.id], ['users', i.staffId]],
  takeOver: theCase,
  withdraw: theCase,
  rate: theCase,
  reply: theCase,
  requestInfo: theCase,
  answer: theCase,
  publish: theCase,
  unpublish: theCase,
  sendBack: theCase,
  route: theCase,
  whistle: theCase,
  wallDraft: theCase,
  deleteTemplate: (i) => [['reply_templates', i.id]],
})
