import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    env: {
      // Never let the SDK's credential chain reach for the instance-metadata address.
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
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
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
})
