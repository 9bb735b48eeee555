//! Store errors.

use thiserror::Error;

/// Why a store operation failed.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum StoreError {
    /// Caller misuse: the database URL's scheme is neither `sqlite:` nor `postgres://`.
    #[error("unknown database URL scheme in {url:?}: use sqlite:PATH or postgres://USER@HOST/DB")]
    UnknownScheme {
        /// The URL, password redacted.
        url: String,
    },
    /// The database could not be reached or refused the operation.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// The local file system refused an operation (creating the database folder).
    #[error("{0}")]
    Io(String),
    /// Applying migrations failed.
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Stored data could not be read back (corrupt sample blob, unknown sport name).
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// Caller misuse: the arguments contradict themselves or exceed a limit (a hash that does
    /// not match the bytes, more samples than the store keeps, an empty shoe name).
    #[error("invalid store request: {0}")]
    Invalid(String),
    /// Caller misuse (or a concurrent import): a file with this content hash is already stored.
    #[error("a file with SHA-256 {sha256} is already stored")]
    DuplicateFile {
        /// The content hash.
        sha256: String,
    },
    /// Caller misuse: no such row.
    #[error("{what} {id} does not exist")]
    NotFound {
        /// What was looked for.
        what: &'static str,
        /// Its id.
        id: i64,
    },
}

impl StoreError {
    /// Why no later write can succeed either, when that is why this one failed: the disk (or
    /// the database's size limit) is full, or the database file cannot be written at all.
    pub fn unwritable(&self) -> Option<&'static str> {
        let db = match self {
            StoreError::Database(e) => e.as_database_error(),
            StoreError::Migrate(sqlx::migrate::MigrateError::Execute(e)) => e.as_database_error(),
            _ => None,
        };
        let code = db.and_then(|d| d.code())?;
        if code == "53100" {
            // PostgreSQL's disk_full.
            return Some("the disk holding the database is full");
        }
        // SQLite's result codes: the primary code is the low byte of an extended one.
        match code.parse::<i64>().ok()? {
            c if c & 0xff == 13 => Some("the disk holding the database is full"),
            // SQLITE_IOERR_WRITE: the file system refused a write (no space, a size limit).
            778 => Some("the disk holding the database refused a write (it may be full)"),
            c if c & 0xff == 8 => Some("the database file is read-only"),
            _ => None,
        }
    }
}
