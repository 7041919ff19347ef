/**
 * The scaled suite: the built app (dist/api/main.js) as separate API and worker processes on
 * MariaDB and Redis, driven over HTTP. Run it with `npx nx run api:e2e-scaled`, which builds
 * first; e2e-scaled/run-scaled.mjs says what it needs. The files run one at a time: each starts
 * processes of its own, and the timings they check (leases, grace periods) need a quiet machine.
 */
module.exports = {
  displayName: 'api-e2e-scaled',
  preset: '../jest.preset.js',
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>/e2e-scaled'],
  testMatch: ['<rootDir>/e2e-scaled/**/*.e2e-spec.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/e2e-scaled/tsconfig.json' }],
  },
  moduleFileExtensions: ['ts', 'js'],
  testTimeout: 120_000,
  maxWorkers: 1,
};
