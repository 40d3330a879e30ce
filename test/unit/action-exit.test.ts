/** The Action's step exit code for each exit code of emr-audit scan, with strict on and off (README "GitHub Action"). */
import {describe, expect, it} from 'vitest'
// @ts-expect-error -- a plain JavaScript module of the action, without type declarations
import {stepExitCode} from '../../scripts/action-exit.js'

const decide = stepExitCode as (scanExitCode: number, strict: boolean) => number

describe('the Action step exit code', () => {
  it.each([
    // [scan exit code, strict, step exit code]
    [0, false, 0],
    [0, true, 0],
    [1, false, 1],
    [1, true, 1],
    [2, false, 2],
    [2, true, 2],
    [3, false, 0],
    [3, true, 3],
    [4, false, 4],
    [130, false, 130],
  ])('scan exit %i with strict %s fails the step with %i', (scan, strict, step) => {
    expect(decide(scan, strict)).toBe(step)
  })
})
