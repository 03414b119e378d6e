import { parseArgs } from 'node:util';
import { compilePolicy } from '../../shared/compiler/compile';
import { SIZES, syntheticEstate, type BenchSize } from './synthetic';

// `node dist/bench/compile-peak.mjs --size NAME`: builds one synthetic estate, compiles it once
// and prints {"peakRssMb", "inputsRssMb"} as JSON. Its own small bundle (scripts/bench-run.mjs),
// so the process holds the compiler and nothing else the bench loads: what one compile needs,
// as a command-line compile would.

const size = sizeAsked();
const estate = syntheticEstate(size);
const inputsRssMb = Math.round(process.memoryUsage().rss / 1024 / 1024);
const result = compilePolicy(estate.policy, estate.inventory);
// resourceUsage's maxRSS is in kilobytes, and is the peak whenever it happened.
const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
if (result.flowCount === 0) throw new Error(`The ${size.name} estate compiled to no flows.`);
console.log(JSON.stringify({ peakRssMb, inputsRssMb }));

/** The one --size given, or exit 2 with what to give (a stack trace would say nothing more). */
function sizeAsked(): BenchSize {
  const names = SIZES.map((s) => s.name).join(', ');
  try {
    const { values } = parseArgs({ options: { size: { type: 'string', multiple: true } } });
    const found = values.size?.length === 1 ? SIZES.find((s) => s.name === values.size![0]) : undefined;
    if (found) return found;
  } catch {
    // An unknown option or a missing value: answered below like a wrong size.
  }
  console.error(`usage: compile-peak --size SIZE, SIZE one of ${names}`);
  process.exit(2);
}
