import type {TSchema} from '@sinclair/typebox'
import {Value} from '@sinclair/typebox/value'

export interface SchemaProblem {
  /** JSON-pointer-like path, e.g. `/studios/0/authMode`. */
  path: string
  message: string
}

/** All the ways `value` breaks `schema`, each naming the place (first few only, to keep messages short). */
export function schemaProblems(schema: TSchema, value: unknown, limit = 5): SchemaProblem[] {
  const problems: SchemaProblem[] = []
  for (const error of Value.Errors(schema, value)) {
    problems.push({path: error.path || '/', message: error.message})
    if (problems.length >= limit) break
  }
  return problems
}


/** `/studios/0/authMode` → `studios[0].authMode`, the way a person reads their YAML. */
export function readablePath(pointer: string): string {
  return pointer
    .split('/')
    .filter(Boolean)
    .map((part, index) => (/^\d+$/.test(part) ? `[${part}]` : index === 0 ? part : `.${part}`))
    .join('')
}
