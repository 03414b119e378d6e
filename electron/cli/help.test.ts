import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from './arguments';
import { microseg, ROOT } from './testing/run-microseg';

// A newcomer's defect: `microseg help` and `microseg --version` were refused as wrong usage (exit 2).

const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

describe('microseg help and version', () => {
  // --help, -h and COMMAND --help are read as these two are (arguments.test.ts); each run here takes seconds.
  it('prints the usage on stdout with exit 0, of every command or of the one named', () => {
    const all = microseg('help');
    expect(all).toMatchObject({ code: 0, stderr: '' });
    for (const command of COMMANDS) expect(all.stdout).toContain(`\n  microseg ${command} `);
    const one = microseg('help', 'compile');
    expect(one).toMatchObject({ code: 0, stderr: '' });
    expect(one.stdout).toMatch(/^usage:\n {2}microseg compile POLICY --inventory FILE \[--out DIR\] \[--json\]\n\nexit codes:/);
  });

  it('prints the version of the package it was built from', () => {
    expect(microseg('--version')).toEqual({ code: 0, stdout: `microseg ${version}\n`, stderr: '' });
  });

  it("is what the README's command-line section lists", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Command line'));
    const block = section.slice(section.indexOf('```sh'), section.indexOf('```', section.indexOf('```sh') + 5));
    const listed = block.split('\n').filter((line) => line.startsWith('microseg '));
    expect(listed.map((line) => line.split(' ')[1])).toEqual([...COMMANDS, 'help', '--version']);
  });
});
