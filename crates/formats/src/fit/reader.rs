//! The streaming FIT reader: file headers, definition and data messages, compressed
//! timestamps, chained files, and recovery from the ways real files break.
//!
//! A FIT file is one or more sections back to back, each a 12- or 14-byte header, `data_size`
//! bytes of messages, and a CRC-16 of header and data (FIT SDK, "FIT File Structure"). Each
//! message starts with a one-byte header: a normal header (bit 7 clear) says whether it is a
//! definition (bit 6) or data, whether a definition carries developer fields (bit 5), and the
//! local message type (bits 0–3); a compressed-timestamp header (bit 7 set) is a data message of
//! local type 0–3 (bits 5–6) whose timestamp is the last full timestamp advanced to the 5-bit
//! offset in bits 0–4, rolling over every 32 s.

use super::collect::{Collector, Flow};
use super::fields::{Base, FIELD_TIMESTAMP, Kind, Target, Values, Wanted, slot};
use crate::DecodeError;

/// One wanted field of a definition: where its bytes sit in the data message.
#[derive(Debug, Clone, Copy)]
struct Field {
    offset: usize,
    base: Base,
    len: usize,
    target: Target,
}

/// A local message type's current definition.
#[derive(Debug, Clone, Default)]
struct Def {
    defined: bool,
    kind: Option<Kind>,
    big: bool,
    /// Bytes of a data message after its header, developer fields included.
    size: usize,
    /// Offset of a 4-byte `timestamp` in a message Soleus otherwise skips, to keep the
    /// compressed-timestamp base current.
    skip_ts: Option<usize>,
    fields: Vec<Field>,
}

/// How reading one section's messages ended.
enum End {
    /// Reached the end of the section's data.
    Done,
    /// The file ended inside a message that starts at this offset.
    Truncated(usize),
    /// A message that cannot be read, at this offset.
    Broken(usize, String),
    /// The collector asked to skip the rest of the section.
    Skip,
}

/// Reads every section of `bytes` into `sink`. Returns `Err` only when the very first header
/// is unreadable or a limit is hit; everything else becomes a warning in the collector.
pub(super) fn read(bytes: &[u8], sink: &mut Collector) -> Result<(), DecodeError> {
    sink.end = bytes.len();
    let table = crc_table();
    let mut pos = 0usize;
    let mut section = 0usize;
    while pos < bytes.len() {
        let rest = &bytes[pos..];
        let hsize = usize::from(rest[0]);
        if rest.len() < 12 || hsize < 12 || &rest[8..12] != b".FIT" {
            if section == 0 {
                return Err(DecodeError::Fit {
                    offset: 0,
                    what: "no FIT file header (expected a 12- or 14-byte header with \".FIT\" \
                           at byte 8)"
                        .into(),
                });
            }
            sink.warn(format!(
                "ignored {} bytes after the FIT data at byte {pos} (not another FIT file)",
                rest.len()
            ));
            break;
        }
        section += 1;
        let data_size = u32::from_le_bytes([rest[4], rest[5], rest[6], rest[7]]) as usize;
        let start = pos + hsize.min(rest.len());
        let declared = start.saturating_add(data_size);
        if hsize != 12 && hsize != 14 {
            sink.warn(format!(
                "the FIT header at byte {pos} says it is {hsize} bytes long (12 or 14 expected); \
                 read on after it"
            ));
        }
        if hsize == 14 && rest.len() >= 14 {
            let want = u16::from_le_bytes([rest[12], rest[13]]);
            if want != 0 && crc(table, &rest[..12]) != want {
                sink.warn(format!(
                    "the FIT header at byte {pos} fails its CRC check; imported anyway"
                ));
            }
        }
        // Where this section's messages end, and whether its data CRC can be checked.
        let (end, sized) = if data_size == 0 {
            sink.warn(format!(
                "the FIT header at byte {pos} gives no data size (the recording was not closed); \
                 read to the end of the file"
            ));
            (bytes.len(), false)
        } else if declared.saturating_add(2) > bytes.len() {
            (bytes.len(), false)
        } else {
            (declared, true)
        };
        sink.begin_section();
        let mut r = SectionReader {
            bytes,
            defs: std::array::from_fn(|_| Def::default()),
            last_ts: None,
        };
        let mut outcome = r.messages(start, end, sink)?;
        let (mut end, mut sized) = (end, sized);
        if let (End::Truncated(at), true) = (&outcome, sized) {
            // A message runs past the data size the header gave, yet the file goes on: the
            // size is wrong (some writers never update it), so read on to the end of the file.
            sink.warn(format!(
                "the FIT header at byte {pos} gives {data_size} bytes of data, but a message at \
                 byte {at} runs past them; read on to the end of the file"
            ));
            let at = *at;
            (end, sized) = (bytes.len(), false);
            outcome = r.messages(at, end, sink)?;
        }
        match outcome {
            End::Done if sized => {
                let want = u16::from_le_bytes([bytes[end], bytes[end + 1]]);
                let got = crc(table, &bytes[pos..end]);
                if got != want {
                    sink.warn(format!(
                        "the FIT data ending at byte {end} fails its CRC check (file says \
                         {want:#06x}, data gives {got:#06x}); imported anyway"
                    ));
                }
                pos = end + 2;
            }
            End::Done => {
                if data_size != 0 && declared > bytes.len() {
                    sink.warn(format!(
                        "the file ends at byte {} but its FIT header announced {} bytes of \
                         data; imported what was there",
                        bytes.len(),
                        data_size
                    ));
                }
                break;
            }
            End::Skip if sized => pos = end + 2,
            End::Skip => break,
            End::Truncated(at) => {
                sink.stopped(at, "the file ends inside a message");
                if data_size != 0 {
                    sink.warn(format!(
                        "file ends at byte {} inside a message that starts at byte {at}; \
                         imported the {} records before it",
                        bytes.len(),
                        sink.records()
                    ));
                }
                break;
            }
            End::Broken(at, what) => {
                sink.stopped(at, &what);
                sink.warn(format!(
                    "stopped reading at byte {at}: {what}; kept the {} records before it",
                    sink.records()
                ));
                if !sized {
                    break;
                }
                pos = end + 2;
            }
        }
    }
    Ok(())
}

struct SectionReader<'a> {
    bytes: &'a [u8],
    defs: [Def; 16],
    last_ts: Option<u32>,
}

impl SectionReader<'_> {
    /// Reads the messages in `bytes[pos..end]`.
    fn messages(
        &mut self,
        mut pos: usize,
        end: usize,
        sink: &mut Collector,
    ) -> Result<End, DecodeError> {
        let bytes = self.bytes;
        while pos < end {
            let header = bytes[pos];
            let (local, compressed_ts) = if header & 0x80 != 0 {
                let off = u32::from(header & 0x1F);
                let Some(last) = self.last_ts else {
                    return Ok(End::Broken(
                        pos,
                        "a compressed timestamp before any full timestamp".into(),
                    ));
                };
                let ts = last.wrapping_add(off.wrapping_sub(last & 0x1F) & 0x1F);
                self.last_ts = Some(ts);
                (usize::from((header >> 5) & 0x03), Some(ts))
            } else if header & 0x40 != 0 {
                match self.define(pos, end, header, sink) {
                    Ok(next) => {
                        pos = next;
                        continue;
                    }
                    Err(e) => return Ok(e),
                }
            } else {
                (usize::from(header & 0x0F), None)
            };
            let def = &self.defs[local];
            if !def.defined {
                return Ok(End::Broken(
                    pos,
                    format!(
                        "a data message uses local message type {local}, which has no definition"
                    ),
                ));
            }
            let body = pos + 1;
            if body + def.size > end {
                return Ok(End::Truncated(pos));
            }
            let msg = &bytes[body..body + def.size];
            let Some(kind) = def.kind else {
                if let (None, Some(o)) = (compressed_ts, def.skip_ts) {
                    let v = Base::U32.read(&msg[o..o + 4], def.big);
                    if !v.is_nan() {
                        self.last_ts = Some(v as u32);
                    }
                }
                pos = body + def.size;
                continue;
            };
            let mut v = Values::EMPTY;
            for f in &def.fields {
                match f.target {
                    Target::Num(i) => v.nums[i] = f.base.read(&msg[f.offset..], def.big),
                    Target::Text => v.text = Some((body + f.offset, f.len)),
                }
            }
            match compressed_ts {
                Some(ts) => v.nums[slot::TIMESTAMP] = f64::from(ts),
                None => {
                    if let Some(ts) = v.get(slot::TIMESTAMP) {
                        self.last_ts = Some(ts as u32);
                    }
                }
            }
            pos = body + def.size;
            if sink.push(kind, &v, bytes)? == Flow::SkipSection {
                return Ok(End::Skip);
            }
        }
        Ok(End::Done)
    }

    /// Reads a definition message at `pos`; returns the offset after it.
    fn define(
        &mut self,
        pos: usize,
        end: usize,
        header: u8,
        sink: &mut Collector,
    ) -> Result<usize, End> {
        let bytes = self.bytes;
        let local = usize::from(header & 0x0F);
        let fixed = pos + 6;
        if fixed > end {
            return Err(End::Truncated(pos));
        }
        let big = match bytes[pos + 2] {
            0 => false,
            1 => true,
            a => {
                return Err(End::Broken(
                    pos,
                    format!("a definition with unknown byte order {a}"),
                ));
            }
        };
        let g = [bytes[pos + 3], bytes[pos + 4]];
        let global = if big {
            u16::from_be_bytes(g)
        } else {
            u16::from_le_bytes(g)
        };
        let n = usize::from(bytes[pos + 5]);
        let mut next = fixed + 3 * n;
        if next > end {
            return Err(End::Truncated(pos));
        }
        let kind = Kind::of(global);
        let def = &mut self.defs[local];
        def.defined = true;
        def.kind = (kind != Kind::Skip).then_some(kind);
        def.big = big;
        def.skip_ts = None;
        def.fields.clear();
        let mut offset = 0usize;
        for f in bytes[fixed..next].chunks_exact(3) {
            let (num, size, base) = (f[0], usize::from(f[1]), Base::from_byte(f[2]));
            if let Some(base) = base {
                if kind == Kind::Skip {
                    if num == FIELD_TIMESTAMP && size == 4 && base == Base::U32 {
                        def.skip_ts = Some(offset);
                    }
                } else if let Some(target) = Wanted::slot(kind, num) {
                    let fits = match target {
                        Target::Text => base == Base::Str,
                        Target::Num(_) => base != Base::Str && size >= base.size(),
                    };
                    if fits {
                        def.fields.push(Field {
                            offset,
                            base,
                            len: size,
                            target,
                        });
                    } else if size != 0 {
                        sink.bad_field_size();
                    }
                }
            }
            offset += size;
        }
        if header & 0x20 != 0 {
            // Developer fields: (number, size, developer data index) triples; only their sizes
            // matter, since Soleus skips their bytes.
            if next + 1 > end {
                return Err(End::Truncated(pos));
            }
            let m = usize::from(bytes[next]);
            let dev_end = next + 1 + 3 * m;
            if dev_end > end {
                return Err(End::Truncated(pos));
            }
            offset += bytes[next + 1..dev_end]
                .chunks_exact(3)
                .map(|f| usize::from(f[1]))
                .sum::<usize>();
            next = dev_end;
        }
        def.size = offset;
        Ok(next)
    }
}

/// Slicing-by-8 tables for the FIT CRC, derived from [`crate::crc::update`]. The CRC is
/// reflected, so folding one byte is `(crc >> 8) ^ T0[(crc ^ byte) & 0xFF]` with `T0[i]` the CRC
/// of byte `i` alone, and `Tk[i]` is `T(k-1)[i]` followed by one zero byte; eight bytes then
/// fold with eight independent lookups instead of a chain of eight (Intel's "slicing-by-8").
pub(super) type CrcTables = [[u16; 256]; 8];

pub(super) fn crc_table() -> &'static CrcTables {
    static TABLES: std::sync::OnceLock<CrcTables> = std::sync::OnceLock::new();
    TABLES.get_or_init(|| {
        let mut t = [[0u16; 256]; 8];
        t[0] = std::array::from_fn(|i| crate::crc::update(0, i as u8));
        for k in 1..8 {
            for i in 0..256 {
                let prev = t[k - 1][i];
                t[k][i] = (prev >> 8) ^ t[0][usize::from(prev & 0xFF)];
            }
        }
        t
    })
}

/// The FIT CRC of `data`.
pub(super) fn crc(t: &CrcTables, data: &[u8]) -> u16 {
    let mut c = 0u16;
    let mut chunks = data.chunks_exact(8);
    for b in &mut chunks {
        let x = c ^ u16::from_le_bytes([b[0], b[1]]);
        c = t[7][usize::from(x & 0xFF)]
            ^ t[6][usize::from(x >> 8)]
            ^ t[5][usize::from(b[2])]
            ^ t[4][usize::from(b[3])]
            ^ t[3][usize::from(b[4])]
            ^ t[2][usize::from(b[5])]
            ^ t[1][usize::from(b[6])]
            ^ t[0][usize::from(b[7])];
    }
    chunks.remainder().iter().fold(c, |c, &b| {
        (c >> 8) ^ t[0][usize::from((c ^ u16::from(b)) & 0xFF)]
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn table_crc_matches_the_nibble_crc() {
        let t = super::crc_table();
        let data: Vec<u8> = (0..1000u32).map(|i| (i * 7 + i / 3) as u8).collect();
        for n in [0, 1, 2, 13, 999, 1000] {
            assert_eq!(
                super::crc(t, &data[..n]),
                crate::crc::crc16(&data[..n]),
                "{n}"
            );
        }
    }
}
