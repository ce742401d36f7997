/* Lantern search runtime: plain JavaScript, no dependencies, no network but the index
   files beside the search page, which are classic scripts so that search also works from
   file://. The index format is written by src/search/ (see its module comments).

   A query is split into words (folded like src/search/text.rs). Each word, and each of its
   synonyms from library.yaml, is looked up in the one term shard where it would sort: an
   exact term, terms sharing its stem, terms it begins (for the word being typed) and, when
   none of these exist, terms within one or two edits. Documents are scored with BM25F and
   must match every word; when none does, those matching the most words are shown. Facet
   counts come from the document table: each facet is counted without its own selection. */
(function () {
  'use strict';

  var DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_';
  var VAL = {};
  for (var i = 0; i < DIGITS.length; i++) VAL[DIGITS[i]] = i;

  // Match kinds, best first, and how much each counts.
  var EXACT = 1, STEMMED = 0.7, PREFIX = 0.5, FUZZY1 = 0.35, FUZZY2 = 0.25;
  var PAGE = 10;

  /* ---------- Text: the same folding and splitting as the index ---------- */

  var LETTERS = { 'æ': 'ae', 'ø': 'o', 'ß': 'ss', 'œ': 'oe', 'ł': 'l', 'đ': 'd', 'ð': 'd', 'þ': 'th', 'ı': 'i' };
  function fold(text) {
    return text.normalize('NFKD').toLowerCase().replace(/[\u0300-\u036f]/g, '')
      .replace(/[æøßœłđðþı]/g, function (c) { return LETTERS[c]; });
  }
  function terms(text) {
    return fold(text).split(/[^a-z0-9]+/).filter(function (t) { return t.length >= 2; });
  }

  /* ---------- Decoding ---------- */

  function varints(text) {
    var out = [], value = 0, scale = 1;
    for (var i = 0; i < text.length; i++) {
      var c = VAL[text[i]];
      value += (c & 31) * scale;
      if (c & 32) { scale *= 32; } else { out.push(value); value = 0; scale = 1; }
    }
    return out;
  }
  function fixed(text, at, width) {
    var v = 0;
    for (var k = 0; k < width; k++) v = v * 64 + VAL[text[at + k]];
    return v;
  }

  /** The document table from meta.js, as typed arrays. */
  function table(meta) {
    var n = meta.count, t = { n: n, meta: meta, lengths: [], facets: [], years: new Int16Array(n) };
    meta.lengths.forEach(function (column) {
      var list = column ? new Float64Array(n) : null;
      for (var d = 0; list && d < n; d++) list[d] = Math.pow(2, VAL[column[d]] / 4) - 1;
      t.lengths.push(list);
    });
    for (var d = 0; d < n; d++) {
      var y = fixed(meta.years.column, d * meta.years.width, meta.years.width);
      t.years[d] = y ? meta.years.first + y - 1 : 0;
    }
    meta.facets.forEach(function (facet) {
      // `has` answers "does d have value v"; `from`/`values` list each document's values,
      // which counting walks (a document has one or two values of a facet, not dozens).
      var nv = facet.ids.length, has = new Uint8Array(n * nv), w = facet.width;
      var from = new Int32Array(n + 1), values = [];
      for (var d = 0; d < n; d++) {
        from[d] = values.length;
        for (var v = 0; v < nv; v++) {
          var c = VAL[facet.column[d * w + w - 1 - ((v / 6) | 0)]];
          has[d * nv + v] = (c >> (v % 6)) & 1;
          if (has[d * nv + v]) values.push(v);
        }
      }
      from[n] = values.length;
      t.facets.push({ param: facet.param, ids: facet.ids, labels: facet.labels, nv: nv, has: has,
        from: from, values: Uint16Array.from(values) });
    });
    return t;
  }

  /** A term's postings: documents and per-field frequencies. */
  function postings(entry) {
    if (entry.docs) return entry;
    var v = varints(entry[3]), docs = [], tf = [], doc = -1;
    for (var i = 0; i < v.length;) {
      doc += v[i++] + 1;
      var mask = v[i++], row = [0, 0, 0, 0];
      for (var f = 0; f < 4; f++) if (mask & (1 << f)) row[f] = v[i++];
      docs.push(doc); tf.push(row);
    }
    entry.docs = docs; entry.tf = tf;
    return entry;
  }

  /* ---------- Loading index files ---------- */

  var waiting = {}, loaded = {};
  window.LanternSearchData = function (name, data) {
    if (waiting[name]) { waiting[name](data); delete waiting[name]; }
  };
  function load(name) {
    if (!loaded[name]) {
      loaded[name] = new Promise(function (resolve, reject) {
        waiting[name] = resolve;
        var script = document.createElement('script');
        script.src = name + '.js';
        script.onerror = function () { delete loaded[name]; reject(new Error('cannot load ' + name)); };
        document.head.appendChild(script);
      });
    }
    return loaded[name];
  }

  var index = null;
  function ready() {
    if (!index) index = load('meta').then(table, function (err) { index = null; throw err; });
    return index;
  }

  function shardOf(firsts, word) {
    var lo = 0, hi = firsts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (firsts[mid] <= word) lo = mid; else hi = mid - 1;
    }
    return lo;
  }
  // From loaded shards: cards (page, title, type, date) of each term's top documents, and
  // the snippet of each top document for that term.
  var cards = {}, snips = {};
  function shard(n) {
    return load('t/' + n).then(function (data) {
      if (!data.seen) {
        data.seen = true;
        data.cards.forEach(function (c) { cards[c[0]] = c; });
        data.terms.forEach(function (e) {
          var bydoc = snips[e[0]] = {};
          e[4].forEach(function (top) { bydoc[top[0]] = top; });
        });
      }
      return data.terms;
    });
  }

  /* ---------- Matching words to terms ---------- */

  /** Edit distance with transpositions, or max + 1 once it must exceed max. */
  function distance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var prev2 = null, prev = [], cur;
    for (var j = 0; j <= b.length; j++) prev.push(j);
    for (var i = 1; i <= a.length; i++) {
      cur = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
        cur.push(v);
        if (v < best) best = v;
      }
      if (best > max) return max + 1;
      prev2 = prev; prev = cur;
    }
    return prev[b.length];
  }

  function stemOf(entry) { return entry[1] || entry[0]; }

  /** The terms a word matches, each with how well: `[{entry, weight}]`. */
  function matches(word, prefix, meta) {
    var firsts = meta.shards, lasts = meta.lasts;
    if (!firsts.length) return Promise.resolve([]);
    var n = shardOf(firsts, word);
    var wanted = [n];
    if (prefix && n + 1 < firsts.length && firsts[n + 1].lastIndexOf(word, 0) === 0) wanted.push(n + 1);
    var add = function (out, e, weight) {
      if (out.every(function (m) { return m.entry !== e; })) out.push({ entry: e, weight: weight });
    };
    return Promise.all(wanted.map(shard)).then(function (shards) {
      var entries = [].concat.apply([], shards), out = [], exact = null;
      entries.forEach(function (e) { if (e[0] === word) exact = e; });
      if (exact) out.push({ entry: exact, weight: EXACT });
      // The stem: the word's own, or for a word missing from the index, the stem of a longer
      // term that the word begins with (`screenings` → the stem `screen` of `screening`).
      var stem = exact ? stemOf(exact) : null;
      if (!stem) {
        entries.forEach(function (e) {
          if (e[1] && e[1].length >= 3 && word.lastIndexOf(e[1], 0) === 0 && word.length - e[1].length <= 4 &&
            (!stem || e[1].length > stem.length)) stem = e[1];
        });
      }
      // Terms sharing a stem sort just after it, which may be in the shards either side.
      var more = [];
      if (stem && n > 0 && lasts[n - 1] >= stem && wanted.indexOf(n - 1) < 0) more.push(n - 1);
      if (stem && n + 1 < firsts.length && firsts[n + 1].lastIndexOf(stem, 0) === 0 && wanted.indexOf(n + 1) < 0) more.push(n + 1);
      return Promise.all(more.map(shard)).then(function (extra) {
        var all = entries.concat.apply(entries, extra);
        if (stem) all.forEach(function (e) { if (e !== exact && stemOf(e) === stem) add(out, e, STEMMED); });
        if (prefix && word.length >= 2) {
          entries.filter(function (e) { return e !== exact && e[0].lastIndexOf(word, 0) === 0; })
            .sort(function (a, b) { return b[2] - a[2]; }).slice(0, 30)
            .forEach(function (e) { add(out, e, PREFIX); });
        }
        if (exact || out.length && !fuzzyToo(word, out) || word.length < 5) return out;
        // Words within one or two edits share at least their first two letters here; those
        // may run into the shards either side.
        var head = word.slice(0, 2), near = [Promise.resolve(all)];
        if (n > 0 && lasts[n - 1].lastIndexOf(head, 0) === 0 && wanted.concat(more).indexOf(n - 1) < 0) near.push(shard(n - 1));
        if (n + 1 < firsts.length && firsts[n + 1].lastIndexOf(head, 0) === 0 && wanted.concat(more).indexOf(n + 1) < 0) near.push(shard(n + 1));
        return Promise.all(near).then(function (lists) {
          var max = word.length <= 8 ? 1 : 2;
          [].concat.apply([], lists).forEach(function (e) {
            var d = distance(word, e[0], max);
            if (d <= max) add(out, e, d === 1 ? FUZZY1 : FUZZY2);
          });
          return out;
        });
      });
    });
  }

  /** Whether a word that is not in the index should still look for typos: when all it has
      is a guessed stem much shorter than itself (`outrech` begins `out`). */
  function fuzzyToo(word, out) {
    return out.every(function (m) { return m.weight === STEMMED && stemOf(m.entry).length < word.length - 2; });
  }

  /* ---------- Scoring ---------- */

  /** BM25F of one term in every document it occurs in, times the match weight. */
  function bm25f(t, entry, weight, into) {
    var meta = t.meta, p = postings(entry), n = t.n, df = p.docs.length;
    var idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
    for (var i = 0; i < df; i++) {
      var d = p.docs[i], tf = 0;
      for (var f = 0; f < 4; f++) {
        var raw = p.tf[i][f];
        if (raw) tf += meta.weights[f] * raw / (t.lengths[f] ? 1 - meta.b[f] + meta.b[f] * t.lengths[f][d] / meta.average[f] : 1);
      }
      var s = weight * idf * tf / (meta.k1 + tf);
      if (s > into[d]) into[d] = s;
    }
  }

  /** The alternatives for one query word: the word, then its synonyms as word lists. */
  function alternatives(word, synonyms) {
    var out = [[word]];
    Object.keys(synonyms).forEach(function (key) {
      var keyTerms = terms(key);
      synonyms[key].forEach(function (phrase) {
        var list = terms(phrase);
        if (keyTerms.length === 1 && keyTerms[0] === word) out.push(list);
        else if (list.length === 1 && list[0] === word && keyTerms.length) out.push(keyTerms);
      });
    });
    return out;
  }

  /** Scores every document for a query: `{scores, hits, clauses, matched}`. */
  function score(t, query) {
    var words = terms(query), prefixLast = !/\s$/.test(query);
    var matched = Object.create(null);
    return Promise.all(words.map(function (word, w) {
      var alts = alternatives(word, t.meta.synonyms || {});
      return Promise.all(alts.map(function (alt) {
        return Promise.all(alt.map(function (part) {
          return matches(part, prefixLast && w === words.length - 1 && alt.length === 1 && alt[0] === word, t.meta);
        }));
      })).then(function (perAlt) {
        // Clause score per document: the best alternative whose words all match.
        var clause = new Float64Array(t.n);
        perAlt.forEach(function (parts) {
          var sum = null;
          parts.forEach(function (list) {
            var best = new Float64Array(t.n);
            list.forEach(function (m) { matched[m.entry[0]] = true; bm25f(t, m.entry, m.weight, best); });
            if (sum === null) { sum = best; return; }
            for (var d = 0; d < t.n; d++) sum[d] = sum[d] && best[d] ? sum[d] + best[d] : 0;
          });
          for (var d = 0; sum && d < t.n; d++) if (sum[d] > clause[d]) clause[d] = sum[d];
        });
        return clause;
      });
    })).then(function (clauses) {
      var scores = new Float64Array(t.n), hits = new Uint8Array(t.n);
      clauses.forEach(function (c) {
        for (var d = 0; d < t.n; d++) if (c[d]) { scores[d] += c[d]; hits[d]++; }
      });
      return { scores: scores, hits: hits, clauses: clauses.length, matched: matched };
    });
  }

  /* ---------- Facets ---------- */

  /** The filters document `d` fails: -1 for none, the failing facet's index (or
      `years` for the year range) for exactly one, -2 for more. */
  function failing(t, d, sel) {
    var fails = -1;
    for (var f = 0; f < t.facets.length; f++) {
      var chosen = sel.facets[f];
      if (!chosen.length) continue;
      var facet = t.facets[f], ok = false;
      for (var k = 0; k < chosen.length && !ok; k++) ok = facet.has[d * facet.nv + chosen[k]] === 1;
      if (!ok) { if (fails !== -1) return -2; fails = f; }
    }
    if (sel.years && !sel.years.some(function (r) { return t.years[d] >= r[0] && t.years[d] <= r[1]; })) {
      if (fails !== -1) return -2;
      fails = t.facets.length;
    }
    return fails;
  }

  /** Results and counts for a scored query (or every document when there is no query):
      a facet's counts come from the documents that pass every other filter. */
  function filter(t, scored, sel) {
    var pool = [], top = 0, d;
    if (scored && scored.clauses) {
      for (d = 0; d < t.n; d++) if (scored.hits[d] > top) top = scored.hits[d];
      for (d = 0; d < t.n; d++) if (top && scored.hits[d] === top) pool.push(d);
    } else if (!scored) {
      for (d = 0; d < t.n; d++) pool.push(d);
    }
    var yearFacet = t.facets.length, results = [], years = {};
    var counts = t.facets.map(function (facet) { return new Array(facet.nv).fill(0); });
    pool.forEach(function (d) {
      var fails = failing(t, d, sel);
      if (fails === -1) results.push(d);
      if (fails === -2) return;
      t.facets.forEach(function (facet, f) {
        if (fails !== -1 && fails !== f) return;
        var c = counts[f];
        for (var k = facet.from[d]; k < facet.from[d + 1]; k++) c[facet.values[k]]++;
      });
      if (t.years[d] && (fails === -1 || fails === yearFacet)) years[t.years[d]] = (years[t.years[d]] || 0) + 1;
    });
    if (scored && scored.clauses) results.sort(function (a, b) { return scored.scores[b] - scored.scores[a] || a - b; });
    else results.sort(function (a, b) { return t.years[b] - t.years[a] || a - b; });
    return { results: results, counts: counts, years: years, partial: scored && top < scored.clauses ? top : 0 };
  }

  /** Facet selections from parameters: `{facets: [[value index]], years: [from, to] | null}`. */
  function selection(t, params) {
    var sel = { facets: [], years: null };
    t.facets.forEach(function (facet) {
      sel.facets.push((params[facet.param] || []).map(function (id) { return facet.ids.indexOf(id); })
        .filter(function (v) { return v >= 0; }));
    });
    // Each `year` is a year or a range `A-B`; a document passes when it is in any of them.
    var ranges = (params.year || []).map(function (y) {
      var ends = String(y).split('-').map(Number);
      return [ends[0], ends.length > 1 ? ends[1] : ends[0]];
    }).filter(function (r) { return r[0] > 0 && r[1] >= r[0]; });
    if (ranges.length) sel.years = ranges;
    return sel;
  }

  /** Runs a search: `{q, type: [...], site: [...], ..., year: ['2023-2025']}`. */
  function run(params) {
    var started = performance.now();
    return ready().then(function (t) {
      var q = (params.q || '').trim() ? params.q : '';
      return (terms(q).length ? score(t, q) : Promise.resolve(q ? { clauses: 0 } : null)).then(function (scored) {
        var out = filter(t, scored, selection(t, params));
        out.matched = scored && scored.matched ? Object.keys(scored.matched) : [];
        out.scores = scored && scored.scores;
        out.words = terms(q);
        out.table = t;
        out.ms = performance.now() - started;
        return out;
      });
    });
  }

  /* ---------- Results: cards, bundles and snippets ---------- */

  function bundles(t, docs) {
    var size = t.meta.bundle, names = {};
    docs.forEach(function (d) { names[(d / size) | 0] = true; });
    return Promise.all(Object.keys(names).map(function (b) {
      return load('b/' + b).then(function (bundle) { return [b, bundle]; });
    })).then(function (list) {
      var byBundle = {};
      list.forEach(function (pair) { byBundle[pair[0]] = pair[1]; });
      return docs.map(function (d) { return byBundle[(d / size) | 0][d % size]; });
    });
  }

  /** From a bundle entry: the section with most matched words, and a window of its words. */
  function fromBundle(entry, matched) {
    var sections = [['', '', entry[4]]].concat(entry[5]), best = sections[0], bestHits = -1;
    sections.forEach(function (s) {
      var hits = terms(s[2]).filter(function (w) { return matched[w]; }).length;
      if (hits > bestHits) { best = s; bestHits = hits; }
    });
    var words = best[2].split(/\s+/), first = -1;
    for (var i = 0; i < words.length && first < 0; i++) {
      if (terms(words[i]).some(function (w) { return matched[w]; })) first = i;
    }
    var from = Math.max(0, first - 10), to = Math.min(words.length, from + 30);
    return { page: entry[0], title: entry[1], type: entry[2], date: entry[3], section: best,
      words: words.slice(from, to), cut: [from > 0, to < words.length] };
  }

  /** From a shard's card and a matched term's snippet, when the document is a top one. */
  function fromCard(d, order) {
    var card = cards[d];
    for (var i = 0; card && i < order.length; i++) {
      var top = snips[order[i]] && snips[order[i]][d];
      if (top) {
        return { page: card[1], title: card[2], type: card[3], date: card[4], section: [top[1], top[2]],
          words: top[3] ? top[3].split(' ') : [], cut: [top[4] === 1, top[5] === 1] };
      }
    }
    return null;
  }

  /** What each result shows: from cards where it can, else from result bundles. */
  function display(t, docs, out, matched) {
    var order = out.words.filter(function (w) { return matched[w]; })
      .concat(out.matched.filter(function (w) { return out.words.indexOf(w) < 0; }));
    var quick = docs.map(function (d) { return fromCard(d, order); });
    var missing = docs.filter(function (d, k) { return !quick[k]; });
    return bundles(t, missing).then(function (list) {
      var byDoc = {};
      missing.forEach(function (d, k) { byDoc[d] = fromBundle(list[k], matched); });
      return docs.map(function (d, k) { return quick[k] || byDoc[d]; });
    });
  }

  /* ---------- The page ---------- */

  var PARAMS = ['type', 'site', 'priority_area', 'outcome', 'ethnic_group', 'year'];

  function readUrl() {
    var params = { q: '' }, search = new URLSearchParams(location.search);
    params.q = search.get('q') || '';
    PARAMS.forEach(function (p) { params[p] = search.getAll(p); });
    return params;
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { node.append(c); });
    return node;
  }

  function page(root) {
    var form = document.getElementById('search-form');
    var box = document.getElementById('search-q');
    var list = document.getElementById('search-results');
    var status = document.getElementById('search-status');
    var more = document.getElementById('search-more');
    var from = document.getElementById('year-from'), to = document.getElementById('year-to');
    var state = { shown: PAGE, serial: 0, done: 0, years: null };

    function params() {
      var p = { q: box.value };
      PARAMS.forEach(function (name) { p[name] = []; });
      form.querySelectorAll('input[type=checkbox]:checked').forEach(function (c) { p[c.name].push(c.value); });
      // Years from the address stay as written (a list of years is not a range) until the
      // reader changes the range.
      if (state.years) p.year = state.years.slice();
      else if (from.value || to.value) p.year = [(from.value || from.options[1].value) + '-' + (to.value || to.options[to.options.length - 1].value)];
      return p;
    }

    function setControls(p) {
      box.value = p.q;
      form.querySelectorAll('input[type=checkbox]').forEach(function (c) { c.checked = (p[c.name] || []).indexOf(c.value) >= 0; });
      var ys = (p.year || []).join(',').split(/[,-]/).filter(Boolean).map(Number);
      from.value = ys.length ? String(Math.min.apply(null, ys)) : '';
      to.value = ys.length ? String(Math.max.apply(null, ys)) : '';
    }

    function writeUrl(p) {
      var search = new URLSearchParams();
      if (p.q.trim()) search.set('q', p.q.trim());
      PARAMS.forEach(function (name) { (p[name] || []).forEach(function (v) { search.append(name, v); }); });
      var text = search.toString();
      try { history.replaceState(null, '', text ? '?' + text : location.pathname); } catch (e) { /* some file:// setups refuse */ }
    }

    function showCounts(out) {
      out.table.facets.forEach(function (facet, f) {
        facet.ids.forEach(function (id, v) {
          var span = document.getElementById('count-' + facet.param + '-' + id);
          if (span) span.textContent = '(' + out.counts[f][v] + ')';
        });
      });
      [from, to].forEach(function (select) {
        Array.prototype.forEach.call(select.options, function (o) {
          if (o.value) o.textContent = o.value + ' (' + (out.years[o.value] || 0) + ')';
        });
      });
    }

    function render(out, serial) {
      var shown = out.results.slice(0, state.shown);
      var matched = Object.create(null);
      out.matched.forEach(function (w) { matched[w] = true; });
      return display(out.table, shown, out, matched).then(function (data) {
        if (serial !== state.serial) return;
        var items = data.map(function (s, k) {
          var d = shown[k], t = out.table;
          var href = root + s.page + (s.section[0] ? '#' + s.section[0] : '');
          var sites = [], site = t.facets[1];
          for (var v = 0; v < site.nv; v++) if (site.has[d * site.nv + v]) sites.push(site.labels[v]);
          var meta = [t.facets[0].labels[s.type]].concat(sites);
          if (s.date) meta.push(new Date(s.date + 'T00:00:00Z').toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }));
          var text = el('p', { class: 'result-snippet' });
          if (s.cut[0]) text.append('… ');
          s.words.forEach(function (word, n) {
            if (n) text.append(' ');
            if (terms(word).some(function (w) { return matched[w]; })) text.append(el('mark', {}, [word]));
            else text.append(word);
          });
          if (s.cut[1]) text.append(' …');
          var children = [el('h2', { class: 'result-title' }, [el('a', { href: href }, [s.title])]),
            el('p', { class: 'result-meta' }, [meta.join(' · ')]), text];
          if (s.section[1]) children.push(el('p', { class: 'result-section' }, ['In section: ' + s.section[1]]));
          return el('li', { class: 'result' }, children);
        });
        list.replaceChildren.apply(list, items);
        var n = out.results.length, q = box.value.trim();
        var words = q ? ' for “' + q + '”' : '';
        var text = n ? n + ' result' + (n === 1 ? '' : 's') + words +
          (out.partial ? ': no document has all your words, so these have ' + out.partial + ' of ' + out.words.length : '') :
          'No results' + words + '. Check the spelling, use fewer words or clear a filter.';
        // The status is a live region: while the reader types, it changes only once they
        // pause, so a screen reader does not announce every keystroke's results.
        clearTimeout(state.announce);
        if (state.typing) state.announce = setTimeout(function () { status.textContent = text; }, 800);
        else status.textContent = text;
        more.hidden = n <= state.shown;
        list.setAttribute('aria-busy', 'false');
        list.dataset.done = String(++state.done);
      });
    }

    function search(keepShown) {
      var serial = ++state.serial, p = params();
      if (!keepShown) state.shown = PAGE;
      writeUrl(p);
      list.setAttribute('aria-busy', 'true');
      return run(p).then(function (out) {
        if (serial !== state.serial) return;
        showCounts(out);
        return render(out, serial);
      }).catch(function (err) {
        if (serial !== state.serial) return;
        status.textContent = 'Search is not available: ' + err.message + '. Browse the listings instead.';
        list.setAttribute('aria-busy', 'false');
      });
    }

    var timer = 0;
    box.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () { state.typing = true; search(false).then(function () { state.typing = false; }); }, 120);
    });
    form.addEventListener('change', function (e) { if (e.target !== box) search(false); });
    form.addEventListener('submit', function (e) { e.preventDefault(); search(false); });
    more.addEventListener('click', function () {
      state.shown += PAGE;
      search(true).then(function () {
        var next = list.children[state.shown - PAGE];
        if (next) next.querySelector('a').focus();
      });
    });
    // On a phone the filters start folded, so that results come first.
    var filters = document.getElementById('search-filters');
    if (filters && window.matchMedia && window.matchMedia('(max-width: 47.99rem)').matches) filters.open = false;
    var start = readUrl();
    setControls(start);
    if (start.year.length) state.years = start.year;
    [from, to].forEach(function (select) { select.addEventListener('change', function () { state.years = null; }); });
    search(false);
  }

  window.lanternSearch = { run: run, terms: terms, fold: fold, distance: distance, alternatives: alternatives, varints: varints };
  var me = document.currentScript;
  if (me && document.getElementById('search-form')) {
    var root = me.getAttribute('data-root') || '';
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', function () { page(root); });
    else page(root);
  }
})();
