/** The jest project "sdk": each test file's CloudBase endpoint server closes with it. */
import { closeSdk } from './sdk'

afterAll(closeSdk)
