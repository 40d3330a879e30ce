/**
 * Runs a command on a pseudo-terminal (python's pty: Node has none), typing `answer` at the first prompt
 * that contains `prompt`. For what only happens on a terminal: confirmations, "did you mean".
 */
import {execFile} from 'node:child_process'

const ON_A_TERMINAL = `
import os, pty, select, sys
prompt, answer, args = sys.argv[1].encode(), sys.argv[2].encode(), sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(args[0], args)
out, answered = b'', False
while True:
    try:
        ready, _, _ = select.select([fd], [], [], 60)
        data = os.read(fd, 4096) if ready else b''
    except OSError:
        data = b''
    if not data:
        break
    out += data
    if not answered and prompt in out:
        os.write(fd, answer + b'\\n')
        answered = True
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode('utf8', 'replace'))
sys.exit(os.waitstatus_to_exitcode(status))
`

export interface TerminalRun {
  /** The exit code; -1 when it had to be killed (a timeout). */
  code: number
  output: string
}

export function onTerminal(
  command: string[],
  options: {prompt: string; answer: string; env: NodeJS.ProcessEnv; cwd?: string; timeout?: number},
): Promise<TerminalRun> {
  return new Promise((resolve) => {
    execFile(
      'python3',
      ['-c', ON_A_TERMINAL, options.prompt, options.answer, ...command],
      {env: options.env, cwd: options.cwd, timeout: options.timeout ?? 90_000, maxBuffer: 64 * 1024 * 1024},
      (error, stdout) => {
        resolve({code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, output: stdout})
      },
    )
  })
}
