//! Placeholder: being written.

use crate::{DecodeError, Decoded, Limits};

/// Decodes a fit file.
pub fn decode(_bytes: &[u8], _limits: &Limits) -> Result<Decoded, DecodeError> {
    Err(DecodeError::UnknownFormat {
        what: "fit decoder not written yet".into(),
    })
}
