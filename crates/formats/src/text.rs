//! Text that came from a file (a name, a device, a zip entry, a CSV's gear column) is shown on
//! terminals and pages and stored in text columns: the characters that could change what a
//! terminal shows, rather than show themselves, are recognised here.

use std::borrow::Cow;

/// Whether a character can change what a terminal shows rather than show itself: a control
/// character, or an invisible bidirectional override that reorders the text around it.
pub fn hostile(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The text without its [`hostile`] characters (for names kept from files: PostgreSQL text
/// columns refuse NUL, and every later table would send the rest to the terminal).
pub fn without_hostile(s: &str) -> Cow<'_, str> {
    if s.chars().any(hostile) {
        Cow::Owned(s.chars().filter(|c| !hostile(*c)).collect())
    } else {
        Cow::Borrowed(s)
    }
}

/// The text made safe to print: [`hostile`] characters are shown as `\u{..}` escapes instead
/// of being sent to the terminal, so they cannot move the cursor, recolour the screen or
/// reorder what is shown.
pub fn printable(s: &str) -> Cow<'_, str> {
    if !s.chars().any(hostile) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if hostile(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Text made safe inside HTML or SVG, as element text or a quoted attribute value.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_overrides_are_recognised() {
        // ESC starts a terminal escape sequence; U+202E (RIGHT-TO-LEFT OVERRIDE) reverses the
        // text after it (Unicode UAX #9); U+2067 is an isolate of the same kind.
        let s = "run\u{1b}[2J\u{202e}gpx.exe\u{2067}";
        assert_eq!(without_hostile(s), "run[2Jgpx.exe");
        assert_eq!(printable(s), "run\\u{1b}[2J\\u{202e}gpx.exe\\u{2067}");
        assert!(matches!(printable("Morning Run"), Cow::Borrowed(_)));
        assert!(!hostile('é') && !hostile(' '));
    }
}
