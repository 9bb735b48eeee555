-- The overlap query looks back at most MAX_SPAN_MS (14 days, in crates/store/src/lib.rs) from
-- the span it is given, so no stored span may be longer: cap the ones stored before the cap.
UPDATE activities SET end_ms = start_ms + 1209600000 WHERE end_ms > start_ms + 1209600000;
