//! Hand-built FIT files with exactly known contents.
