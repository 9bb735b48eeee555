//! Placeholder: being written.

use crate::{DecodeError, Decoded, Limits};

/// Decodes a tcx file.
pub fn decode(_bytes: &[u8], _limits: &Limits) -> Result<Decoded, DecodeError> {
    Err(DecodeError::UnknownFormat {
        what: "tcx decoder not written yet".into(),
    })
}
