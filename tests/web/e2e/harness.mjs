// Shared helpers for the browser client's end-to-end tests: a real hearthd
// (the ASan build under ctest) and Debian's headless chromium driven by
// playwright-core. Everything talks only to 127.0.0.1 and every wait is
// bounded. ctest sets the environment (tests/CMakeLists.txt):
//   HEARTHD               path of the hearthd binary to test
//   HEARTH_WEB_ROOT       the browser client's files (<source>/client/web)
//   HEARTH_E2E_ARTIFACTS  where failure screenshots go (<build>/e2e-artifacts)
//
// Exports:
//   startServer({args = []} = {}) -> Promise<server>
//       Starts hearthd on 127.0.0.1 with a free port, a fresh data dir, cheap
//       password hashing (--scrypt-cost 10), the test clock (--test-clock),
//       --log-level warn, the web root and rate limits lifted; `args` are
//       appended (later flags win). hearthd's stderr is copied to this
//       process's stderr, so ctest sees sanitizer reports. The server object:
//         url        'http://127.0.0.1:PORT' (no trailing slash)
//         wsUrl      'ws://127.0.0.1:PORT/ws'
//         port, dataDir, pid (of the running hearthd, 0 when stopped)
//         stderr()   everything hearthd wrote to stderr so far
//         advance(ms)  moves the test clock by ms and waits for "advanced"
//         restart()  stops hearthd if running, starts it again on the same
//                    port and data dir
//         stop()     SIGTERM and wait; throws if hearthd exits non-zero (an
//                    ASan/LSan report does that) or a sanitizer report showed
//         kill()     SIGKILL and wait (a crash; no sanitizer check)
//         admin(args)  runs `hearthd admin --data-dir DIR ...args`, returns
//                    its stdout; throws on a non-zero exit
//         promote(handle, role)  gives a user a server-wide role (member,
//                    moderator or admin) through `hearthd admin role`. The
//                    role applies from the user's next sign-in, which includes
//                    a session resume: reload the page, or sign out and in.
//         cleanup()  stop() if running, then remove the data dir; throws if a
//                    sanitizer report showed at any time. Call it in after().
//       Servers a test forgets are SIGKILLed and their data dirs removed when
//       this process exits (also on SIGINT/SIGTERM/SIGHUP), and hearthd is
//       started with a parent-death signal, so nothing outlives the test.
//   startServerAndBrowser({args} = {}) -> Promise<{server, browser}>
//       What every test file starts with (top-level await): one hearthd and
//       one chromium for the file's tests, both stopped and cleaned up in the
//       file's after() hook.
//   launchBrowser() -> Promise<Browser>
//       Debian's /usr/bin/chromium through playwright-core, headless, with
//       flags that keep it off the network: background services off, and
//       every host but 127.0.0.1/localhost sent to a proxy that does not
//       exist. Close it in after() (browser.close()).
//   newMember(browser, server, {viewport} = {}) -> Promise<member>
//       A fresh browser context (no shared storage: a new person) and page.
//       viewport defaults to a phone, 360x740; desktop tests pass
//       {width: 1280, height: 800}. member = {context, page,
//       foreignRequests: [url...] (every request or WebSocket to another
//       origin than the server's), consoleErrors: [text...],
//       pageErrors: [message...] (uncaught exceptions in the page),
//       failedResponses: ['STATUS URL'...] (HTTP >= 400 or failed requests)}.
//       Default timeouts: 20 s for actions, 30 s for navigations (an ASan
//       hearthd and two test files at once on two cores can be slow).
//   expectNoForeignRequests(member)  asserts member.foreignRequests is empty.
//   expectNoPageErrors(member)  asserts no uncaught page error and no console
//       error about the Content-Security-Policy.
//   withArtifacts(t, pages, fn) -> Promise<result of fn>
//       Runs fn(); if it throws, saves a full-page screenshot of each page to
//       $HEARTH_E2E_ARTIFACTS/<file>-<test name>-<n>.png, prints each
//       member's recorded errors, and rethrows. `pages` is an array of pages
//       or members, or a function returning one (for pages made inside fn).
//       Every e2e test body runs inside it.
//   PHONE, DESKTOP  the two viewports.

import assert from 'node:assert/strict';
import { after } from 'node:test';
import { spawn, spawnSync, execFile } from 'node:child_process';
import { accessSync, constants as fsConstants, mkdirSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, constants as osConstants } from 'node:os';
import path from 'node:path';

export const PHONE = { width: 360, height: 740 };
export const DESKTOP = { width: 1280, height: 800 };

const START_TIMEOUT_MS = 20000;
const ADVANCE_TIMEOUT_MS = 10000;
const STOP_TIMEOUT_MS = 20000;
const ADMIN_TIMEOUT_MS = 20000;
const SCREENSHOT_TIMEOUT_MS = 10000;
const SANITIZER_RE = /ERROR: AddressSanitizer|runtime error:|ERROR: LeakSanitizer/;
const STDERR_KEEP = 1 << 20;

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox', // root on the test machines
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking', // else it dials Google and is refused, many times
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  // Nothing but loopback leaves the browser: other hosts go to a proxy on a
  // port where nothing listens (loopback bypasses the proxy).
  '--proxy-server=http://127.0.0.1:9',
  '--proxy-bypass-list=127.0.0.1;localhost;[::1]',
];

function env(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the e2e tests through ctest (ctest -R web_e2e)`);
  return v;
}

// ---- process bookkeeping: nothing outlives the test process ----

const live = new Set(); // servers not cleaned up yet
const browsers = new Set(); // {browser, tmp} launched and not closed yet

function killAllSync() {
  // Playwright's own exit hook kills the browsers; their temp dirs go here.
  for (const b of browsers) {
    try { rmSync(b.tmp, { recursive: true, force: true }); } catch { /* best effort */ }
  }
  browsers.clear();
  for (const s of live) {
    if (s.child && s.child.exitCode === null && s.child.signalCode === null) {
      try { process.kill(s.child.pid, 'SIGKILL'); } catch { /* already gone */ }
    }
    try { rmSync(s.dataDir, { recursive: true, force: true }); } catch { /* best effort */ }
  }
  live.clear();
}

process.on('exit', killAllSync);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    // Exit as the signal would have; the exit hooks (ours and Playwright's)
    // kill what is left. launchBrowser() turns Playwright's own signal
    // handlers off, as they close the browser but do not exit.
    process.exit(128 + osConstants.signals[sig]);
  });
}

// A test file that runs past its deadline (ctest's TIMEOUT less a margin)
// exits here, so the exit hooks still clean up: ctest's own timeout would
// SIGKILL everything and leave the temp dirs behind.
const DEADLINE_S = Number(process.env.HEARTH_E2E_DEADLINE_S) || 280;
setTimeout(() => {
  process.stderr.write(`e2e: ${path.basename(process.argv[1] ?? 'test')} ran past its ${DEADLINE_S} s deadline; ` +
    'stopping everything\n');
  process.exit(1);
}, DEADLINE_S * 1000).unref();

// The safety net for a test file that forgets to clean up: after its last
// test and its own after() hooks, close what is still open. A sanitizer
// report still fails the file. (Registered on the next turn, once the test
// file's own top level has run, so that it comes after the file's hooks.)
setImmediate(() => after(async () => {
  const errors = [];
  for (const b of [...browsers]) {
    let timer;
    await Promise.race([b.browser.close(), new Promise((r) => { timer = setTimeout(r, 15000); })])
      .catch((e) => errors.push(e))
      .finally(() => clearTimeout(timer));
  }
  for (const s of [...live]) await s.cleanup().catch((e) => errors.push(e));
  if (errors.length) throw errors[0];
}));

// setpriv (util-linux, essential on Debian) makes the kernel SIGKILL hearthd
// if this process dies without running its exit hooks.
const SETPRIV = (() => {
  try {
    accessSync('/usr/bin/setpriv', fsConstants.X_OK);
    return spawnSync('/usr/bin/setpriv', ['--pdeathsig', 'KILL', '--', 'true']).status === 0
      ? '/usr/bin/setpriv' : null;
  } catch {
    return null;
  }
})();

// ---- line reader over hearthd's stdout ----

class Lines {
  constructor(stream) {
    this.buf = '';
    this.lines = [];
    this.waiter = null;
    this.ended = false;
    stream.setEncoding('utf8');
    stream.on('data', (d) => {
      this.buf += d;
      let i;
      while ((i = this.buf.indexOf('\n')) >= 0) {
        this.lines.push(this.buf.slice(0, i));
        this.buf = this.buf.slice(i + 1);
      }
      this.wake();
    });
    stream.on('close', () => { this.ended = true; this.wake(); });
  }

  wake() {
    if (this.waiter) { const w = this.waiter; this.waiter = null; w(); }
  }

  // The next line, or an error after timeoutMs or when stdout closes.
  async next(timeoutMs, what) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.lines.length) return this.lines.shift();
      if (this.ended) throw new Error(`hearthd closed its stdout while waiting for ${what}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => { clearTimeout(timer); resolve(); };
      });
    }
  }
}

// Resolves true once the child has exited and its stdio is drained, false
// after timeoutMs.
function waitClose(child, timeoutMs) {
  if (child.closed) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('close', () => { clearTimeout(timer); resolve(true); });
  });
}

// ---- hearthd ----

export async function startServer({ args = [] } = {}) {
  const hearthd = env('HEARTHD');
  const webRoot = env('HEARTH_WEB_ROOT');
  accessSync(hearthd, fsConstants.X_OK);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'hearth-e2e-'));
  const extra = [...args];
  let errText = '';
  let sanitizer = false;

  const s = {
    url: '', wsUrl: '', port: 0, dataDir, pid: 0, child: null,
    stderr: () => errText,
    advance, restart, stop, kill, admin, promote, cleanup,
  };
  live.add(s);

  function noteStderr(chunk) {
    process.stderr.write(chunk);
    const tail = errText.slice(-200);
    errText += chunk;
    if (errText.length > STDERR_KEEP) errText = errText.slice(-STDERR_KEEP);
    if (SANITIZER_RE.test(tail + chunk)) sanitizer = true;
  }

  function checkSanitizer() {
    if (sanitizer) {
      throw new Error(`hearthd reported a sanitizer error (its stderr is above):\n${errText.slice(-4000)}`);
    }
  }

  async function launch(port) {
    const argv = [
      '--listen', `127.0.0.1:${port}`, '--data-dir', dataDir, '--scrypt-cost', '10',
      '--test-clock', '--log-level', 'warn', '--web-root', webRoot,
      '--rate', '10000', '--rate-burst', '10000', '--user-rate', '10000', '--user-rate-burst', '10000',
      ...extra,
    ];
    const [cmd, cmdArgs] = SETPRIV
      ? [SETPRIV, ['--pdeathsig', 'KILL', '--', hearthd, ...argv]]
      : [hearthd, argv];
    const child = spawn(cmd, cmdArgs, { stdio: ['pipe', 'pipe', 'pipe'] });
    child.closed = false;
    child.once('close', () => { child.closed = true; });
    child.on('error', (e) => noteStderr(`harness: could not run hearthd: ${e.message}\n`));
    child.stdin.on('error', () => {}); // EPIPE after it died shows up elsewhere
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', noteStderr);
    // A forgotten server must not keep the test process alive: the exit hook
    // kills it. Every wait below holds its own timer.
    child.unref();
    for (const st of [child.stdin, child.stdout, child.stderr]) st.unref();
    s.child = child;
    s.pid = child.pid ?? 0;
    s.lines = new Lines(child.stdout);

    let line;
    try {
      line = await s.lines.next(START_TIMEOUT_MS, 'the "hearthd listening on" line');
    } catch (e) {
      await kill();
      throw new Error(`hearthd did not start: ${e.message}\n${errText.slice(-4000)}`);
    }
    const m = /^hearthd listening on (https?):\/\/127\.0\.0\.1:(\d+)$/.exec(line);
    if (!m) {
      await kill();
      throw new Error(`unexpected first line from hearthd: ${JSON.stringify(line)}`);
    }
    s.port = Number(m[2]);
    s.url = `${m[1]}://127.0.0.1:${s.port}`;
    s.wsUrl = `${m[1] === 'https' ? 'wss' : 'ws'}://127.0.0.1:${s.port}/ws`;
  }

  function running() {
    return s.child && s.child.exitCode === null && s.child.signalCode === null;
  }

  let advancing = Promise.resolve();
  function advance(ms) {
    // One at a time: each waits for its own "advanced" line.
    const run = advancing.then(async () => {
      assert.ok(running(), 'advance(): hearthd is not running');
      assert.ok(Number.isInteger(ms) && ms >= 0, `advance(): bad ms ${ms}`);
      s.child.stdin.write(`advance ${ms}\n`);
      const line = await s.lines.next(ADVANCE_TIMEOUT_MS, `"advanced ${ms}"`);
      assert.ok(line.startsWith('advanced'), `advance(): unexpected line from hearthd: ${line}`);
    });
    advancing = run.catch(() => {});
    return run;
  }

  async function stop() {
    const child = s.child;
    if (!child) return;
    if (running()) child.kill('SIGTERM');
    if (!(await waitClose(child, STOP_TIMEOUT_MS))) {
      child.kill('SIGKILL');
      await waitClose(child, STOP_TIMEOUT_MS);
      s.child = null;
      s.pid = 0;
      throw new Error(`hearthd did not exit within ${STOP_TIMEOUT_MS} ms of SIGTERM`);
    }
    s.child = null;
    s.pid = 0;
    checkSanitizer();
    if (child.exitCode !== 0) {
      throw new Error(`hearthd exited with ${child.exitCode ?? child.signalCode} after SIGTERM:\n` +
        errText.slice(-4000));
    }
  }

  async function kill() {
    const child = s.child;
    if (!child) return;
    if (running()) child.kill('SIGKILL');
    await waitClose(child, STOP_TIMEOUT_MS);
    s.child = null;
    s.pid = 0;
  }

  async function restart() {
    await stop();
    await launch(s.port);
  }

  function admin(adminArgs) {
    return new Promise((resolve, reject) => {
      execFile(hearthd, ['admin', '--data-dir', dataDir, ...adminArgs],
        { timeout: ADMIN_TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: 16 << 20 },
        (err, stdout, stderr) => {
          if (stderr) noteStderr(stderr);
          if (err) {
            reject(new Error(`hearthd admin ${adminArgs.join(' ')} failed (${err.code ?? err.signal}): ` +
              `${stdout}${stderr}`));
          } else {
            resolve(stdout);
          }
        });
    });
  }

  async function promote(handle, role) {
    return admin(['role', handle, role]);
  }

  async function cleanup() {
    try {
      await stop();
    } finally {
      live.delete(s);
      await rm(dataDir, { recursive: true, force: true });
    }
    checkSanitizer();
  }

  try {
    await launch(0);
  } catch (e) {
    live.delete(s);
    await rm(dataDir, { recursive: true, force: true });
    throw e;
  }
  return s;
}

// ---- the browser ----

export async function launchBrowser() {
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch (e) {
    throw new Error(`playwright-core is missing: run \`npm ci\` in tests/web (deploy/test.sh does) (${e.message})`);
  }
  accessSync(CHROMIUM, fsConstants.X_OK); // Debian's chromium package; deploy/test.sh installs it
  // Chromium's own scratch files (its singleton socket...) go in a dir of
  // ours, removed when it closes or this process exits.
  const tmp = await mkdtemp(path.join(tmpdir(), 'hearth-e2e-chromium-'));
  let browser;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      env: { ...process.env, TMPDIR: tmp },
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: 30000,
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  const entry = { browser, tmp };
  browsers.add(entry);
  browser.on('disconnected', () => {
    browsers.delete(entry);
    rmSync(tmp, { recursive: true, force: true });
  });
  return browser;
}

function originOf(u) {
  try {
    const url = new URL(u);
    const scheme = { 'ws:': 'http:', 'wss:': 'https:' }[url.protocol] ?? url.protocol;
    return `${scheme}//${url.host}`;
  } catch {
    return null;
  }
}

export async function startServerAndBrowser({ args = [] } = {}) {
  const server = await startServer({ args });
  const browser = await launchBrowser();
  after(async () => {
    await browser.close();
    await server.cleanup();
  });
  return { server, browser };
}

export async function newMember(browser, server, { viewport = PHONE } = {}) {
  const context = await browser.newContext({ viewport, baseURL: server.url });
  context.setDefaultTimeout(20000);
  context.setDefaultNavigationTimeout(30000);
  const member = {
    context, page: null, foreignRequests: [], consoleErrors: [], pageErrors: [], failedResponses: [],
  };
  const own = originOf(server.url);
  const check = (u) => {
    // data:, blob: and about: never leave the browser.
    if (/^(data|blob|about):/.test(u)) return;
    if (originOf(u) !== own) member.foreignRequests.push(u);
  };
  context.on('request', (req) => check(req.url()));
  context.on('requestfailed', (req) => {
    member.failedResponses.push(`${req.failure()?.errorText ?? 'failed'} ${req.url()}`);
  });
  context.on('response', (res) => {
    if (res.status() >= 400) member.failedResponses.push(`${res.status()} ${res.url()}`);
  });
  const watch = (page) => {
    page.on('websocket', (ws) => check(ws.url()));
    page.on('console', (msg) => {
      if (msg.type() === 'error') member.consoleErrors.push(msg.text());
    });
    page.on('pageerror', (err) => member.pageErrors.push(String(err?.stack ?? err)));
  };
  context.on('page', watch);
  member.page = await context.newPage();
  return member;
}

export function expectNoForeignRequests(member) {
  assert.deepEqual(member.foreignRequests, [], 'the page made requests to another origin');
}

export function expectNoPageErrors(member) {
  assert.deepEqual(member.pageErrors, [], 'uncaught errors in the page');
  const csp = member.consoleErrors.filter((t) => /Content Security Policy/i.test(t));
  assert.deepEqual(csp, [], 'the page broke the Content-Security-Policy');
}

// ---- failure screenshots ----

function slug(s) {
  return String(s).replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 80) || 'test';
}

function testFileStem() {
  const main = process.argv[1] ? path.basename(process.argv[1]) : '';
  return slug(main.replace(/\.test\.m?js$/, '').replace(/\.m?js$/, ''));
}

export async function withArtifacts(t, pages, fn) {
  try {
    return await fn();
  } catch (err) {
    const dir = process.env.HEARTH_E2E_ARTIFACTS || path.join(tmpdir(), 'hearth-e2e-artifacts');
    let items = [];
    try {
      items = (typeof pages === 'function' ? pages() : pages) ?? [];
    } catch { /* keep the test's own error */ }
    const base = `${testFileStem()}-${slug(t?.name ?? 'test')}`;
    try { mkdirSync(dir, { recursive: true }); } catch { /* reported below */ }
    let n = 0;
    for (const item of items) {
      n += 1;
      const page = item?.page ?? item;
      const file = path.join(dir, `${base}-${n}.png`);
      try {
        if (!page || page.isClosed()) throw new Error('page is closed');
        await page.screenshot({ path: file, fullPage: true, timeout: SCREENSHOT_TIMEOUT_MS });
        process.stderr.write(`e2e: screenshot of page ${n} (${page.url()}) saved to ${file}\n`);
      } catch (e) {
        process.stderr.write(`e2e: no screenshot of page ${n}: ${e.message}\n`);
      }
      if (item && item.page) {
        for (const k of ['foreignRequests', 'pageErrors', 'consoleErrors', 'failedResponses']) {
          if (item[k]?.length) process.stderr.write(`e2e: page ${n} ${k}:\n  ${item[k].join('\n  ')}\n`);
        }
      }
    }
    throw err;
  }
}
