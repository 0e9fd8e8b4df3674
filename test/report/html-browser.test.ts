/**
 * The ticket reports of every bundled sample, as a user makes them (`ajp-inspect SAMPLE/capture.pcap
 * --log … -T html -o r.html` and `-T markdown`), checked for leaked secrets, and the HTML pages
 * loaded in a real headless Chromium (Debian's `chromium`, driven by playwright-core): no console
 * error, no network request, the verdict, every finding and every connection diagram present and
 * visible, headings, titles on figures, keyboard reachability. Screenshots go to test-artifacts/
 * (git-ignored), to look at, never compared.
 *
 * The browser: $CHROMIUM_PATH, else the first of the usual system paths. Without one the browser
 * part is skipped with a message, except under CI=true where it fails (.ci/run installs chromium).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pool, root, runCliAsync, useTempDirs } from '../helpers/cli.js';

const tempDir = useTempDirs('ajp-html-');

const SAMPLES = readdirSync(join(root, 'samples'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(root, 'samples', d.name, 'capture.pcap')))
  .map((d) => d.name)
  .sort();

/** The logs a sample has, as its README lists them (the web server's and the container's). */
function logsOf(sample: string): string[] {
  return ['mod_jk.log', 'error_log', 'catalina.out'].map((f) => join('samples', sample, f)).filter((p) => existsSync(join(root, p)));
}

/** Known secret values of a sample: the AJP secrets of its configs, cookie/Authorization values tshark decoded. */
function secretsOf(sample: string): string[] {
  const dir = join(root, 'samples', sample);
  const out = new Set<string>();
  for (const f of ['workers.properties', 'server-connector.xml', 'httpd-snippet.conf', 'httpd.conf']) {
    const p = join(dir, f);
    if (!existsSync(p)) continue;
    // workers.properties `worker.x.secret=V`, server.xml `secret="V"`, ProxyPass `secret=V`
    for (const m of readFileSync(p, 'utf8').matchAll(/\bsecret\s*=\s*"?([^"\s,>]+)/gi)) if (m[1]!.length >= 6) out.add(m[1]!);
  }
  // tshark's own decode of the capture (samples/make/tshark-views.sh): every cookie, Authorization and secret.
  const view = join(dir, 'capture.ajp13.json');
  if (existsSync(view)) {
    for (const m of readFileSync(view, 'utf8').matchAll(/"ajp13\.(cookie|authorization|secret|set_cookie)": "([^"]+)"/g)) {
      // Cookie values: the value after `name=`, long enough to be unique (the first 24 characters).
      for (const part of m[2]!.split(/;\s*/)) {
        const v = m[1] === 'cookie' ? part.slice(part.indexOf('=') + 1) : part;
        if (v.length >= 6) out.add(v.slice(0, 24));
      }
    }
  }
  return [...out];
}

interface Made {
  sample: string;
  html: string;
  md: string;
  htmlPath: string;
  code: number;
  stderr: string;
}

let made: Made[] = [];
let out = '';

beforeAll(async () => {
  out = tempDir();
  made = await pool(
    SAMPLES.map((s) => async () => {
      const args = [join('samples', s, 'capture.pcap'), ...logsOf(s).flatMap((l) => ['--log', l])];
      const htmlPath = join(out, `${s}.html`);
      const h = await runCliAsync([...args, '-T', 'html', '-o', htmlPath]);
      const m = await runCliAsync([...args, '-T', 'markdown']);
      return { sample: s, html: existsSync(htmlPath) ? readFileSync(htmlPath, 'utf8') : '', md: m.stdout, htmlPath, code: Math.max(h.code, m.code), stderr: h.stderr + m.stderr };
    }),
    2,
  );
}, 120_000);

describe('ticket reports of every sample', () => {
  it('every sample gives an HTML page and a Markdown report (exit 0 or 1, nothing on stderr but warnings)', () => {
    expect(made.map((x) => x.sample)).toEqual(SAMPLES);
    for (const x of made) {
      expect(x.code, `${x.sample}: ${x.stderr}`).toBeLessThan(2);
      expect(x.html, x.sample).toMatch(/^<!DOCTYPE html>/);
      expect(x.md, x.sample).toMatch(/^\*\*Verdict:\*\* /);
    }
  });

  it('no known secret, cookie or Authorization value appears in any report without --show-secrets', () => {
    let checked = 0;
    for (const x of made) {
      for (const v of secretsOf(x.sample)) {
        checked++;
        expect(x.html.includes(v), `${x.sample}: ${v} in the HTML report`).toBe(false);
        expect(x.md.includes(v), `${x.sample}: ${v} in the Markdown report`).toBe(false);
      }
    }
    // secret-mismatch has two secrets, packet-size its cookie: the check is not vacuous.
    expect(checked).toBeGreaterThanOrEqual(3);
  });

  it('with --show-secrets the page says so', async () => {
    const p = join(out, 'shown.html');
    await runCliAsync(['samples/secret-mismatch/capture.pcap', '--show-secrets', '-T', 'html', '-o', p]);
    expect(readFileSync(p, 'utf8')).toMatch(/written with --show-secrets/);
  });

  it('pages load nothing: a CSP forbids every fetch and no src/href points outside the page but reference links', () => {
    for (const x of made) {
      expect(x.html).toContain(`content="default-src 'none'`);
      expect(x.html.match(/\ssrc=/g), x.sample).toBeNull();
      expect(x.html, x.sample).not.toMatch(/<link\b|@import|url\(\s*['"]?https?:/);
    }
  });
});

// ---- the browser --------------------------------------------------------------------------------

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'].filter((p): p is string => !!p);
const browserPath = CANDIDATES.find((p) => existsSync(p));
const inCi = process.env.CI === 'true' || process.env.CI === '1';

describe('the HTML report in a real browser', () => {
  if (browserPath === undefined && !inCi) {
    it.skip(`no Chromium found (${CANDIDATES.join(', ')}): install Debian's chromium or set CHROMIUM_PATH`, () => {});
    return;
  }

  type Browser = Awaited<ReturnType<(typeof import('playwright-core'))['chromium']['launch']>>;
  let browser: Browser | undefined;
  const artifacts = join(root, 'test-artifacts', 'html-report');

  beforeAll(async () => {
    if (browserPath === undefined) throw new Error(`CI=true but no Chromium found (${CANDIDATES.join(', ')}): .ci/run installs Debian's chromium`);
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: browserPath, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
    mkdirSync(artifacts, { recursive: true });
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('every sample: no console error, no request, verdict, findings and diagrams visible, accessible basics', async () => {
    expect(browser).toBeDefined();
    const context = await browser!.newContext({ viewport: { width: 1200, height: 900 }, javaScriptEnabled: true });
    for (const x of made) {
      const page = await context.newPage();
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      const url = pathToFileURL(x.htmlPath).href;
      await page.route('**/*', (route) => {
        const u = route.request().url();
        if (u === url) return route.continue();
        requests.push(u);
        return route.abort();
      });
      await page.goto(url, { waitUntil: 'load' });
      expect(problems, x.sample).toEqual([]);
      expect(requests, x.sample).toEqual([]);

      // The verdict first, and visible without scrolling.
      const verdict = page.locator('#verdict');
      await expect.poll(() => verdict.isVisible()).toBe(true);
      const vbox = await verdict.boundingBox();
      expect(vbox!.y, x.sample).toBeLessThan(900);
      expect(await verdict.textContent(), x.sample).toMatch(/^Verdict: /);
      expect(await page.locator('h1').count()).toBe(1);

      // Every finding of the Markdown report is an article with a heading, visible.
      const ids = [...x.md.matchAll(/^#{3,4} [\d.]+\. .* \(`([^`]+)`\)/gm)].map((m) => m[1]);
      const articles = page.locator('article.finding');
      expect(await articles.count(), x.sample).toBe(ids.length);
      for (let i = 0; i < ids.length; i++) {
        const a = page.locator(`article.finding[data-finding="${ids[i]}"]`).first();
        expect(await a.isVisible(), `${x.sample} ${ids[i]}`).toBe(true);
        expect(await a.locator('h3, h4, h5, h6').first().isVisible()).toBe(true);
      }

      // Each connection diagram drawn: an SVG with a title, visible and of real size.
      const conns = page.locator('figure.conn');
      const nConn = await conns.count();
      const said = /(\d+) of (\d+) connections? drawn/.exec((await page.locator('#connections p').first().textContent().catch(() => '')) ?? '');
      if (said) expect(nConn, x.sample).toBe(Number(said[1]));
      // One round trip for all diagrams: each an SVG of real size, not hidden, titled as a connection.
      const boxes = await conns.evaluateAll((els) =>
        els.map((fig) => {
          const svg = fig.querySelector('svg');
          const r = svg?.getBoundingClientRect();
          const cs = svg ? fig.ownerDocument.defaultView?.getComputedStyle(svg) : undefined;
          return { h: r?.height ?? 0, w: r?.width ?? 0, shown: cs !== undefined && cs.visibility !== 'hidden' && cs.display !== 'none', title: svg?.querySelector('title')?.textContent ?? '' };
        }),
      );
      boxes.forEach((b, i) => {
        expect(b.shown && b.w > 300 && b.h > 60, `${x.sample} diagram ${i}: ${JSON.stringify(b)}`).toBe(true);
        expect(b.title).toMatch(/^AJP connection tcp\.stream \d+/);
      });
      // Every figure has a title and a caption; every SVG is an image to assistive technology.
      const figs = await page.locator('svg.fig').evaluateAll((els) => els.map((e) => ({ role: e.getAttribute('role'), title: e.querySelector('title')?.textContent ?? '', labelled: e.getAttribute('aria-labelledby') })));
      for (const f of figs) {
        expect(f.role).toBe('img');
        expect(f.title.length).toBeGreaterThan(5);
        expect(f.labelled).toBeTruthy();
      }
      expect(await page.locator('figure:not(:has(figcaption))').count()).toBe(0);
      // Headings in order (no level skipped downwards from h1).
      const levels = await page.locator('h1, h2, h3, h4, h5, h6').evaluateAll((els) => els.map((e) => Number(e.tagName[1])));
      for (let i = 1; i < levels.length; i++) expect(levels[i]! - levels[i - 1]!, `${x.sample} heading ${i}`).toBeLessThanOrEqual(1);

      // Keyboard: the first Tab reaches the skip link, and the findings are reachable from it.
      await page.keyboard.press('Tab');
      expect(await page.evaluate('document.activeElement && document.activeElement.getAttribute("href")')).toBe('#findings');
      // Figures take focus (zoom with Enter), and the filter appears only with JavaScript.
      if (nConn > 0) {
        expect(await page.locator('#controls').isVisible()).toBe(true);
        await conns.first().focus();
        await page.keyboard.press('Enter');
        expect(await conns.first().getAttribute('class')).toMatch(/zoom/);
        await page.keyboard.press('Enter');
        await page.fill('#filter', 'no-such-connection-xyz');
        expect(await conns.first().isVisible()).toBe(false);
        await page.fill('#filter', '');
      }
      expect(problems, x.sample).toEqual([]);
      await page.evaluate('window.scrollTo(0, 0)');
      await page.screenshot({ path: join(artifacts, `${x.sample}.png`), fullPage: false });
      await page.close();
    }
    await context.close();
  }, 60_000);

  it('with JavaScript off the page shows everything but the filter', async () => {
    const context = await browser!.newContext({ javaScriptEnabled: false, viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    const x = made.find((m) => m.sample === 'backend-restart') ?? made[0]!;
    await page.goto(pathToFileURL(x.htmlPath).href);
    expect(await page.locator('#verdict').isVisible()).toBe(true);
    expect(await page.locator('#controls').isVisible()).toBe(false);
    const n = await page.locator('figure.conn').count();
    if (n > 0) expect(await page.locator('figure.conn').first().isVisible()).toBe(true);
    await context.close();
  });
});
