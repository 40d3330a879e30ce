import {describe, expect, it} from 'vitest'
import {parseS3Location, studioResource} from './studio-helpers.js'

describe('studioResource', () => {
  it('names the Studio by id and region, with its ARN and name when known', () => {
    const arn = 'arn:aws:elasticmapreduce:us-east-1:123456789012:studio/es-1'
    expect(studioResource({id: 'es-1', region: 'us-east-1', origin: 'api', subnetIds: [], gitSecrets: [], arn, name: 'analytics'})).toEqual({
      type: 'emr-studio',
      id: 'es-1',
      region: 'us-east-1',
      arn,
      name: 'analytics',
    })
    // A Studio listed only in the config has neither.
    expect(studioResource({id: 'es-2', region: 'eu-west-1', origin: 'config', subnetIds: [], gitSecrets: []})).toEqual({
      type: 'emr-studio',
      id: 'es-2',
      region: 'eu-west-1',
    })
  })
})

// DefaultS3Location is an S3 URI, s3://bucket[/prefix] (https://docs.aws.amazon.com/emr/latest/APIReference/API_CreateStudio.html).
describe('parseS3Location', () => {
  it.each([
    ['s3://studio-bucket/workspaces', {bucket: 'studio-bucket', prefix: 'workspaces'}],
    ['s3://studio-bucket/team/a/', {bucket: 'studio-bucket', prefix: 'team/a/'}],
    ['s3://studio-bucket/', {bucket: 'studio-bucket', prefix: ''}],
    ['s3://studio-bucket', {bucket: 'studio-bucket', prefix: ''}],
  ])('%s → %j', (location, expected) => {
    expect(parseS3Location(location)).toEqual(expected)
  })

  it.each([['studio-bucket/workspaces'], ['https://s3://studio-bucket/x'], ['s3://'], ['s3://studio-bucket/a\nb']])('%j is not an S3 location', (location) => {
    expect(parseS3Location(location)).toBeUndefined()
  })
})
