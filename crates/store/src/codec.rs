//! A compact, versioned binary encoding of an activity's samples.
//!
//! Storing one row per sample would make a 10 000-point run cost 10 000 inserts and a megabyte
//! of row overhead; instead the whole series is one blob. Layout (version 1):
//!
//! ```text
//! byte 0        format version (1)
//! bytes 1..     zlib stream of:
//!   varint      sample count n
//!   per column, in the order t, lat, lon, alt, dist, speed, hr, cadence, power:
//!     u8        0 = no sample has it, 1 = every sample has it, 2 = a bitmap follows
//!     [bitmap]  ceil(n / 8) bytes, bit i (LSB first) set when sample i has the value
//!     varints   for each present value: zig-zag of (value - previous present value)
//! ```
//!
//! Values are quantised to integers before the delta step, so a slowly changing channel turns
//! into a run of small numbers that varints and deflate squeeze well. Quanta, and so the largest
//! round-trip error (half a quantum, plus f64 rounding of the division on decode):
//!
//! | channel | quantum | max error |
//! |---|---|---|
//! | `t` | 1 ms | 0.5 ms |
//! | `lat`, `lon` | 1e-7 degree | 0.5e-7 degree (about 5.6 mm) |
//! | `alt`, `dist` | 1 cm | 0.5 cm |
//! | `speed` | 1 mm/s | 0.5 mm/s |
//! | `cadence` | 0.1 per minute | 0.05 per minute |
//! | `hr`, `power` | exact | 0 |
//!
//! A value that is not finite (NaN, ±infinity) is stored as absent: an optional channel decodes
//! to `None`, and a non-finite `t` decodes to NaN. A finite value beyond what an `i64` holds
//! after quantisation (an altitude of 1e300 m) is saturated, never wrapped.
//!
//! [`decode`] never panics on any input: truncated, bit-flipped or hostile blobs give
//! [`StoreError::Corrupt`].

use std::io::{Read, Write};

use flate2::Compression;
use flate2::read::ZlibDecoder;
use flate2::write::ZlibEncoder;
use soleus_model::Sample;

use crate::StoreError;

/// The format version written by [`encode`].
pub const VERSION: u8 = 1;

/// The most samples one activity may hold: 2^21, over 24 days at one sample a second. It bounds
/// what a corrupt blob can make [`decode`] allocate.
pub const MAX_SAMPLES: usize = 1 << 21;

/// The most bytes the inner stream may inflate to; a blob claiming more is corrupt (every
/// sample costs at most 9 varints of 10 bytes plus bitmap bits).
const MAX_INFLATED: u64 = (MAX_SAMPLES as u64) * 96 + 64;

/// Column scales: stored integer = round(value × scale).
const SCALE_T: f64 = 1e3;
const SCALE_DEG: f64 = 1e7;
const SCALE_CM: f64 = 1e2;
const SCALE_MM_S: f64 = 1e3;
const SCALE_CADENCE: f64 = 1e1;

const ABSENT: u8 = 0;
const ALL: u8 = 1;
const BITMAP: u8 = 2;

/// Encodes samples into a blob. Fails only when there are more than [`MAX_SAMPLES`].
pub fn encode(samples: &[Sample]) -> Result<Vec<u8>, StoreError> {
    if samples.len() > MAX_SAMPLES {
        return Err(StoreError::Invalid(format!(
            "an activity has {} samples; the store keeps at most {MAX_SAMPLES}",
            samples.len()
        )));
    }
    // About 4 bytes per sample before deflate for a typical run with GPS, altitude and HR.
    let mut raw = Vec::with_capacity(16 + samples.len() * 12);
    put_varint(&mut raw, samples.len() as u64);
    let f = |g: fn(&Sample) -> Option<f64>, scale: f64| {
        move |s: &Sample| g(s).filter(|v| v.is_finite()).map(|v| quantise(v, scale))
    };
    put_column(&mut raw, samples, f(|s| Some(s.t), SCALE_T));
    put_column(&mut raw, samples, f(|s| s.lat, SCALE_DEG));
    put_column(&mut raw, samples, f(|s| s.lon, SCALE_DEG));
    put_column(&mut raw, samples, f(|s| s.alt, SCALE_CM));
    put_column(&mut raw, samples, f(|s| s.dist, SCALE_CM));
    put_column(&mut raw, samples, f(|s| s.speed, SCALE_MM_S));
    put_column(&mut raw, samples, |s| s.hr.map(i64::from));
    put_column(&mut raw, samples, f(|s| s.cadence, SCALE_CADENCE));
    put_column(&mut raw, samples, |s| s.power.map(i64::from));

    let mut out = Vec::with_capacity(raw.len() / 2 + 16);
    out.push(VERSION);
    // Level 1: the varint deltas are already dense, and higher levels cost import time for a
    // few per cent (see the store's speed example).
    let mut z = ZlibEncoder::new(out, Compression::fast());
    z.write_all(&raw)
        .map_err(|e| StoreError::Invalid(e.to_string()))?;
    z.finish().map_err(|e| StoreError::Invalid(e.to_string()))
}

/// Decodes a blob written by [`encode`] (any version this build knows).
pub fn decode(blob: &[u8]) -> Result<Vec<Sample>, StoreError> {
    let (&version, body) = blob
        .split_first()
        .ok_or_else(|| corrupt("empty sample blob"))?;
    if version != VERSION {
        return Err(corrupt(format!(
            "unknown sample encoding version {version}"
        )));
    }
    let mut raw = Vec::new();
    ZlibDecoder::new(body)
        .take(MAX_INFLATED + 1)
        .read_to_end(&mut raw)
        .map_err(|e| corrupt(format!("sample blob does not inflate: {e}")))?;
    if raw.len() as u64 > MAX_INFLATED {
        return Err(corrupt("sample blob inflates beyond the limit"));
    }
    let mut r = Reader { buf: &raw, pos: 0 };
    let n = r.varint()?;
    if n > MAX_SAMPLES as u64 {
        return Err(corrupt(format!("sample blob claims {n} samples")));
    }
    let n = n as usize;
    let mut samples = vec![Sample::default(); n];

    let t = r.column(n)?;
    for (s, v) in samples.iter_mut().zip(&t) {
        s.t = v.map_or(f64::NAN, |q| q as f64 / SCALE_T);
    }
    let scaled = |col: Vec<Option<i64>>, scale: f64| -> Vec<Option<f64>> {
        col.into_iter()
            .map(|v| v.map(|q| q as f64 / scale))
            .collect()
    };
    let lat = scaled(r.column(n)?, SCALE_DEG);
    let lon = scaled(r.column(n)?, SCALE_DEG);
    let alt = scaled(r.column(n)?, SCALE_CM);
    let dist = scaled(r.column(n)?, SCALE_CM);
    let speed = scaled(r.column(n)?, SCALE_MM_S);
    let hr = r.column(n)?;
    let cadence = scaled(r.column(n)?, SCALE_CADENCE);
    let power = r.column(n)?;
    if r.pos != raw.len() {
        return Err(corrupt("trailing bytes after the sample columns"));
    }
    for (i, s) in samples.iter_mut().enumerate() {
        s.lat = lat[i];
        s.lon = lon[i];
        s.alt = alt[i];
        s.dist = dist[i];
        s.speed = speed[i];
        s.cadence = cadence[i];
        s.hr = hr[i]
            .map(|v| u8::try_from(v).map_err(|_| corrupt(format!("heart rate {v} in blob"))))
            .transpose()?;
        s.power = power[i]
            .map(|v| u16::try_from(v).map_err(|_| corrupt(format!("power {v} in blob"))))
            .transpose()?;
    }
    Ok(samples)
}

/// `round(v × scale)`, saturating at the `i64` range (Rust's float-to-int `as` saturates).
fn quantise(v: f64, scale: f64) -> i64 {
    (v * scale).round() as i64
}

fn corrupt(msg: impl Into<String>) -> StoreError {
    StoreError::Corrupt(msg.into())
}

fn put_column(out: &mut Vec<u8>, samples: &[Sample], get: impl Fn(&Sample) -> Option<i64>) {
    let present = samples.iter().filter(|s| get(s).is_some()).count();
    if present == 0 {
        out.push(ABSENT);
        return;
    }
    if present == samples.len() {
        out.push(ALL);
    } else {
        out.push(BITMAP);
        let start = out.len();
        out.resize(start + samples.len().div_ceil(8), 0);
        for (i, s) in samples.iter().enumerate() {
            if get(s).is_some() {
                out[start + i / 8] |= 1 << (i % 8);
            }
        }
    }
    let mut prev = 0i64;
    for v in samples.iter().filter_map(&get) {
        // Wrapping: the delta of two extreme values overflows, and wrapping back on decode
        // restores the value exactly.
        put_varint(out, zigzag(v.wrapping_sub(prev)));
        prev = v;
    }
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

/// A bounds-checked cursor over the inflated stream.
struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> Result<u8, StoreError> {
        let b = *self
            .buf
            .get(self.pos)
            .ok_or_else(|| corrupt("sample blob ends early"))?;
        self.pos += 1;
        Ok(b)
    }

    fn varint(&mut self) -> Result<u64, StoreError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                // The tenth byte may only carry the top bit of a u64.
                if shift == 63 && b > 1 {
                    break;
                }
                return Ok(v);
            }
        }
        Err(corrupt("over-long varint in sample blob"))
    }

    /// One column of `n` optional values.
    fn column(&mut self, n: usize) -> Result<Vec<Option<i64>>, StoreError> {
        let mode = self.byte()?;
        let present: Vec<bool> = match mode {
            ABSENT => return Ok(vec![None; n]),
            ALL => vec![true; n],
            BITMAP => {
                let len = n.div_ceil(8);
                let end = self.pos.checked_add(len).filter(|&e| e <= self.buf.len());
                let end = end.ok_or_else(|| corrupt("sample blob bitmap ends early"))?;
                let bits = &self.buf[self.pos..end];
                self.pos = end;
                (0..n).map(|i| bits[i / 8] & (1 << (i % 8)) != 0).collect()
            }
            m => return Err(corrupt(format!("unknown column mode {m} in sample blob"))),
        };
        let mut prev = 0i64;
        let mut col = Vec::with_capacity(n);
        for p in present {
            if p {
                prev = prev.wrapping_add(unzigzag(self.varint()?));
                col.push(Some(prev));
            } else {
                col.push(None);
            }
        }
        Ok(col)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zigzag_and_varint_are_inverse_at_the_edges() {
        for v in [0i64, 1, -1, 63, -64, i64::MAX, i64::MIN, 1 << 40] {
            assert_eq!(unzigzag(zigzag(v)), v);
            let mut buf = Vec::new();
            put_varint(&mut buf, zigzag(v));
            let mut r = Reader { buf: &buf, pos: 0 };
            assert_eq!(unzigzag(r.varint().unwrap()), v);
            assert_eq!(r.pos, buf.len());
        }
        // zig-zag maps small magnitudes to small codes: -1 -> 1, 1 -> 2 (by definition).
        assert_eq!((zigzag(-1), zigzag(1)), (1, 2));
    }

    #[test]
    fn over_long_varint_is_corrupt() {
        let buf = [0xffu8; 11];
        assert!(Reader { buf: &buf, pos: 0 }.varint().is_err());
        // Ten bytes whose last one carries more than the u64's top bit.
        let mut buf = [0xffu8; 10];
        buf[9] = 0x02;
        assert!(Reader { buf: &buf, pos: 0 }.varint().is_err());
    }
}
