// Mutation testing of the composables (the views' logic) against the Vitest suite: `make mutate`
// runs it through scripts/mutate-web.sh, which installs Stryker without recording it in
// package.json (it is not needed to build or test the app).
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vite.config.ts' },
  mutate: ['src/composables/**/*.ts'],
  reporters: ['clear-text', 'json', 'progress-append-only'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  coverageAnalysis: 'perTest',
  concurrency: 1,
  timeoutMS: 60000,
  tempDirName: '.stryker-tmp',
}
