/**
 * A loopback forwarding server in front of the emulator, for the benchmark: it adds a fixed latency to every
 * call, can answer a share of calls with each service's real throttling error, counts calls per operation,
 * and sends EMR calls to the emulator under a per-region host name (the emulator keys EMR data by host).
 */
import {createServer, request as httpRequest, type IncomingMessage, type Server} from 'node:http'

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
}

export interface Proxy {
  endpoint: string
  counts: Map<string, number>
  throttled: number
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

function throttlingAnswer(service: string): {status: number; type: string; body: string} {
  if (service === 'ec2') return {status: 503, type: 'text/xml', body: '<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>bench</RequestID></Response>'}
  if (service === 'iam' || service === 'sts') return {status: 400, type: 'text/xml', body: '<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>bench</RequestId></ErrorResponse>'}
  return {status: 400, type: 'application/x-amz-json-1.1', body: JSON.stringify({__type: 'ThrottlingException', message: 'Rate exceeded'})}
}

export async function startProxy(options: ProxyOptions): Promise<Proxy> {
  const counts = new Map<string, number>()
  const state = {throttled: 0}
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const body = Buffer.concat(chunks)
      const {service, region} = scope(request)
      const key = `${service}:${operation(request, body.toString('utf8'))}`
      counts.set(key, (counts.get(key) ?? 0) + 1)
      setTimeout(() => {
        if (options.throttle > 0 && Math.random() < options.throttle) {
          state.throttled++
          const answer = throttlingAnswer(service)
          response.writeHead(answer.status, {'content-type': answer.type})
          response.end(answer.body)
          return
        }
        if (options.unsupported.includes(key)) {
          response.writeHead(400, {'content-type': 'application/x-amz-json-1.1'})
          response.end(JSON.stringify({__type: 'UnknownOperationException', message: `${key} is not implemented here`}))
          return
        }
        const headers = {...request.headers}
        if (service === 'elasticmapreduce') headers['host'] = `elasticmapreduce.${region}.amazonaws.com`
        const upstream = httpRequest({host: options.target.host, port: options.target.port, method: request.method, path: request.url, headers}, (answer) => {
          response.writeHead(answer.statusCode ?? 500, answer.headers)
          answer.pipe(response)
        })
        upstream.on('error', (error) => {
          response.writeHead(502)
          response.end(String(error))
        })
        upstream.end(body)
      }, options.latencyMs)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts,
    get throttled() {
      return state.throttled
    },
    options,
    reset() {
      counts.clear()
      state.throttled = 0
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
