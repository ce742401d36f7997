// Pagefind behind the contract of lantern's search page, so the benchmark drives both the
// same way. Copied by run.mjs to <pagefind site>/assets/ and loaded by its search/index.html.
//  - reads `q` and the facet parameters from the URL on load and renders the first results
//    into <ol id="search-results">, one <li> with a link per result, then increments
//    the list's data-done counter;
//  - window.lanternSearch.run({q, priority_area: [...], ...}) resolves to
//    {results, counts, ms} once results (their titles and excerpts) and facet counts are in.
// Facets are OR within a facet and AND across facets, as in lantern.

const FACETS = ['type', 'site', 'priority_area', 'outcome', 'ethnic_group', 'year'];
const SHOWN = 10; // results whose data (title, URL, excerpt) is loaded and shown

const pagefind = await import('../pagefind/pagefind.js');
await pagefind.options({ excerptLength: 30 });

async function run(query) {
  const t0 = performance.now();
  const filters = {};
  for (const facet of FACETS) {
    const values = query[facet] || [];
    if (values.length === 1) filters[facet] = values[0];
    else if (values.length > 1) filters[facet] = { any: values };
  }
  const term = query.q ? query.q : null;
  // Pagefind counts only the facets whose filter files it has loaded; pagefind.filters()
  // loads them all (once), as its own UI does. Fetch them and the words' index parts at
  // the same time, then search with everything in memory.
  await Promise.all([pagefind.filters(), term && pagefind.preload(term, { filters })]);
  const search = await pagefind.search(term, { filters });
  const results = await Promise.all(search.results.slice(0, SHOWN).map((r) => r.data()));
  return {
    results,
    total: search.results.length,
    counts: search.filters,
    ms: performance.now() - t0,
  };
}

function render({ results, total, counts }) {
  const list = document.getElementById('search-results');
  list.replaceChildren(...results.map((r) => {
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = r.url;
    a.textContent = r.meta?.title || r.url;
    const p = document.createElement('p');
    p.innerHTML = r.excerpt; // Pagefind's excerpt, with <mark> around the matched words
    li.append(a, p);
    return li;
  }));
  list.dataset.total = String(total);
  list.dataset.counts = JSON.stringify(counts);
  list.dataset.done = String(Number(list.dataset.done || 0) + 1);
}

window.lanternSearch = { run };

const params = new URLSearchParams(location.search);
const query = { q: params.get('q') || '' };
for (const facet of FACETS) query[facet] = params.getAll(facet);
if (query.q || FACETS.some((f) => query[f].length)) render(await run(query));
