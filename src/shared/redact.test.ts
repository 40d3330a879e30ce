import {describe, expect, it} from 'vitest'
import {redact} from './redact.js'

describe('redact', () => {
  const env = {
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_SESSION_TOKEN: 'IQoJb3JpZ2luX2VjEXAMPLE',
  }
  it.each([
    ['the secret key from the environment', `secret ${env.AWS_SECRET_ACCESS_KEY} leaked`, 'secret [redacted] leaked'],
    ['the session token from the environment', `token=${env.AWS_SESSION_TOKEN}`, 'token=[redacted]'],
    ['any access key id', 'key ASIAABCDEFGHIJKLMNOP used', 'key [redacted] used'],
    [
      'a SigV4 authorization header',
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0123456789abcdef0123456789abcdef',
      'AWS4-HMAC-SHA256 Credential=[redacted]/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=[redacted]',
    ],
    ['a security token header', 'x-amz-security-token: abc/def+ghi=', 'x-amz-security-token: [redacted]'],
    ['a credentials file line', 'aws_secret_access_key = abcdef', 'aws_secret_access_key = [redacted]'],
  ])('masks %s', (_label, input, expected) => {
    expect(redact(input, env)).toBe(expected)
  })
  it('leaves ordinary text alone', () => {
    expect(redact('AccessDenied: User arn:aws:iam::123456789012:user/auditor is not authorized to perform: iam:GetRole', env)).toBe(
      'AccessDenied: User arn:aws:iam::123456789012:user/auditor is not authorized to perform: iam:GetRole',
    )
  })
})
