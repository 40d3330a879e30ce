/**
 * The emulator behind the forwarding server (bench/proxy.ts): calls are counted, faults can be injected,
 * and the two EMR listings the emulator lacks are answered as a real endpoint would (so the SDK does not
 * retry the emulator's HTML error page with back-off).
 */
import {startProxy, type Proxy, type ProxyOptions} from '../../bench/proxy.js'
import {startEmulator, type Emulator} from './moto.js'

export const EMULATOR_LACKS = ['elasticmapreduce:ListSecurityConfigurations', 'elasticmapreduce:ListStudios']

export async function startProxiedEmulator(options: Partial<Omit<ProxyOptions, 'target'>> = {}): Promise<{emulator: Emulator; proxy: Proxy}> {
  const emulator = await startEmulator()
  const url = new URL(emulator.endpoint)
  const proxy = await startProxy({target: {host: url.hostname, port: Number(url.port)}, latencyMs: 0, throttle: 0, unsupported: EMULATOR_LACKS, ...options})
  return {emulator, proxy}
}
