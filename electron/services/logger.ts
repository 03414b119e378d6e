import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { printable } from '@shared/text';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, string | number | boolean | undefined>;

/** One scope's view of the process logger: `time level scope message key=value`. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  scope(name: string): Logger;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * The main process's single logger, writing to stderr and (when given) a file. Callers must
 * never pass secrets; fields are printed as they are.
 */
export function createLogger(options: { file?: string; level?: LogLevel; scope?: string } = {}): Logger {
  const minimum = ORDER[options.level ?? (process.env.MICROSEG_LOG_LEVEL as LogLevel | undefined) ?? 'info'] ?? ORDER.info;
  if (options.file) mkdirSync(dirname(options.file), { recursive: true });

  const make = (scope: string): Logger => {
    const write = (level: LogLevel, message: string, fields: LogFields = {}): void => {
      if (ORDER[level] < minimum) return;
      const pairs = Object.entries(fields)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k}=${formatValue(v)}`);
      // A message may quote a name or path read from a file: one line, no terminal escapes.
      const line = [new Date().toISOString(), level, scope, printable(message), ...pairs].join(' ');
      process.stderr.write(line + '\n');
      if (options.file) appendFileSync(options.file, line + '\n');
    };
    return {
      debug: (m, f) => write('debug', m, f),
      info: (m, f) => write('info', m, f),
      warn: (m, f) => write('warn', m, f),
      error: (m, f) => write('error', m, f),
      scope: (name) => make(name),
    };
  };
  return make(options.scope ?? 'app');
}

/** A field's value, quoted when it holds spaces, quotes, `=` or control characters (those escaped). */
function formatValue(value: string | number | boolean | undefined): string {
  const text = String(value);
  return /[\s"=]/.test(text) || printable(text) !== text ? printable(JSON.stringify(text)) : text;
}
