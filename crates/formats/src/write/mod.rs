//! Small writers for FIT, GPX and TCX, and a generator of realistic training histories.
//!
//! They exist for two reasons: tests build fixtures by hand (an [`Activity`] written out and read
//! back through [`crate::decode`]), and the project's bundled sample data is made with them (see
//! the `make_samples` example). They aim to be readable and to write files that other tools also
//! accept, not to be fast.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use soleus_model::{Activity, Sample, Sport};
//!
//! let mut run = Activity::new(Sport::Run, Utc.with_ymd_and_hms(2026, 5, 1, 7, 0, 0).unwrap());
//! run.samples = (0..3)
//!     .map(|i| Sample { t: f64::from(i), lat: Some(50.0), lon: Some(8.0), ..Sample::default() })
//!     .collect();
//! let fit = soleus_formats::write::fit(&run);
//! assert_eq!(&fit[8..12], b".FIT");
//! assert!(soleus_formats::write::gpx(&run).contains("<trkpt"));
//! assert!(soleus_formats::write::tcx(&run).contains("<Trackpoint>"));
//! ```

pub mod fit;
pub mod gpx;
pub mod synth;
pub mod tcx;
mod workout;

pub use fit::fit;
pub use gpx::gpx;
pub use tcx::tcx;

#[cfg(test)]
mod writer_tests;

use chrono::{DateTime, SecondsFormat, Utc};
use soleus_model::{Activity, Sample};

/// The wall-clock time of a sample: the activity's start plus the sample's offset.
pub(crate) fn sample_time(activity: &Activity, s: &Sample) -> DateTime<Utc> {
    let ms = (s.t * 1000.0).round();
    // A non-finite or absurd offset is written as the start rather than overflowing.
    let ms = if ms.is_finite() && ms.abs() < 1e15 {
        ms as i64
    } else {
        0
    };
    activity.start + chrono::Duration::milliseconds(ms)
}

/// ISO 8601 in UTC with a `Z`, with milliseconds only when the time has them (as devices write).
pub(crate) fn iso(t: DateTime<Utc>) -> String {
    let format = if t.timestamp_subsec_millis() == 0 {
        SecondsFormat::Secs
    } else {
        SecondsFormat::Millis
    };
    t.to_rfc3339_opts(format, true)
}

/// Escapes text for XML character data and attribute values.
pub(crate) fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters other than tab and newlines are not allowed in XML 1.0.
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// Running cadence as the per-leg number Garmin files carry (strides per minute): Soleus keeps
/// steps per minute for on-foot sports, so they are halved; cycling rpm is written as is.
pub(crate) fn device_cadence(activity: &Activity, steps_or_rpm: f64) -> f64 {
    if activity.sport.is_on_foot() {
        steps_or_rpm / 2.0
    } else {
        steps_or_rpm
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn times_are_utc_with_millis_only_when_needed() {
        let t = Utc.with_ymd_and_hms(2026, 5, 1, 7, 0, 0).unwrap();
        assert_eq!(iso(t), "2026-05-01T07:00:00Z");
        let a = Activity::new(soleus_model::Sport::Run, t);
        let s = Sample {
            t: 1.25,
            ..Sample::default()
        };
        assert_eq!(iso(sample_time(&a, &s)), "2026-05-01T07:00:01.250Z");
    }

    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(
            xml_escape("Tom & \"Jerry\" <run>\u{1}"),
            "Tom &amp; &quot;Jerry&quot; &lt;run&gt;"
        );
    }
}
