import { propertyApi } from '../../../src/shared/api/property'
import { serve, type PreloadsOf } from '../runtime/serve'
import { board, comments, company, mine, rate } from '../handlers/property/rating'
import {
  assignEstate,
  bursts,
  companies,
  complaints,
  hideComment,
  markComplaint,
  recordViolation,
  removeViolation,
  reviewBurst,
  saveCompany,
  saveSettings,
  setContact,
  settings,
  violations,
} from '../handlers/property/admin'
import { appeal, close, compute, correct, decideAppeal, openAppeal, publish, results, tick } from '../handlers/property/close'

/**
 * Documents an action reads first by an id in its input, read in the same wait as the caller's
 * record (runtime/preload.ts): where the handler's next reads depend on them.
 */
const preloads: PreloadsOf<typeof propertyApi> = {
  company: (i) => [['companies', i.id]],
  comments: (i) => [['companies', i.id]],
  reviewBurst: (i) => [['rating_bursts', i.id]],
  hideComment: (i) => [['property_ratings', i.id]],
}

export default serve(propertyApi, {
  board,
  company,
  comments,
  mine,
  rate,
  results,
  appeal,
  companies,
  saveCompany,
  assignEstate,
  setContact,
  violations,
  recordViolation,
  removeViolation,
  complaints,
  markComplaint,
  bursts,
  reviewBurst,
  hideComment,
  close,
  compute,
  openAppeal,
  decideAppeal,
  publish,
  correct,
  settings,
  saveSettings,
  tick,
}, preloads)
