//! Recognising a file's format from its first bytes.

/// A recognised container or activity format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Garmin FIT (`.FIT` at byte 8 of the header).
    Fit,
    /// GPX XML.
    Gpx,
    /// Garmin Training Center XML.
    Tcx,
    /// gzip stream.
    Gzip,
    /// zip archive.
    Zip,
    /// None of the above.
    Unknown,
}

/// Recognises the format from the content: magic numbers for FIT, gzip and zip; the root
/// element for XML (after an optional BOM, declaration, comments and whitespace).
pub fn sniff(bytes: &[u8]) -> Format {
    if bytes.len() >= 12 && &bytes[8..12] == b".FIT" {
        return Format::Fit;
    }
    if bytes.starts_with(&[0x1f, 0x8b]) {
        return Format::Gzip;
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Format::Zip;
    }
    // Look for the root element within the first few KB.
    let head = &bytes[..bytes.len().min(8192)];
    let text = String::from_utf8_lossy(head);
    let mut rest: &str = text.trim_start_matches('\u{feff}');
    loop {
        rest = rest.trim_start();
        if let Some(r) = rest.strip_prefix("<?") {
            rest = r.split_once("?>").map_or("", |(_, after)| after);
        } else if let Some(r) = rest.strip_prefix("<!--") {
            rest = r.split_once("-->").map_or("", |(_, after)| after);
        } else if let Some(r) = rest.strip_prefix("<!") {
            // A DOCTYPE may carry an internal subset in brackets, with `>` inside it.
            let end = match (r.find('['), r.find('>')) {
                (Some(b), Some(g)) if b < g => r[b..]
                    .find(']')
                    .and_then(|c| r[b + c..].find('>').map(|g| b + c + g)),
                (_, g) => g,
            };
            rest = end.map_or("", |e| &r[e + 1..]);
        } else {
            break;
        }
    }
    let Some(tag) = rest.strip_prefix('<') else {
        return Format::Unknown;
    };
    let name: String = tag
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != '>' && *c != '/')
        .collect();
    let local = name.rsplit(':').next().unwrap_or("");
    match local {
        "gpx" => Format::Gpx,
        "TrainingCenterDatabase" => Format::Tcx,
        _ => Format::Unknown,
    }
}

/// A short, human description of unrecognised bytes, for error messages.
pub fn describe(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return "the file is empty".into();
    }
    if bytes.len() < 12 && bytes.len() >= 8 {
        return format!(
            "only {} bytes, too short for any activity format",
            bytes.len()
        );
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(40)]);
    let printable: String = head
        .chars()
        .map(|c| if c.is_control() { '.' } else { c })
        .collect();
    if head.trim_start().starts_with('<') {
        format!(
            "XML whose root element is not <gpx> or <TrainingCenterDatabase> (starts {printable:?})"
        )
    } else {
        format!("unrecognised content (starts {printable:?})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_by_content() {
        let mut fit = vec![14u8, 0x10, 0, 0, 0, 0, 0, 0];
        fit.extend_from_slice(b".FIT");
        assert_eq!(sniff(&fit), Format::Fit);
        assert_eq!(sniff(&[0x1f, 0x8b, 8, 0]), Format::Gzip);
        assert_eq!(sniff(b"PK\x03\x04rest"), Format::Zip);
        assert_eq!(
            sniff("\u{feff}<?xml version=\"1.0\"?>\n<!-- c --><gpx>".as_bytes()),
            Format::Gpx
        );
        assert_eq!(
            sniff(b"<ns:TrainingCenterDatabase xmlns:ns=\"x\">"),
            Format::Tcx
        );
        assert_eq!(sniff(b"<html>"), Format::Unknown);
        assert_eq!(sniff(b""), Format::Unknown);
        assert_eq!(describe(b""), "the file is empty");
    }
}
