/**
 * The API end-to-end suite: the whole app started on port 0 and driven over HTTP (supertest).
 * E2E_DATABASE=sqlite|mysql picks the database; `nx run api:e2e` runs it on both (see
 * e2e/run-e2e.mjs). Test files share nothing, but each starts an app and, on MySQL, a database of
 * its own; running them in band keeps the machine quiet and the rate-limit tests deterministic.
 */
/**
 * Dependencies Jest's own module system cannot load as they ship, though Node (20.19+) can:
 * content-disposition (via @fastify/static) is ESM-only, and @fastify/cookie loads `cookie` with
 * a dynamic import(). Compiled to CommonJS by TypeScript, both load like any other module.
 */
const COMPILED_PACKAGES = ['content-disposition', '@fastify/cookie'];

module.exports = {
  displayName: `api-e2e (${process.env.E2E_DATABASE ?? 'sqlite'})`,
  preset: '../jest.preset.js',
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>/e2e'],
  testMatch: ['<rootDir>/e2e/**/*.e2e-spec.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.e2e.json' }],
    // Only the COMPILED_PACKAGES (see transformIgnorePatterns).
    '^.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs' } }],
  },
  transformIgnorePatterns: [
    `^(?!.*/node_modules/(${COMPILED_PACKAGES.join('|')})/).*/node_modules/`,
  ],
  moduleFileExtensions: ['ts', 'js', 'html'],
  testTimeout: 30_000,
  maxWorkers: 1,
};
