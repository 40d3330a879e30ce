// The unit tests Stryker runs. End-to-end tests run the built CLI (never the mutated sources) and start an
// emulator, so they would only cost time. scripts/mutate.js names each area's own tests in MUTATE_TESTS
// (comma-separated globs): a mutant is then tried against the tests written for its area, which keeps a
// run of thousands of mutants within reach of a small machine.
import process from 'node:process'
import {defineConfig} from 'vitest/config'

const include = process.env.MUTATE_TESTS ? process.env.MUTATE_TESTS.split(',') : ['src/**/*.test.ts', 'test/unit/**/*.test.ts']

export default defineConfig({
  test: {
    env: {AWS_EC2_METADATA_DISABLED: 'true', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true'},
    include,
    // Loading the sources once per worker, not once per test file, is most of a mutant's cost here. Shared
    // modules are safe for these areas: the only SDK mock among their tests (src/fix/executor.test.ts) is
    // reset per test, and no other test of theirs sends a request.
    isolate: false,
    // Instrumented code is several times slower; Stryker's own per-mutant timeout catches a mutant that hangs.
    testTimeout: 60_000,
  },
})
