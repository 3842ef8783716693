/**
 * Compiles the resampler's WebAssembly (wasm/resample/index.ts) into lib/client/resample-wasm.generated.ts.
 * Run after changing that source and commit the result:
 *   node --import tsx scripts/build-wasm.ts
 */
import { writeFileSync } from "node:fs";

import { compileResampleWasm, renderGenerated, RESAMPLE_GENERATED } from "@/tools/wasm";

const binary = await compileResampleWasm();
writeFileSync(RESAMPLE_GENERATED, renderGenerated(binary));
console.log(`${RESAMPLE_GENERATED}: ${binary.length} bytes of WebAssembly`);
