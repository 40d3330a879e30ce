#!/usr/bin/env node
// The AWS SDK warns on every run that its future releases will need a newer Node.js. emr-audit declares
// the engines it supports in package.json, so that notice would only be noise in CI logs.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

const {execute} = await import('@oclif/core')
await execute({dir: import.meta.url})
