//! Shared XML helpers for GPX and TCX: the reader set-up, positions for error messages, and
//! allocation-free parsing of the numbers and timestamps that make up almost all of a track.
//!
//! Both decoders are pull parsers over the byte slice. They never build strings for the
//! thousands of `<time>` and `<ele>` elements of a track; they parse the borrowed text directly.
//! Only rare texts (names, sport words, device names) become `String`s.

use chrono::{DateTime, NaiveDateTime, Utc};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// A pull reader over `bytes` that skips whitespace-only text between elements.
///
/// Only the start of text is trimmed: trimming its end would also eat the space before an
/// entity (`Nico &amp; Mag`), since quick-xml reports entities as separate events. Numbers and
/// times are trimmed again when parsed, and names are taken from the raw source (see
/// [`raw_text`]).
fn reader(bytes: &[u8]) -> Reader<&[u8]> {
    let mut r = Reader::from_reader(bytes);
    r.config_mut().trim_text_start = true;
    r
}

/// Checks a file against the size limit and drops a UTF-8 byte-order mark: quick-xml skips a
/// BOM without counting it in its positions, so without this, positions would not index the
/// returned bytes (and line/column messages would be off).
pub(crate) fn start<'a>(
    bytes: &'a [u8],
    limits: &crate::Limits,
) -> Result<&'a [u8], crate::DecodeError> {
    if bytes.len() > limits.max_bytes {
        return Err(crate::DecodeError::TooLarge {
            limit: limits.max_bytes,
            what: "bytes",
        });
    }
    Ok(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
}

/// Why a decoder stopped reading early.
pub(crate) enum Stop {
    /// Broken XML, or content the format does not allow there: the message.
    Bad(String),
    /// A [`crate::Limits`] value was reached.
    Limit(usize, &'static str),
}

/// What a pull decoder does with the elements it meets; [`drive`] feeds it the events.
pub(crate) trait Handler {
    /// An element opens; `text_start` is where its content begins.
    fn open(
        &mut self,
        e: &BytesStart<'_>,
        text_start: u64,
        limits: &crate::Limits,
    ) -> Result<(), Stop>;
    /// The innermost open element closes; its content ends at `text_end`.
    fn close(&mut self, bytes: &[u8], text_end: u64, limits: &crate::Limits) -> Result<(), Stop>;
    /// Text (or CDATA) inside the innermost open element.
    fn text(&mut self, t: &[u8]);
    /// A self-closing element has no content to capture.
    fn forget_capture(&mut self);
    /// Whether any element is still open.
    fn is_open(&self) -> bool;
}

/// Reads every event of `bytes` into `h`. Returns where and why reading stopped early, if it
/// did (broken XML, a file cut off, content refused by the handler), so the decoder can keep
/// what was read; a limit is an error.
pub(crate) fn drive(
    bytes: &[u8],
    h: &mut impl Handler,
    limits: &crate::Limits,
) -> Result<Option<(u64, String)>, crate::DecodeError> {
    let mut r = reader(bytes);
    loop {
        let before = r.buffer_position();
        let step = match r.read_event() {
            Ok(Event::Start(e)) => h.open(&e, r.buffer_position(), limits),
            Ok(Event::Empty(e)) => h.open(&e, r.buffer_position(), limits).and_then(|()| {
                h.forget_capture();
                h.close(bytes, before, limits)
            }),
            Ok(Event::End(_)) => h.close(bytes, before, limits),
            Ok(Event::Text(t)) => {
                h.text(&t);
                Ok(())
            }
            Ok(Event::CData(t)) => {
                h.text(&t);
                Ok(())
            }
            Ok(Event::Eof) if h.is_open() => {
                return Ok(Some((
                    bytes.len() as u64,
                    "the file ends before its closing tags".into(),
                )));
            }
            Ok(Event::Eof) => return Ok(None),
            Ok(_) => Ok(()),
            Err(e) => return Ok(Some((r.error_position().max(before), e.to_string()))),
        };
        match step {
            Ok(()) => {}
            Err(Stop::Limit(limit, what)) => {
                return Err(crate::DecodeError::TooLarge { limit, what });
            }
            Err(Stop::Bad(what)) => return Ok(Some((before, what))),
        }
    }
}

/// The part of a qualified name after its namespace prefix: `gpxtpx:hr` → `hr`.
pub(crate) fn local(name: &[u8]) -> &[u8] {
    match name.iter().rposition(|&b| b == b':') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

/// The raw value of the attribute whose local name is `key`, if present and well-formed.
/// Numbers need no unescaping, so the bytes are returned as they are in the file.
pub(crate) fn attr<'a>(e: &'a BytesStart<'_>, key: &[u8]) -> Option<std::borrow::Cow<'a, [u8]>> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| local(a.key.as_ref()) == key)
        .map(|a| a.value)
}

/// 1-based line and column (in characters) of byte `offset`, for messages a person can follow.
pub(crate) fn line_col(bytes: &[u8], offset: u64) -> (u64, u64) {
    let end = usize::try_from(offset)
        .unwrap_or(usize::MAX)
        .min(bytes.len());
    let head = &bytes[..end];
    let line_start = head.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let line = head.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    // Count characters, not bytes: UTF-8 continuation bytes are 0b10xx_xxxx.
    let col = head[line_start..]
        .iter()
        .filter(|&&b| b & 0xC0 != 0x80)
        .count() as u64
        + 1;
    (line, col)
}

fn trim(b: &[u8]) -> &[u8] {
    b.trim_ascii()
}

/// A finite number written in the text `b` (surrounding whitespace allowed).
pub(crate) fn parse_f64(b: &[u8]) -> Option<f64> {
    let s = std::str::from_utf8(trim(b)).ok()?;
    s.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// A heart rate in beats per minute. Zero means the strap lost contact, which is a missing
/// value rather than a measurement.
pub(crate) fn parse_hr(b: &[u8]) -> Option<u8> {
    let v = parse_f64(b)?.round();
    (1.0..=255.0).contains(&v).then_some(v as u8)
}

/// Power in watts (zero is a real value: coasting).
pub(crate) fn parse_power(b: &[u8]) -> Option<u16> {
    let v = parse_f64(b)?.round();
    (0.0..=65_535.0).contains(&v).then_some(v as u16)
}

/// A non-negative number (cadence, speed).
pub(crate) fn parse_non_negative(b: &[u8]) -> Option<f64> {
    parse_f64(b).filter(|v| *v >= 0.0)
}

/// An instant read from an ISO-8601 timestamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    pub ms: i64,
    /// The offset the writer gave (`+02:00` → 7200), or `None` for `Z` or no offset at all.
    pub offset_s: Option<i32>,
}

impl Stamp {
    /// The instant as a UTC date-time.
    pub fn utc(self) -> Option<DateTime<Utc>> {
        DateTime::from_timestamp_millis(self.ms)
    }
}

/// Parses an ISO-8601 timestamp. A hand-written path reads the usual
/// `YYYY-MM-DDTHH:MM:SS(.fff)(Z|±hh:mm)` without allocating; anything else goes to chrono.
/// A time without an offset is taken as UTC, which is what GPX 1.1 requires.
pub(crate) fn parse_time(b: &[u8]) -> Option<Stamp> {
    let b = trim(b);
    fast_time(b).or_else(|| slow_time(b))
}

fn digits(b: &[u8]) -> Option<i64> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0i64, |n, &d| n * 10 + i64::from(d - b'0')))
}

fn fast_time(b: &[u8]) -> Option<Stamp> {
    if b.len() < 19
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't' | b' ')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let (y, mo, d) = (digits(&b[0..4])?, digits(&b[5..7])?, digits(&b[8..10])?);
    let (h, mi, s) = (
        digits(&b[11..13])?,
        digits(&b[14..16])?,
        digits(&b[17..19])?,
    );
    if !(1..=12).contains(&mo) || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    let mut rest = &b[19..];
    let mut ms = 0i64;
    if let Some(frac) = rest.strip_prefix(b".") {
        let n = frac.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return None;
        }
        // Milliseconds are plenty for a track; further digits are dropped.
        for i in 0..3 {
            ms = ms * 10
                + frac
                    .get(i)
                    .filter(|_| i < n)
                    .map_or(0, |c| i64::from(c - b'0'));
        }
        rest = &frac[n..];
    }
    let offset_s = match rest {
        [] | [b'Z' | b'z'] => None,
        [sign @ (b'+' | b'-'), tail @ ..] => {
            let (oh, om) = match tail {
                [a, b] => (digits(&[*a, *b])?, 0),
                [a, b, b':', c, d] | [a, b, c, d] => (digits(&[*a, *b])?, digits(&[*c, *d])?),
                _ => return None,
            };
            if oh > 23 || om > 59 {
                return None;
            }
            let off = (oh * 3600 + om * 60) as i32;
            Some(if *sign == b'-' { -off } else { off })
        }
        _ => return None,
    };
    let secs = days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s
        - i64::from(offset_s.unwrap_or(0));
    Some(Stamp {
        ms: secs * 1000 + ms,
        offset_s,
    })
}

fn slow_time(b: &[u8]) -> Option<Stamp> {
    let s = std::str::from_utf8(b).ok()?;
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        let off = t.offset().local_minus_utc();
        // rfc3339 cannot tell `Z` from `+00:00`; only a written offset is the local one.
        let zulu = s.ends_with(['Z', 'z']);
        return Some(Stamp {
            ms: t.timestamp_millis(),
            offset_s: (!zulu).then_some(off),
        });
    }
    [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
    .map(|t| Stamp {
        ms: t.and_utc().timestamp_millis(),
        offset_s: None,
    })
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "chrono-Compatible
/// Low-Level Date Algorithms", `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The text of an element whose content runs from byte `start` to byte `end` of the source,
/// with entities resolved, CDATA unwrapped, comments and nested tags dropped, and surrounding
/// whitespace trimmed. Used for the few texts kept as strings (names, sport words).
/// Only the first [`TEXT_SCAN_BYTES`] of an element are read: a name is cut at
/// [`crate::MAX_TEXT_CHARS`] characters anyway, and a hostile file's 500 MB name must not be
/// copied four times over.
pub(crate) fn raw_text(bytes: &[u8], start: u64, end: u64) -> String {
    let (s, e) = (
        usize::try_from(start).unwrap_or(usize::MAX),
        usize::try_from(end).unwrap_or(usize::MAX),
    );
    let e = e.min(s.saturating_add(TEXT_SCAN_BYTES));
    let raw = bytes.get(s..e.min(bytes.len())).unwrap_or_default();
    let raw = String::from_utf8_lossy(raw);
    let mut out = String::new();
    let mut rest: &str = &raw;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            out.push_str(&unescape(rest));
            break;
        };
        out.push_str(&unescape(&rest[..lt]));
        rest = &rest[lt..];
        if let Some(r) = rest.strip_prefix("<![CDATA[") {
            let (inner, after) = r.split_once("]]>").unwrap_or((r, ""));
            out.push_str(inner);
            rest = after;
        } else if let Some(r) = rest.strip_prefix("<!--") {
            rest = r.split_once("-->").map_or("", |(_, after)| after);
        } else {
            rest = rest.split_once('>').map_or("", |(_, after)| after);
        }
    }
    out.trim().to_string()
}

/// How much of an element's source [`raw_text`] reads: room for markup and entities around a
/// text of [`crate::MAX_TEXT_CHARS`] characters.
const TEXT_SCAN_BYTES: usize = 64 * 1024;

fn unescape(s: &str) -> std::borrow::Cow<'_, str> {
    quick_xml::escape::unescape(s).unwrap_or(std::borrow::Cow::Borrowed(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let b = "ab\ncdé\nxyz".as_bytes();
        assert_eq!(line_col(b, 0), (1, 1));
        assert_eq!(line_col(b, 3), (2, 1));
        // "cdé" is 4 bytes; offset 8 is the 'x' after the second newline.
        assert_eq!(line_col(b, 8), (3, 1));
        // Byte 7 is the newline after 'é': column 4 counted in characters, not 5 in bytes.
        assert_eq!(line_col(b, 7), (2, 4));
    }

    #[test]
    fn numbers_and_local_names() {
        assert_eq!(parse_f64(b" 45.2001350\n"), Some(45.200135));
        assert_eq!(parse_f64(b"-1e3"), Some(-1000.0));
        assert_eq!(parse_f64(b"NaN"), None);
        assert_eq!(parse_f64(b"null"), None);
        assert_eq!(parse_hr(b"0"), None);
        assert_eq!(parse_hr(b"152.6"), Some(153));
        assert_eq!(parse_power(b"-3"), None);
        assert_eq!(local(b"gpxtpx:hr"), b"hr");
        assert_eq!(local(b"hr"), b"hr");
    }

    #[test]
    fn fast_path_agrees_with_chrono() {
        // Every form is checked against chrono's own RFC 3339 parser.
        for s in [
            "2017-03-19T16:49:30Z",
            "2017-07-29T14:46:35.000Z",
            "2020-02-02T03:02:03+01:00",
            "2020-02-29T23:59:59.123-07:30",
            "1999-12-31T23:00:00.5Z",
            "2096-03-01T00:00:00Z",
        ] {
            let want = DateTime::parse_from_rfc3339(s).unwrap();
            let got = fast_time(s.as_bytes()).unwrap();
            assert_eq!(got.ms, want.timestamp_millis(), "{s}");
        }
        let t = parse_time(b"2020-02-02T03:02:03+01:00").unwrap();
        assert_eq!(t.offset_s, Some(3600));
        assert_eq!(parse_time(b"2020-02-02T03:02:03Z").unwrap().offset_s, None);
        // Four-digit offset without a colon; 1 970-01-01T00:00:00-0130 is +5 400 s.
        assert_eq!(
            fast_time(b"1970-01-01T00:00:00-0130").unwrap().ms,
            5_400_000
        );
    }

    #[test]
    fn odd_times_fall_back_or_fail() {
        // No offset: taken as UTC. 2013-06-01T17:32:20Z is 1 370 107 940 s after the epoch.
        let t = parse_time(b"2013-06-01T17:32:20").unwrap();
        assert_eq!((t.ms, t.offset_s), (1_370_107_940_000, None));
        // A space instead of T, and chrono's path for a comma fraction.
        assert_eq!(
            parse_time(b"2013-06-01 17:32:20Z").unwrap().ms,
            1_370_107_940_000
        );
        assert_eq!(parse_time(b"2013-02-30T00:00:00Z"), None);
        assert_eq!(parse_time(b"yesterday"), None);
        assert_eq!(parse_time(b""), None);
    }

    #[test]
    fn raw_text_unescapes_and_unwraps() {
        let src = b"<name>Run avec Nico &amp; Mag</name>";
        assert_eq!(raw_text(src, 6, 29), "Run avec Nico & Mag");
        let src = b"<n> <![CDATA[test\xe2\x84\xa2]]><!-- c --> </n>";
        assert_eq!(raw_text(src, 3, src.len() as u64 - 4), "test™");
    }
}
