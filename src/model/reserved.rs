//! The paths the built site holds whatever the content says, named once: [`crate::render`]
//! writes its files at them, and [`crate::check::relations`] refuses them as aliases, so the two
//! cannot drift apart.
//!
//! In: nothing but a listing's folder. Out: site paths (relative to the site's root). No I/O.
//! Per document, the build also owns everything under the document's own folder (history,
//! versions); per vocabulary, its facet pages; those are derived where the documents and
//! vocabularies are known.

/// The home page.
pub const HOME: &str = "index.html";
/// The page a server shows for a missing address.
pub const NOT_FOUND: &str = "404.html";
/// The Atom feed of publications.
pub const FEED: &str = "feed.xml";
/// The Atom feed of every version.
pub const CHANGES: &str = "changes.xml";
pub const SITEMAP: &str = "sitemap.xml";
/// The open-data export.
pub const DOCUMENTS_JSON: &str = "api/documents.json";
pub const SEARCH: &str = "search/";
pub const REVIEW: &str = "review/";
/// The page of what a pull request changes (`--since`).
pub const PULL_REQUEST: &str = "pull-request/";
/// The theme's static files and the code highlighting stylesheet.
pub const ASSETS: &str = "assets/";

/// Files of the build's own at the top of the site.
pub const FILES: &[&str] = &[HOME, NOT_FOUND, FEED, CHANGES, SITEMAP];

/// Folders whose every file is the build's own: assets, copies of media and data, the open
/// data, the search index, the review page and a pull request's page.
pub const FOLDERS: &[&str] = &[
    ASSETS,
    "media/",
    "data/",
    "api/",
    SEARCH,
    REVIEW,
    PULL_REQUEST,
];

/// The site path of page `n` (from 1) of the listing at folder `dir`: the first at `dir`,
/// the others in [`listing_pages`].
pub fn listing_page(dir: &str, n: usize) -> String {
    if n == 1 {
        dir.to_string()
    } else {
        format!("{}{n}/", listing_pages(dir))
    }
}

/// The folder of the pages after the first of the listing at `dir` (`interventions/page/`).
pub fn listing_pages(dir: &str) -> String {
    format!("{dir}page/")
}

/// Whether a name at the top of the site is hidden (starts with `.`): the output folder
/// keeps the build's own records under such names (`.lantern-build`, `.lantern-pages`,
/// `.lantern-history`, `.gitignore`).
pub fn is_hidden(path: &str) -> bool {
    path.starts_with('.')
}
