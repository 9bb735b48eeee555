//! Feeds arbitrary bytes to the TCX decoder: it must return, never panic, and respect its limits.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = soleus_formats::Limits {
        max_bytes: 1 << 20,
        max_samples: 100_000,
        max_laps: 10_000,
        max_activities: 100,
    };
    if let Ok(decoded) = soleus_formats::tcx::decode(data, &limits) {
        assert!(!decoded.activities.is_empty());
        assert!(decoded.activities.len() <= limits.max_activities);
        for a in &decoded.activities {
            assert!(a.samples.len() <= limits.max_samples);
            assert!(a.laps.len() <= limits.max_laps);
            assert!(a.samples.iter().all(|s| s.t.is_finite()));
        }
    }
});
