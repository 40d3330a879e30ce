/** Property-based tests: arbitrary input never crashes the parsers, and valid input round-trips. */
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {parseConfig} from '../../src/app/load-config.js'
import {UserInputError} from '../../src/shared/errors.js'
import {parseInventory} from '../../src/inventory/io.js'
import {decodePolicyDocument, statementsOf} from '../../src/policy/document.js'
import {evaluateIdentityAccess} from '../../src/policy/evaluate.js'
import {emptyInventory} from '../fixtures/inventory.js'

const onlyUserErrors = (work: () => unknown): void => {
  try {
    work()
  } catch (error) {
    expect(error).toBeInstanceOf(UserInputError)
    expect((error as Error).message).not.toContain('\n')
  }
}

describe('parsers under arbitrary input', () => {
  it('policy documents: any string decodes to a document or a reason, never a throw', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const result = decodePolicyDocument(text)
        expect(result.document === null).toBe(result.error !== undefined)
      }),
    )
  })

  it('policy documents: any JSON object survives URL-encoding and decoding once', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (document) => {
        expect(decodePolicyDocument(encodeURIComponent(JSON.stringify(document))).document).toEqual(JSON.parse(JSON.stringify(document)))
      }),
    )
  })

  it('statements and the evaluator accept any JSON shape without throwing', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string(), (statement, action) => {
        const document = {Statement: statement} as Record<string, unknown>
        statementsOf(document)
        const decision = evaluateIdentityAccess([{label: 'p', document}], {action, resource: '*'}).decision
        expect(['allow', 'explicit-deny', 'implicit-deny', 'unknown']).toContain(decision)
      }),
    )
  })

  it('config text: any input is a config or one clear user error', () => {
    fc.assert(fc.property(fc.string(), (text) => onlyUserErrors(() => parseConfig(text, 'c.yaml'))))
    fc.assert(fc.property(fc.jsonValue(), (value) => onlyUserErrors(() => parseConfig(JSON.stringify(value), 'c.json'))))
  })

  it('inventory documents: any JSON is an inventory or one clear user error; a valid one round-trips', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => onlyUserErrors(() => parseInventory(value, 'i.json'))))
    const inventory = emptyInventory()
    expect(parseInventory(JSON.parse(JSON.stringify(inventory)), 'i.json')).toEqual(inventory)
  })
})
