//! A TCX writer (Garmin Training Center Database v2) with lap totals, track points and the
//! ActivityExtension v2 `TPX` (speed, run cadence per leg, watts) and `LX` (lap averages).
//! Element order follows the schema, since strict readers check it.

use super::{device_cadence, iso, sample_time, xml_escape};
use soleus_model::{Activity, Lap, Sample, Sport};
use std::fmt::Write;

/// The TCX `Sport` attribute: the schema knows only these three.
pub fn sport_name(sport: Sport) -> &'static str {
    if sport.is_running() {
        "Running"
    } else if sport == Sport::Ride {
        "Biking"
    } else {
        "Other"
    }
}

/// Writes an activity as TCX. Each lap holds the samples from its start to the next lap's
/// start; an activity without laps is written as one lap with the activity's totals.
pub fn tcx(a: &Activity) -> String {
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(
        "<TrainingCenterDatabase \
         xmlns=\"http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2\" \
         xmlns:ns3=\"http://www.garmin.com/xmlschemas/ActivityExtension/v2\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2 \
         http://www.garmin.com/xmlschemas/TrainingCenterDatabasev2.xsd\">\n",
    );
    out.push_str(" <Activities>\n");
    let _ = writeln!(out, "  <Activity Sport=\"{}\">", sport_name(a.sport));
    let _ = writeln!(out, "   <Id>{}</Id>", iso(a.start));
    let whole = [Lap {
        start: Some(a.start),
        elapsed_s: a.elapsed_s,
        moving_s: a.moving_s,
        distance_m: a.distance_m,
        ascent_m: a.ascent_m,
        descent_m: a.descent_m,
        avg_hr: a.avg_hr,
        max_hr: a.max_hr,
        avg_cadence: a.avg_cadence,
    }];
    let laps: &[Lap] = if a.laps.is_empty() { &whole } else { &a.laps };
    // Lap start offsets from the activity start, to share the samples out.
    let offset = |l: &Lap| {
        l.start
            .map_or(0.0, |s| (s - a.start).num_milliseconds() as f64 / 1000.0)
    };
    for (i, lap) in laps.iter().enumerate() {
        let from = offset(lap);
        let to = laps.get(i + 1).map_or(f64::INFINITY, offset);
        let samples: Vec<&Sample> = a
            .samples
            .iter()
            .filter(|s| (i == 0 || s.t >= from) && s.t < to)
            .collect();
        write_lap(&mut out, a, lap, laps.len() == 1, &samples);
    }
    if let Some(name) = &a.name {
        let _ = writeln!(out, "   <Notes>{}</Notes>", xml_escape(name));
    }
    if let Some(device) = &a.device {
        let (_, product, _) = super::fit::device_codes(Some(device));
        let short = device.strip_prefix("Garmin ").unwrap_or(device);
        let _ = writeln!(
            out,
            "   <Creator xsi:type=\"Device_t\"><Name>{}</Name><UnitId>0</UnitId>\
             <ProductID>{product}</ProductID><Version><VersionMajor>1</VersionMajor>\
             <VersionMinor>0</VersionMinor></Version></Creator>",
            xml_escape(short)
        );
    }
    out.push_str("  </Activity>\n </Activities>\n</TrainingCenterDatabase>\n");
    out
}

fn write_lap(out: &mut String, a: &Activity, lap: &Lap, only: bool, samples: &[&Sample]) {
    let start = lap.start.unwrap_or(a.start);
    let _ = writeln!(out, "   <Lap StartTime=\"{}\">", iso(start));
    let time = lap.moving_s.or(lap.elapsed_s).unwrap_or(0.0);
    let _ = writeln!(out, "    <TotalTimeSeconds>{time:.1}</TotalTimeSeconds>");
    let _ = writeln!(
        out,
        "    <DistanceMeters>{:.1}</DistanceMeters>",
        lap.distance_m.unwrap_or(0.0)
    );
    let max_speed = samples
        .iter()
        .filter_map(|s| s.speed)
        .fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.max(v))));
    if let Some(v) = max_speed {
        let _ = writeln!(out, "    <MaximumSpeed>{v:.3}</MaximumSpeed>");
    }
    out.push_str("    <Calories>0</Calories>\n");
    if let Some(hr) = lap.avg_hr {
        let _ = writeln!(
            out,
            "    <AverageHeartRateBpm><Value>{hr}</Value></AverageHeartRateBpm>"
        );
    }
    if let Some(hr) = lap.max_hr {
        let _ = writeln!(
            out,
            "    <MaximumHeartRateBpm><Value>{hr}</Value></MaximumHeartRateBpm>"
        );
    }
    out.push_str("    <Intensity>Active</Intensity>\n");
    let bike = a.sport == Sport::Ride;
    if let (true, Some(c)) = (bike, lap.avg_cadence) {
        let _ = writeln!(out, "    <Cadence>{:.0}</Cadence>", c.round().min(254.0));
    }
    let trigger = if only { "Manual" } else { "Distance" };
    let _ = writeln!(out, "    <TriggerMethod>{trigger}</TriggerMethod>");
    if !samples.is_empty() {
        out.push_str("    <Track>\n");
        for s in samples {
            write_point(out, a, s, bike);
        }
        out.push_str("    </Track>\n");
    }
    let avg_speed = lap.distance_m.filter(|_| time > 0.0).map(|d| d / time);
    let run_cad = lap.avg_cadence.filter(|_| a.sport.is_on_foot());
    if avg_speed.is_some() || run_cad.is_some() {
        out.push_str("    <Extensions><ns3:LX>");
        if let Some(v) = avg_speed {
            let _ = write!(out, "<ns3:AvgSpeed>{v:.3}</ns3:AvgSpeed>");
        }
        if let Some(c) = run_cad {
            let _ = write!(
                out,
                "<ns3:AvgRunCadence>{:.0}</ns3:AvgRunCadence>",
                (c / 2.0).round()
            );
        }
        out.push_str("</ns3:LX></Extensions>\n");
    }
    out.push_str("   </Lap>\n");
}

fn write_point(out: &mut String, a: &Activity, s: &Sample, bike: bool) {
    let _ = write!(
        out,
        "     <Trackpoint><Time>{}</Time>",
        iso(sample_time(a, s))
    );
    if let (Some(lat), Some(lon)) = (s.lat, s.lon) {
        let _ = write!(
            out,
            "<Position><LatitudeDegrees>{lat:.7}</LatitudeDegrees>\
             <LongitudeDegrees>{lon:.7}</LongitudeDegrees></Position>"
        );
    }
    if let Some(alt) = s.alt {
        let _ = write!(out, "<AltitudeMeters>{alt:.1}</AltitudeMeters>");
    }
    if let Some(d) = s.dist {
        let _ = write!(out, "<DistanceMeters>{d:.1}</DistanceMeters>");
    }
    if let Some(hr) = s.hr {
        let _ = write!(out, "<HeartRateBpm><Value>{hr}</Value></HeartRateBpm>");
    }
    let cad = s.cadence.map(|c| device_cadence(a, c).round());
    if let (true, Some(c)) = (bike, cad) {
        let _ = write!(out, "<Cadence>{c:.0}</Cadence>");
    }
    let run_cad = cad.filter(|_| !bike);
    if s.speed.is_some() || run_cad.is_some() || s.power.is_some() {
        out.push_str("<Extensions><ns3:TPX>");
        if let Some(v) = s.speed {
            let _ = write!(out, "<ns3:Speed>{v:.3}</ns3:Speed>");
        }
        if let Some(c) = run_cad {
            let _ = write!(out, "<ns3:RunCadence>{c:.0}</ns3:RunCadence>");
        }
        if let Some(p) = s.power {
            let _ = write!(out, "<ns3:Watts>{p}</ns3:Watts>");
        }
        out.push_str("</ns3:TPX></Extensions>");
    }
    out.push_str("</Trackpoint>\n");
}
