import tseslint from "typescript-eslint";

/** The house rules of ARCHITECTURE.md, enforced per folder rather than by review. */
export default tseslint.config(
  { ignores: ["node_modules/**", "drizzle/**", "data/**", "dist/**", "models/**", "src/ui/vendor/**", ".stryker-tmp*/**", "reports/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["src/**/*.ts"],
    ignores: ["src/forecast/onnx.ts"],
    rules: {
      "no-restricted-imports": ["error", { paths: [{ name: "onnxruntime-node", message: "only forecast/onnx.ts imports onnxruntime-node" }] }],
    },
  },
  {
    files: ["src/domain/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [
        { group: ["node:*", "fs", "path", "crypto", "os", "child_process"], message: "domain/ is pure: no Node APIs" },
        { group: ["**/db/**", "**/api/**", "**/service/**", "**/forecast/**", "**/io/**", "**/cli/**", "**/bench/**", "**/train/**", "drizzle-orm*", "hono*", "@hono/*", "onnxruntime-node", "postgres", "@electric-sql/*"], message: "domain/ imports only domain/" },
        // Packages: only pure maths libraries (no I/O, no globals) are allowed in domain/.
        { regex: "^(?!\\.|simple-statistics$)", message: "domain/ imports only domain/ and simple-statistics" },
      ] }],
      "no-restricted-globals": ["error", { name: "process", message: "domain/ reads no environment" }],
      "no-restricted-properties": ["error", { object: "Date", property: "now", message: "domain/ takes time from a Clock" }, { object: "Math", property: "random", message: "domain/ takes randomness from a seed" }],
    },
  },
  {
    files: ["src/auth/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [
        { group: ["**/api/**", "**/service/**", "**/db/**", "drizzle-orm*", "postgres", "@electric-sql/*", "hono*", "@hono/*"], message: "auth/ owns credentials and principals; api/ and service/ import it, never the reverse" },
        { group: ["onnxruntime-node"], message: "only forecast/onnx.ts imports onnxruntime-node" },
      ] }],
    },
  },
  {
    files: ["src/api/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [
        { group: ["**/db/**", "drizzle-orm", "drizzle-orm/*", "postgres", "@electric-sql/*"], message: "api/ never touches the database: call a use case in service/" },
        { group: ["onnxruntime-node"], message: "only forecast/onnx.ts imports onnxruntime-node" },
      ] }],
    },
  },
);
