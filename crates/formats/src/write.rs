//! Placeholder: writers for FIT, GPX and TCX (tests and sample data) are being written.
