import { syntheticPatient } from "./src/bench/tracking-synthetic.ts";
import { derive } from "./src/bench/tracking-eval.ts";
const st = syntheticPatient();
for (let i = 0; i < 40; i++) derive(st);
