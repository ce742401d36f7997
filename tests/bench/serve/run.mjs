// How soon an edit reaches the browser under `lantern serve`, on a generated library:
// the time from saving a file to the server's `reload` event, for edits to a document's
// text and for edits to a template, median of --runs each.
//
//   cargo build --release
//   node tests/bench/serve/run.mjs --docs 10000 --runs 20
//
// The library is generated with `cargo run --release --example gen_library` into a
// temporary folder (kept between runs with --keep). Plain Node: no packages needed.

import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../../..');
const args = Object.fromEntries(
  process.argv.slice(2).join(' ').split('--').filter(Boolean)
    .map((a) => a.trim().split(/\s+/)).map(([k, v]) => [k, v ?? true]),
);
const docs = Number(args.docs ?? 10000);
const runs = Number(args.runs ?? 20);
const lantern = path.join(repo, 'target/release/lantern');
const library = path.join(os.tmpdir(), `lantern-serve-bench-${docs}`);

if (!fs.existsSync(lantern)) throw new Error('build lantern first: cargo build --release');
if (!args.keep || !fs.existsSync(path.join(library, 'content'))) {
  fs.rmSync(library, { recursive: true, force: true });
  execFileSync('cargo', ['run', '-q', '--release', '--example', 'gen_library', '--', String(docs), library, '--seed', '1'],
    { cwd: repo, stdio: 'inherit' });
}
fs.rmSync(path.join(library, 'themes'), { recursive: true, force: true });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

// The server, and where it listens.
const server = spawn(lantern, ['serve', '--root', library, '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
let log = '';
const address = await new Promise((resolve, reject) => {
  server.stderr.on('data', (chunk) => {
    log += chunk;
    const m = log.match(/serving at http:\/\/([^/\s]+)\//);
    if (m) resolve(m[1]);
  });
  server.on('exit', () => reject(new Error(`lantern serve stopped:\n${log}`)));
});
const [host, port] = address.split(':');
console.log(`serving ${docs} documents at ${address}`);

// The event stream, as the page of the first case study opens it: each `reload` settles
// the promise waiting for it.
let waiting = null;
const folder = path.join(library, 'content/case-studies');
const files = fs.readdirSync(folder).filter((f) => f.endsWith('.md')).sort().slice(0, runs).map((f) => path.join(folder, f));
const openPage = `/case-studies/${path.basename(files[0], '.md')}/`;
http.get({ host, port, path: `/__lantern/events?page=${encodeURIComponent(openPage)}` }, (res) => {
  res.setEncoding('utf8');
  res.on('data', (text) => {
    if (text.includes('event: reload') && waiting) {
      const w = waiting;
      waiting = null;
      w(performance.now());
    }
  });
});
await sleep(500);

/** Saves `file` with `text`, and returns the milliseconds until the reload event. */
async function timeSave(file, text) {
  const reloaded = new Promise((resolve) => { waiting = resolve; });
  const start = performance.now();
  fs.writeFileSync(file, text);
  const end = await Promise.race([reloaded, sleep(60_000).then(() => NaN)]);
  return end - start;
}

// Edits to the text of documents: a sentence added at the end, as a writer would.
const edits = [];
for (let i = 0; i < runs; i++) {
  const file = files[i % files.length];
  const text = fs.readFileSync(file, 'utf8');
  edits.push(await timeSave(file, `${text}\nA sentence added in edit ${i}.\n`));
  await sleep(1000); // a writer's pause, in which the search index catches up
}

// Edits to a template: the library's own copy of base.html, changed each time.
const base = path.join(repo, 'themes/default/templates/base.html');
const template = path.join(library, 'themes/default/templates/base.html');
fs.mkdirSync(path.dirname(template), { recursive: true });
fs.writeFileSync(template, fs.readFileSync(base, 'utf8'));
await sleep(15_000); // the new folder is picked up with a whole build
const templates = [];
const templateRuns = Number(args['template-runs'] ?? runs);
for (let i = 0; i < templateRuns; i++) {
  const text = fs.readFileSync(base, 'utf8').replace('<body', `<body data-edit="${i}"`);
  templates.push(await timeSave(template, text));
  await sleep(6000); // the rest of the site follows in the background
}

server.kill();
fs.rmSync(path.join(library, 'themes'), { recursive: true, force: true });
const fmt = (xs) => `median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)}, n=${xs.length})`;
console.log(`document text edit -> reload event: ${fmt(edits)}`);
console.log(`template edit      -> reload event: ${fmt(templates)} (the open page first)`);
const whole = [...log.matchAll(/changed: re-rendered every page in (\d+) ms/g)].map((m) => Number(m[1]));
if (whole.length) console.log(`template edit      -> every page re-rendered: ${fmt(whole)}`);
