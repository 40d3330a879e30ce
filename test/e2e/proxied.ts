/**
 * The emulator behind the forwarding server (bench/proxy.ts): calls are counted, faults can be injected,
 * and the two EMR listings the emulator lacks are answered as a real endpoint would (so the SDK does not
 * retry the emulator's HTML error page with back-off).
 */
import {startProxy, type Proxy, type ProxyOptions} from '../../bench/proxy.js'
import {startEmulator, type Emulator} from './moto.js'

export const EMULATOR_LACKS = ['elasticmapreduce:ListSecurityConfigurations', 'elasticmapreduce:ListStudios']

export async function startProxiedEmulator(
  options: Partial<Omit<ProxyOptions, 'target'>> = {},
  emulatorEnv: Record<string, string> = {},
): Promise<{emulator: Emulator; proxy: Proxy}> {
  const emulator = await startEmulator(emulatorEnv)
  const url = new URL(emulator.endpoint)
  const proxy = await startProxy({target: {host: url.hostname, port: Number(url.port)}, latencyMs: 0, throttle: 0, unsupported: EMULATOR_LACKS, ...options})
  return {emulator, proxy}
}

/**
 * The emulator as most end-to-end tests should meet it: one endpoint, for seeding and for the CLI, that
 * answers the listings the emulator lacks at once. Against the bare emulator every scan waits on the SDK's
 * back-off for its HTML 500 page (about 6 s per region scanned); the page itself is tested in
 * faults.test.ts. The forwarding server also files EMR calls under their region, as AWS does.
 */
export async function startFrontedEmulator(emulatorEnv: Record<string, string> = {}): Promise<Emulator> {
  const {emulator, proxy} = await startProxiedEmulator({}, emulatorEnv)
  const port = Number(new URL(proxy.endpoint).port)
  return {
    endpoint: proxy.endpoint,
    port,
    reset: () => emulator.reset(),
    async stop() {
      await proxy.close()
      await emulator.stop()
    },
  }
}
