//! Round-trip and robustness properties of the sample codec, over generated series (a small
//! deterministic generator stands in for a property-testing crate).

use std::io::Write;

use soleus_model::Sample;
use soleus_store::StoreError;
use soleus_store::codec::{MAX_SAMPLES, decode, encode};

/// xorshift64*: deterministic, so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + self.unit() * (hi - lo)
    }
}

/// A value for an optional channel: mostly in range, sometimes absent or not finite,
/// depending on the column's presence pattern.
fn channel(rng: &mut Rng, pattern: u64, i: usize, lo: f64, hi: f64) -> Option<f64> {
    let present = match pattern {
        0 => false,
        1 => true,
        2 => i.is_multiple_of(2),
        _ => !rng.next().is_multiple_of(3),
    };
    if !present {
        return None;
    }
    Some(match rng.next() % 50 {
        0 => f64::NAN,
        1 => f64::INFINITY,
        2 => lo,
        3 => hi,
        _ => rng.range(lo, hi),
    })
}

fn series(rng: &mut Rng, n: usize) -> Vec<Sample> {
    let p: Vec<u64> = (0..9).map(|_| rng.next() % 4).collect();
    let mut t = rng.range(-10.0, 10.0);
    (0..n)
        .map(|i| {
            t += rng.range(0.0, 5.0);
            Sample {
                t: if rng.next().is_multiple_of(100) {
                    f64::NAN
                } else {
                    t
                },
                lat: channel(rng, p[0], i, -90.0, 90.0),
                lon: channel(rng, p[1], i, -180.0, 180.0),
                alt: channel(rng, p[2], i, -430.0, 8849.0),
                dist: channel(rng, p[3], i, 0.0, 1e6),
                speed: channel(rng, p[4], i, 0.0, 100.0),
                hr: channel(rng, p[5], i, 0.0, 255.0)
                    .filter(|v| v.is_finite())
                    .map(|v| v as u8),
                cadence: channel(rng, p[6], i, 0.0, 250.0),
                power: channel(rng, p[7], i, 0.0, 65535.0)
                    .filter(|v| v.is_finite())
                    .map(|v| v as u16),
            }
        })
        .collect()
}

/// `got` is within half a quantum `q` of `want` (plus f64 rounding), and non-finite values
/// became absent.
fn close(got: Option<f64>, want: Option<f64>, q: f64) -> bool {
    match (got, want.filter(|v| v.is_finite())) {
        (Some(g), Some(w)) => (g - w).abs() <= q / 2.0 + 1e-12 * w.abs().max(1.0),
        (None, None) => true,
        _ => false,
    }
}

#[test]
fn round_trip_within_quantisation() {
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    for case in 0..300 {
        let n = [0, 1, 7, 8, 9, 63, 64, 65, 500][case % 9] + (case / 9) % 3;
        let samples = series(&mut rng, n);
        let blob = encode(&samples).unwrap();
        let back = decode(&blob).unwrap();
        assert_eq!(back.len(), samples.len());
        for (g, w) in back.iter().zip(&samples) {
            if w.t.is_finite() {
                assert!(
                    close(Some(g.t), Some(w.t), 1e-3),
                    "case {case}: {g:?} vs {w:?}"
                );
            } else {
                assert!(g.t.is_nan(), "non-finite t decodes as NaN");
            }
            assert!(
                close(g.lat, w.lat, 1e-7) && close(g.lon, w.lon, 1e-7),
                "{g:?} vs {w:?}"
            );
            assert!(
                close(g.alt, w.alt, 1e-2) && close(g.dist, w.dist, 1e-2),
                "{g:?} vs {w:?}"
            );
            assert!(close(g.speed, w.speed, 1e-3), "{g:?} vs {w:?}");
            assert!(close(g.cadence, w.cadence, 0.1), "{g:?} vs {w:?}");
            assert_eq!((g.hr, g.power), (w.hr, w.power), "exact channels");
        }
    }
}

#[test]
fn exact_values_on_the_grid_come_back_exactly() {
    // Values that are whole quanta survive bit for bit: 46.5 degrees = 465 000 000 × 1e-7.
    let s = Sample {
        t: 12.345,
        lat: Some(46.5),
        alt: Some(-12.34),
        cadence: Some(171.5),
        ..Sample::default()
    };
    let back = decode(&encode(&[s]).unwrap()).unwrap();
    assert_eq!(back, vec![s]);
}

#[test]
fn huge_values_saturate_instead_of_wrapping() {
    let s = [
        Sample {
            t: 1e300,
            alt: Some(1e300),
            dist: Some(-1e300),
            ..Sample::default()
        },
        Sample {
            t: 0.0,
            alt: Some(0.0),
            dist: Some(0.0),
            ..Sample::default()
        },
    ];
    let back = decode(&encode(&s).unwrap()).unwrap();
    // i64::MAX centimetres is about 9.2e16 m; the sign survives and the next value is exact.
    assert_eq!(back[0].alt, Some(i64::MAX as f64 / 100.0));
    assert_eq!(back[0].dist, Some(i64::MIN as f64 / 100.0));
    assert_eq!(back[0].t, i64::MAX as f64 / 1000.0);
    assert_eq!(
        (back[1].alt, back[1].dist, back[1].t),
        (Some(0.0), Some(0.0), 0.0)
    );
}

#[test]
fn realistic_run_is_compact() {
    // One hour at 1 Hz: GPS drifting north-east at ~3 m/s, smooth altitude, HR and cadence.
    let samples: Vec<Sample> = (0..3600)
        .map(|i| {
            let f = i as f64;
            Sample {
                t: f,
                lat: Some(46.52 + f * 1.9e-5 + (f * 0.05).sin() * 2e-6),
                lon: Some(6.63 + f * 2.6e-5),
                alt: Some(410.0 + (f / 300.0).sin() * 25.0),
                dist: Some(f * 3.02),
                speed: Some(3.0 + (f * 0.07).sin() * 0.2),
                hr: Some(140 + ((f / 120.0).sin() * 15.0) as u8),
                cadence: Some(172.0 + (i % 3) as f64),
                power: None,
            }
        })
        .collect();
    let blob = encode(&samples).unwrap();
    let per = blob.len() as f64 / samples.len() as f64;
    eprintln!(
        "realistic run: {} bytes, {per:.2} bytes per sample",
        blob.len()
    );
    // A Sample in memory is 112 bytes and as FIT records about 30; anything over 10 means
    // the delta coding is not doing its job.
    assert!(per < 10.0, "{per} bytes per sample");
}

#[test]
fn too_many_samples_is_refused() {
    let many = vec![Sample::default(); MAX_SAMPLES + 1];
    assert!(matches!(encode(&many), Err(StoreError::Invalid(_))));
}

fn zlib(version: u8, raw: &[u8]) -> Vec<u8> {
    let mut z = flate2::write::ZlibEncoder::new(vec![version], flate2::Compression::fast());
    z.write_all(raw).unwrap();
    z.finish().unwrap()
}

#[test]
fn crafted_bad_blobs_are_corrupt() {
    let corrupt = |b: &[u8]| matches!(decode(b), Err(StoreError::Corrupt(_)));
    assert!(corrupt(&[]), "empty");
    assert!(corrupt(&zlib(2, &[0])), "unknown version");
    assert!(corrupt(&[1, 0x78, 0x01, 0xff]), "not zlib");
    // n = 2^21 + 1 as a varint: 0x81 0x80 0x80 0x01.
    assert!(
        corrupt(&zlib(1, &[0x81, 0x80, 0x80, 0x01])),
        "too many samples"
    );
    assert!(corrupt(&zlib(1, &[3, 7])), "unknown column mode");
    assert!(corrupt(&zlib(1, &[3, 1, 0])), "ends inside a column");
    // One sample, all columns absent except hr (mode 1, zig-zag 600 = 300): out of u8 range.
    let mut hr = vec![1, 0, 0, 0, 0, 0, 0, 1, 0xd8, 0x04, 0, 0];
    assert!(corrupt(&zlib(1, &hr)), "heart rate 300");
    hr[8..10].copy_from_slice(&[0xc8, 0x01]); // zig-zag 200 = 100 bpm: now valid.
    assert_eq!(decode(&zlib(1, &hr)).unwrap()[0].hr, Some(100));
    hr.push(0);
    assert!(corrupt(&zlib(1, &hr)), "trailing byte");
}

#[test]
fn truncated_and_bit_flipped_blobs_never_panic() {
    let mut rng = Rng(42);
    let samples = series(&mut rng, 200);
    let blob = encode(&samples).unwrap();
    let mut errors = 0;
    for len in 0..blob.len() {
        errors += usize::from(decode(&blob[..len]).is_err());
    }
    // Every strict prefix loses the zlib trailer (checksum), so every one must fail.
    assert_eq!(errors, blob.len());
    for i in 0..blob.len() * 8 {
        let mut b = blob.clone();
        b[i / 8] ^= 1 << (i % 8);
        let _ = decode(&b); // Ok or Err, but no panic.
    }
    for _ in 0..2000 {
        let len = (rng.next() % 64) as usize;
        let mut junk: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        if let Some(v) = junk.first_mut() {
            *v = 1;
        }
        let _ = decode(&junk);
    }
}
