import { parseArgs } from 'node:util';
import { wrongUsage } from './inputs';

// The `microseg` command line read into a command, its files and its options; nothing is run here.

export const COMMANDS = ['check', 'compile', 'trace', 'import', 'export', 'matrix', 'impact', 'replay'] as const;

/** The options each command reads; another is refused rather than ignored (`matrix --out DIR` writes nothing). */
const COMMAND_OPTIONS: Record<(typeof COMMANDS)[number], readonly string[]> = {
  check: ['json'],
  compile: ['inventory', 'out', 'json'],
  trace: ['inventory', 'from', 'to', 'proto', 'port', 'icmp-type', 'established', 'sent-by', 'json'],
  import: ['inventory', 'output', 'json'],
  export: ['inventory', 'output', 'json'],
  matrix: ['inventory', 'format', 'json'],
  impact: ['inventory', 'json'],
  replay: ['inventory', 'connections', 'json'],
};

const OPTIONS = {
  inventory: { type: 'string' },
  out: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  proto: { type: 'string', default: 'tcp' },
  port: { type: 'string' },
  'icmp-type': { type: 'string' },
  established: { type: 'boolean', default: false },
  'sent-by': { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h' },
  output: { type: 'string', short: 'o' },
  format: { type: 'string' },
  connections: { type: 'string' },
} as const;

export type OptionValues = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

/** A command line read: `help` when the usage text was asked for, else the command and what it is given. */
export type CommandLine = { help: true } | { help: false; command: string; policyPath: string; more: string[]; values: OptionValues };

/** Reads the arguments; a command line that cannot be read is a usage failure (exit 2) saying why. */
export function readCommandLine(argv: readonly string[]): CommandLine {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, options: OPTIONS, tokens: true });
  } catch (error) {
    // Node's words come on several lines; the failure is printed on one.
    throw wrongUsage((error as Error).message.replace(/\s*\n\s*/g, ' '));
  }
  const { positionals, values, tokens } = parsed;
  if (values.help) return { help: true };

  // A value given twice would keep the last one unseen: `--port 80 --port 8080` traces 8080 only.
  const seen = new Map<string, string | undefined>();
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    // `--out "$DIR"` with DIR unset would otherwise compile and write nothing, and say it succeeded.
    if (token.value !== undefined && token.value.trim() === '') throw wrongUsage(`${token.rawName} is given an empty value; give it one, or leave the option out`);
    if (seen.has(token.name)) throw wrongUsage(`${token.rawName} is given twice${token.value !== undefined ? ` ("${seen.get(token.name) ?? ''}" and "${token.value}")` : ''}; give it once`);
    seen.set(token.name, token.value);
  }

  const [command, policyPath, ...more] = positionals;
  if (!command) throw wrongUsage('name a command and a policy file');
  if (!(COMMANDS as readonly string[]).includes(command)) throw wrongUsage(`unknown command "${command}"; commands are ${COMMANDS.join(', ')}`);
  const known = COMMAND_OPTIONS[command as (typeof COMMANDS)[number]];
  const stray = tokens.find((token) => token.kind === 'option' && !known.includes(token.name));
  if (stray?.kind === 'option') throw wrongUsage(`${command} takes no ${stray.rawName}; its options are ${known.map((o) => `--${o}`).join(', ')}`);
  if (values.json && values.format !== undefined && values.format !== 'json') throw wrongUsage(`--json and --format ${values.format} ask for two formats; give one`);
  if (!policyPath) throw wrongUsage(command === 'import' || command === 'export' ? `name the format after ${command}: ${command} k8s` : `${command} needs a policy file`);
  return { help: false, command, policyPath, more, values };
}

/**
 * Whether the answer is to be JSON, read before the arguments are, so that a command line that
 * cannot be read fails as JSON too: `--json`, or matrix's `--format json`.
 */
export function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  const options = end === -1 ? argv : argv.slice(0, end);
  return options.some((arg, i) => arg === '--json' || arg === '--format=json' || (arg === '--format' && options[i + 1] === 'json'));
}
