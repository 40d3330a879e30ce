import {chmod, link, lstat, mkdir, mkdtemp, readdir, readFile, stat, symlink, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {beforeEach, describe, expect, it} from 'vitest'
import {assertDistinctOutputs, createPrivateFile, writeJsonFile, writePrivateFile} from './files.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'emr-audit-files-'))
})

const mode = async (path: string) => (await stat(path)).mode & 0o777

describe('private files', () => {
  it('creates the file 0600, whatever the umask allows, and replaces an existing 0644 one with a 0600 one', async () => {
    await writeJsonFile(join(dir, 'new.json'), {x: 1})
    expect(await mode(join(dir, 'new.json'))).toBe(0o600)
    await writeFile(join(dir, 'old.json'), 'old', {mode: 0o644})
    await writePrivateFile(join(dir, 'old.json'), 'new')
    expect(await mode(join(dir, 'old.json'))).toBe(0o600)
    expect(await readFile(join(dir, 'old.json'), 'utf8')).toBe('new')
  })

  it('refuses to write through a symlink, live or dangling, and leaves its target alone', async () => {
    await writeFile(join(dir, 'journal.json'), 'the journal')
    await symlink(join(dir, 'journal.json'), join(dir, 'live'))
    await symlink(join(dir, 'nowhere.json'), join(dir, 'dangling'))
    await expect(writePrivateFile(join(dir, 'live'), 'report')).rejects.toThrow(
      /^refusing to write .*live: it is a symbolic link \(remove it or choose another path\)$/,
    )
    await expect(writePrivateFile(join(dir, 'dangling'), 'report')).rejects.toThrow(/symbolic link/)
    expect(await readFile(join(dir, 'journal.json'), 'utf8')).toBe('the journal')
    expect((await lstat(join(dir, 'live'))).isSymbolicLink()).toBe(true)
    expect(await readdir(dir)).toEqual(['dangling', 'journal.json', 'live'])
  })

  it('never renames over a device or a FIFO, which as root would replace it', async () => {
    await expect(writePrivateFile('/dev/null', 'report')).rejects.toThrow(/^refusing to write \/dev\/null: it is not a regular file/)
    expect((await stat('/dev/null')).isCharacterDevice()).toBe(true)
    await expect(assertDistinctOutputs([{flag: '--output /dev/null', path: '/dev/null'}])).rejects.toThrow(/not a regular file/)
  })

  it('leaves no temporary file and the previous document whole when the write fails', async () => {
    await writeJsonFile(join(dir, 'a.json'), {x: 1})
    await expect(writeJsonFile(join(dir, 'missing-dir', 'a.json'), {x: 2})).rejects.toThrow(/^cannot write .*ENOENT$/)
    // A destination that is a directory: the temporary file is written, the rename fails, the temporary goes.
    await mkdir(join(dir, 'is-a-dir'))
    await expect(writePrivateFile(join(dir, 'is-a-dir'), 'x')).rejects.toThrow(/^refusing to write .*is-a-dir: it is not a regular file/)
    expect(await readdir(dir)).toEqual(['a.json', 'is-a-dir'])
    expect(JSON.parse(await readFile(join(dir, 'a.json'), 'utf8'))).toEqual({x: 1})
  })

  it('never reuses a file planted where its temporary would go', async () => {
    // The temporary name is unpredictable and opened O_EXCL: a planted file of any name stays untouched.
    await writeFile(join(dir, '.out.json.tmp'), 'planted')
    await chmod(join(dir, '.out.json.tmp'), 0o666)
    await writePrivateFile(join(dir, 'out.json'), 'report')
    expect(await readFile(join(dir, '.out.json.tmp'), 'utf8')).toBe('planted')
    expect((await readdir(dir)).sort()).toEqual(['.out.json.tmp', 'out.json'])
  })

  it('creates exclusively: an existing file or a symlink where it would go is refused', async () => {
    const exists = (path: string) => `${path} exists`
    await createPrivateFile(join(dir, 'j.json'), '{}', exists)
    expect(await mode(join(dir, 'j.json'))).toBe(0o600)
    await expect(createPrivateFile(join(dir, 'j.json'), '{}', exists)).rejects.toThrow(/j\.json exists/)
    await symlink(join(dir, 'elsewhere.json'), join(dir, 'link.json'))
    await expect(createPrivateFile(join(dir, 'link.json'), '{}', exists)).rejects.toThrow(/link\.json exists/)
    await expect(stat(join(dir, 'elsewhere.json'))).rejects.toThrow(/ENOENT/)
  })

  it('shows control characters in a path escaped, never raw', async () => {
    const error = await writePrivateFile(join(dir, 'missing\u001b[2Jb\u0007\u009b', 'x.json'), '{}').catch((caught: Error) => caught)
    expect((error as Error).message).toContain('missing\\x1b[2Jb\\x07\\x9b')
    expect([...(error as Error).message].filter((char) => char.charCodeAt(0) < 0x20 || (char.charCodeAt(0) >= 0x7f && char.charCodeAt(0) <= 0x9f))).toEqual([])
  })
})

describe('one output path, one writer', () => {
  it('accepts distinct files', async () => {
    await expect(
      assertDistinctOutputs([
        {flag: '--journal j.json', path: join(dir, 'j.json')},
        {flag: '--output o.json', path: join(dir, 'o.json')},
      ]),
    ).resolves.toBeUndefined()
  })

  it('refuses one file named twice through another spelling, naming both flags', async () => {
    await expect(
      assertDistinctOutputs([
        {flag: '--journal j.json', path: join(dir, 'j.json')},
        {flag: '--output ./x/../j.json', path: join(dir, 'x', '..', 'j.json')},
      ]),
    ).rejects.toThrow(/^--journal j\.json and --output \.\/x\/\.\.\/j\.json name the same file \(.*j\.json\); give each its own path \(nothing was done\)$/)
  })

  it('follows symlinks, to an existing file or to one not created yet, and through a linked directory', async () => {
    await symlink(join(dir, 'j.json'), join(dir, 'to-journal'))
    await expect(
      assertDistinctOutputs([
        {flag: '--journal j.json', path: join(dir, 'j.json')},
        {flag: '--output to-journal', path: join(dir, 'to-journal')},
      ]),
    ).rejects.toThrow(/name the same file/)
    await mkdir(join(dir, 'real'))
    await symlink(join(dir, 'real'), join(dir, 'alias'))
    await expect(
      assertDistinctOutputs([
        {flag: '--save-inventory real/x', path: join(dir, 'real', 'x')},
        {flag: '--output alias/x', path: join(dir, 'alias', 'x')},
      ]),
    ).rejects.toThrow(/name the same file/)
  })

  it('lets an input be a symlink, but never the file an output lands on', async () => {
    await writeFile(join(dir, 'plan.json'), '{}')
    await symlink(join(dir, 'plan.json'), join(dir, 'plan-link.json'))
    const input = {flag: '--plan plan-link.json', path: join(dir, 'plan-link.json'), input: true}
    await expect(assertDistinctOutputs([input, {flag: '--journal j.json', path: join(dir, 'j.json')}])).resolves.toBeUndefined()
    await expect(assertDistinctOutputs([input, {flag: '--output plan.json', path: join(dir, 'plan.json')}])).rejects.toThrow(
      /--plan plan-link\.json and --output plan\.json name the same file/,
    )
  })

  it('catches two hard links to one file', async () => {
    await writeFile(join(dir, 'a.json'), '{}')
    await link(join(dir, 'a.json'), join(dir, 'b.json'))
    await expect(
      assertDistinctOutputs([
        {flag: '--output json=a.json', path: join(dir, 'a.json')},
        {flag: '--output sarif=b.json', path: join(dir, 'b.json')},
      ]),
    ).rejects.toThrow(/--output json=a\.json and --output sarif=b\.json/)
  })

  it('does not hang on a symlink loop, and refuses an output that is a symlink', async () => {
    await symlink(join(dir, 'loop-b'), join(dir, 'loop-a'))
    await symlink(join(dir, 'loop-a'), join(dir, 'loop-b'))
    await expect(
      assertDistinctOutputs([
        {flag: '--output loop-a', path: join(dir, 'loop-a')},
        {flag: '--journal j.json', path: join(dir, 'j.json')},
      ]),
    ).rejects.toThrow(/^refusing to write .*loop-a: it is a symbolic link/)
  })
})

describe('plans and journals read from disk', () => {
  // A FIFO with no writer blocks open(2) and read(2); a journal of gigabytes would be read whole and parsed.
  it('refuses a FIFO or a device at once, and a file over the size limit before reading it', async () => {
    const {execFileSync} = await import('node:child_process')
    const {truncate} = await import('node:fs/promises')
    const {readPlan} = await import('../app/run-fix.js')
    const {readJournal} = await import('../fix/journal.js')
    execFileSync('mkfifo', [join(dir, 'fifo.json')])
    await expect(readPlan(join(dir, 'fifo.json'))).rejects.toThrow(/fifo\.json: not a regular file/)
    await expect(readJournal(join(dir, 'fifo.json'))).rejects.toThrow(/fifo\.json: not a regular file/)
    await expect(readPlan('/dev/zero')).rejects.toThrow(/\/dev\/zero: not a regular file/)
    // Sparse: no disk is used, and nothing is read.
    await writeFile(join(dir, 'huge.json'), '')
    await truncate(join(dir, 'huge.json'), 2 * 1024 ** 3)
    await expect(readJournal(join(dir, 'huge.json'))).rejects.toThrow(/huge\.json: 2147483648 bytes, over the 67108864 a plan or journal may have/)
  }, 5000)
})
