import { describe, expect, it } from 'vitest';
import { readCommandLine, wantsJson } from './arguments';
import { CliFailure } from './inputs';

function failure(argv: string[]): { code: number; message: string } {
  try {
    readCommandLine(argv);
  } catch (error) {
    if (error instanceof CliFailure) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error(`read without failing: ${argv.join(' ')}`);
}

describe('the command line', () => {
  it('reads a command, its policy, the other files and the options', () => {
    expect(readCommandLine(['impact', 'old.yaml', 'new.yaml', '--inventory', 'i.csv'])).toMatchObject({ kind: 'run', command: 'impact', policyPath: 'old.yaml', more: ['new.yaml'], values: { inventory: 'i.csv', json: false } });
  });

  // A newcomer's defect: `microseg help` was an unknown command and `--version` an unknown option, both exit 2.
  it('reads help and the version as any command line does: help, --help, -h, of all or of one command', () => {
    for (const argv of [['help'], ['--help'], ['-h'], ['--help', 'help']]) expect(readCommandLine(argv), argv.join(' ')).toEqual({ kind: 'help' });
    for (const argv of [['help', 'trace'], ['trace', '--help'], ['trace', 'p.yaml', '-h'], ['--help', 'trace']]) expect(readCommandLine(argv), argv.join(' ')).toEqual({ kind: 'help', command: 'trace' });
    expect(readCommandLine(['--version'])).toEqual({ kind: 'version' });
    expect(failure(['help', 'trcae'])).toEqual({ code: 2, message: 'unknown command "trcae" (did you mean trace?); commands are check, compile, trace, import, export, matrix, impact, replay' });
  });

  it('refuses an option given twice rather than keep its last value unseen', () => {
    expect(failure(['trace', 'p.yaml', '--port', '80', '--port', '8080'])).toEqual({ code: 2, message: '--port is given twice ("80" and "8080"); give it once' });
    expect(failure(['check', 'p.yaml', '--json', '--json']).message).toBe('--json is given twice; give it once');
    // Named as written: `-o` given twice is said as -o.
    expect(failure(['import', 'k8s', 'np.yaml', '-o', 'a.yaml', '--output', 'b.yaml']).message).toBe('--output is given twice ("a.yaml" and "b.yaml"); give it once');
    expect(failure(['import', 'k8s', 'np.yaml', '-o', '']).message).toBe('-o is given an empty value; give it one, or leave the option out');
  });

  it('refuses an option given an empty value, as an unset shell variable gives it', () => {
    expect(failure(['compile', 'p.yaml', '--inventory', 'i.csv', '--out', ''])).toEqual({ code: 2, message: '--out is given an empty value; give it one, or leave the option out' });
    expect(failure(['compile', 'p.yaml', '--inventory=  ']).message).toBe('--inventory is given an empty value; give it one, or leave the option out');
  });

  it('names an unknown command as such, and what a known one lacks', () => {
    expect(failure(['frobnicate']).message).toBe('unknown command "frobnicate"; commands are check, compile, trace, import, export, matrix, impact, replay');
    expect(failure(['compile']).message).toBe('compile needs a policy file');
    expect(failure(['export']).message).toBe('name the format after export: export k8s');
    expect(failure([]).message).toBe('name a command and a policy file; microseg help lists the commands');
  });

  it('refuses an option the command does not read, rather than ignore it, and two formats at once', () => {
    expect(failure(['matrix', 'p.yaml', '--inventory', 'i.csv', '--out', 'dir'])).toEqual({ code: 2, message: 'matrix takes no --out; its options are --inventory, --format, --json' });
    expect(failure(['check', 'p.yaml', '-o', 'x.yaml']).message).toBe('check takes no -o; its options are --json');
    expect(failure(['matrix', 'p.yaml', '--format', 'csv', '--json']).message).toBe('--json and --format csv ask for two formats; give one');
    expect(readCommandLine(['matrix', 'p.yaml', '--format', 'json', '--json'])).toMatchObject({ command: 'matrix' });
  });

  it('says on one line what Node finds wrong with an option', () => {
    const { code, message } = failure(['compile', 'p.yaml', '--inventory']);
    expect(code).toBe(2);
    expect(message).toMatch(/^Option '--inventory <value>' argument missing|argument is ambiguous/);
    expect(message).not.toContain('\n');
  });

  it('names a mistyped option or command, and the one meant, rather than pass on Node\'s words about positional arguments', () => {
    expect(failure(['compile', 'p.yaml', '--inventroy', 'i.csv'])).toEqual({ code: 2, message: 'compile takes no --inventroy (did you mean --inventory?); its options are --inventory, --out, --json' });
    expect(failure(['trace', 'p.yaml', '--Port', '80']).message).toBe('trace takes no --Port (did you mean --port?); its options are --inventory, --from, --to, --proto, --port, --src-port, --icmp-type, --icmp-code, --established, --sent-by, --json');
    // A short slip matches nothing short by chance (`-i` is not `--to`).
    expect(failure(['compile', 'p.yaml', '-i', 'i.csv']).message).toBe('compile takes no -i; its options are --inventory, --out, --json');
    expect(failure(['--verison']).message).toBe('unknown option --verison (did you mean --version?); see microseg --help');
    expect(failure(['compil', 'p.yaml']).message).toBe('unknown command "compil" (did you mean compile?); commands are check, compile, trace, import, export, matrix, impact, replay');
  });

  it('knows before reading the rest whether a failure is to be JSON', () => {
    expect(wantsJson(['compile', 'p.yaml', '--bogus', '--json'])).toBe(true);
    expect(wantsJson(['matrix', 'p.yaml', '--format', 'json'])).toBe(true);
    expect(wantsJson(['matrix', 'p.yaml', '--format=json'])).toBe(true);
    expect(wantsJson(['matrix', 'p.yaml', '--format', 'csv'])).toBe(false);
    expect(wantsJson(['check', '--', '--json'])).toBe(false);
  });
});
