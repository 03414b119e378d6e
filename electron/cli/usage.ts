import { version } from '../../package.json';
import type { COMMANDS } from './arguments';

// What `microseg help`, `--help` and `--version` print: the commands' forms and what the exit codes mean.

type Command = (typeof COMMANDS)[number];

const FORMS: Record<Command, string> = {
  check: 'microseg check POLICY... [--json]',
  compile: 'microseg compile POLICY --inventory FILE [--out DIR] [--json]',
  trace: 'microseg trace POLICY --inventory FILE --from A --to B --proto tcp|udp|sctp|icmp [--port N] [--src-port N] [--icmp-type N] [--icmp-code N] [--established] [--sent-by W] [--json]',
  import: 'microseg import k8s NETWORKPOLICY.yaml... --inventory FILE -o POLICY [--json]',
  export: 'microseg export k8s POLICY -o DIR [--inventory FILE] [--json]',
  matrix: 'microseg matrix POLICY --inventory FILE [--format text|csv|json]',
  impact: 'microseg impact OLD NEW --inventory FILE [--json]',
  replay: 'microseg replay POLICY --inventory FILE --connections LOG.csv [--json]',
};

const ENDS = "A and B: a workload's name, namespace/name, or an IP address. W: a workload that sends A's address from its own switch port (a forged source).";

const EXIT_CODES = `exit codes: 0 done (trace: permitted), 1 the input has errors, 2 wrong usage or unreadable or unwritable file (stdout too), 3 trace: dropped, 4 trace: redirected, 130 interrupted;
impact: 0 no connection changes, 1 some do, 2 wrong usage or input with errors;
replay: 0 every connection goes through, 1 some are dropped or redirected, 2 wrong usage or a line left out`;

/** The usage of every command, or of one (`microseg help trace`, `microseg trace --help`). */
export function usageText(command?: Command): string {
  const forms = command ? [FORMS[command]] : Object.values(FORMS);
  const ends = command === undefined || command === 'trace' ? `\n${ENDS}` : '';
  const more = command ? '\nmicroseg help lists every command.' : '\nmicroseg help COMMAND shows one command; microseg --version its version.';
  return `usage:\n${forms.map((f) => `  ${f}`).join('\n')}\n${ends}\n${EXIT_CODES}${more}`;
}

/** The version of the package the command line was built from. */
export function versionText(): string {
  return `microseg ${version}`;
}
