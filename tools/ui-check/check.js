// Drives headless Chromium (Debian's /usr/bin/chromium) through every /app page of
// `iqm-rules serve`: picks an example, uploads a history, reads the result, verifies a record,
// shows the rulebook on a date, makes a bad upload and follows the Welsh switch. Saves
// screenshots at 1280 and 390 pixels wide and runs axe-core (WCAG 2.2 A and AA) on every page
// state; exits 1 on any failed expectation or accessibility violation.
//
// Usage: node check.js --iqm-rules PATH --repo DIR [--images DIR] [--chromium PATH]
"use strict";

const { spawn, execFileSync } = require("node:child_process");
const fs = require("node:fs");
const net = require("node:net");
const os = require("node:os");
const path = require("node:path");
const { chromium } = require("playwright-core");

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  if (at >= 0 && at + 1 < process.argv.length) return process.argv[at + 1];
  if (fallback === undefined) throw new Error(`--${name} is required`);
  return fallback;
}

const IQM_RULES = option("iqm-rules");
const REPO = path.resolve(option("repo"));
const IMAGES = path.resolve(option("images", path.join(REPO, "docs", "images")));
const CHROMIUM = option("chromium", "/usr/bin/chromium");
const EXAMPLES = path.join(REPO, "src", "iqm_rules", "interchange", "examples");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
const WIDTHS = [
  { name: "desktop", width: 1280, height: 900 },
  { name: "phone", width: 390, height: 844 },
];

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(base, child, seconds) {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`iqm-rules serve exited with ${child.exitCode}`);
    try {
      const answer = await fetch(`${base}/health`);
      if (answer.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`${base}/health did not answer within ${seconds} s`);
}

const failures = [];
const violations = [];
const states = [];

function expect(condition, what) {
  if (!condition) failures.push(what);
}

async function scan(page, state) {
  await page.addScriptTag({ path: require.resolve("axe-core") });
  const result = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }),
    TAGS,
  );
  for (const v of result.violations) {
    violations.push({ state, id: v.id, impact: v.impact, help: v.help, nodes: v.nodes });
  }
  return { violations: result.violations.length, passes: result.passes.length };
}

async function state(page, width, name, check, shoot) {
  const started = Date.now();
  const title = await page.title();
  await check(title);
  // Reflow (WCAG 1.4.10): the page itself never scrolls sideways; wide tables scroll inside.
  const [scrollWidth, clientWidth] = await page.evaluate(
    () => [document.documentElement.scrollWidth, document.documentElement.clientWidth],
  );
  expect(scrollWidth <= clientWidth, `${name} @ ${width.width}px: page is ${scrollWidth} px wide`);
  const axe = await scan(page, `${name} @ ${width.width}px`);
  if (shoot) {
    await page.screenshot({ path: path.join(IMAGES, `app-${name}-${width.width}.png`) });
  }
  states.push({ name, width: width.width, title, ...axe, ms: Date.now() - started });
}

async function text(page) {
  return page.locator("main").innerText();
}

async function run(browser, base, record, bad) {
  for (const width of WIDTHS) {
    // bypassCSP: the pages' Content-Security-Policy allows no script; axe-core is injected.
    const context = await browser.newContext({
      viewport: { width: width.width, height: width.height },
      bypassCSP: true,
      locale: "en-GB",
    });
    const page = await context.newPage();
    const go = async (url) => {
      const answer = await page.goto(`${base}${url}`);
      expect(answer && answer.status() === 200, `GET ${url}: status ${answer && answer.status()}`);
    };
    const submit = async (status) => {
      const [answer] = await Promise.all([
        page.waitForNavigation(),
        page.locator("main form:not(.inline-form) button[type=submit]").last().click(),
      ]);
      expect(answer.status() === status, `${page.url()}: status ${answer.status()}, not ${status}`);
    };

    await go("/app");
    await state(page, width, "home", async () => {
      expect(await page.locator("html").getAttribute("lang") === "en", "home: lang is not en");
      expect(await page.locator("nav a[href^='/app/school']").count() > 0, "home: no school link");
    }, true);

    await go("/app/school");
    await state(page, width, "school-form", async (title) => {
      expect(title.length > 0 && !title.startsWith("Error"), `school form: title ${title}`);
    }, true);

    // Pick a bundled example, on a fixed date.
    await page.selectOption("#example", "first-award");
    await page.fill("#as_of", "2025-09-01");
    await submit(200);
    await state(page, width, "school-example", async (title) => {
      const body = await text(page);
      expect(title.includes("Hollybrook Primary School"), `school example: title ${title}`);
      expect(body.includes("Hollybrook Primary School"), "school example: no school name");
      expect(body.includes("Inclusive School Award"), "school example: no level");
      expect(body.includes("Held"), "school example: no status Held");
      expect(await page.locator("#downloads button").count() === 2, "school example: no downloads");
    }, true);

    // Upload a history file.
    await go("/app/school");
    await page.setInputFiles("#history_file", path.join(EXAMPLES, "flagship-journey.json"));
    await page.fill("#as_of", "2025-09-01");
    await submit(200);
    await state(page, width, "school-upload", async () => {
      const body = await text(page);
      expect(body.includes("Ashgrove Academy"), "school upload: no school name");
      expect(body.includes("Flagship School"), "school upload: no level Flagship School");
    }, false);

    // A bad upload: its error by the field and in the summary.
    await go("/app/school");
    await page.setInputFiles("#history_file", bad);
    await page.fill("#as_of", "2025-13-01");
    await submit(422);
    await state(page, width, "school-error", async (title) => {
      expect(title.startsWith("Error:"), `school error: title ${title}`);
      const summary = page.locator(".error-summary");
      expect(await summary.count() === 1, "school error: no error summary");
      const said = await summary.innerText();
      expect(said.includes("There is a problem"), "school error: summary has no heading");
      expect(said.includes("is not a calendar date"), "school error: no date error in summary");
      expect(said.includes("format: required key missing"), "school error: no format error");
      expect(await page.locator("#history_file-error").count() === 1, "school error: none by field");
      expect(await page.locator("#history_file[aria-invalid=true]").count() === 1,
        "school error: field not aria-invalid");
    }, true);

    // Verify a record.
    await go("/app/verify");
    await state(page, width, "verify-form", async () => {}, false);
    await page.setInputFiles("#record_file", record);
    await submit(200);
    await state(page, width, "verify-result", async () => {
      const body = await text(page);
      expect(body.includes("This record passes"), "verify: no passing verdict");
    }, true);

    // The rulebook on a date.
    await go("/app/rulebook");
    await state(page, width, "rulebook-form", async () => {}, false);
    await page.fill("#on", "2025-09-01");
    await submit(200);
    await state(page, width, "rulebook", async () => {
      const body = await text(page);
      expect(body.includes("iqm-2025.1"), "rulebook: no policy id");
      expect(await page.locator("table tbody tr[id^='rule-']").count() > 10, "rulebook: few rules");
      expect(await page.locator("svg.chart rect").count() > 0, "rulebook: no chart");
    }, true);

    // The Welsh switch, then a Welsh form.
    await go("/app");
    await Promise.all([page.waitForNavigation(), page.click("a[hreflang=cy]")]);
    await state(page, width, "home-cy", async () => {
      expect(await page.locator("html").getAttribute("lang") === "cy", "Welsh: lang is not cy");
      expect((await page.locator(".language").innerText()).includes("Iaith"), "Welsh: no Iaith");
    }, true);
    await page.click("nav a[href^='/app/school']");
    await page.waitForLoadState();
    await state(page, width, "school-form-cy", async () => {
      expect(await page.locator("html").getAttribute("lang") === "cy", "Welsh school: not cy");
    }, false);
    await page.selectOption("#example", "first-award");
    await page.fill("#as_of", "2025-09-01");
    await submit(200);
    await state(page, width, "school-example-cy", async () => {
      expect(await page.locator("html").getAttribute("lang") === "cy", "Welsh result: not cy");
      expect((await text(page)).includes("Hollybrook Primary School"), "Welsh result: no name");
    }, false);

    // Keyboard: the skip link is the first thing Tab reaches.
    await go("/app/school");
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => document.activeElement && document.activeElement.getAttribute("href"));
    expect(focused === "#main" || (focused || "").startsWith("#"), `keyboard: first Tab reaches ${focused}`);

    await context.close();
  }
}

async function main() {
  const started = Date.now();
  fs.mkdirSync(IMAGES, { recursive: true });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "ui-check-"));
  const record = path.join(scratch, "first-award.record.json");
  execFileSync(IQM_RULES, ["status", "--example", "first-award", "--as-of", "2025-09-01",
    "--record", record], { stdio: ["ignore", "ignore", "inherit"] });
  const bad = path.join(scratch, "bad.json");
  fs.writeFileSync(bad, '{"school": {"id": "X"}}\n');

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const log = path.join(scratch, "serve.log");
  const logFd = fs.openSync(log, "w");
  const server = spawn(IQM_RULES, ["serve", "--host", "127.0.0.1", "--port", String(port)], {
    stdio: ["ignore", logFd, logFd],
    env: { ...process.env, LANGUAGE: "en" },
  });
  let browser;
  try {
    await waitForHealth(base, server, 30);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
    await run(browser, base, record, bad);
  } catch (error) {
    process.stderr.write(fs.readFileSync(log, "utf8").split("\n").slice(-20).join("\n"));
    throw error;
  } finally {
    if (browser) await browser.close();
    const stopped = new Promise((done) => server.once("exit", done));
    server.kill("SIGTERM");
    if (server.exitCode === null) await stopped;
    fs.closeSync(logFd);
    fs.rmSync(scratch, { recursive: true, force: true });
  }

  console.log(`iqm-rules serve on ${base}, stopped;`
    + ` Chromium ${browser.version()}, axe-core ${require("axe-core/package.json").version},`
    + ` tags ${TAGS.join(" ")}`);
  for (const s of states) {
    console.log(`  ${s.name.padEnd(18)} ${String(s.width).padStart(4)} px  axe: ${s.violations}`
      + ` violations, ${s.passes} rules passed  (${s.ms} ms)  "${s.title}"`);
  }
  for (const v of violations) {
    console.log(`VIOLATION ${v.state}: ${v.id} (${v.impact}): ${v.help}`);
    for (const node of v.nodes) console.log(`    ${node.target.join(" ")}: ${node.failureSummary.replace(/\n/g, " ")}`);
  }
  for (const f of failures) console.log(`FAILED ${f}`);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`${states.length} page states, ${violations.length} violations,`
    + ` ${failures.length} failed expectations, ${seconds} s`);
  process.exitCode = violations.length || failures.length ? 1 : 0;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
