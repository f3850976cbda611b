import type { Command } from "commander";
import { registerMatchingBench } from "../bench/matching.ts";
import { registerGrowthBench } from "../bench/growth.ts";
import { registerLoadBench } from "../bench/load.ts";
import { registerTrackingBench } from "../bench/tracking.ts";

export function registerBench(program: Command): void {
  const bench = program.command("bench").description("benchmarks that print numbers (matching, tracking, growth, load)");
  registerMatchingBench(bench);
  registerGrowthBench(bench);
  registerLoadBench(bench);
  registerTrackingBench(bench);
}
