// Stryker over the composables the mount-free specs test (vitest.units.config.ts): the pure helpers
// (amounts, formats, CSV, validators, permissions) and the list/form logic of financing, leads, tours
// and the periodic reports. `bash scripts/mutate-web.sh stryker.units.config.mjs`.
import base from './stryker.config.mjs'

export default {
  ...base,
  vitest: { configFile: 'vitest.units.config.ts' },
  // A static mutant (a module-level constant) needs every spec re-imported: about 70 % of the time for
  // 12 % of the mutants on this machine. They are left out and reported as ignored.
  ignoreStatic: true,
  mutate: [
    'src/composables/numbers.ts',
    'src/composables/format.ts',
    'src/composables/csv.ts',
    'src/composables/validators.ts',
    'src/composables/permissions.ts',
    'src/composables/useFinancing.ts',
    'src/composables/useLeads.ts',
    'src/composables/useTours.ts',
    'src/composables/usePeriodicReport.ts',
  ],
}
