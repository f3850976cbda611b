import type { Command } from "commander";

// Placeholder until the load benchmark lands.
export function registerLoadBench(bench: Command): void {
  bench.command("load").description("load benchmark (not built yet)").action(() => {
    console.error("bench load: not built yet");
    process.exitCode = 1;
  });
}
