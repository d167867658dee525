import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// Built by `npm run build` into dist/web, which `ponder serve` serves at `/` (src/server/static-files.ts).
export default defineConfig({
  root: import.meta.dirname,
  base: "/",
  plugins: [react()],
  build: {
    outDir: "../dist/web",
    emptyOutDir: true,
  },
});
