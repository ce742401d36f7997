// The Hugo side of the build benchmark: a Hugo site made from a generated library's
// documents, with minimal templates equivalent to lantern's pages, and its Pagefind index.
//
// The site has a page per document, a listing per section and a page per value of the same
// facets as lantern's (priority areas, outcomes, ethnic groups) plus sites, each listing 50
// documents a page as lantern's do. Hugo also writes its default RSS feeds and sitemap, as
// lantern writes its feeds and sitemap. Pagefind indexes each document's <main> with the
// facets as filters, as in the search benchmark.

import fs from 'node:fs';
import path from 'node:path';
import { sh } from '../search/build.mjs';

const CONFIG = `baseURL: "https://example.org/"
title: "Shared learning library"
disableKinds: []
enableRobotsTXT: false
paginate: 50
taxonomies:
  site: sites
  priority_area: priority_areas
  outcome: outcomes
  ethnic_group: ethnic_groups
markup:
  goldmark:
    renderer:
      unsafe: false
  highlight:
    noClasses: false
`;

const BASE = `<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body>
<header><a href="{{ "/" | relURL }}">{{ site.Title }}</a>
<nav>{{ range site.Sections }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}</nav></header>
{{ block "main" . }}{{ end }}
</body>
</html>
`;

const SINGLE = `{{ define "main" }}<main data-pagefind-body>
{{- range $taxonomy, $_ := site.Taxonomies }}{{ range $.GetTerms $taxonomy }}<span data-pagefind-filter="{{ $taxonomy }}:{{ .Title }}"></span>{{ end }}{{ end }}
<h1>{{ .Title }}</h1>
<p>{{ .Params.summary }}</p>
<dl>{{ range $taxonomy, $_ := site.Taxonomies }}{{ with $.GetTerms $taxonomy }}<dt>{{ $taxonomy }}</dt>
<dd>{{ range . }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</dd>{{ end }}{{ end }}</dl>
<nav>{{ .TableOfContents }}</nav>
{{ .Content }}
</main>{{ end }}
`;

const CARDS = `{{ define "main" }}<main>
<h1>{{ .Title }}</h1>
{{ $pager := .Paginate .Pages }}<p>{{ len .Pages }} documents</p>
<ul>{{ range $pager.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
<p>{{ .Params.summary }}</p></li>{{ end }}</ul>
{{ template "_internal/pagination.html" . }}
</main>{{ end }}
`;

const TERMS = `{{ define "main" }}<main>
<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>
</main>{{ end }}
`;

const HOME = `{{ define "main" }}<main>
<h1>{{ site.Title }}</h1>
<ul>{{ range first 6 (where site.RegularPages "Section" "!=" "sites") }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
</main>{{ end }}
`;

/**
 * Makes a Hugo site at `dir` from the documents of the library at `lib`: the Markdown files
 * are hard-linked (Hugo reads the same front matter and bodies), the library's
 * configuration and data files are left out.
 */
export function makeHugoSite(lib, dir) {
  sh('rm', ['-rf', dir]);
  const layouts = path.join(dir, 'layouts');
  const write = (name, text) => {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  };
  write('hugo.yaml', CONFIG);
  write('layouts/_default/baseof.html', BASE);
  write('layouts/_default/single.html', SINGLE);
  write('layouts/_default/list.html', CARDS);
  write('layouts/_default/terms.html', TERMS);
  write('layouts/index.html', HOME);
  fs.mkdirSync(layouts, { recursive: true });
  const content = path.join(lib, 'content');
  for (const entry of fs.readdirSync(content, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === 'data') continue;
    const from = path.join(content, entry.name);
    const to = path.join(dir, 'content', entry.name);
    fs.mkdirSync(to, { recursive: true });
    for (const name of fs.readdirSync(from)) {
      if (name.endsWith('.md')) fs.linkSync(path.join(from, name), path.join(to, name));
    }
  }
}

/** The arguments of a Hugo build of `dir` into `dir/public`, emptied first by `clean`. */
export function hugoArgs(dir) {
  return ['--source', dir, '--destination', path.join(dir, 'public'), '--quiet'];
}

/** Removes the previous Hugo output, so that each timed build starts from nothing. */
export function clean(dir) {
  sh('rm', ['-rf', path.join(dir, 'public'), path.join(dir, 'resources')]);
}
