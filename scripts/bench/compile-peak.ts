import { compilePolicy } from '../../shared/compiler/compile';
import { sizeAsked, syntheticEstate } from './synthetic';

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
