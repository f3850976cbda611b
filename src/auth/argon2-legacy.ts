import { verify } from "@node-rs/argon2";
import type { LegacyVerify } from "./api-key.ts";

/**
 * Keys made before SHA-256 hashing hold an argon2id hash; Node keeps verifying them (a native
 * module, so never imported by the Workers entry) and each is rehashed on its first good use.
 */
export const verifyArgon2: LegacyVerify = (secretHash, secret) => (secretHash.startsWith("$argon2") ? verify(secretHash, secret) : Promise.resolve(false));
