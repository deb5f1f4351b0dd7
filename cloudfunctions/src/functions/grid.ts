import { gridApi } from '../../../src/shared/api/grid'
import { serve } from '../runtime/serve'
import { due, household, households, mine, tag, tick, visit } from '../handlers/grid/roster'
import { departments, saveDepartment, saveSettings, setDepartmentContact, settings } from '../handlers/grid/departments'
import { stats } from '../handlers/grid/stats'

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
})
