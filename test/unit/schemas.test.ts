import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {publishedSchemas} from '../../src/index.js'

describe('published JSON Schemas', () => {
  it.each(Object.keys(publishedSchemas()))('schemas/%s matches the code (regenerate with npm run schemas)', (name) => {
    const committed = JSON.parse(readFileSync(new URL(`../../schemas/${name}`, import.meta.url), 'utf8')) as unknown
    expect(committed).toEqual(publishedSchemas()[name])
  })
})
