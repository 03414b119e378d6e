import { useState } from 'react';

/**
 * `value` while `shown`; while hidden, the value it had when last shown. A view kept mounted
 * behind another (the canvas behind the YAML) then does no work for changes no one sees, and
 * catches up once when shown again.
 */
export function useWhileShown<T>(value: T, shown: boolean): T {
  const [kept, setKept] = useState(value);
  if (shown && kept !== value) setKept(value);
  return shown ? value : kept;
}
