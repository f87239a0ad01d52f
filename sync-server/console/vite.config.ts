import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";
import tailwindcss from "@tailwindcss/vite";

// Served by qoder-server at /admin (page) and /admin/assets/* (content-hashed files), built
// into its binary by sync-server/build.rs. The server's CSP allows no inline script or style:
// no module-preload polyfill (it would be inlined) and CSS in files only. `npm run dev` proxies
// the API to a server on :8080.
export default defineConfig({
  base: "/admin/",
  plugins: [react(), tailwindcss()],
  clearScreen: false,
  server: { port: 5174, proxy: { "/api": "http://127.0.0.1:8080" } },
  build: {
    target: "es2022",
    sourcemap: false,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1200,
  },
});
