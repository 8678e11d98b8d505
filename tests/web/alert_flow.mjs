// End-to-end test of the analyst web page in headless Chromium: starts
// `interdict serve` on a free port with a fresh database and keys, makes an
// alert through the API, then in the page signs in, opens the alert from the
// queue, checks the query and the listed entry side by side with the score
// explanation, decides it, requests an allow-list entry, approves it as a
// supervisor, searches the lists, and checks the stored state through the API.
//
// usage: node alert_flow.mjs INTERDICT
// Exits 77 (skipped) only when no Chromium is installed.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const SKIP = 77;
const binary = process.argv[2];
const chromiumPaths = [process.env.CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser",
                       "/usr/bin/google-chrome"].filter(Boolean);
const chromium = chromiumPaths.find((p) => existsSync(p));
if (!chromium) {
  console.log("SKIP: no Chromium installed (apt-get install chromium)");
  process.exit(SKIP);
}
let playwright;
try {
  playwright = await import("playwright-core");
} catch (e) {
  console.log("FAIL: playwright-core is not installed: run `npm ci` in tests/web");
  process.exit(1);
}

let passed = 0, failed = 0;
function check(what, ok, detail = "") {
  if (ok) passed++;
  else { failed++; console.log(`FAIL: ${what} ${detail}`); }
}

const tmp = mkdtempSync(join(tmpdir(), "interdict-web-"));
const db = join(tmp, "casebook.db");
function key(role, name) {
  const r = spawnSync(binary, ["keys", "create", "--role", role, "--name", name, "--db", db], { encoding: "utf8" });
  if (r.status !== 0) throw new Error("keys create failed: " + r.stderr);
  return r.stdout.trim();
}
const keys = { client: key("client", "core-banking"), analyst: key("analyst", "ann"), supervisor: key("supervisor", "sue") };

const portFile = join(tmp, "port");
const server = spawn(binary, ["serve", "--port", "0", "--port-file", portFile, "--db", db, "--quiet"],
                     { stdio: ["ignore", "inherit", "inherit"] });
let port = 0;
for (let i = 0; i < 300 && !port; i++) {
  if (existsSync(portFile)) port = parseInt(readFileSync(portFile, "utf8"), 10) || 0;
  if (!port) await new Promise((r) => setTimeout(r, 100));
}
const base = `http://127.0.0.1:${port}`;

async function api(method, path, k, body) {
  const r = await fetch(base + path, {
    method, headers: { Authorization: "Bearer " + k, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: r.status, body: await r.json() };
}

let browser;
try {
  check("server started", port > 0);
  const made = await api("POST", "/v1/screen", keys.client,
                         { name: "Ayman al-Zawahiri", customer_id: "C-1001", type: "person", dob: "1970" });
  check("alert made", made.body.alert === true, JSON.stringify(made.body).slice(0, 200));
  const alertId = made.body.alert_id;

  browser = await playwright.chromium.launch({ executablePath: chromium, headless: true,
                                               args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
  const page = await browser.newPage();
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  // refused requests (the wrong key on purpose) show as console errors too:
  // only script errors count
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) pageErrors.push(m.text());
  });
  page.setDefaultTimeout(15000);
  await page.goto(base + "/");

  // a wrong key is refused
  await page.getByTestId("key").fill("idk_" + "1".repeat(64));
  await page.getByTestId("sign-in").click();
  await page.getByTestId("login-error").filter({ hasText: "not valid" }).waitFor();
  check("wrong key refused", true);

  await page.getByTestId("key").fill(keys.analyst);
  await page.getByTestId("sign-in").click();
  await page.getByTestId("who").filter({ hasText: "ann (analyst)" }).waitFor();
  const row = page.locator(`tr[data-alert-id="${alertId}"]`);
  await row.waitFor();
  check("alert in the queue", (await row.textContent()).includes("Ayman al-Zawahiri"));
  await row.click();

  await page.getByTestId("alert-title").filter({ hasText: `Alert ${alertId}` }).waitFor();
  const query = await page.getByTestId("alert-query").textContent();
  const entry = await page.getByTestId("alert-entry").textContent();
  const why = await page.getByTestId("alert-explanation").textContent();
  check("query shown", query.includes("Ayman al-Zawahiri") && query.includes("C-1001") && query.includes("1970"), query);
  check("listed entry shown beside it", entry.includes("QDi.006") && entry.includes("ZAWAHIRI"), entry.slice(0, 200));
  check("explanation shown", why.includes("Score") && why.includes("zawahiri"), why);
  await page.screenshot({ path: join(tmp, "alert.png"), fullPage: true });

  // a decision without a reason is not sent
  await page.getByTestId("decision").selectOption("false_positive");
  await page.getByTestId("reason").fill("Customer born 1970 in Lyon; listed party born 1951 in Giza.");
  await page.getByTestId("decide").click();
  await page.getByTestId("alert-status").filter({ hasText: "false positive" }).waitFor();
  check("decided in the page", true);
  const history = await page.getByTestId("alert-history").textContent();
  check("decision in history", history.includes("false positive by ann"), history);

  await page.getByTestId("allow-reason").fill("Different person, verified passport");
  await page.getByTestId("allow-request").click();
  await page.getByTestId("allow-msg").filter({ hasText: "pending" }).waitFor();
  check("allow-list requested", true);

  // the state behind the page
  const stored = await api("GET", `/v1/alerts/${alertId}`, keys.analyst);
  check("stored decision", stored.body.status === "false_positive" && stored.body.decisions.length === 1 &&
        stored.body.decisions[0].reason.startsWith("Customer born 1970"), JSON.stringify(stored.body.decisions));
  check("stored allow-list request", stored.body.allowlist.length === 1 && stored.body.allowlist[0].status === "pending");

  // an analyst sees no approve button; a supervisor approves
  await page.getByTestId("tab-allowlist").click();
  await page.getByTestId("allow-row").first().waitFor();
  check("analyst cannot approve", (await page.getByTestId("allow-approve").count()) === 0);
  await page.evaluate(() => sessionStorage.clear());
  await page.reload();
  await page.getByTestId("key").fill(keys.supervisor);
  await page.getByTestId("sign-in").click();
  await page.getByTestId("who").filter({ hasText: "sue (supervisor)" }).waitFor();
  await page.getByTestId("tab-allowlist").click();
  await page.getByTestId("allow-approve").first().click();
  // approved: it leaves the pending list
  await page.getByTestId("allow-approve").waitFor({ state: "detached" });
  await page.getByTestId("allow-status").selectOption("approved");
  await page.getByTestId("allow-row").filter({ hasText: "approved" }).waitFor();
  check("approved in the page", true);

  const again = await api("POST", "/v1/screen", keys.client,
                          { name: "Ayman al-Zawahiri", customer_id: "C-1001", type: "person", dob: "1970" });
  check("allow-listed customer no longer alerts", again.body.alert === false && again.body.allowed?.length === 1,
        JSON.stringify(again.body).slice(0, 200));

  // search the lists
  await page.getByTestId("tab-search").click();
  await page.getByTestId("search-q").fill("Абу Бакр аль-Багдади");
  await page.getByTestId("search-go").click();
  await page.getByTestId("search-row").first().waitFor();
  const first = await page.getByTestId("search-row").first().textContent();
  check("search finds al-Baghdadi from Cyrillic", first.includes("QDi.299"), first);
  await page.getByTestId("search-row").first().click();
  await page.getByTestId("entry-detail").filter({ hasText: "QDi.299" }).waitFor();
  check("entry detail", true);

  const audit = await api("GET", "/v1/audit?limit=1000", keys.supervisor);
  const actions = audit.body.entries.map((e) => e.action);
  for (const a of ["screen", "decide", "allowlist_request", "allowlist_approve"])
    check(`audit has ${a}`, actions.includes(a));
  check("no errors in the page", pageErrors.length === 0, pageErrors.join("; "));
} catch (e) {
  failed++;
  console.log("FAIL: " + (e.stack || e));
} finally {
  if (browser) await browser.close();
  server.kill("SIGTERM");
  await new Promise((r) => server.once("exit", r));
  const verify = spawnSync(binary, ["audit", "verify", "--db", db], { encoding: "utf8" });
  check("audit verify", verify.status === 0, verify.stdout + verify.stderr);
  if (!failed) rmSync(tmp, { recursive: true, force: true });
  else console.log("kept " + tmp);
}
console.log(`web: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
