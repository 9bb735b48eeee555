//! A GPX 1.1 writer in the shape Garmin Connect and Strava export: one track, one segment, the
//! sport in `<type>`, heart rate and cadence in Garmin's TrackPointExtension (v1). GPX has no
//! totals and no local time, so a reader recomputes totals from the points.

use super::{device_cadence, iso, sample_time, xml_escape};
use soleus_model::{Activity, Sport};
use std::fmt::Write;

/// The word written in `<type>`, one that [`Sport::from_name`] maps back to the same sport.
pub fn type_name(sport: Sport) -> &'static str {
    match sport {
        Sport::Run => "running",
        Sport::TrailRun => "trail_running",
        Sport::Treadmill => "treadmill_running",
        Sport::Track => "track_running",
        Sport::Walk => "walking",
        Sport::Hike => "hiking",
        Sport::Ride => "cycling",
        Sport::Swim => "swimming",
        Sport::Other => "other",
    }
}

/// Writes an activity as GPX 1.1. Samples without a position are left out (a GPX track point
/// must have one); cadence on foot is written per leg (strides per minute), as Garmin does.
pub fn gpx(a: &Activity) -> String {
    let creator = xml_escape(a.device.as_deref().unwrap_or("Soleus"));
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<gpx version=\"1.1\" creator=\"{creator}\" \
         xmlns=\"http://www.topografix.com/GPX/1/1\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xmlns:gpxtpx=\"http://www.garmin.com/xmlschemas/TrackPointExtension/v1\" \
         xsi:schemaLocation=\"http://www.topografix.com/GPX/1/1 \
         http://www.topografix.com/GPX/1/1/gpx.xsd \
         http://www.garmin.com/xmlschemas/TrackPointExtension/v1 \
         http://www.garmin.com/xmlschemas/TrackPointExtensionv1.xsd\">"
    );
    let _ = writeln!(out, " <metadata><time>{}</time></metadata>", iso(a.start));
    out.push_str(" <trk>\n");
    if let Some(name) = &a.name {
        let _ = writeln!(out, "  <name>{}</name>", xml_escape(name));
    }
    let _ = writeln!(out, "  <type>{}</type>", type_name(a.sport));
    out.push_str("  <trkseg>\n");
    for s in &a.samples {
        let (Some(lat), Some(lon)) = (s.lat, s.lon) else {
            continue;
        };
        let _ = write!(out, "   <trkpt lat=\"{lat:.7}\" lon=\"{lon:.7}\">");
        if let Some(ele) = s.alt {
            let _ = write!(out, "<ele>{ele:.1}</ele>");
        }
        let _ = write!(out, "<time>{}</time>", iso(sample_time(a, s)));
        let cad = s.cadence.map(|c| device_cadence(a, c).round());
        if s.hr.is_some() || cad.is_some() {
            out.push_str("<extensions><gpxtpx:TrackPointExtension>");
            if let Some(hr) = s.hr {
                let _ = write!(out, "<gpxtpx:hr>{hr}</gpxtpx:hr>");
            }
            if let Some(c) = cad {
                let _ = write!(out, "<gpxtpx:cad>{c:.0}</gpxtpx:cad>");
            }
            out.push_str("</gpxtpx:TrackPointExtension></extensions>");
        }
        out.push_str("</trkpt>\n");
    }
    out.push_str("  </trkseg>\n </trk>\n</gpx>\n");
    out
}
