// e2e tests start chromium and the local cloud and walk through several pages each: on a slow,
// busy machine one test may take well over a minute. (A project's `testTimeout` in
// jest.config.js is ignored by jest 30 — only the top-level one counts — so it is set here.)
// Each step inside a test waits for its own condition (test/support/poll.ts, Playwright's
// auto-waiting, CONDITION_TIMEOUT_MS), so a failure names the step long before this deadline.
jest.setTimeout(120_000)
