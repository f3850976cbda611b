#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { Command } from "commander";
import { reportCliError } from "./cli/errors.ts";
import { registerServe } from "./cli/serve.ts";
import { registerMigrate } from "./cli/migrate.ts";
import { registerDemo } from "./cli/demo.ts";
import { registerRecist } from "./cli/recist.ts";
import { registerBench } from "./cli/bench.ts";
import { registerTrain } from "./cli/train.ts";
import { registerImport } from "./cli/import.ts";
import { registerExport } from "./cli/export.ts";
import { registerKeys } from "./cli/keys.ts";

const program = new Command()
  .name("lesiontrack")
  .description("Longitudinal lesion tracking: matching, RECIST 1.1 / iRECIST, growth forecasts, timelines")
  .version((JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version, "-V, --version", "print the version")
  .option("--debug", "print stack traces of unexpected errors")
  .exitOverride()
  // A usage mistake is one line naming it, with where to look (exit code 2).
  .configureOutput({ outputError: (text, write) => write(`${text.trimEnd()} (see --help)\n`) });

registerServe(program);
registerMigrate(program);
registerDemo(program);
registerRecist(program);
registerBench(program);
registerTrain(program);
registerImport(program);
registerExport(program);
registerKeys(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  process.exitCode = reportCliError(e, process.argv.includes("--debug"));
}
