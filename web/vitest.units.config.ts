// The Vitest specs that mount no component (pure functions and composables over a stubbed fetch): what
// Stryker runs against each mutant of the composables they test (stryker.units.config.mjs). A mount
// compiles views and Element Plus for seconds; these run in a fraction of one, so a mutant costs little.
import { mergeConfig } from 'vitest/config'
import base from './vite.config'

export default mergeConfig(base, {
  test: {
    include: [
      'tests/numbers.spec.ts',
      'tests/format.spec.ts',
      'tests/csv.spec.ts',
      'tests/validators.spec.ts',
      'tests/financing.spec.ts',
      'tests/leads.spec.ts',
      'tests/tours.spec.ts',
      'tests/periodicReport.spec.ts',
      'tests/photos.spec.ts',
      'tests/regions.spec.ts',
      'tests/html.spec.ts',
      'tests/http.spec.ts',
    ],
  },
})
