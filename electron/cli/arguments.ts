import { parseArgs } from 'node:util';
import { didYouMean, nearNames } from '@shared/near-names';
import { wrongUsage } from './inputs';

// The `microseg` command line read into a command, its files and its options; nothing is run here.

export const COMMANDS = ['check', 'compile', 'trace', 'import', 'export', 'matrix', 'impact', 'replay'] as const;

/** The options each command reads; another is refused rather than ignored (`matrix --out DIR` writes nothing). */
const COMMAND_OPTIONS: Record<(typeof COMMANDS)[number], readonly string[]> = {
  check: ['json'],
  compile: ['inventory', 'out', 'json'],
  trace: ['inventory', 'from', 'to', 'proto', 'port', 'src-port', 'icmp-type', 'icmp-code', 'established', 'sent-by', 'json'],
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
  'src-port': { type: 'string' },
  'icmp-type': { type: 'string' },
  'icmp-code': { type: 'string' },
  established: { type: 'boolean', default: false },
  'sent-by': { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
  output: { type: 'string', short: 'o' },
  format: { type: 'string' },
  connections: { type: 'string' },
} as const;

export type OptionValues = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

/**
 * A command line read: `help` when the usage text was asked for (of one command, or of all),
 * `version` for the version, else the command and what it is given.
 */
export type CommandLine =
  | { kind: 'help'; command?: Command }
  | { kind: 'version' }
  | { kind: 'run'; command: Command; policyPath: string; more: string[]; values: OptionValues };

export type Command = (typeof COMMANDS)[number];

/** Reads the arguments; a command line that cannot be read is a usage failure (exit 2) saying why. */
export function readCommandLine(argv: readonly string[]): CommandLine {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, options: OPTIONS, tokens: true });
  } catch (error) {
    const unknown = unknownOption(error);
    if (unknown !== null) throw wrongUsage(unknownOptionMessage(unknown, argv));
    // Node's words come on several lines; the failure is printed on one.
    throw wrongUsage((error as Error).message.replace(/\s*\n\s*/g, ' '));
  }
  const { positionals, values, tokens } = parsed;
  if (values.version) return { kind: 'version' };
  if (values.help || positionals[0] === 'help') return { kind: 'help', ...helpTopic(positionals[0] === 'help' ? positionals[1] : positionals[0]) };

  // A value given twice would keep the last one unseen: `--port 80 --port 8080` traces 8080 only.
  const seen = new Map<string, string | undefined>();
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    // `--out "$DIR"` with DIR unset would otherwise compile and write nothing, and say it succeeded.
    if (token.value !== undefined && token.value.trim() === '') throw wrongUsage(`${token.rawName} is given an empty value; give it one, or leave the option out`);
    if (seen.has(token.name)) throw wrongUsage(`${token.rawName} is given twice${token.value !== undefined ? ` ("${seen.get(token.name) ?? ''}" and "${token.value}")` : ''}; give it once`);
    seen.set(token.name, token.value);
  }

  const [named, policyPath, ...more] = positionals;
  if (!named) throw wrongUsage('name a command and a policy file; microseg help lists the commands');
  const command = knownCommand(named);
  const known = COMMAND_OPTIONS[command];
  const stray = tokens.find((token) => token.kind === 'option' && !known.includes(token.name));
  if (stray?.kind === 'option') throw wrongUsage(`${command} takes no ${stray.rawName}; its options are ${known.map((o) => `--${o}`).join(', ')}`);
  if (values.json && values.format !== undefined && values.format !== 'json') throw wrongUsage(`--json and --format ${values.format} ask for two formats; give one`);
  if (!policyPath) throw wrongUsage(command === 'import' || command === 'export' ? `name the format after ${command}: ${command} k8s` : `${command} needs a policy file`);
  return { kind: 'run', command, policyPath, more, values };
}

/** The command whose usage is asked for (`help trace`, `trace --help`), if one is named. */
function helpTopic(named: string | undefined): { command?: Command } {
  return named === undefined ? {} : { command: knownCommand(named) };
}

function knownCommand(named: string): Command {
  const command = COMMANDS.find((c) => c === named);
  if (!command) throw wrongUsage(`unknown command "${named}"${oneNear(named, COMMANDS, '')}; commands are ${COMMANDS.join(', ')}`);
  return command;
}

/** The option Node refused as unknown (`--inventroy`), or null for any other failure to read the line. */
function unknownOption(error: unknown): string | null {
  if ((error as { code?: unknown }).code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return null;
  return /^Unknown option '([^']+)'/.exec((error as Error).message)?.[1] ?? null;
}

/**
 * Node's own words for an unknown option are about positional arguments and quoting, which
 * misleads for what is nearly always a typo: name the option, the near miss, and what the
 * command takes.
 */
function unknownOptionMessage(option: string, argv: readonly string[]): string {
  const command = COMMANDS.find((name) => argv.includes(name));
  const known = command ? COMMAND_OPTIONS[command] : Object.keys(OPTIONS);
  const guess = oneNear(option.replace(/^-+/, ''), known, '--');
  return command ? `${command} takes no ${option}${guess}; its options are ${known.map((o) => `--${o}`).join(', ')}` : `unknown option ${option}${guess}; see microseg --help`;
}

/** ` (did you mean --inventory?)` when one name is a slip of the keys away from `typed`, else nothing. */
function oneNear(typed: string, names: readonly string[], prefix: string): string {
  const near = nearNames(typed, names);
  return near.length === 1 ? didYouMean(near, prefix) : '';
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
