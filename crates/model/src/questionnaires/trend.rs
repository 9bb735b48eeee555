//! The change between successive results of one questionnaire, judged against its MCID (or, for
//! the MTSS score, its smallest detectable change). Results of different versions are listed but
//! never compared as if they were the same scale.

use chrono::NaiveDate;
use serde::Serialize;

use super::{Scored, instrument};

/// One meaningful-change threshold and whether a change reached it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Threshold {
    /// What population the threshold is for.
    pub label: String,
    /// Points.
    pub points: f64,
    /// Reference key.
    pub reference: String,
    /// The absolute change is at least `points`.
    pub reached: bool,
}

/// The change from one result to the next.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrendStep {
    /// Earlier result's date.
    pub from_date: NaiveDate,
    /// Later result's date.
    pub to_date: NaiveDate,
    /// Earlier total.
    pub from: u32,
    /// Later total.
    pub to: u32,
    /// `to - from`.
    pub change: i64,
    /// Both results use the same version, so the change means something.
    pub comparable: bool,
    /// The change is in the better direction (higher for VISA-A and LEFS, lower for OSTRC and
    /// the MTSS score).
    pub better: bool,
    /// Meaningful-change thresholds and whether each was reached.
    pub thresholds: Vec<Threshold>,
}

/// Steps between successive results of one instrument code, in date order.
pub fn trend(results: &[Scored], code: &str) -> Vec<TrendStep> {
    let mut rs: Vec<&Scored> = results.iter().filter(|r| r.instrument == code).collect();
    rs.sort_by_key(|r| r.date);
    rs.windows(2)
        .map(|w| {
            let (a, b) = (w[0], w[1]);
            let change = i64::from(b.total) - i64::from(a.total);
            let comparable = a.version == b.version;
            let thresholds = instrument(&b.instrument, &b.version)
                .filter(|_| comparable)
                .map(|inst| {
                    inst.mcid
                        .iter()
                        .map(|(label, points, reference)| Threshold {
                            label: label.clone(),
                            points: *points,
                            reference: reference.clone(),
                            reached: change.unsigned_abs() as f64 >= *points,
                        })
                        .collect()
                })
                .unwrap_or_default();
            TrendStep {
                from_date: a.date,
                to_date: b.date,
                from: a.total,
                to: b.total,
                change,
                comparable,
                better: comparable
                    && if b.higher_is_better {
                        change > 0
                    } else {
                        change < 0
                    },
                thresholds,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::{Responses, score};
    use super::*;

    fn visa(date: &str, item1: u32) -> Scored {
        // Items 2–6 fixed at 5 each (25), item 7 index 1 = 4, item 8 A option 2 = 14: item 1 + 43.
        let r: Responses = serde_json::from_str(&format!(
            r#"{{"instrument":"VISA_A","version":"Robinson01","date":"{date}","answers":
            {{"1":{item1},"2":5,"3":5,"4":5,"5":5,"6":5,"7":1,"8":{{"branch":"A","option":2}}}}}}"#
        ))
        .unwrap();
        score(&r).unwrap()
    }

    #[test]
    fn visa_a_changes_against_each_mcid() {
        // Item 1 goes 0 → 8 → 10: totals 43 → 51 → 53 (changes +8 and +2).
        let rs = vec![
            visa("2026-06-01", 10),
            visa("2026-04-01", 0),
            visa("2026-05-01", 8),
        ];
        let t = trend(&rs, "VISA_A");
        assert_eq!(t.len(), 2);
        assert_eq!((t[0].from, t[0].to, t[0].change), (43, 51, 8));
        assert!(t[0].better && t[0].comparable);
        let reached: Vec<(f64, bool)> = t[0]
            .thresholds
            .iter()
            .map(|th| (th.points, th.reached))
            .collect();
        // +8 reaches 6.5 (insertional) and 7 (24 weeks) but not 14 (12 weeks).
        assert_eq!(reached, vec![(6.5, true), (14.0, false), (7.0, true)]);
        assert_eq!(t[1].change, 2);
        assert!(t[1].thresholds.iter().all(|th| !th.reached));
    }

    #[test]
    fn lower_is_better_and_versions_are_not_mixed() {
        let ostrc = |date: &str, version: &str, q1: u32| {
            let r: Responses = serde_json::from_str(&format!(
                r#"{{"instrument":"OSTRC_O2","version":"{version}","date":"{date}","answers":{{"Q1":{q1},"Q2":0,"Q3":0,"Q4":0}}}}"#
            ))
            .unwrap();
            score(&r).unwrap()
        };
        let t = trend(
            &[ostrc("2026-05-01", "2", 2), ostrc("2026-05-08", "2", 1)],
            "OSTRC_O2",
        );
        assert_eq!(t[0].change, -9); // 17 → 8
        assert!(t[0].better);
        let mixed = trend(
            &[ostrc("2026-05-01", "1", 2), ostrc("2026-05-08", "2", 1)],
            "OSTRC_O2",
        );
        assert!(!mixed[0].comparable && !mixed[0].better && mixed[0].thresholds.is_empty());
    }
}
