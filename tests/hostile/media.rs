//! Media and data files published as they are: only inert types, within their limits.
//! HTML, XML, scripts, Flash, files without an extension, images whose bytes are a page and
//! SVG that runs script or loads anything are errors where they are; drawings, PDFs and
//! photographs are published.

use std::fs;
use std::path::Path;

use crate::run::{expect_exit, library, listing};
use crate::{page, timed};

const SVG_OPEN: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" viewBox=\"0 0 200 100\">";

/// A clean drawing of the escalation pathway, as a drawing program saves it.
fn pathway() -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{SVG_OPEN}\n  <title>Escalation pathway for postpartum haemorrhage</title>\n  <defs><linearGradient id=\"amber\"><stop offset=\"0\" stop-color=\"#ffb81c\"/></linearGradient></defs>\n  <rect width=\"200\" height=\"100\" fill=\"url(#amber)\"/>\n  <text x=\"10\" y=\"50\">Call the obstetric registrar</text>\n</svg>\n"
    )
}

fn write(root: &Path, rel: &str, bytes: &[u8]) {
    let path = root.join("content").join(rel);
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    fs::write(path, bytes).expect("write");
}

fn unsafe_media(path: &str, at: &str, message: &str, hint: &str) -> String {
    format!("content/{path}:{at}: error[unsafe-media]: {message} (hint: {hint})")
}

const TYPES_HINT: &str = "publish images (PNG, JPEG, GIF, WebP, AVIF, SVG without script), PDF, office documents, CSV, JSON or plain text; write a page as a document";
const REMOVE: &str = "remove it, or export the drawing again as plain SVG or as PNG";

/// Every active file in `content/media/`, and in `content/data/` where a page links to it,
/// is an error at its place (an SVG's at the element or attribute); an unlinked data file
/// is never published and not refused; the site built before stays as it was; without
/// them, the drawing and the PDF are published as they are.
#[test]
fn active_media_is_refused_where_it_is() {
    let root = library("hostile-media");
    expect_exit(&timed(&root), 0);
    let before = listing(&root.join("public"));
    write(&root, "media/escalation-pathway.svg", pathway().as_bytes());
    write(
        &root,
        "media/bundle-checklist.pdf",
        b"%PDF-1.4\n% Obstetric haemorrhage bundle checklist\n",
    );
    let hostile: &[(&str, &[u8])] = &[
        (
            "media/discharge-leaflet.html",
            b"<!doctype html><title>Going home</title><script>steal()</script>",
        ),
        ("media/analytics.js", b"fetch('https://tracker.example/')"),
        ("media/sitemap.XML", b"<?xml version=\"1.0\"?><urlset/>"),
        ("media/poster.swf", b"FWS\x0a"),
        ("media/LICENCE", b"<html><body onload=steal()>"),
        (
            "media/ward-photo.png",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"steal()\"/>",
        ),
        ("media/audit-summary.pdf", b"<html><script>steal()</script>"),
        ("media/results.csv", b"\n<script>steal()</script>\n"),
        (
            "data/ward-dashboard.html",
            b"<html><script>steal()</script>",
        ),
        (
            "data/unlinked-notes.html",
            b"<html><script>steal()</script>",
        ),
    ];
    for (rel, bytes) in hostile {
        write(&root, rel, bytes);
    }
    let ward_map = format!(
        "{SVG_OPEN}\n  <svg:script xmlns:svg=\"http://www.w3.org/2000/svg\">steal()</svg:script>\n  <rect width=\"10\" height=\"10\" OnClick=\"steal()\"/>\n  <foreignObject><iframe xmlns=\"http://www.w3.org/1999/xhtml\" src=\"https://tracker.example/\"/></foreignObject>\n  <a xlink:href=\"JavaScript:steal()\"><text>Ward 4</text></a>\n  <image href=\"https://tracker.example/pixel.png\"/>\n</svg>\n"
    );
    write(&root, "media/ward-map.svg", ward_map.as_bytes());
    let laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE svg [\n  <!ENTITY lol \"lol\">\n  <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n]>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><text>&lol2;</text></svg>\n";
    write(
        &root,
        "media/maternity-unit-floor-plan.svg",
        laughs.as_bytes(),
    );
    write(
        &root,
        "media/broken-diagram.svg",
        b"<svg xmlns=\"http://www.w3.org/2000/svg\">\n  <g>\n</svg>\n",
    );
    page(
        &root,
        "dashboard",
        "",
        "The [ward dashboard](../data/ward-dashboard.html) is updated monthly.\n",
    );
    let found = expect_exit(&timed(&root), 1);
    let not_held = |what: &str, like: bool| {
        let like = match like {
            true => ": it starts like a web page or an SVG, which a browser may run",
            false => "",
        };
        format!("does not hold {what}{like}")
    };
    let resave = "save it again from the program that made it, with the extension of its type";
    let expected = vec![
        unsafe_media(
            "data/ward-dashboard.html",
            "1:1",
            "`.html` files can run script in a reader's browser and are not published",
            TYPES_HINT,
        ),
        unsafe_media(
            "media/LICENCE",
            "1:1",
            "a file without an extension is not published, as a browser would guess its type",
            TYPES_HINT,
        ),
        unsafe_media(
            "media/analytics.js",
            "1:1",
            "`.js` files can run script in a reader's browser and are not published",
            TYPES_HINT,
        ),
        unsafe_media(
            "media/audit-summary.pdf",
            "1:1",
            &format!("this `.pdf` file {}", not_held("a PDF", true)),
            resave,
        ),
        unsafe_media(
            "media/broken-diagram.svg",
            "3:1",
            "the SVG is not well-formed XML: expected 'g' tag, not 'svg'",
            "open it in a drawing program and save it again as SVG",
        ),
        unsafe_media(
            "media/discharge-leaflet.html",
            "1:1",
            "`.html` files can run script in a reader's browser and are not published",
            TYPES_HINT,
        ),
        unsafe_media(
            "media/maternity-unit-floor-plan.svg",
            "2:1",
            "the SVG has a DOCTYPE, whose entities can expand without end",
            "remove the <!DOCTYPE ...> declaration: an SVG needs none",
        ),
        unsafe_media(
            "media/poster.swf",
            "1:1",
            "`.swf` files can run script in a reader's browser and are not published",
            TYPES_HINT,
        ),
        unsafe_media(
            "media/results.csv",
            "1:1",
            "this `.csv` file starts like a web page, which a browser may run",
            "remove the markup from its start, or publish it as the type it is",
        ),
        unsafe_media(
            "media/sitemap.XML",
            "1:1",
            "`.xml` files can run script in a reader's browser and are not published",
            TYPES_HINT,
        ),
        unsafe_media(
            "media/ward-map.svg",
            "2:3",
            "`<script>` runs when the SVG is opened",
            REMOVE,
        ),
        unsafe_media(
            "media/ward-map.svg",
            "3:32",
            "the event handler `OnClick` runs script",
            REMOVE,
        ),
        unsafe_media(
            "media/ward-map.svg",
            "4:3",
            "`<foreignObject>` holds HTML, which can run script",
            REMOVE,
        ),
        unsafe_media(
            "media/ward-map.svg",
            "4:18",
            "HTML inside an SVG (`<iframe>`) can run script",
            REMOVE,
        ),
        unsafe_media(
            "media/ward-map.svg",
            "4:63",
            "`https://tracker.example/` is outside the library, and a reader's browser would fetch it",
            REMOVE,
        ),
        unsafe_media(
            "media/ward-map.svg",
            "5:6",
            "a `javascript:` address runs script",
            REMOVE,
        ),
        unsafe_media(
            "media/ward-map.svg",
            "6:10",
            "`https://tracker.example/pixel.png` is outside the library, and a reader's browser would fetch it",
            REMOVE,
        ),
        unsafe_media(
            "media/ward-photo.png",
            "1:1",
            &format!("this `.png` file {}", not_held("an image", true)),
            resave,
        ),
    ];
    let unchecked = "content/data/ward-dashboard.html:1:1: warning[unchecked-data]";
    let found: Vec<String> = found
        .into_iter()
        .filter(|f| !f.starts_with(unchecked))
        .collect();
    assert_eq!(found, expected);
    assert_eq!(
        listing(&root.join("public")),
        before,
        "the last site changed"
    );

    for (rel, _) in hostile {
        fs::remove_file(root.join("content").join(rel)).expect("remove");
    }
    for rel in ["ward-map", "maternity-unit-floor-plan", "broken-diagram"] {
        fs::remove_file(root.join(format!("content/media/{rel}.svg"))).expect("remove");
    }
    page(
        &root,
        "dashboard",
        "",
        "The ward dashboard is updated monthly.\n",
    );
    expect_exit(&timed(&root), 0);
    let public = root.join("public");
    assert_eq!(
        fs::read_to_string(public.join("media/escalation-pathway.svg")).expect("published"),
        pathway()
    );
    assert!(public.join("media/bundle-checklist.pdf").is_file());
}

/// A media file over `limits.media_bytes` (20 MB unless set), and a linked data file
/// that is not CSV over `limits.data_bytes`, is `too-large`, found from its size without
/// reading it.
#[test]
fn media_over_the_limit_is_refused() {
    let root = library("hostile-media-size");
    let video = root.join("content/media/birth-partner-film.png");
    let file = fs::File::create(&video).expect("create");
    // Sparse: 25 MB long, nothing written.
    file.set_len(25_000_000).expect("size");
    let too_large = |size: &str, limit: &str| {
        format!(
            "content/media/birth-partner-film.png:1:1: error[too-large]: the file is {size}, larger than the limit of {limit} (`limits.media_bytes`) (hint: make it smaller, or raise `limits: {{media_bytes: ...}}` in content/library.yaml (in bytes))"
        )
    };
    assert_eq!(expect_exit(&timed(&root), 1), [too_large("25 MB", "20 MB")]);
    file.set_len(0).expect("size");
    fs::write(
        &video,
        [b"\x89PNG\r\n\x1a\n".as_slice(), &[0; 1_500_000]].concat(),
    )
    .expect("write");
    let config = root.join("content/library.yaml");
    let text = fs::read_to_string(&config).expect("config");
    fs::write(&config, format!("{text}limits: {{media_bytes: 1000000}}\n")).expect("write");
    assert_eq!(expect_exit(&timed(&root), 1), [too_large("1.5 MB", "1 MB")]);

    // A linked data file that is not CSV is held to `limits.data_bytes`.
    fs::remove_file(&video).expect("remove");
    let audit = root.join("content/data/case-note-audit.xlsx");
    fs::File::create(&audit)
        .and_then(|f| f.set_len(6_000_000))
        .expect("sparse file");
    page(
        &root,
        "audit",
        "",
        "The [case-note audit](../data/case-note-audit.xlsx) has every month.\n",
    );
    let found = expect_exit(&timed(&root), 1);
    assert_eq!(
        found[0],
        "content/data/case-note-audit.xlsx:1:1: error[too-large]: the file is 6 MB, larger than the limit of 5 MB (`limits.data_bytes`) (hint: make it smaller, or raise `limits: {data_bytes: ...}` in content/library.yaml (in bytes))"
    );
}
