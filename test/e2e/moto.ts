/**
 * Starts the moto AWS emulator on a free loopback port for one test file and stops it afterwards.
 * Nothing here reaches any address but 127.0.0.1.
 */
import {type ChildProcess, spawn} from 'node:child_process'
import {createServer} from 'node:net'

export interface Emulator {
  endpoint: string
  port: number
  reset(): Promise<void>
  stop(): Promise<void>
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

async function waitUntilUp(endpoint: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto exited early (${child.exitCode}):\n${output()}`)
    try {
      const response = await fetch(`${endpoint}/moto-api/`)
      if (response.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`moto did not start within 30 s:\n${output()}`)
}

/** `env` adds emulator settings, e.g. INITIAL_NO_AUTH_ACTION_COUNT to enforce IAM permissions after N calls. */
export async function startEmulator(env: Record<string, string> = {}): Promise<Emulator> {
  const port = await freePort()
  const endpoint = `http://127.0.0.1:${port}`
  let log = ''
  const child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    env: {...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: 'true', ...env},
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout?.on('data', (chunk) => (log = (log + chunk).slice(-4000)))
  child.stderr?.on('data', (chunk) => (log = (log + chunk).slice(-4000)))
  await waitUntilUp(endpoint, child, () => log)
  return {
    endpoint,
    port,
    async reset() {
      await fetch(`${endpoint}/moto-api/reset`, {method: 'POST'})
    },
    async stop() {
      if (child.exitCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))])
      if (child.exitCode === null) child.kill('SIGKILL')
    },
  }
}

/**
 * An emulator that enforces IAM after its first three calls, which create an administrator: every later
 * call runs as someone, and is allowed only as that identity's policies say.
 */
export async function startEnforcingEmulator(): Promise<{emulator: Emulator; admin: {accessKeyId: string; secretAccessKey: string}}> {
  const emulator = await startEmulator({INITIAL_NO_AUTH_ACTION_COUNT: '3'})
  const {CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand} = await import('@aws-sdk/client-iam')
  const bootstrap = new IAMClient({endpoint: emulator.endpoint, region: 'us-east-1', credentials: {accessKeyId: 'boot', secretAccessKey: 'boot'}})
  await bootstrap.send(new CreateUserCommand({UserName: 'admin'}))
  const everything = JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: '*', Resource: '*'}]})
  await bootstrap.send(new PutUserPolicyCommand({UserName: 'admin', PolicyName: 'all', PolicyDocument: everything}))
  const key = await bootstrap.send(new CreateAccessKeyCommand({UserName: 'admin'}))
  return {emulator, admin: {accessKeyId: key.AccessKey?.AccessKeyId ?? '', secretAccessKey: key.AccessKey?.SecretAccessKey ?? ''}}
}
