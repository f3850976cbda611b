import type { Command } from "commander";

// Placeholder until the keys module lands; the command exists so --help lists it.
export function registerKeys(program: Command): void {
  program.command("keys").description("keys (not built yet)").action(() => {
    console.error("keys: not built yet");
    process.exitCode = 1;
  });
}
