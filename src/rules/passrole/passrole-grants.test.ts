import {describe, expect, it} from 'vitest'
import {describeCoverage, everyRole} from './passrole-grants.js'

describe('describeCoverage', () => {
  // Its contract: what a grant reaches, in words for a message; a grant whose Resource matches no role ARN reaches none.
  it('words each kind of reach', () => {
    expect(describeCoverage({kind: 'none'})).toBe('no role')
    expect(describeCoverage({kind: 'all'})).toBe('every role')
  })
})

describe('everyRole', () => {
  // A role name has at least one character (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html).
  it('is the pattern of every role of the account, in its partition', () => {
    expect(everyRole('aws-cn', '123456789012')).toBe('arn:aws-cn:iam::123456789012:role/?*')
  })
})
