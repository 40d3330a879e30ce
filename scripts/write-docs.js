#!/usr/bin/env node
// Regenerates the README's rule reference from the rule metadata (run `npm run build` first).
// A unit test fails when the committed README differs from what this writes.
import {readFileSync, writeFileSync} from 'node:fs'
import {RULES, withRuleReference, withScanPolicy} from '../dist/index.js'

const path = new URL('../README.md', import.meta.url)
writeFileSync(path, withScanPolicy(withRuleReference(readFileSync(path, 'utf8'), RULES)))
console.log(`README.md: rule reference for ${RULES.length} rules`)
