import { beforeEach, describe, expect, it } from 'vitest';
import { hostsOfRequest, noticeCodeHint, useNoticeStore } from './notice-store';

const texts = (): string[][] => useNoticeStore.getState().notices.map((n) => [...n.titles, n.message]);

describe('notices', () => {
  beforeEach(() => useNoticeStore.setState({ notices: [] }));

  it('keep one notice per action and hosts: a later failure takes the place of the earlier one, which no longer holds', () => {
    const { push } = useNoticeStore.getState();
    push({ title: 'Saving the host target', code: 'bad-request', message: 'shares the switch of h2', hosts: ['h1'] });
    push({ title: 'Saving the host target', code: 'bad-request', message: 'shares the switch of h3', hosts: ['h1'] });
    push({ title: 'Saving the file', code: 'io', message: 'disk full' });
    push({ title: 'Saving the file', code: 'io', message: 'read-only folder' });

    expect(texts()).toEqual([
      ['Saving the host target', 'shares the switch of h3'],
      ['Saving the file', 'read-only folder'],
    ]);
  });

  it("keep another host's failure of the same action: each still holds", () => {
    const { push } = useNoticeStore.getState();
    push({ title: 'Rolling back', code: 'bad-request', message: 'h1: backup of another switch', hosts: ['h1'] });
    push({ title: 'Rolling back', code: 'ssh-failed', message: 'h2: no answer', hosts: ['h2'] });

    expect(texts()).toEqual([
      ['Rolling back', 'h1: backup of another switch'],
      ['Rolling back', 'h2: no answer'],
    ]);
  });

  it("about a host go once its target is saved or forgotten, leaving other hosts' and other actions' notices", () => {
    const { push } = useNoticeStore.getState();
    push({ title: 'Rolling back', code: 'bad-request', message: 'h1: backup of another switch', hosts: ['h1'] });
    push({ title: 'Starting the deploy', code: 'bad-request', message: 'h1 and h2 share a switch', hosts: ['h2', 'h1'] });
    push({ title: 'Rolling back', code: 'ssh-failed', message: 'h3: no answer', hosts: ['h3'] });
    push({ title: 'Saving the file', code: 'io', message: 'disk full' });

    useNoticeStore.getState().settleHost('h1');

    expect(texts()).toEqual([
      ['Rolling back', 'h3: no answer'],
      ['Saving the file', 'disk full'],
    ]);
  });

  it('still share one notice when several actions fail alike (the service is down)', () => {
    const { push } = useNoticeStore.getState();
    push({ title: 'Listing saved host targets', code: 'internal', message: 'no usable answer' });
    push({ title: 'Reading the state of deploys', code: 'internal', message: 'no usable answer' });

    expect(texts()).toEqual([['Listing saved host targets', 'Reading the state of deploys', 'no usable answer']]);
  });

  it('offer the code to support apart from the words the user reads', () => {
    expect(noticeCodeHint({ code: 'ssh-failed' })).toBe('Error code for support: ssh-failed');
  });
});

describe('hostsOfRequest', () => {
  it('names the hosts a request is about, as the contract passes them', () => {
    expect(hostsOfRequest({ host: 'h1', stopId: 's' })).toEqual(['h1']);
    expect(hostsOfRequest({ target: { host: 'h2' }, base: null })).toEqual(['h2']);
    expect(hostsOfRequest({ policy: {}, hosts: ['h1', 'h3'] })).toEqual(['h1', 'h3']);
    expect(hostsOfRequest(undefined)).toEqual([]);
  });
});
