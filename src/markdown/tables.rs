//! Tables as authors write them: each wrapped in a box that scrolls on phones, with a
//! `Table: ...` paragraph just before or after it as its `<caption>` (as in Pandoc).

use pulldown_cmark::{Event, Tag, TagEnd};

/// The prefix of a paragraph that captions the table just before or after it, as in Pandoc.
pub(super) const CAPTION: &str = "Table: ";

/// Wraps every table in a scrolling box (wide tables stay usable on phones) and turns a
/// `Table: ...` paragraph just before or after it into its `<caption>`.
pub(super) fn tables(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    // The index of the end of the caption paragraph that starts at `start`, if one does.
    let caption_at = |start: usize| -> Option<usize> {
        if !matches!(events.get(start), Some(Event::Start(Tag::Paragraph)))
            || !matches!(events.get(start + 1), Some(Event::Text(t)) if t.starts_with(CAPTION))
        {
            return None;
        }
        let len = events[start..]
            .iter()
            .position(|e| matches!(e, Event::End(TagEnd::Paragraph)))?;
        Some(start + len)
    };
    let is_table = |at: usize| matches!(events.get(at), Some(Event::Start(Tag::Table(_))));
    let mut out = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        let before = caption_at(i).filter(|&end| is_table(end + 1));
        let start = before.map_or(i, |end| end + 1);
        if !is_table(start) {
            out.push(events[i].clone());
            i += 1;
            continue;
        }
        let end = events[start..]
            .iter()
            .position(|e| matches!(e, Event::End(TagEnd::Table)))
            .map_or(events.len() - 1, |n| start + n);
        let (caption, next) = match before {
            Some(cap_end) => (Some(i + 1..cap_end), end + 1),
            None => match caption_at(end + 1) {
                Some(cap_end) => (Some(end + 2..cap_end), cap_end + 1),
                None => (None, end + 1),
            },
        };
        out.push(Event::Html("<div class=\"table-wrap\">".into()));
        out.push(events[start].clone());
        if let Some(range) = caption {
            push_caption(&mut out, &events[range]);
        }
        out.extend(events[start + 1..=end].iter().cloned());
        out.push(Event::Html("</div>\n".into()));
        i = next;
    }
    out
}

/// A caption from a paragraph's inline events, without the `Table: ` prefix.
fn push_caption<'a>(out: &mut Vec<Event<'a>>, inline: &[Event<'a>]) {
    out.push(Event::Html("<caption>".into()));
    for (n, e) in inline.iter().enumerate() {
        match e {
            Event::Text(t) if n == 0 => {
                out.push(Event::Text(
                    t.trim_start_matches(CAPTION).to_string().into(),
                ));
            }
            e => out.push(e.clone()),
        }
    }
    out.push(Event::Html("</caption>".into()));
}
