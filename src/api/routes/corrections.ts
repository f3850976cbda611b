import { router } from "./router.ts";

// Filled in by the module that owns these routes; registered in app.ts already.
export const correctionRoutes = router();
