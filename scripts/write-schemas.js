#!/usr/bin/env node
// Writes schemas/*.schema.json from the built library (run `npm run build` first). A unit test fails
// when the committed files differ from what the code defines.
import {mkdirSync, writeFileSync} from 'node:fs'
import {publishedSchemas} from '../dist/index.js'

mkdirSync(new URL('../schemas/', import.meta.url), {recursive: true})
for (const [name, schema] of Object.entries(publishedSchemas())) {
  writeFileSync(new URL(`../schemas/${name}`, import.meta.url), `${JSON.stringify(schema, null, 2)}\n`)
  console.log(`wrote schemas/${name}`)
}
