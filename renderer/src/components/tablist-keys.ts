import type { KeyboardEvent } from 'react';

/**
 * Arrow keys, Home and End on a tab list, as the WAI-ARIA tabs pattern has them: the next,
 * previous, first or last tab is focused and shown (a click on it, so each tab list keeps its
 * own way of showing one). Tab still reaches every tab, as before.
 */
export function onTablistKeyDown(event: KeyboardEvent<HTMLElement>): void {
  const tabs = [...event.currentTarget.querySelectorAll<HTMLElement>('[role="tab"]')].filter((t) => !(t as HTMLButtonElement).disabled);
  const at = tabs.indexOf(event.target as HTMLElement);
  if (at < 0) return;
  const to =
    event.key === 'ArrowRight' ? (at + 1) % tabs.length
    : event.key === 'ArrowLeft' ? (at - 1 + tabs.length) % tabs.length
    : event.key === 'Home' ? 0
    : event.key === 'End' ? tabs.length - 1
    : -1;
  if (to < 0) return;
  event.preventDefault();
  tabs[to]!.focus();
  tabs[to]!.click();
}
