/**
 * A loopback forwarding server in front of the emulator, for the benchmark and the fault-injection tests:
 * it adds a fixed latency to every call, can answer a share of calls with each service's real throttling
 * error, can inject faults into chosen operations (denials, server errors, resets, hangs, expired tokens,
 * or holding a call until released), counts calls per operation, and sends EMR calls to the emulator
 * under a per-region host name (the emulator keys EMR data by host).
 */
import {createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse} from 'node:http'

export interface ProxyOptions {
  target: {host: string; port: number}
  latencyMs: number
  /** Share of calls (0–1) answered with the service's throttling error instead of being forwarded. */
  throttle: number
  /**
   * Operations the emulator lacks, answered here as a real endpoint would (400 UnknownOperationException)
   * rather than as the emulator does (HTTP 500 with an HTML page, which the SDK retries with back-off).
   */
  unsupported: string[]
  /** Seed for the throttling draw, so a run is repeatable. */
  seed?: number
  /** Never throttle one operation more than this many times in a row (keeps retries within the SDK's attempts). */
  maxConsecutiveThrottles?: number
}

/**
 * denied: the service's own access-denied shape. server-error: HTTP 500 InternalError. emulator-missing:
 * the emulator's HTML 500 NotImplementedError page. not-implemented: HTTP 501 NotImplemented. reset: the
 * connection is dropped. hang: no answer at all. expired-token: the credentials have expired. hold: kept
 * until `release()`, then forwarded (a write that reaches AWS after its caller died). echo-credentials: an
 * error that repeats the request's Authorization header and session token (as an ordinary error, or as a
 * rejection of the credentials) — the worst case for redaction.
 */
export type FaultKind =
  | 'denied'
  | 'server-error'
  | 'emulator-missing'
  | 'not-implemented'
  | 'reset'
  | 'hang'
  | 'expired-token'
  | 'hold'
  | 'echo-credentials'
  | 'echo-credentials-rejected'

export interface Fault {
  /** `service:Operation` as counted (`iam:GetRole`, `elasticmapreduce:ListClusters`), or a predicate. */
  match: string | ((key: string) => boolean)
  kind: FaultKind
  /** How many calls it hits (default: all). */
  times?: number
}

export interface Proxy {
  endpoint: string
  counts: Map<string, number>
  throttled: number
  /** Calls answered by an injected fault, by operation. */
  faulted: Map<string, number>
  inject(fault: Fault): void
  clearFaults(): void
  /** Resolves once a held call is waiting. */
  held(): Promise<string>
  /** Forwards every held call. */
  release(): void
  reset(): void
  close(): Promise<void>
  options: ProxyOptions
}

/** service and region from the SigV4 credential scope: Credential=AKID/20260101/us-east-1/iam/aws4_request */
function scope(request: IncomingMessage): {service: string; region: string} {
  const match = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\//.exec(String(request.headers['authorization'] ?? ''))
  return {region: match?.[1] ?? 'us-east-1', service: match?.[2] ?? 'unknown'}
}

function operation(request: IncomingMessage, body: string): string {
  const target = request.headers['x-amz-target']
  if (typeof target === 'string') return target.split('.').pop() ?? target
  const action = new URLSearchParams(body).get('Action')
  return action ?? `${request.method} ${request.url?.split('?')[0]}`
}

interface Answer {
  status: number
  type: string
  body: string
}

const QUERY_SERVICES = new Set(['iam', 'sts'])

/** One error in the wire shape of the service: query XML (IAM, STS), EC2 XML, S3 XML or JSON. */
function errorAnswer(service: string, status: number, code: string, message: string): Answer {
  if (QUERY_SERVICES.has(service))
    return {
      status,
      type: 'text/xml',
      body: `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>fault</RequestId></ErrorResponse>`,
    }
  if (service === 'ec2')
    return {
      status,
      type: 'text/xml',
      body: `<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>fault</RequestID></Response>`,
    }
  if (service === 's3')
    return {status, type: 'application/xml', body: `<Error><Code>${code}</Code><Message>${message}</Message><RequestId>fault</RequestId></Error>`}
  return {status, type: 'application/x-amz-json-1.1', body: JSON.stringify({__type: code, message})}
}

function throttlingAnswer(service: string): Answer {
  if (service === 'ec2') return errorAnswer(service, 503, 'RequestLimitExceeded', 'Request limit exceeded.')
  if (QUERY_SERVICES.has(service)) return errorAnswer(service, 400, 'Throttling', 'Rate exceeded')
  return errorAnswer(service, 400, 'ThrottlingException', 'Rate exceeded')
}

const DENIED_CODE: Record<string, string> = {iam: 'AccessDenied', sts: 'AccessDenied', ec2: 'UnauthorizedOperation', s3: 'AccessDenied'}

function faultAnswer(kind: FaultKind, service: string, key: string, request: IncomingMessage): Answer | undefined {
  switch (kind) {
    case 'denied':
      return errorAnswer(
        service,
        service === 'ec2' || service === 's3' || QUERY_SERVICES.has(service) ? 403 : 400,
        DENIED_CODE[service] ?? 'AccessDeniedException',
        `User is not authorized to perform: ${key}`,
      )
    case 'server-error':
      return errorAnswer(
        service,
        500,
        QUERY_SERVICES.has(service) ? 'ServiceFailure' : service === 'ec2' ? 'InternalError' : 'InternalServerException',
        'We encountered an internal error. Please try again.',
      )
    case 'emulator-missing':
      return {
        status: 500,
        type: 'text/html',
        body: `<!doctype html><title>500 Internal Server Error</title><h1>Internal Server Error</h1><p>NotImplementedError: The ${key} action has not been implemented</p>`,
      }
    case 'not-implemented':
      return errorAnswer(service, 501, 'NotImplemented', `${key} is not implemented`)
    case 'expired-token':
      return errorAnswer(
        service,
        403,
        QUERY_SERVICES.has(service) || service === 'ec2' ? 'ExpiredToken' : 'ExpiredTokenException',
        'The security token included in the request is expired',
      )
    case 'echo-credentials':
    case 'echo-credentials-rejected': {
      const echoed = `request signed with ${String(request.headers['authorization'])} and token ${String(request.headers['x-amz-security-token'])}`
      if (kind === 'echo-credentials-rejected')
        return errorAnswer(service, 403, QUERY_SERVICES.has(service) ? 'InvalidClientTokenId' : 'UnrecognizedClientException', echoed)
      return errorAnswer(service, 400, QUERY_SERVICES.has(service) || service === 'ec2' ? 'InvalidParameterValue' : 'ValidationException', echoed)
    }
    default:
      return undefined
  }
}

/** A small seeded generator (mulberry32), so throttling draws repeat run to run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export async function startProxy(options: ProxyOptions): Promise<Proxy> {
  const counts = new Map<string, number>()
  const faulted = new Map<string, number>()
  const consecutive = new Map<string, number>()
  const state = {throttled: 0}
  let faults: Array<Fault & {remaining: number}> = []
  let heldCalls: Array<{key: string; forward: () => void}> = []
  let heldWaiters: Array<(key: string) => void> = []
  const random = options.seed === undefined ? Math.random : seeded(options.seed)

  const forward = (request: IncomingMessage, response: ServerResponse, body: Buffer, service: string, region: string) => {
    const headers = {...request.headers}
    if (service === 'elasticmapreduce') headers['host'] = `elasticmapreduce.${region}.amazonaws.com`
    const upstream = httpRequest({host: options.target.host, port: options.target.port, method: request.method, path: request.url, headers}, (answer) => {
      response.writeHead(answer.statusCode ?? 500, answer.headers)
      answer.pipe(response)
    })
    upstream.on('error', (error) => {
      if (response.headersSent) return
      response.writeHead(502)
      response.end(String(error))
    })
    upstream.end(body)
  }

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const body = Buffer.concat(chunks)
      const {service, region} = scope(request)
      const key = `${service}:${operation(request, body.toString('utf8'))}`
      counts.set(key, (counts.get(key) ?? 0) + 1)
      setTimeout(() => {
        const fault = faults.find((entry) => entry.remaining > 0 && (typeof entry.match === 'string' ? entry.match === key : entry.match(key)))
        if (fault) {
          fault.remaining -= 1
          faulted.set(key, (faulted.get(key) ?? 0) + 1)
          if (fault.kind === 'reset') {
            request.socket.destroy()
            return
          }
          if (fault.kind === 'hang') return
          if (fault.kind === 'hold') {
            heldCalls.push({key, forward: () => forward(request, response, body, service, region)})
            for (const waiter of heldWaiters) waiter(key)
            heldWaiters = []
            return
          }
          const answer = faultAnswer(fault.kind, service, key, request)
          if (answer) {
            response.writeHead(answer.status, {'content-type': answer.type})
            response.end(answer.body)
            return
          }
        }
        const limit = options.maxConsecutiveThrottles ?? Number.POSITIVE_INFINITY
        if (options.throttle > 0 && (consecutive.get(key) ?? 0) < limit && random() < options.throttle) {
          state.throttled++
          consecutive.set(key, (consecutive.get(key) ?? 0) + 1)
          const answer = throttlingAnswer(service)
          response.writeHead(answer.status, {'content-type': answer.type})
          response.end(answer.body)
          return
        }
        consecutive.set(key, 0)
        if (options.unsupported.includes(key)) {
          response.writeHead(400, {'content-type': 'application/x-amz-json-1.1'})
          response.end(JSON.stringify({__type: 'UnknownOperationException', message: `${key} is not implemented here`}))
          return
        }
        forward(request, response, body, service, region)
      }, options.latencyMs)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts,
    faulted,
    get throttled() {
      return state.throttled
    },
    options,
    inject(fault) {
      faults.push({...fault, remaining: fault.times ?? Number.POSITIVE_INFINITY})
    },
    clearFaults() {
      faults = []
    },
    held() {
      const waiting = heldCalls[0]
      if (waiting) return Promise.resolve(waiting.key)
      return new Promise((resolve) => heldWaiters.push(resolve))
    },
    release() {
      const calls = heldCalls
      heldCalls = []
      for (const call of calls) call.forward()
    },
    reset() {
      counts.clear()
      faulted.clear()
      consecutive.clear()
      state.throttled = 0
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
