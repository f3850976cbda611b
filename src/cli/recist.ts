import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { evaluateCase } from "../domain/recist/index.ts";
import { parseRecistDocument } from "../io/recist-case.ts";

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * `lesiontrack recist [--input FILE]`: one case `{params, input}` (or an array of cases) in,
 * the contract's Result (or array, same order) out as JSON. Bad JSON or schema: stderr, exit 2.
 */
export function registerRecist(program: Command): void {
  program
    .command("recist")
    .description("RECIST 1.1 / iRECIST response of one case {params, input} or an array of cases (JSON, stdin by default)")
    .option("-i, --input <file>", "case JSON file (default: standard input)")
    .action(async (opts: { input?: string }) => {
      let text: string;
      try {
        text = opts.input === undefined ? await readStdin() : await readFile(opts.input, "utf8");
      } catch (e) {
        console.error(`recist: cannot read ${opts.input ?? "stdin"}: ${(e as Error).message}`);
        process.exitCode = 2;
        return;
      }
      const parsed = parseRecistDocument(text);
      if (!parsed.ok) {
        console.error(`recist: invalid case: ${parsed.message}`);
        process.exitCode = 2;
        return;
      }
      const results = parsed.cases.map(evaluateCase);
      process.stdout.write(`${JSON.stringify(parsed.isArray ? results : results[0], null, 2)}\n`);
    });
}
