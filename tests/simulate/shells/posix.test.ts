import { describe, expect, it } from 'vitest';
import { newTrace } from '../../../src/lib/simulate/trace.ts';
import { unixHost } from '../../../src/lib/simulate/host.ts';
import { runShell } from '../../../src/lib/simulate/shells/posix.ts';
import { commandLines, processes, run } from '../helpers.ts';

const children = (script: string, options = {}) => commandLines(run('sh', script, options)).slice(1);

describe('sh', () => {
  it('splits on ;, &&, || and |', () => expect(children('id && whoami || hostname | cat')).toEqual(['id', 'whoami', 'hostname', 'cat']));
  it('built-ins start nothing', () => expect(children('echo hi; cd /tmp; export X=1; printf x')).toEqual([]));
  it('strips quotes and redirections', () => expect(children(`grep -i "root" /etc/passwd > /tmp/out 2>&1`)).toEqual(['grep -i root /etc/passwd']));
  it('command substitutions run their programs', () => expect(children('echo $(whoami)')).toEqual(['whoami']));
  it('expands assigned variables', () => expect(children('F=/tmp/x; cat $F')).toEqual(['cat /tmp/x']));
  it('$(which x) is the program path', () => {
    expect(processes(run('sh', 'P=$(which python3); $P -c x'))[2]).toMatchObject({ Image: '/usr/bin/python3', CommandLine: '/usr/bin/python3 -c x' });
  });
  it('an unknown program ($VAR of unknown value) starts no event', () => expect(children('X=$(foo); $X')).toEqual(['foo']));
  it('sudo runs the command as root, as a child of sudo', () => {
    expect(processes(run('sh', 'sudo -u root useradd x'))).toMatchObject([
      {},
      { Image: '/usr/bin/sudo' },
      { Image: '/usr/sbin/useradd', User: 'root', ParentImage: '/usr/bin/sudo' },
    ]);
  });
  it('bash -c nesting', () => {
    expect(processes(run('sh', `bash -c 'id'`)).slice(1)).toMatchObject([
      { Image: '/bin/bash', CommandLine: 'bash -c id' },
      { Image: '/usr/bin/id', ParentImage: '/bin/bash' },
    ]);
  });
  it('if runs the condition and the then-branch', () => expect(children('if [ -f /x ]; then cat /x; else touch /x; fi')).toEqual(['cat /x']));
  it('for runs the body once per literal item', () => expect(children('for u in a b; do id $u; done')).toEqual(['id a', 'id b']));
  it('functions run where they are called', () => expect(children('f() { uname -a; }; f')).toEqual(['uname -a']));
  it('here-documents are not commands', () => {
    const trace = newTrace(unixHost('linux', false));
    runShell(trace, 'cat <<EOF > /tmp/x\nwhoami\nEOF\nid', { image: '/bin/sh', commandLine: 'sh', user: 'atomic', cwd: '/tmp' }, 'test');
    expect(trace.events.filter((e) => e.logsource.category).map((e) => e.fields['CommandLine'])).toEqual(['cat', 'id']);
  });
  it('the harness joins lines, so a here-document body runs as commands (its delimiter never comes)', () => {
    expect(children('cat <<EOF > /tmp/x\nwhoami\nEOF')).toContain('whoami');
  });
  it('paths starting with ./ run from /tmp', () => expect(processes(run('sh', './a.out'))[1]?.['Image']).toBe('/tmp/a.out'));
  it('~ is the home directory', () => expect(children('cat ~/.bash_history')).toEqual(['cat /home/atomic/.bash_history']));
  it('stops at a syntax error (commands before it run)', () => expect(children('id; ; whoami')).toEqual(['id']));
});
