// Minimal entry with only the recist command, so its CLI tests do not depend on other commands' modules.
import { Command } from "commander";
import { registerRecist } from "../../../src/cli/recist.ts";

const program = new Command().name("lesiontrack");
registerRecist(program);
await program.parseAsync(process.argv);
