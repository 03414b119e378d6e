import { describe, expect, it } from 'vitest';
import { addressBits } from '../simulator/address-bits';
import { parseFlowTextStrict } from '../simulator/flow-parser';
import { hardFlows, relevantFlows } from './relevant-flows';

const A = addressBits('10.0.0.3')!;
const B = addressBits('10.0.0.2')!;

describe('relevantFlows: clause flows that hide a hard flow', () => {
  // Conjunction 5's second clause asks for another destination, so it never completes for a → b.
  const flows = parseFlowTextStrict(
    [
      // Hides the hard flow below it: the same match, spelled otherwise.
      'table=0,priority=100,ip,nw_src=10.0.0.3,nw_dst=10.0.0.2 actions=conjunction(5,1/2)',
      'table=0,priority=50,ip,nw_dst=10.0.0.2,nw_src=10.0.0.3 actions=drop',
      // The same addresses as a hard flow, yet another match: hides nothing.
      'table=0,priority=90,tcp,nw_src=10.0.0.3,nw_dst=10.0.0.2 actions=conjunction(5,1/2)',
      'table=0,priority=40,udp,nw_src=10.0.0.3,nw_dst=10.0.0.2 actions=drop',
      // A source-only clause flow beside a hard flow naming the address as a destination: hides nothing.
      'table=0,priority=80,ip,nw_src=10.0.0.2 actions=conjunction(5,1/2)',
      'table=0,priority=30,ip,nw_dst=10.0.0.2 actions=drop',
      'table=0,priority=0 actions=NORMAL',
      'table=0,priority=100,ip,nw_dst=10.0.0.9 actions=conjunction(5,2/2)',
    ].join('\n'),
  );

  it('keeps a hiding clause flow whatever completes, and leaves out clause flows that only share addresses', () => {
    expect(hardFlows(flows)).toEqual([0, 1, 3, 5, 6].map((i) => flows[i]));
    const { flows: relevant, complete } = relevantFlows(flows, A, B);
    expect(complete.size).toBe(0);
    expect(relevant.map((f) => f.line)).toEqual([0, 1, 3, 5, 6].map((i) => flows[i]!.line));
  });
});

describe('relevantFlows: conjunctions without address clauses', () => {
  // Conjunction 2 asks only for a port and for anything, so it completes for every pair; its
  // completion hides the NORMAL flow under its port clause, and the lookup after it drops.
  const flows = parseFlowTextStrict(
    [
      'table=0,priority=20 actions=conjunction(2,2/2)',
      'table=0,priority=10,tcp,tp_dst=0x400/0xfc00 actions=NORMAL',
      'table=0,priority=10,tcp actions=drop',
      'table=0,priority=20,tcp,tp_dst=0x400/0xfc00 actions=conjunction(2,1/2)',
    ].join('\n'),
  );

  it('counts them as complete for every pair, so their clause flows take part', () => {
    const { flows: relevant, complete } = relevantFlows(flows, A, B);
    expect([...complete]).toEqual([2]);
    expect(relevant).toEqual(flows);
  });
});
