#!/usr/bin/env node
import { Command } from "commander";
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
  .showHelpAfterError();

registerServe(program);
registerMigrate(program);
registerDemo(program);
registerRecist(program);
registerBench(program);
registerTrain(program);
registerImport(program);
registerExport(program);
registerKeys(program);

await program.parseAsync(process.argv);
