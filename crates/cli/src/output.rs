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

/// An optional value formatted, or an em dash.
pub fn opt<T>(v: Option<T>, f: impl FnOnce(T) -> String) -> String {
    v.map_or_else(|| "—".to_string(), f)
}

/// Parses a command-line date, saying the expected form when it is not one.
pub fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    s.parse()
        .map_err(|e| format!("{e}: expected a date as YYYY-MM-DD, e.g. 2026-11-01"))
}

/// References as people read them, in brackets ("[Alfredson 1998, Am J Sports Med]"), or
/// nothing when every key is an internal section of the knowledge base.
pub fn cite<S: AsRef<str>>(keys: &[S]) -> String {
    let c = soleus_model::references::cite_all(keys);
    if c.is_empty() { c } else { format!("[{c}]") }
}
