import type { HostTable } from './compile';
import type { Flow } from './flow';
import { FLOW_FIELDS, forEachFlowLevel, type FlowTexts, type SortedFlows } from './flow-texts';

/**
 * A host table as a compile makes it: its flows in canonical order as three numbers each and
 * runs of levels (SortedFlows), their texts in the compile's FlowTexts. Flow objects are made the first time a reader asks for
 * `flows` (printing one host, deploying it, loading it into the simulator): at 10,000
 * workloads a compile makes a million flows, and making and collecting them all was half its
 * time, for a UI that shows one host at a time. They are kept only while a reader holds them:
 * writing every host's file at 50,000 workloads kept 5 million flow objects alive to the end,
 * over a gigabyte.
 */
export class CompactHostTable implements HostTable {
  readonly flowCount: number;
  private made: WeakRef<readonly Flow[]> | undefined;

  constructor(
    readonly host: string,
    readonly workloadCount: number,
    /** The flows by number, in canonical order: readers that go by number read these. */
    readonly sorted: SortedFlows,
    readonly texts: FlowTexts,
  ) {
    this.flowCount = sorted.columns.length / FLOW_FIELDS;
  }

  /** The flows, the same array for as long as any reader keeps it. */
  get flows(): readonly Flow[] {
    let flows = this.made?.deref();
    if (!flows) {
      const made = new Array<Flow>(this.flowCount);
      const { columns, levelRuns } = this.sorted;
      forEachFlowLevel(levelRuns, (i, level) => (made[i] = this.texts.flowAt(level, columns, i * FLOW_FIELDS)));
      this.made = new WeakRef((flows = made));
    }
    return flows;
  }
}
