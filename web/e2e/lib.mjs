// Helpers for the browser journeys: Debian's Chromium through playwright-core, a fresh profile each time.
import { chromium } from 'playwright-core'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const BASE_URL = (process.env.BASE_URL || '').replace(/\/$/, '')
export const SHOTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'screenshots')
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium'
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

let browser = null
/**
 * A fresh browser context — its own cookies, storage and cache, as a new profile would have — in the one Chromium
 * the journeys share (launching a browser for each would cost seconds of the two cores every time); `close()` ends it.
 */
export async function openBrowser({ width = 1400, height = 900, locale = 'zh-CN' } = {}) {
  browser ??= await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS })
  const context = await browser.newContext({
    viewport: { width, height },
    locale,
    reducedMotion: 'reduce', // charts drawn at once, transitions end at once: a screenshot needs no wait for them
  })
  const page = await context.newPage()
  page.setDefaultTimeout(15000)
  const errors = []
  page.on('pageerror', (e) => errors.push(e.message))
  return {
    page,
    errors,
    async close() {
      await context.close()
    },
  }
}

/** Ends the shared Chromium (after the last journey). */
export async function closeBrowsers() {
  if (browser) await browser.close()
  browser = null
}

let shotNo = 0
/** Saves a screenshot of what is on screen to e2e/screenshots/NN-name.png. */
export async function shot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true })
  shotNo += 1
  const file = path.join(SHOTS, `${String(shotNo).padStart(2, '0')}-${name}.png`)
  await page.waitForTimeout(60) // a frame or two for the last layout (no animation: the browser asks for reduced motion)
  await page.screenshot({ path: file, fullPage: true })
  return file
}

let demoLogins = null
/**
 * The password of a demo login. When KP_DEMO_LOGINS names a file, it is read from there (lines of
 * `login<TAB>password<TAB>role`, as the demo writes them beside its database). The demo's passwords are
 * random: there is no fixed one to fall back to. Every password the journeys use for a demo user comes from here.
 */
export function demoPassword(login) {
  const file = process.env.KP_DEMO_LOGINS
  if (file) {
    if (!demoLogins) {
      demoLogins = new Map()
      for (const line of fs.readFileSync(file, 'utf8').split(/\r?\n/)) {
        const [login, password] = line.split('\t')
        if (login && password) demoLogins.set(login.trim(), password)
      }
    }
    const p = demoLogins.get(login)
    if (p === undefined) throw new Error(`KP_DEMO_LOGINS (${file}) has no line for ${login}`)
    return p
  }
  throw new Error('KP_DEMO_LOGINS must name the file the demo wrote its random passwords to (<db>.logins)')
}

/** [login, password] of a demo login, for signIn(page, ...demoUser('dept')) and apiSession(...). */
export const demoUser = (login) => [login, demoPassword(login)]

/** Signs in through the form. */
export async function signIn(page, login, password) {
  await page.goto(`${BASE_URL}/login`)
  await page.locator('input[data-test=login]').fill(login)
  await page.locator('input[data-test=password]').fill(password)
  await page.locator('[data-test=login-submit]').click()
}

/** The API, straight (for setting up users and reading ids), with a session cookie and CSRF token. */
export async function apiSession(login, password) {
  const res = await fetch(`${BASE_URL}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login, password }) })
  if (!res.ok) throw new Error(`API sign-in as ${login}: HTTP ${res.status} ${await res.text()}`)
  const cookie = (res.headers.get('set-cookie') || '').split(';')[0]
  const { csrf_token } = await res.json()
  const call = async (method, url, body) => {
    const r = await fetch(`${BASE_URL}${url}`, {
      method,
      headers: { Cookie: cookie, 'X-CSRF-Token': csrf_token, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    })
    const text = await r.text()
    let data
    try {
      data = JSON.parse(text)
    } catch {
      data = text
    }
    if (!r.ok) throw Object.assign(new Error(`${method} ${url}: HTTP ${r.status} ${text}`), { status: r.status, data })
    return data
  }
  return { get: (u) => call('GET', u), post: (u, b) => call('POST', u, b), put: (u, b) => call('PUT', u, b), del: (u) => call('DELETE', u) }
}

export function assert(cond, message) {
  if (!cond) throw new Error(message)
}

export async function textOf(page, selector) {
  return ((await page.locator(selector).first().textContent()) ?? '').trim()
}

/** Types a month into an Element Plus month picker and confirms it. */
export async function pickMonth(page, selector, month) {
  const input = page.locator(`${selector} input, input${selector}`).first()
  await input.click()
  await input.fill(month)
  await input.press('Enter')
  await page.keyboard.press('Escape')
}
