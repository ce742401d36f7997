// Browser measurements of one search page (lantern's, or Pagefind behind the same contract):
// cold queries with the bytes and requests they need, time to first results with a delay
// on every request, and the latency of follow-up queries once the index is warm.

import { median } from './build.mjs';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// Records when #search-results' data-done counter changes (epoch ms, like the server log)
// and counts the renders; a MutationObserver callback runs right after the change.
const WATCH_DONE = () => {
  window.__renders = [];
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.attributeName === 'data-done' && r.target.id === 'search-results') {
        window.__renders.push(performance.timeOrigin + performance.now());
      }
    }
  }).observe(document, { attributes: true, attributeFilter: ['data-done'], subtree: true });
};

/** The search page's query string for `{q, facet: [values]}`. */
export function queryString(query) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    for (const v of [value].flat()) if (v) params.append(key, v);
  }
  return params.toString();
}

// The search page's own load, left out of a query's cost: its HTML and CSS (and the
// favicon Chromium asks for).
function isPageLoad(path) {
  return /^\/search\/(index\.html)?$/.test(path) || path.endsWith('.css') || path === '/favicon.ico';
}

/**
 * Opens the search page with `query` in its URL in a fresh browser context (cold cache) and
 * waits for the first render. Returns `{ KiB, requests, ms, results, paths }`: the bytes on
 * the wire and requests finished by then, beyond the page's HTML and CSS; ms from the start
 * of the navigation to the render; results = number of <li> shown.
 */
export async function coldQuery(browser, server, query, { timeoutMs }) {
  const context = await browser.newContext();
  try {
    await context.addInitScript(WATCH_DONE);
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    server.log = [];
    await page.goto(`${server.url}/search/index.html?${queryString(query)}`);
    try {
      await page.waitForFunction(() => window.__renders.length > 0, null, { timeout: timeoutMs });
    } catch {
      const why = errors.length ? `page error: ${errors[0]}` : `no results within ${timeoutMs / 1000} s`;
      throw new Error(why);
    }
    const { doneAt, navStart, results } = await page.evaluate(() => ({
      doneAt: window.__renders[0],
      navStart: performance.timeOrigin,
      results: document.querySelectorAll('#search-results > li').length,
    }));
    const needed = server.log.filter((e) => e.at <= doneAt && !isPageLoad(e.path));
    return {
      KiB: needed.reduce((sum, e) => sum + e.bytes, 0) / 1024,
      requests: needed.length,
      ms: doneAt - navStart,
      results,
      paths: needed.map((e) => `${e.path} ${e.bytes}`),
    };
  } finally {
    await context.close();
  }
}

/** coldQuery `runs` times; the median of each figure. */
export async function coldQueryMedian(browser, server, query, { runs, timeoutMs }) {
  const all = [];
  for (let i = 0; i < runs; i++) all.push(await coldQuery(browser, server, query, { timeoutMs }));
  return {
    KiB: median(all.map((r) => r.KiB)),
    requests: median(all.map((r) => r.requests)),
    ms: median(all.map((r) => r.ms)),
    results: all[0].results,
    paths: all[0].paths,
  };
}

/**
 * Warms the index with `first` (loaded from the URL), then runs each follow-up query through
 * window.lanternSearch.run in the page, twice: the first pass may fetch index parts for new
 * words, the second finds everything cached. Returns `{ fresh, repeat }`, each with
 * p50/p95 of the time around run() measured in the page, in ms.
 */
export async function followUps(browser, server, first, queries, { timeoutMs }) {
  const context = await browser.newContext();
  try {
    await context.addInitScript(WATCH_DONE);
    const page = await context.newPage();
    await page.goto(`${server.url}/search/index.html?${queryString(first)}`);
    await page.waitForFunction(() => window.__renders.length > 0, null, { timeout: timeoutMs });
    const pass = () => page.evaluate(async (qs) => {
      const times = [];
      for (const q of qs) {
        const t0 = performance.now();
        const r = await window.lanternSearch.run(q);
        times.push(performance.now() - t0);
        if (!r || !Array.isArray(r.results) || !r.counts) throw new Error('run() gave no results or counts');
      }
      return times;
    }, queries);
    const fresh = await pass();
    const repeat = await pass();
    return { fresh: percentiles(fresh), repeat: percentiles(repeat) };
  } finally {
    await context.close();
  }
}

function percentiles(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  return { p50: at(0.5), p95: at(0.95) };
}
