import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    env: {
      // Never let the SDK's credential chain reach for the instance-metadata address.
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    // Vitest's default (one worker per core but one) runs every file in turn on a 2-core machine. End-to-end
    // files mostly wait (on the emulator, CLI start-up, the latencies they inject), so three workers keep two
    // cores busy without starving the tests that hold a call for a set time (test/e2e/README.md).
    // VITEST_MAX_WORKERS overrides it for a bigger or a busier machine.
    maxWorkers: Number(process.env['VITEST_MAX_WORKERS']) || 3,
    projects: [
      {
        extends: true,
        test: {name: 'unit', include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts']},
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/global-setup.ts'],
          // Each file keeps its own state (its emulator, its directories) and leaves process.env alone, so
          // files may share a worker's loaded modules (the AWS SDK, above all) instead of importing them anew.
          isolate: false,
          // Guards against a hang, not a measure: files share the cores, so a test doing a dozen scans
          // may take well over a minute on a busy machine.
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
})
