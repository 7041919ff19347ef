// Jest reporter: writes this run's test counts where tools/test.mjs sums them for its final
// "tests: N passed, M failed" line. Only under Nx (which names the task) and `npm test` (which
// names the run); otherwise it does nothing.
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

class SummaryReporter {
  onRunComplete(_testContexts, results) {
    const project = process.env.NX_TASK_TARGET_PROJECT;
    const target = process.env.NX_TASK_TARGET_TARGET;
    const runId = process.env.TEST_RUN_ID;
    if (!project || !target || !runId) return;
    const dir = join(__dirname, '..', 'tmp', 'test-results', project, target);
    mkdirSync(dir, { recursive: true });
    const summary = {
      runner: 'jest',
      passed: results.numPassedTests,
      failed: results.numFailedTests,
      suitesFailedToRun: results.numRuntimeErrorTestSuites,
    };
    // One file per Jest process: a target may run Jest more than once (api:e2e on SQLite, then MySQL).
    writeFileSync(join(dir, `${runId}.jest-${process.pid}.json`), JSON.stringify(summary));
  }
}

module.exports = SummaryReporter;
