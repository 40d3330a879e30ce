import {describe, expect, it} from 'vitest'
import {controlsOf, frameworkNamed, securityHubControl} from './compliance.js'

describe('compliance mappings', () => {
  it('names a framework by any of its aliases, in any case', () => {
    expect(frameworkNamed('FSBP')).toBe('AWS-FSBP')
    expect(frameworkNamed('aws-fsbp')).toBe('AWS-FSBP')
    expect(frameworkNamed('NIST')).toBe('NIST-800-53-r5')
    expect(frameworkNamed('Nist-800-53')).toBe('NIST-800-53-r5')
    expect(frameworkNamed('cis')).toBeUndefined()
  })

  // https://docs.aws.amazon.com/securityhub/latest/userguide/emr-controls.html: [EMR.3] lists the related
  // requirements NIST.800-53.r5 CA-9(1), CP-9(8), SI-12.
  it('lists the controls of one framework, in the order the rule gives them', () => {
    const mapping = securityHubControl('EMR.3')
    expect(controlsOf(mapping, 'AWS-FSBP')).toEqual(['EMR.3'])
    expect(controlsOf(mapping, 'NIST-800-53-r5')).toEqual(['CA-9(1)', 'CP-9(8)', 'SI-12'])
    expect(controlsOf(undefined, 'AWS-FSBP')).toEqual([])
  })
})
