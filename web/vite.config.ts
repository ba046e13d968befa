/// <reference types="vitest/config" />
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'
import VueI18n from '@intlify/unplugin-vue-i18n/vite'
import { fileURLToPath, URL } from 'node:url'

// The dev server proxies /api to a running keyproject (KP_API, default 127.0.0.1:18090).
const api = process.env.KP_API ?? 'http://127.0.0.1:18090'

export default defineConfig({
  base: '/',
  // Element Plus components (and their CSS) are imported where a template uses them, so each route's
  // chunk carries only its own: the sign-in page does not load the tables, dialogs and pickers. Vitest
  // registers Element Plus whole in each test instead (the per-component CSS imports do not load in Node).
  plugins: [
    vue(),
    ...(process.env.VITEST ? [] : [Components({ resolvers: [ElementPlusResolver({ importStyle: 'css' })], dts: false })]),
    // The messages are compiled at build time, so the browser gets vue-i18n's runtime without its message
    // compiler (about 17 KB less on the sign-in page). vue-i18n without its legacy API, components and
    // devtools hooks (the app uses useI18n and $t only).
    VueI18n({
      include: [fileURLToPath(new URL('./src/locales/zh-CN.ts', import.meta.url)), fileURLToPath(new URL('./src/locales/en.ts', import.meta.url))],
      runtimeOnly: true,
      compositionOnly: true,
      fullInstall: false,
      dropMessageCompiler: true,
    }),
  ],
  define: { __VUE_I18N_LEGACY_API__: 'false', __VUE_I18N_FULL_INSTALL__: 'false', __INTLIFY_PROD_DEVTOOLS__: 'false', __VUE_PROD_DEVTOOLS__: 'false' },
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  server: { proxy: { '/api': api, '/healthz': api } },
  preview: { port: 4173, strictPort: true, proxy: { '/api': api, '/healthz': api } },
  build: {
    outDir: 'dist',
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      output: {
        // ECharts is loaded only by the pages that draw a chart (through KpChart).
        manualChunks(id: string) {
          if (id.includes('node_modules/echarts') || id.includes('node_modules/zrender')) return 'echarts'
          return undefined
        },
      },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['tests/**/*.spec.ts'],
    // AppLayout imports Element Plus's style modules; inlined, Vitest turns their CSS into empty modules.
    server: { deps: { inline: [/element-plus\/es\/components\/.*\/style/] } },
    testTimeout: 30000, // a busy 2-core machine compiles a view on its first mount
  },
})
