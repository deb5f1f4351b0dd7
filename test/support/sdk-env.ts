/** The jest project "sdk": the same tests, through the production adapter and the real SDK (test/support/sdk.ts). */
process.env.DB_VIA = 'sdk'
