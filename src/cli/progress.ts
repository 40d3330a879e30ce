/**
 * Progress on stderr while a scan runs. On a terminal: a live line per account and region ("9/13 sources,
 * 12s"), redrawn in place and erased at the end. Elsewhere (CI logs): a plain line when a source finishes,
 * at most one every 10 s (the first 10 s in), and one when an account is scanned, so a log shows the scan
 * is alive without flooding it. Lines start "emr-audit progress:", never "emr-audit:", which is for errors and
 * warnings. Only tool-generated text
 * reaches these lines: source counts, region codes, validated account ids, durations.
 */
import {clearScreenDown, moveCursor} from 'node:readline'
import type {ExpectedSource, ScanObserver} from '../app/scan.js'
import type {SourceOutcome} from '../inventory/schema.js'

export interface ProgressStream {
  isTTY?: boolean
  write(text: string): unknown
}

export interface ProgressOptions {
  /** Milliseconds since some origin; injectable so tests need not wait. */
  now?: () => number
  /** Plain mode: the least time between two lines. */
  plainIntervalMs?: number
  /** Live mode: how often the elapsed time is refreshed. */
  tickMs?: number
}

export interface Progress extends ScanObserver {
  /** Erases the live lines and stops the clock; call before the report is written. */
  stop(): void
}

interface AccountState {
  startedAt: number
  /** region → the sources expected there, and those done. */
  regions: Map<string, {expected: Set<string>; done: Set<string>}>
}

const seconds = (ms: number) => `${Math.floor(ms / 1000)}s`

/** Region lines in a fixed order: global first, then as the scan listed them. */
function regionCounts(state: AccountState): {region: string; done: number; total: number}[] {
  return [...state.regions].map(([region, {expected, done}]) => ({region, done: done.size, total: expected.size}))
}

function track(accounts: Map<string, AccountState>, label: string, expected: readonly ExpectedSource[], now: number): void {
  const regions = new Map<string, {expected: Set<string>; done: Set<string>}>()
  for (const {source, region} of expected) {
    const entry = regions.get(region) ?? {expected: new Set<string>(), done: new Set<string>()}
    entry.expected.add(source)
    regions.set(region, entry)
  }
  accounts.set(label, {startedAt: now, regions})
}

/** True when the outcome was one the scan was expected to produce and had not yet. */
function markDone(accounts: Map<string, AccountState>, label: string, outcome: SourceOutcome): boolean {
  const entry = accounts.get(label)?.regions.get(outcome.region)
  if (!entry?.expected.has(outcome.source) || entry.done.has(outcome.source)) return false
  entry.done.add(outcome.source)
  return true
}

// Account ids can come from the Organizations API: only a well-formed one is printed.
const prefix = (label: string) => (!label ? '' : /^\d{12}$/.test(label) ? `account ${label} ` : 'account (malformed id) ')

export function plainProgress(stream: ProgressStream, options: ProgressOptions = {}): Progress {
  const now = options.now ?? (() => performance.now())
  const interval = options.plainIntervalMs ?? 10_000
  const accounts = new Map<string, AccountState>()
  // The first line comes 10 s in at the earliest: a short scan, or one that fails at once, says nothing extra.
  let lastLine = now()
  const say = (text: string) => {
    lastLine = now()
    stream.write(`emr-audit progress: ${text}\n`)
  }
  const status = (label: string, state: AccountState) =>
    `${prefix(label)}${regionCounts(state)
      .map(({region, done, total}) => `${region} ${done}/${total}`)
      .join(', ')} sources · ${seconds(now() - state.startedAt)}`
  return {
    started(label, expected) {
      track(accounts, label, expected, now())
    },
    sourceDone(label, outcome) {
      if (!markDone(accounts, label, outcome) || now() - lastLine < interval) return
      say(`scanning ${[...accounts].map(([name, state]) => status(name, state)).join(' | ')}`)
    },
    finished(label, scanned) {
      const state = accounts.get(label)
      accounts.delete(label)
      if (state && scanned) say(`scanned ${prefix(label)}in ${seconds(now() - state.startedAt)}`)
    },
    stop() {},
  }
}

export function liveProgress(stream: ProgressStream & NodeJS.WritableStream, options: ProgressOptions = {}): Progress {
  const now = options.now ?? (() => performance.now())
  const accounts = new Map<string, AccountState>()
  let drawn = 0
  const erase = () => {
    if (drawn === 0) return
    moveCursor(stream, 0, -drawn)
    clearScreenDown(stream)
    drawn = 0
  }
  const draw = () => {
    erase()
    // A line the terminal wraps would take two rows, and erasing would leave half of it behind.
    // A terminal that reports no size (0) gets the classic 80 columns.
    const width = Math.max((stream as {columns?: number}).columns || 80, 20) - 1
    const lines = [...accounts].flatMap(([label, state]) =>
      regionCounts(state).map(({region, done, total}) =>
        `⠿ ${prefix(label)}${region.padEnd(15)} ${String(done).padStart(2)}/${total} sources  ${seconds(now() - state.startedAt)}`.slice(0, width),
      ),
    )
    if (lines.length > 0) stream.write(`${lines.join('\n')}\n`)
    drawn = lines.length
  }
  const clock = setInterval(draw, options.tickMs ?? 1000)
  clock.unref()
  return {
    started(label, expected) {
      track(accounts, label, expected, now())
      draw()
    },
    sourceDone(label, outcome) {
      if (markDone(accounts, label, outcome)) draw()
    },
    finished(label) {
      accounts.delete(label)
      draw()
    },
    stop() {
      clearInterval(clock)
      erase()
    },
  }
}

/** Live on a terminal, plain lines elsewhere, nothing with --quiet. */
export function progressFor(stream: NodeJS.WriteStream, quiet: boolean): Progress | undefined {
  if (quiet) return undefined
  return stream.isTTY ? liveProgress(stream) : plainProgress(stream)
}
