import {describe, expect, it} from 'vitest'
import {ownValue} from './lookup.js'

describe('ownValue', () => {
  const table: Record<string, number> = {a: 1, zero: 0}

  it('gives the value of an own key, including a falsy one', () => {
    expect(ownValue(table, 'a')).toBe(1)
    expect(ownValue(table, 'zero')).toBe(0)
  })

  it('gives nothing for a missing key or one every object inherits', () => {
    for (const key of ['b', 'constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) expect(ownValue(table, key), key).toBeUndefined()
  })
})
