//! The FIT protocol's CRC-16 (polynomial 0xA001, nibble table), used by the decoder to check
//! files and by the writer to seal them.

const TABLE: [u16; 16] = [
    0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401, 0xA001, 0x6C00, 0x7800, 0xB401,
    0x5000, 0x9C01, 0x8801, 0x4400,
];

/// Folds one byte into a running FIT CRC.
#[inline]
pub fn update(mut crc: u16, byte: u8) -> u16 {
    let mut tmp = TABLE[usize::from(crc & 0xF)];
    crc = (crc >> 4) & 0x0FFF;
    crc = crc ^ tmp ^ TABLE[usize::from(byte & 0xF)];
    tmp = TABLE[usize::from(crc & 0xF)];
    crc = (crc >> 4) & 0x0FFF;
    crc ^ tmp ^ TABLE[usize::from((byte >> 4) & 0xF)]
}

/// The FIT CRC of `bytes`, starting from 0.
pub fn crc16(bytes: &[u8]) -> u16 {
    bytes.iter().fold(0, |c, b| update(c, *b))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_sealed_block_checks_to_zero() {
        // Appending a block's CRC (little-endian) to it makes the CRC of the whole zero: the
        // property FIT readers use to check a file.
        let data = b"soleus";
        let c = super::crc16(data);
        let mut sealed = data.to_vec();
        sealed.extend_from_slice(&c.to_le_bytes());
        assert_eq!(super::crc16(&sealed), 0);
        assert_ne!(c, 0);
    }
}
