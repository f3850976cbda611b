import { syntheticPatient } from "./src/bench/tracking-synthetic.ts";
import { derive } from "./src/bench/tracking-eval.ts";
import { matchStudyPair } from "./src/domain/matching/match.ts";
const st = syntheticPatient();
const a = st[0]!.observations, b = st[5]!.observations;
const time = (name: string, f: () => void, n = 200) => { for (let i=0;i<20;i++) f(); const c = process.cpuUsage(); const t = performance.now(); for (let i = 0; i < n; i++) f(); const cu = process.cpuUsage(c); console.log(name, "wall", ((performance.now() - t) / n).toFixed(3), "ms cpu", ((cu.user + cu.system) / 1000 / n).toFixed(3), "ms"); };
time("matchStudyPair", () => matchStudyPair(a, b));
time("derive 14x10", () => derive(st), 20);
