/**
 * Credentials must never reach a terminal, a log or a report, even when an endpoint echoes them back in
 * an error or a stack trace carries them: every message emr-audit prints or records from an error goes
 * through here.
 */
const CREDENTIAL_VARIABLES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN']
const MASK = '[redacted]'

export function redact(text: string, env: NodeJS.ProcessEnv = process.env): string {
  let result = text
  for (const name of CREDENTIAL_VARIABLES) {
    const value = env[name]
    if (value && value.length >= 8) result = result.split(value).join(MASK)
  }
  return (
    result
      // Access key ids (long-term AKIA…, temporary ASIA…), wherever they appear.
      .replace(/\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, MASK)
      // SigV4 pieces: the credential scope's key id, the signature, session tokens in headers or queries.
      .replace(/(Credential=)[^/\s,"]+/g, `$1${MASK}`)
      .replace(/(Signature=)[0-9a-f]{16,}/gi, `$1${MASK}`)
      .replace(/((?:x-amz-security-token|X-Amz-Security-Token)["']?\s*[:=]\s*["']?)[^\s&"',]+/g, `$1${MASK}`)
      .replace(/(aws_(?:secret_access_key|session_token)\s*[=:]\s*)\S+/gi, `$1${MASK}`)
  )
}
