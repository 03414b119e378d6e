import { reachabilityMatrix } from '../../shared/analysis/matrix';
import { compilePolicy } from '../../shared/compiler/compile';
import { loadHostTables } from '../../shared/simulator/path';
import { sizeAsked, syntheticEstate } from './synthetic';

// `node dist/bench/matrix-fresh.mjs --size NAME`: compiles one synthetic estate, loads its
// tables and times the group matrix, printing {"matrixMs", "classes"}. The bench's own process
// holds, by the huge size, what its compiles and relabels left, near Node's default heap
// limit, where the collector took most of the matrix's time (233 s against 74 s alone); a
// fresh process measures the matrix after one compile, as the app computes it.

const estate = syntheticEstate(sizeAsked());
const tables = loadHostTables(compilePolicy(estate.policy, estate.inventory).hosts);
const started = performance.now();
const matrix = reachabilityMatrix(estate.policy, estate.inventory, tables);
console.log(JSON.stringify({ matrixMs: Math.round(performance.now() - started), classes: matrix.stats.classes }));
