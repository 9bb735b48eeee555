//! Shared XML helpers for GPX and TCX.
