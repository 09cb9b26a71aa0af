/**
 * sh/bash as they run `-c <script>`: executes the parsed commands (shparse.ts), starting a
 * process for every program a command names; built-ins start nothing. A syntax error ends the
 * script where the shell would stop, so commands before it still run.
 */
import { locateProgram } from '../binaries.ts';
import { runPowerShellArgs } from './powershell.ts';
import { expandWord, shTokens, type WordPart } from './shlex.ts';
import { Parser, ShellSyntaxError, type Node } from './shparse.ts';
import { nested, startProcess, type Proc, type Trace } from '../trace.ts';
import { noteMissing, payloadAt } from '../loaded.ts';

interface Shell {
  trace: Trace;
  proc: Proc;
  vars: Map<string, string>;
  functions: Map<string, Node[]>;
  origin: string;
  /** The URL the last command printed (`curl -s URL`), for a shell it is piped into. */
  printedUrl?: string;
}

/** Runs a script in `proc` (an sh/bash process) up to the first syntax error. */
export function runShell(trace: Trace, script: string, proc: Proc, origin: string, vars = new Map<string, string>()): void {
  nested(trace, () => {
    const shell: Shell = { trace, proc, vars, functions: new Map(), origin };
    const parser = new Parser(shTokens(script));
    for (;;) {
      let nodes: Node[] | undefined;
      try {
        nodes = parser.nextCommand();
      } catch (error) {
        if (error instanceof ShellSyntaxError) return; // sh -c stops at a syntax error
        throw error;
      }
      if (!nodes) return;
      execute(shell, nodes);
    }
  });
}

function execute(shell: Shell, nodes: Node[]): void {
  for (const node of nodes) executeNode(shell, node);
}

/**
 * Conditions always run; of the branches only the first (`then`) runs — the test's
 * prerequisites are assumed met. Loops run once per literal item (at most five) or once.
 */
function executeNode(shell: Shell, node: Node): void {
  switch (node.type) {
    case 'simple':
      return runSimple(shell, node);
    case 'if':
      execute(shell, node.clauses[0]!.cond);
      return execute(shell, node.clauses[0]!.body);
    case 'loop': {
      execute(shell, node.cond);
      const items = (node.items ?? []).slice(0, 5).map((w) => expand(shell, w.parts));
      if (!node.variable || items.length === 0) return execute(shell, node.body);
      for (const item of items) {
        shell.vars.set(node.variable, item);
        execute(shell, node.body);
      }
      return;
    }
    case 'case': {
      const subject = expand(shell, node.word.parts);
      const item = node.items.find((it) => it.patterns.some((p) => p === subject || p === '*'));
      if (item) execute(shell, item.body);
      return;
    }
    case 'group':
      return execute(shell, node.body);
    case 'function':
      shell.functions.set(node.name, node.body);
  }
}

/**
 * A word's text: variables from assignments and the environment, `~` as $HOME, command
 * substitutions run (their programs start) and replaced by their output where it is
 * predictable (`$(which x)`, `$(mktemp)` …), else left as written.
 */
function expand(shell: Shell, parts: WordPart[], raw = ''): string {
  const values = parts.map((part) => {
    if (part.kind !== 'sub') return part;
    runShell(shell.trace, part.script, shell.proc, `${shell.origin}: $(${part.script})`, shell.vars);
    const output = substitutionOutput(part.script, shell);
    return output === undefined ? part : ({ kind: 'text', text: output } as const);
  });
  const first = values[0];
  if (first?.kind === 'text' && (raw === '~' || raw.startsWith('~/'))) {
    values[0] = { kind: 'text', text: `${shell.trace.host.env['HOME']}${first.text.slice(1)}` };
  }
  return expandWord(values, (name) => shell.vars.get(name) ?? shell.trace.host.env[name]);
}

/** Output of a substitution whose result the host makes known; undefined otherwise. */
function substitutionOutput(script: string, shell: Shell): string | undefined {
  const host = shell.trace.host;
  const which = /^\s*(?:which|command\s+-v)\s+([\w.+-]+)/.exec(script);
  if (which) return locateProgram(which[1]!, host.os).image;
  if (/^\s*mktemp\b/.test(script)) return '/tmp/tmp.XXXXXXXXXX';
  if (/^\s*pwd\s*$/.test(script)) return host.cwd;
  if (/^\s*(whoami|id\s+-un)\s*$/.test(script)) return host.user;
  if (/^\s*uname\s*$/.test(script)) return host.os === 'macos' ? 'Darwin' : 'Linux';
  return undefined;
}

/** A word still holding an unresolved substitution or variable (its value is unknown). */
function unresolved(text: string): boolean {
  return /\$\(|`|\$\{?[A-Za-z_]/.test(text);
}

const BUILTINS = new Set(
  'echo printf cd export set unset read source . exit return test [ [[ true false alias unalias local declare typeset shift trap wait kill type ulimit umask history let getopts hash jobs fg bg disown pushd popd dirs times shopt enable builtin readonly : break continue logout suspend compgen complete caller help mapfile readarray'.split(
    ' ',
  ),
);

function runSimple(shell: Shell, node: Node & { type: 'simple' }): void {
  const assigned = node.assigns.map((w) => {
    const text = expand(shell, w.parts);
    const eq = text.indexOf('=');
    return [text.slice(0, eq), text.slice(eq + 1)] as const;
  });
  if (node.words.length === 0) {
    // An unknown value is not recorded: `$NAME` then stays as written.
    for (const [name, value] of assigned) if (!unresolved(value)) shell.vars.set(name, value);
    return;
  }
  const argv = node.words.map((w) => expand(shell, w.parts, w.raw));
  const origin = `${shell.origin}: ${node.text.length > 200 ? `${node.text.slice(0, 200)}…` : node.text}`;
  const stdinUrl = node.piped ? shell.printedUrl : undefined;
  shell.printedUrl = printedUrl(argv);
  const proc = runArgv(shell, argv, origin);
  // `curl -s URL | bash`: the shell runs the downloaded script from its standard input.
  if (stdinUrl && proc && SHELLS.has(argv[0]!.split('/').pop()!) && !argv.slice(1).some((a) => !a.startsWith('-') || /^-[a-z]*c/.test(a))) {
    runScriptText(shell.trace, { url: stdinUrl }, proc, origin);
  }
}

/** The URL a download command writes to standard output (curl without -o/-O, wget -O -). */
function printedUrl(argv: string[]): string | undefined {
  const name = argv[0]?.split('/').pop();
  const url = argv.find((a) => /^https?:\/\//i.test(a));
  if (!url) return undefined;
  if (name === 'curl' && !argv.some((a) => /^-(o|O|-output|-remote-name)$/.test(a))) return url;
  if (name === 'wget' && argv.some((a, i) => (a === '-O' || a === '-qO') && argv[i + 1] === '-')) return url;
  return undefined;
}

/** A shell script from the store (a URL or a host path) run by `proc`. */
function runScriptText(trace: Trace, from: { url?: string; path?: string }, proc: Proc, origin: string): void {
  const found = from.url
    ? trace.sim.payloads.url(from.url)
      ? { payload: trace.sim.payloads.url(from.url) }
      : { missing: from.url }
    : payloadAt(trace, from.path!);
  if (found.missing) noteMissing(trace, found.missing);
  if (!found.payload || trace.sim.loaded.has(found.payload.file)) return;
  trace.sim.loaded.add(found.payload.file);
  runShell(trace, found.payload.text, proc, `${origin} → ${found.payload.file}`);
}

function runArgv(shell: Shell, argv: string[], origin: string): Proc | undefined {
  const name = argv[0]!;
  const fn = shell.functions.get(name);
  if (fn) return void execute(shell, fn);
  switch (name) {
    case 'eval':
      return void runShell(shell.trace, argv.slice(1).join(' '), shell.proc, origin, shell.vars);
    case 'exec':
    case 'time':
      return argv.length > 1 ? runArgv(shell, argv.slice(1), origin) : undefined;
    case 'command':
      return argv[1] && !/^-[vV]$/.test(argv[1]) ? runArgv(shell, argv.slice(argv[1] === '-p' ? 2 : 1), origin) : undefined;
    case 'source':
    case '.':
      if (argv[1]) runScriptText(shell.trace, { path: argv[1] }, shell.proc, origin);
      return undefined;
  }
  if (BUILTINS.has(name)) return undefined;
  if (unresolved(name)) return undefined; // which program runs is unknown
  return launchUnix(shell.trace, argv, shell.proc, origin);
}

const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh']);

/** Options of wrapper programs that take a value, so the wrapped command can be found. */
const WRAPPERS: Record<string, { valueOptions: string[]; skipFirstArg?: boolean }> = {
  sudo: { valueOptions: ['-u', '-g', '-p', '-C', '-h', '-r', '-t', '-U', '-D', '-R', '-T'] },
  nohup: { valueOptions: [] },
  setsid: { valueOptions: [] },
  nice: { valueOptions: ['-n'] },
  stdbuf: { valueOptions: ['-i', '-o', '-e'] },
  timeout: { valueOptions: ['-s', '-k', '--signal', '--kill-after'], skipFirstArg: true },
  env: { valueOptions: ['-u', '-C', '-S'] },
  xargs: { valueOptions: ['-I', '-n', '-P', '-L', '-d', '-E', '-s', '-a'] },
  chroot: { valueOptions: ['--userspec', '--groups'], skipFirstArg: true },
};

/** Starts a program on Linux/macOS and follows shells (-c), sudo/su and other wrappers. */
export function launchUnix(trace: Trace, argv: string[], parent: Proc, origin: string, user?: string): Proc | undefined {
  const program = argv[0];
  if (!program) return undefined;
  const image = unixImage(program, trace);
  const proc = startProcess(trace, { image, commandLine: argv.join(' '), argv, parent, user: user ?? parent.user }, origin);
  nested(trace, () => followUnix(trace, proc, argv, origin));
  return proc;
}

function unixImage(program: string, trace: Trace): string {
  if (program.startsWith('/')) return program;
  if (program.startsWith('~/')) return `${trace.host.env['HOME']}${program.slice(1)}`;
  if (program.includes('/')) return `${trace.host.cwd}/${program.replace(/^\.\//, '')}`;
  return locateProgram(program, trace.host.os).image;
}

function followUnix(trace: Trace, proc: Proc, argv: string[], origin: string): void {
  const name = argv[0]!.split('/').pop()!;
  if (SHELLS.has(name)) {
    const c = argv.findIndex((a, i) => i > 0 && /^-[a-z]*c[a-z]*$/.test(a));
    if (c > 0 && argv[c + 1] !== undefined) return runShell(trace, argv[c + 1]!, proc, origin);
    // `sh script.sh args`: the first operand is a script file.
    const script = argv.slice(1).find((a) => !a.startsWith('-'));
    if (c < 0 && script) runScriptText(trace, { path: script }, proc, origin);
    return;
  }
  if (name === 'pwsh' || name === 'powershell') return runPowerShellArgs(trace, argv.slice(1), proc, origin);
  if (name === 'su') {
    const c = argv.indexOf('-c');
    const target = argv.slice(1).find((a, i) => !a.startsWith('-') && argv[i] !== '-c') ?? 'root';
    if (c > 0 && argv[c + 1]) launchUnix(trace, ['bash', '-c', argv[c + 1]!], proc, origin, target);
    return;
  }
  const wrapper = WRAPPERS[name];
  if (!wrapper) return;
  let i = 1;
  let user = name === 'sudo' ? 'root' : proc.user;
  while (i < argv.length && (argv[i]!.startsWith('-') || (name === 'env' && argv[i]!.includes('=')))) {
    if (name === 'sudo' && argv[i] === '-u') user = argv[i + 1] ?? user;
    if (wrapper.valueOptions.includes(argv[i]!)) i++;
    i++;
  }
  if (wrapper.skipFirstArg) i++;
  if (i < argv.length) launchUnix(trace, argv.slice(i), proc, origin, user);
}
