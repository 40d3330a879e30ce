// The unit project alone, for Stryker: end-to-end tests run the built CLI (never the mutated sources)
// and start an emulator, so they would only cost time.
import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    env: {AWS_EC2_METADATA_DISABLED: 'true', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true'},
    include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts'],
  },
})
