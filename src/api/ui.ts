import { Hono } from "hono";
import type { AppEnv } from "./env.ts";

// The web page (/ui) is filled in by the UI module; registered in app.ts already.
export const uiRoutes = new Hono<AppEnv>();
