import type { Command } from "commander";

// Placeholder until the import module lands; the command exists so --help lists it.
export function registerImport(program: Command): void {
  program.command("import").description("import (not built yet)").action(() => {
    console.error("import: not built yet");
    process.exitCode = 1;
  });
}
