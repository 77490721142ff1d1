// Smoke test of what the browser client stands on, whatever its design:
// the HTTP security headers, a page with no inline script and nothing from
// other origins, a clean load in chromium, and the WebSocket's hello.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServerAndBrowser, newMember, expectNoForeignRequests, expectNoPageErrors, withArtifacts,
} from './harness.mjs';

const { server, browser } = await startServerAndBrowser();

async function get(pathname) {
  return fetch(server.url + pathname, { redirect: 'manual', signal: AbortSignal.timeout(10000) });
}

// "a b; c d" -> Map { a => [b], c => [d] } (directive names lowercased).
function parseCsp(header) {
  const m = new Map();
  for (const part of header.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name && !m.has(name.toLowerCase())) m.set(name.toLowerCase(), values);
  }
  return m;
}

// The local files index.html refers to, and its tags, for the static checks.
function tags(html) {
  const out = [];
  const re = /<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/?>/g;
  for (const m of html.matchAll(re)) {
    const attrs = new Map();
    const are = /([^\s=>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;
    for (const a of m[2].matchAll(are)) attrs.set(a[1].toLowerCase(), a[2] ?? a[3] ?? a[4] ?? '');
    out.push({ name: m[1].toLowerCase(), attrs, index: m.index, end: m.index + m[0].length });
  }
  return out;
}

const URL_ATTRS = ['src', 'href', 'action', 'formaction', 'poster', 'data', 'manifest', 'cite', 'background'];

test('GET / is the client page, with the security headers', async () => {
  const res = await get('/');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/html\b/i);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(res.headers.get('referrer-policy'), 'no-referrer');

  const header = res.headers.get('content-security-policy');
  assert.ok(header, 'no Content-Security-Policy header');
  const csp = parseCsp(header);
  assert.deepEqual(csp.get('default-src'), ["'self'"], `default-src is not 'self': ${header}`);
  // No directive lets anything in from another origin: only keywords
  // ('self', 'none', hashes, nonces...) and the local schemes data: / blob:.
  for (const [name, values] of csp) {
    for (const v of values) {
      const ok = /^'[^']*'$/.test(v) || v === 'data:' || v === 'blob:';
      assert.ok(ok, `${name} allows another origin (${v}): ${header}`);
    }
  }
  const script = csp.get('script-src') ?? csp.get('default-src');
  for (const bad of ["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'"]) {
    assert.ok(!script.includes(bad), `scripts allow ${bad}: ${header}`);
  }
  assert.deepEqual(csp.get('object-src'), ["'none'"], `object-src: ${header}`);
  assert.deepEqual(csp.get('frame-ancestors'), ["'none'"], `frame-ancestors: ${header}`);
  await res.arrayBuffer();
});

test('the app is installable: its manifest and every icon it names are served', async () => {
  const res = await get('/manifest.webmanifest');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^application\/manifest\+json/);
  const manifest = await res.json();
  assert.equal(manifest.name, 'Hearth');
  assert.equal(manifest.display, 'standalone');
  const sizes = manifest.icons.map((i) => i.sizes);
  assert.ok(sizes.includes('192x192') && sizes.includes('512x512'), 'icons of 192 and 512 pixels');
  for (const icon of manifest.icons) {
    const img = await get('/' + icon.src);
    assert.equal(img.status, 200, icon.src);
    assert.equal(img.headers.get('content-type'), icon.type, icon.src);
  }
});

test('/healthz answers', async () => {
  const res = await get('/healthz');
  assert.equal(res.status, 200);
  assert.equal((await res.text()).trim(), 'ok');
});

test('index.html has no inline script and nothing from another origin', async () => {
  const res = await get('/');
  const html = await res.text();
  const all = tags(html);
  const origin = new URL(server.url).origin;

  for (const s of all.filter((t) => t.name === 'script')) {
    assert.ok(s.attrs.get('src'), `an inline <script> (every script needs src): ${html.slice(s.index, s.end)}`);
    const close = html.toLowerCase().indexOf('</script', s.end);
    assert.ok(close >= 0, 'a <script> is not closed');
    assert.equal(html.slice(s.end, close).trim(), '', 'a <script src> has a body');
  }
  for (const t of all) {
    for (const [name, value] of t.attrs) {
      assert.ok(!/^on[a-z]+$/.test(name), `an inline event handler (${name}=) on <${t.name}>`);
      if (URL_ATTRS.includes(name) || name === 'srcset') {
        for (const u of name === 'srcset' ? value.split(',').map((x) => x.trim().split(/\s+/)[0]) : [value]) {
          assert.ok(!/^\s*javascript:/i.test(u), `a javascript: URL in <${t.name} ${name}>`);
          if (/^\s*([a-z][a-z0-9+.-]*:)?\/\//i.test(u)) {
            const abs = new URL(u.trim(), server.url);
            assert.equal(abs.origin, origin, `<${t.name} ${name}="${u}"> points to another origin`);
          }
        }
      }
    }
  }
  // No absolute http(s) URL anywhere in the markup, links and text included,
  // unless it is this very server (xmlns names are not fetched).
  const markup = html.replace(/\sxmlns(?::[a-z]+)?\s*=\s*("[^"]*"|'[^']*')/gi, '');
  for (const m of markup.matchAll(/\b(?:https?|wss?):\/\/[^\s"'<>)]+/gi)) {
    assert.equal(new URL(m[0]).origin, origin, `index.html names another origin: ${m[0]}`);
  }

  // What index.html loads is served with a type browsers accept under nosniff.
  for (const t of all) {
    const src = t.name === 'script' ? t.attrs.get('src')
      : t.name === 'link' && /\bstylesheet\b/i.test(t.attrs.get('rel') ?? '') ? t.attrs.get('href') : null;
    if (!src) continue;
    const u = new URL(src, server.url + '/');
    const r = await get(u.pathname + u.search);
    assert.equal(r.status, 200, `${u.pathname}: ${r.status}`);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff', u.pathname);
    const type = r.headers.get('content-type') ?? '';
    const want = t.name === 'script' ? /^(text|application)\/javascript\b/i : /^text\/css\b/i;
    assert.match(type, want, `${u.pathname} is served as ${type || 'no type'}`);
    await r.arrayBuffer();
  }
});

test('loading / in chromium talks only to this server and raises no page errors', async (t) => {
  const member = await newMember(browser, server);
  try {
    await withArtifacts(t, [member], async () => {
      const res = await member.page.goto('/', { waitUntil: 'load' });
      assert.equal(res.status(), 200);
      // Let the client start (connect, lazy loads); bounded: a socket that
      // stays open must not hang the test.
      await member.page.waitForLoadState('networkidle', { timeout: 5000 }).catch(() => {});
      await member.page.waitForTimeout(300);
      expectNoForeignRequests(member);
      expectNoPageErrors(member);
    });
  } finally {
    await member.context.close();
  }
});

test('a WebSocket to /ws with hearth.v1 from the page receives hello, protocol 1', async (t) => {
  const member = await newMember(browser, server);
  try {
    await withArtifacts(t, [member], async () => {
      await member.page.goto('/', { waitUntil: 'load' });
      const got = await member.page.evaluate(() => new Promise((resolve, reject) => {
        const url = new URL('/ws', location.href);
        url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
        const ws = new WebSocket(url.href, 'hearth.v1');
        const timer = setTimeout(() => { ws.close(); reject(new Error('no frame within 10 s')); }, 10000);
        ws.onmessage = (e) => {
          clearTimeout(timer);
          resolve({ protocol: ws.protocol, data: String(e.data) });
          ws.close(1000);
        };
        ws.onclose = (e) => { clearTimeout(timer); reject(new Error(`closed ${e.code} before any frame`)); };
      }));
      assert.equal(got.protocol, 'hearth.v1');
      let msg = JSON.parse(got.data);
      if (Array.isArray(msg)) msg = msg[0]; // a batch: hello still comes first
      assert.equal(msg?.type, 'hello', `first frame: ${got.data}`);
      assert.equal(msg.protocol, 1, `first frame: ${got.data}`);
      expectNoForeignRequests(member);
    });
  } finally {
    await member.context.close();
  }
});
