/** Classifies what AWS (or an emulator) answered, so a scanner can record an honest source outcome. */
import {redact} from '../shared/redact.js'
import type {SourceStatus} from '../inventory/schema.js'

interface AwsLikeError {
  name?: string
  message?: string
  Code?: string
  code?: string
  $metadata?: {httpStatusCode?: number}
  $fault?: string
}

const deniedNames = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedAccess', 'AuthorizationError', 'Forbidden'])

const unsupportedNames = new Set(['NotImplemented', 'NotImplementedError', 'UnsupportedOperation', 'UnknownOperationException', 'InvalidAction'])

const credentialNames = new Set([
  'CredentialsProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'InvalidSignatureException',
  'TokenRefreshRequired',
  // EC2's word for credentials it cannot validate.
  'AuthFailure',
])

function errorName(error: unknown): string {
  const candidate = error as AwsLikeError | undefined
  return candidate?.name ?? candidate?.Code ?? candidate?.code ?? ''
}

function httpStatus(error: unknown): number | undefined {
  return (error as AwsLikeError | undefined)?.$metadata?.httpStatusCode
}

/** The caller's credentials are missing, expired or rejected: the whole run must stop with exit 2. */
export function isCredentialError(error: unknown): boolean {
  const name = errorName(error)
  if (credentialNames.has(name)) return true
  const message = (error as AwsLikeError | undefined)?.message ?? ''
  return /could not load credentials|credential is missing|security token included in the request is (expired|invalid)/i.test(message)
}

export function isNotFound(error: unknown): boolean {
  const name = errorName(error)
  return (
    name === 'NoSuchEntity' ||
    name === 'NoSuchEntityException' ||
    name === 'ResourceNotFoundException' ||
    /NotFound(Exception)?$/.test(name) ||
    (name === 'InvalidRequestException' && /does not exist|not found/i.test((error as AwsLikeError).message ?? ''))
  )
}

export interface ErrorClassification {
  status: Exclude<SourceStatus, 'ok'>
  message: string
}

/**
 * denied: the caller lacks the permission (the action is named in coverage);
 * unsupported: the endpoint does not implement the action (HTTP 501, a NotImplemented code, or an HTML
 * error page where the API's JSON/XML was expected, which is how emulators answer unknown actions);
 * error: anything else, after the SDK's own retries.
 */
export function classifyAwsError(error: unknown): ErrorClassification {
  const name = errorName(error)
  const status = httpStatus(error)
  // Endpoints may echo the request (and with it the credentials) in their error text.
  const rawMessage = redact((error as AwsLikeError | undefined)?.message ?? String(error))
  const message = rawMessage.split('\n')[0]?.trim() ?? rawMessage
  if (deniedNames.has(name) || status === 403) return {status: 'denied', message: `${name || 'HTTP 403'}: ${message}`}
  if (unsupportedNames.has(name) || status === 501)
    return {status: 'unsupported', message: `the endpoint does not implement this action (${name || 'HTTP 501'})`}
  if (status !== undefined && status >= 500 && (name === 'SyntaxError' || /Deserialization error|not valid JSON|<!doctype|<html/i.test(rawMessage))) {
    return {status: 'unsupported', message: `the endpoint answered HTTP ${status} with a non-API error page; the action is likely not implemented there`}
  }
  return {status: 'error', message: name ? `${name}: ${message}` : message}
}
