// `npm test`: everything a fresh machine needs, then unit and end-to-end tests against the
// lab. Ends with one line "tests: N passed, N failed" so any CI can read the outcome.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const isRoot = process.getuid?.() === 0;

function run(command, args, options = {}) {
  console.log(`\n$ ${command} ${args.join(' ')}`);
  return spawnSync(command, args, { stdio: 'inherit', ...options }).status ?? 1;
}

/** What the tests run besides Node: Chromium for the end-to-end tests, openssl for the Kubernetes API double's CA. */
const TEST_TOOLS = [
  { path: CHROMIUM, pkg: 'chromium', hint: ' (or set CHROMIUM_PATH)' },
  { path: '/usr/bin/openssl', pkg: 'openssl', hint: '' },
];

function ensureTestTools() {
  const missing = TEST_TOOLS.filter((t) => !existsSync(t.path));
  if (missing.length === 0) return;
  const pkgs = missing.map((t) => t.pkg);
  if (!isRoot) {
    for (const t of missing) console.error(`${t.pkg} is missing at ${t.path}. Install it: sudo apt-get install -y ${t.pkg}${t.hint}.`);
    process.exit(2);
  }
  if (run('apt-get', ['install', '-y', '-q', ...pkgs]) !== 0 && (run('apt-get', ['update', '-q']) !== 0 || run('apt-get', ['install', '-y', '-q', ...pkgs]) !== 0)) {
    console.error(`Could not install ${pkgs.join(' and ')} with apt-get; see the output above.`);
    process.exit(2);
  }
}

function count(file, pick) {
  try {
    return pick(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return { passed: 0, failed: 1 };
  }
}

ensureTestTools();
// Static checks first: a type or lint error fails the run before anything slow starts.
for (const script of ['typecheck', 'lint', 'build']) {
  if (run('npm', ['run', script]) !== 0) {
    console.error(`npm run ${script} failed; see above.`);
    console.log('tests: 0 passed, 1 failed');
    process.exit(1);
  }
}

const unitStatus = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/unit.json']);
const unit = count('test-results/unit.json', (r) => ({ passed: r.numPassedTests, failed: r.numFailedTests + (r.numTotalTestSuites > 0 && r.success === false && r.numFailedTests === 0 ? 1 : 0) }));

const labWasRunning = run('bash', ['scripts/lab/lab.sh', 'status'], { stdio: 'ignore' }) === 0;
let e2e = { passed: 0, failed: 1 };
if (labWasRunning || run('bash', ['scripts/lab/lab.sh', 'start']) === 0) {
  run('npx', ['playwright', 'test']);
  e2e = count('test-results/e2e.json', (r) => ({ passed: r.stats.expected, failed: r.stats.unexpected + r.stats.flaky }));
  if (!labWasRunning) run('bash', ['scripts/lab/lab.sh', 'stop']);
} else {
  console.error('The lab did not start; end-to-end tests were not run.');
}

const passed = unit.passed + e2e.passed;
const failed = unit.failed + e2e.failed;
console.log(`\nunit: ${unit.passed} passed, ${unit.failed} failed; end-to-end: ${e2e.passed} passed, ${e2e.failed} failed`);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && unitStatus === 0 ? 0 : 1);
