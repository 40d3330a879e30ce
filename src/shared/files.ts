/**
 * The files emr-audit writes hold policy documents and account data (inventories, journals, reports,
 * plans): they are created private (0600), never written through a symbolic link, and replaced whole by an
 * atomic rename so a crash never leaves half a document. Hand-written rather than write-file-atomic: that
 * library follows a symlink at the destination and opens its temporary file without O_EXCL.
 */
import {randomBytes} from 'node:crypto'
import {constants} from 'node:fs'
import {lstat, open, readlink, realpath, rename, stat, unlink} from 'node:fs/promises'
import {basename, dirname, join, resolve} from 'node:path'
import {UserInputError} from './errors.js'
import {forLog, jsonText} from './escape.js'

const PRIVATE = 0o600

function failure(path: string, error: unknown): UserInputError {
  if (error instanceof UserInputError) return error
  return new UserInputError(`cannot write ${forLog(path)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {cause: error})
}

/**
 * A file emr-audit will rewrite must be a regular file or nothing yet: a symlink would be replaced, not
 * followed; renaming over a device (run as root, /dev/null) would replace the device; a FIFO could block.
 */
export async function refuseSymlink(path: string): Promise<void> {
  const entry = await lstat(path).catch(() => undefined)
  if (entry?.isSymbolicLink()) throw new UserInputError(`refusing to write ${forLog(path)}: it is a symbolic link (remove it or choose another path)`)
  if (entry && !entry.isFile())
    throw new UserInputError(`refusing to write ${forLog(path)}: it is not a regular file (to see the output, leave the flag out or use standard output)`)
}

async function syncDirectory(directory: string): Promise<void> {
  // Makes the rename itself durable; some platforms cannot open a directory for this, which is harmless.
  const handle = await open(directory, 'r').catch(() => undefined)
  await handle?.sync().catch(() => {})
  await handle?.close()
}

/**
 * Replaces `path` with `text`: a new 0600 temporary file beside it (O_EXCL, so nothing planted there is
 * reused), flushed to disk, then renamed over the destination. A symlink at the destination is refused;
 * on any failure the temporary file is removed.
 */
export async function writePrivateFile(path: string, text: string): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`)
  let created = false
  try {
    await refuseSymlink(path)
    const file = await open(temporary, 'wx', PRIVATE)
    created = true
    try {
      await file.writeFile(text, 'utf8')
      await file.sync()
    } finally {
      await file.close()
    }
    await rename(temporary, path)
    created = false
    await syncDirectory(dirname(resolve(path)))
  } catch (error) {
    if (created) await unlink(temporary).catch(() => {})
    throw failure(path, error)
  }
}

export function writeJsonFile(path: string, value: unknown): Promise<void> {
  return writePrivateFile(path, `${jsonText(value)}\n`)
}

/** Creates `path` (0600) only if nothing, not even a dangling symlink, is there yet. */
export async function createPrivateFile(path: string, text: string, exists: (path: string) => string): Promise<void> {
  try {
    const file = await open(path, 'wx', PRIVATE)
    try {
      await file.writeFile(text, 'utf8')
      await file.sync()
    } finally {
      await file.close()
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new UserInputError(exists(path))
    throw failure(path, error)
  }
}

const MAX_LINKS = 40

/**
 * Where a path will land: the real path of its existing part, the rest appended, and a dangling symlink
 * followed to what it names (it would be created there).
 */
async function landingPath(path: string, hops = 0): Promise<string> {
  const absolute = resolve(path)
  const real = await realpath(absolute).catch(() => undefined)
  if (real) return real
  const entry = await lstat(absolute).catch(() => undefined)
  if (entry?.isSymbolicLink() && hops < MAX_LINKS) return landingPath(resolve(dirname(absolute), await readlink(absolute)), hops + 1)
  const parent = dirname(absolute)
  return parent === absolute ? absolute : join(await landingPath(parent, hops + 1), basename(absolute))
}

/** The device and inode of an existing file, so two hard links to one file compare equal. */
async function fileIdentity(path: string): Promise<string | undefined> {
  const found = await stat(path).catch(() => undefined)
  return found ? `${found.dev}:${found.ino}` : undefined
}

export interface NamedPath {
  /** How the user named it, for the message: `--journal j.json`. */
  flag: string
  path: string
  /** A file read, not written (a saved plan): it must not be an output, but may be a symlink. */
  input?: boolean
}

/**
 * One output path, one writer: refuses two outputs that land on one file (the same path after symlinks,
 * or hard links to one file), naming both flags, and an output that is a symlink. Called before any AWS
 * call.
 */
export async function assertDistinctOutputs(outputs: readonly NamedPath[]): Promise<void> {
  const seen: Array<NamedPath & {landing: string; identity?: string}> = []
  for (const output of outputs) {
    const landing = await landingPath(output.path)
    const identity = await fileIdentity(output.path)
    const clash = seen.find((other) => other.landing === landing || (identity !== undefined && other.identity === identity))
    if (clash)
      throw new UserInputError(
        `${forLog(clash.flag)} and ${forLog(output.flag)} name the same file (${forLog(landing)}); give each its own path (nothing was done)`,
      )
    seen.push({...output, landing, ...(identity ? {identity} : {})})
  }
  // Refused again at the write; refusing now saves a scan whose report could not be written.
  for (const output of outputs) if (!output.input) await refuseSymlink(output.path)
}

/** Plans and journals hold at most a few thousand changes of policy documents (each under 10 KB). */
export const DOCUMENT_MAX_BYTES = 64 * 1024 * 1024

/**
 * The text of a file emr-audit reads a document from, refused unless it is a regular file of at most
 * `maxBytes`. Opened non-blocking and checked on the open handle: a FIFO with no writer would block the
 * read forever, a device never ends, and a file swapped after a check is not the one read.
 */
export async function readRegularFile(path: string, maxBytes: number): Promise<string> {
  const file = await open(path, constants.O_RDONLY | constants.O_NONBLOCK)
  try {
    const info = await file.stat()
    if (!info.isFile()) throw new UserInputError(`${forLog(path)}: not a regular file`)
    if (info.size > maxBytes) throw new UserInputError(`${forLog(path)}: ${info.size} bytes, over the ${maxBytes} a plan or journal may have`)
    return await file.readFile('utf8')
  } finally {
    await file.close()
  }
}
