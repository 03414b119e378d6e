import type { HostTable } from './compile';
import type { Flow } from './flow';
import { FLOW_FIELDS, type FlowTexts } from './flow-texts';

/**
 * A host table as a compile makes it: its flows in canonical order as five numbers each, their
 * texts in the compile's FlowTexts. Flow objects are made the first time a reader asks for
 * `flows` (printing one host, deploying it, loading it into the simulator): at 10,000
 * workloads a compile makes a million flows, and making and collecting them all was half its
 * time, for a UI that shows one host at a time.
 */
export class CompactHostTable implements HostTable {
  readonly flowCount: number;
  private made: Flow[] | undefined;

  constructor(
    readonly host: string,
    readonly workloadCount: number,
    /** Five numbers per flow (see FLOW_FIELDS), in canonical order: readers that go by number read these. */
    readonly columns: Int32Array,
    readonly texts: FlowTexts,
  ) {
    this.flowCount = columns.length / FLOW_FIELDS;
  }

  get flows(): readonly Flow[] {
    if (!this.made) {
      const flows = new Array<Flow>(this.flowCount);
      for (let i = 0; i < flows.length; i++) flows[i] = this.texts.flowAt(this.columns, i * FLOW_FIELDS);
      this.made = flows;
    }
    return this.made;
  }
}
