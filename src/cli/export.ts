import type { Command } from "commander";

// Placeholder until the export module lands; the command exists so --help lists it.
export function registerExport(program: Command): void {
  program.command("export").description("export (not built yet)").action(() => {
    console.error("export: not built yet");
    process.exitCode = 1;
  });
}
