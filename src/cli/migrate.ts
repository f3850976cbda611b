import type { Command } from "commander";
import { createDb } from "../db/client.ts";
import { migrateDb } from "../db/migrate.ts";
import { databaseTarget, parseEnv } from "../env.ts";

export function registerMigrate(program: Command): void {
  program
    .command("migrate")
    .description("apply the database migrations in drizzle/ (idempotent)")
    .option("--db <target>", "memory | PATH | postgres://... (default: DATABASE_URL, else ./data/pglite)")
    .action(async (opts: { db?: string }) => {
      const handle = await createDb(databaseTarget(parseEnv(), opts.db));
      await migrateDb(handle);
      console.log(`migrations applied to ${handle.description}`);
      await handle.close();
    });
}
