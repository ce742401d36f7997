// Unit tests of the search runtime (themes/default/static/search.js), run in Node by
// tests/browser.rs: folding and splitting as the index does, edit distance, synonyms, the
// index's number encoding, and BM25F scores against hand-computed values on the index
// lantern built for tests/fixtures/search-basic/ (argv[2] is that built site).
//
// The runtime loads its index files with <script> tags; here a stand-in document reads
// them from disk into the same context, so the real loading code runs.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';
import { finish, test } from './checks.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const site = process.argv[2];
const runtime = path.join(here, '..', '..', 'themes', 'default', 'static', 'search.js');

function load() {
  const context = { console, URLSearchParams, performance, Promise, setTimeout, clearTimeout, queueMicrotask };
  context.window = context;
  context.document = {
    currentScript: null,
    getElementById: () => null,
    createElement: () => ({}),
    head: {
      appendChild(script) {
        queueMicrotask(() => {
          const file = path.join(site, 'search', script.src);
          if (fs.existsSync(file)) vm.runInContext(fs.readFileSync(file, 'utf8'), context);
          else script.onerror();
        });
      },
    },
  };
  vm.createContext(context);
  vm.runInContext(fs.readFileSync(runtime, 'utf8'), context);
  return context.lanternSearch;
}

const search = load();

test('folds accents and case and splits like src/search/text.rs', () => {
  // The same sentence and terms as the Rust unit test `folds_accents_and_case...`.
  assert.deepEqual(
    [...search.terms("Women's post-partum HAEMORRHAGE, café (16+6 weeks) — naïve ÆRØ")],
    ['women', 'post', 'partum', 'haemorrhage', 'cafe', '16', 'weeks', 'naive', 'aero'],
  );
  assert.deepEqual([...search.terms('BadgerNet™ №5 café')], ['badgernettm', 'no5', 'cafe']);
});

test('every term in the built index survives the runtime folding unchanged', () => {
  const dir = path.join(site, 'search', 't');
  for (const name of fs.readdirSync(dir)) {
    const text = fs.readFileSync(path.join(dir, name), 'utf8');
    const entries = JSON.parse(text.slice(text.indexOf(",") + 1, text.lastIndexOf(")"))).terms;
    for (const [term] of entries) assert.deepEqual([...search.terms(term)], [term]);
  }
});

test('edit distance counts substitutions, insertions, deletions and swaps', () => {
  assert.equal(search.distance('haemorhage', 'haemorrhage', 2), 1);
  assert.equal(search.distance('screneing', 'screening', 2), 1);
  assert.equal(search.distance('kitten', 'sitting', 3), 3);
  assert.equal(search.distance('abcdef', 'uvwxyz', 2), 3, 'stops past the limit');
});

test('synonyms expand abbreviations one way and single words both ways', () => {
  const synonyms = { pph: ['postpartum haemorrhage'], hemorrhage: ['haemorrhage'] };
  assert.deepEqual(JSON.parse(JSON.stringify(search.alternatives('pph', synonyms))), [['pph'], ['postpartum', 'haemorrhage']]);
  assert.deepEqual(JSON.parse(JSON.stringify(search.alternatives('hemorrhage', synonyms))), [['hemorrhage'], ['haemorrhage']]);
  assert.deepEqual(JSON.parse(JSON.stringify(search.alternatives('haemorrhage', synonyms))), [['haemorrhage'], ['hemorrhage']]);
  assert.deepEqual(JSON.parse(JSON.stringify(search.alternatives('postpartum', synonyms))), [['postpartum']]);
});

test('varints decode as src/search/encode.rs writes them', () => {
  assert.deepEqual([...search.varints('0VW1eV')], [0, 31, 32, 1000]);
});

// Hand computation for "zebra", in the title of one of the fixture's three documents:
// N = 3, df = 1: idf = ln(1 + (3 - 1 + 0.5) / (1 + 0.5)) = ln(8/3) = 0.980829.
// Titles have 3, 3 and 7 terms (lengths 2^k - 1 survive quantising exactly), so the
// average is 13/3 and the title's normaliser is 1 - 0.4 + 0.4 × 3 / (13/3) = 0.876923.
// tf~ = 6 (title weight) × 1 / 0.876923 = 6.842105; score = idf × tf~ / (1.2 + tf~)
// = 0.980829 × 0.850785 = 0.834475.
const ZEBRA = 0.834475;

const ranked = (params) => search.run(params);

test('BM25F of a title word matches the hand-computed score', async () => {
  const out = await ranked({ q: 'zebra ' });
  assert.equal(out.results.length, 1);
  assert.ok(Math.abs(out.scores[out.results[0]] - ZEBRA) < 1e-5, `score ${out.scores[out.results[0]]}`);
});

test('a prefix while typing scores half, a one-letter typo 0.35 of the exact score', async () => {
  const prefix = await ranked({ q: 'zeb' });
  assert.ok(Math.abs(prefix.scores[prefix.results[0]] - 0.5 * ZEBRA) < 1e-5);
  const typo = await ranked({ q: 'zebre ' });
  assert.equal(typo.results.length, 1);
  assert.ok(Math.abs(typo.scores[typo.results[0]] - 0.35 * ZEBRA) < 1e-5);
});

test('stemmed forms match below exact ones', async () => {
  const exact = await ranked({ q: 'audit ' });
  const stemmed = await ranked({ q: 'audits ' });
  assert.deepEqual([...exact.results], [...stemmed.results]);
  assert.ok(exact.scores[exact.results[0]] > stemmed.scores[stemmed.results[0]]);
  const unseen = await ranked({ q: 'screenings ' });
  assert.equal(unseen.results.length, 1, 'a form missing from the index finds its stem siblings');
});

test('synonyms and every-word-required hold end to end', async () => {
  const pph = await ranked({ q: 'pph ' });
  const spelled = await ranked({ q: 'hemorrhage ' });
  assert.equal(pph.results.length, 1);
  assert.deepEqual([...spelled.results], [...pph.results]);
  const both = await ranked({ q: 'zebra quiet ' });
  assert.equal(both.results.length, 2, 'no document has both: each with one of two is shown');
  assert.equal(both.partial, 1);
});

test('facet counts leave out their own selection and keep the others', async () => {
  const out = await ranked({ q: '', priority_area: ['preterm-birth'], ethnic_group: ['asian-pakistani'] });
  const facet = (param) => out.counts[out.table.facets.findIndex((f) => f.param === param)];
  assert.equal(out.results.length, 1);
  assert.deepEqual([...facet('priority_area')], [0, 1], 'priority areas counted with the ethnic group only');
  assert.deepEqual([...facet('ethnic_group')], [0, 1], 'ethnic groups counted with the priority area only');
  const years = await ranked({ q: '', year: ['2025-2025'] });
  assert.equal(years.results.length, 2);
  // Repeated years are OR, not the range between them; a range spans its ends.
  assert.equal((await ranked({ q: '', year: ['2023', '2025'] })).results.length, 2);
  assert.equal((await ranked({ q: '', year: ['2023-2025'] })).results.length, 3);
});

await finish();
