import { gridApi } from '../../../src/shared/api/grid'
import { serve, type PreloadsOf } from '../runtime/serve'
import { due, household, households, householdsPage, mine, tag, tick, visit } from '../handlers/grid/roster'
import { departments, saveDepartment, saveSettings, setDepartmentContact, settings } from '../handlers/grid/departments'
import { stats } from '../handlers/grid/stats'

/** 网格户籍's first read is its page, which the input alone names: it starts beside the caller's record (runtime/preload.ts). */
const preloads: PreloadsOf<typeof gridApi> = {
  households: (i) => [householdsPage(i)],
}

export default serve(gridApi, {
  mine,
  households,
  household,
  tag,
  visit,
  due,
  stats,
  settings,
  saveSettings,
  departments,
  saveDepartment,
  setDepartmentContact,
  tick,
}, preloads)
