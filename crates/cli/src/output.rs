//! Readable tables for the terminal.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{CellAlignment, ContentArrangement, Table};

/// A table with a header row; columns listed in `right` are right-aligned (numbers).
pub fn table(header: &[&str], right: &[usize]) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header.to_vec());
    for &c in right {
        if let Some(col) = t.column_mut(c) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
    t
}

/// The widest line the text output writes where it wraps prose itself.
pub const WIDTH: usize = 100;

/// Wraps `text` at word boundaries to lines of at most `width` characters (a longer word
/// stands alone on its line), continuation lines indented by `indent` spaces.
pub fn wrap(text: &str, width: usize, indent: usize) -> String {
    let lead = text.len() - text.trim_start().len();
    let mut out = String::new();
    let mut line = text[..lead].to_string();
    let mut empty = true;
    for word in text.split_whitespace() {
        let len = line.chars().count();
        if !empty && len + 1 + word.chars().count() > width {
            out.push_str(&line);
            out.push('\n');
            line = " ".repeat(indent);
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    out.push_str(&line);
    out
}

/// An optional value formatted, or an em dash.
pub fn opt<T>(v: Option<T>, f: impl FnOnce(T) -> String) -> String {
    v.map_or_else(|| "—".to_string(), f)
}

/// The years a command-line date may fall in: no run, check-in or plan is older than the
/// first GPS watches' era by much, or further in the future than a lifetime.
pub const DATE_YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

/// Parses a command-line date, saying the expected form when it is not one, and refusing
/// years outside [`DATE_YEARS`] (`0001-01-01` is a typing slip, not a training day).
pub fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    use chrono::Datelike;
    let d: chrono::NaiveDate = s
        .parse()
        .map_err(|e| format!("{e}: expected a date as YYYY-MM-DD, e.g. 2026-11-01"))?;
    if !DATE_YEARS.contains(&d.year()) {
        return Err(format!(
            "{d} is outside the years {} to {} that Soleus accepts",
            DATE_YEARS.start(),
            DATE_YEARS.end()
        ));
    }
    Ok(d)
}

/// Text that came from a file (a zip entry's name, a CSV's gear column), made safe to print on
/// a terminal: control characters and the invisible bidirectional overrides are shown as
/// `\u{..}` escapes instead of being sent to the terminal.
pub use soleus_app::text::printable;

/// An error and its causes on one line, each said once: a cause whose text the message before
/// it already includes (a database error quoting the driver's) is not repeated.
pub fn error_text(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if out.contains(text.as_str()) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    out
}

/// References as people read them, in brackets ("[Alfredson 1998, Am J Sports Med]"), or
/// nothing when every key is an internal section of the knowledge base.
pub fn cite<S: AsRef<str>>(keys: &[S]) -> String {
    let c = soleus_model::references::cite_all(keys);
    if c.is_empty() { c } else { format!("[{c}]") }
}

/// Prints a view as one JSON document, its keys in the order the view declares them.
pub fn print_json<T: serde::Serialize>(view: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(view)?);
    Ok(())
}

/// Prints a view as one JSON document with the keys of every object in alphabetical order:
/// the published form of the `assess`, `checkins`, `plan` and `scores` documents.
pub fn print_json_sorted<T: serde::Serialize>(view: &T) -> anyhow::Result<()> {
    // A JSON value keeps its object keys sorted.
    let value = serde_json::to_value(view)?;
    println!("{}", serde_json::to_string_pretty(&value)?);
    Ok(())
}

/// The wire code of a value that serialises as a string (`left`, `improving`, `step_back`).
pub fn code<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wrap_breaks_at_words_and_indents_what_follows() {
        // Counted by hand: "  Evidence: one two" is 19 characters, "three" would make 25.
        assert_eq!(
            wrap("  Evidence: one two three four", 20, 4),
            "  Evidence: one two\n    three four"
        );
        // A word longer than the width stands alone rather than being cut.
        assert_eq!(wrap("a abcdefghij b", 5, 0), "a\nabcdefghij\nb");
        assert_eq!(wrap("short", 100, 4), "short");
    }
}
