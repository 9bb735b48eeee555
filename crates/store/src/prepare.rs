//! The values an import computes before it opens a transaction, so the transaction stays short.

use chrono::Utc;
use soleus_model::{Activity, TotalsSource};

use crate::{NewActivity, StoreError, codec};

/// The current time in epoch milliseconds.
pub(crate) fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

/// One activity ready to insert: everything computed, nothing left but binding.
#[derive(Debug)]
pub(crate) struct Prepared<'a> {
    pub(crate) a: &'a Activity,
    pub(crate) shoe: Option<crate::ShoeId>,
    pub(crate) start_ms: i64,
    pub(crate) end_ms: i64,
    pub(crate) samples: Vec<u8>,
    pub(crate) session: i32,
    pub(crate) summary: Option<String>,
}

impl<'a> Prepared<'a> {
    /// Encodes the samples and works out the time span.
    pub(crate) fn new(n: &NewActivity<'a>) -> Result<Prepared<'a>, StoreError> {
        let a = n.activity;
        let start_ms = a.start.timestamp_millis();
        // The span ends at the stated end or the last sample, whichever is later, so an
        // activity without totals still overlaps the runs it covers.
        let last_t = a
            .samples
            .iter()
            .map(|s| s.t)
            .filter(|t| t.is_finite())
            .fold(0.0, f64::max);
        let by_samples = start_ms.saturating_add((last_t * 1000.0) as i64);
        // Capped, so the overlap query can bound how early an overlapping activity starts.
        let end_ms = a
            .end()
            .map_or(start_ms, |e| e.timestamp_millis())
            .max(by_samples)
            .min(start_ms.saturating_add(crate::MAX_SPAN_MS));
        Ok(Prepared {
            a,
            shoe: n.shoe,
            start_ms,
            end_ms,
            samples: match n.encoded {
                Some(bytes) => bytes.to_vec(),
                None => codec::encode(&a.samples)?,
            },
            session: i32::try_from(n.session).map_err(|_| {
                StoreError::Invalid(format!("session index {} too large", n.session))
            })?,
            summary: n
                .summary
                .map(serde_json::to_string)
                .transpose()
                .map_err(|e| StoreError::Invalid(format!("summary not serialisable: {e}")))?,
        })
    }

    pub(crate) fn totals_source(&self) -> &'static str {
        match self.a.totals_source {
            TotalsSource::Device => "device",
            TotalsSource::Computed => "computed",
        }
    }
}
