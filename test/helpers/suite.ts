import { afterAll, beforeAll } from "vitest";
import type { Backend } from "./backends.ts";
import { makeCohort } from "./factories.ts";
import { createTestApp, dropCohort, type TestApp } from "./test-app.ts";

export interface CohortSuite {
  /** The real app on the backend (set in beforeAll). */
  t: TestApp;
  /** A cohort made for this suite and removed after it. */
  cohortId: string;
}

/** Registers beforeAll/afterAll that start the app on the backend and own one cohort. */
export function useAppWithCohort(backend: Backend): CohortSuite {
  const suite = {} as CohortSuite;
  beforeAll(async () => {
    suite.t = await createTestApp(backend);
    suite.cohortId = await makeCohort(suite.t);
  });
  afterAll(async () => {
    await dropCohort(suite.t.handle, suite.cohortId);
    await suite.t.close();
  });
  return suite;
}

export interface CohortsSuite {
  /** The real app on the backend (set in beforeAll). */
  t: TestApp;
  /** Makes a fresh cohort, removed after the suite. */
  cohort(): Promise<string>;
}

/** Registers beforeAll/afterAll that start the app on the backend; every cohort made through it is removed after. */
export function useAppWithCohorts(backend: Backend): CohortsSuite {
  const made: string[] = [];
  const suite: CohortsSuite = {
    t: undefined as unknown as TestApp,
    async cohort() {
      const id = await makeCohort(suite.t);
      made.push(id);
      return id;
    },
  };
  beforeAll(async () => {
    suite.t = await createTestApp(backend);
  });
  afterAll(async () => {
    for (const c of made) await dropCohort(suite.t.handle, c);
    await suite.t.close();
  });
  return suite;
}
