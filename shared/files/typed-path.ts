/*
 * Paths typed in browser mode name files on the machine running the services. A relative path
 * would land in whatever folder those services were started from (for `npm run web`, the
 * product's own checkout), which the user cannot see; so only full paths are accepted.
 */

/** True for a full path: `/…` on Linux and macOS, `C:\…` or `\\server\…` on Windows. */
export function isFullPath(path: string): boolean {
  return /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(path.trim());
}

/**
 * What is wrong with a typed path, or null when it is a full path. `home` is offered as the
 * place to start. `~` is refused, not expanded, and said to be: no shell reads these paths, so
 * the user should see and confirm the exact file rather than learn which `~` forms we expand.
 */
export function typedPathProblem(path: string, home: string): string | null {
  const trimmed = path.trim();
  if (trimmed === '' || isFullPath(trimmed)) return null;
  const start = home ? `, e.g. ${home}/${trimmed.replace(/^~[\\/]?/, '')}` : '';
  const why = trimmed.startsWith('~')
    ? '"~" is not expanded to a home folder here (no shell reads the path), so it would name a folder called "~" wherever the Microseg service happens to run'
    : 'it would be read or written wherever the Microseg service happens to run';
  return `"${trimmed}" is not a full path: ${why}. Type the full path${start}`;
}
