#!/usr/bin/env node
// Runs the CLI from the TypeScript sources through a TypeScript loader (e.g. `node --import tsx bin/dev.js`);
// the built CLI is bin/run.js.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

const {execute} = await import('@oclif/core')
await execute({development: true, dir: import.meta.url})
