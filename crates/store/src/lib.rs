//! Soleus's storage, implemented for SQLite (the embedded default) and PostgreSQL (a club or
//! clinic), chosen from the database URL.
//!
//! [`connect`] opens a [`Database`]: its athletes and its own settings. Each athlete's data is
//! reached through a [`Store`] handle scoped to them ([`Database::athlete`]): every statement
//! binds the athlete, so no query can read or change another athlete's rows, and another
//! athlete's row answers exactly as a missing one does.
//!
//! Every import of one file is one transaction ([`Store::save_import`]): the original bytes and
//! the activities decoded from them land together or not at all.
//!
//! ```no_run
//! # async fn demo() -> Result<(), soleus_store::StoreError> {
//! let db = soleus_store::connect("sqlite:soleus.db").await?;
//! let store = db.athlete(db.local_athlete().await?);
//! let activities = store.list_activities().await?;
//! let profile = store.profile().await?;
//! # Ok(()) }
//! ```

#[macro_use]
pub mod accounts;
pub mod account_mail;
pub mod backup;
pub mod codec;
mod database;
pub mod days;
mod decode;
mod error;
pub mod health;
mod ids;
pub mod jobs;
pub mod mail;
mod overlap;
mod pack;
pub mod people;
mod postgres;
mod prepare;
mod profile;
mod sql;
mod sqlite;
mod store;
pub mod threads;
mod types;

pub use account_mail::AccountMail;
pub use accounts::Accounts;
pub use backup::{BackupFormat, BackupSummary};
pub use database::Database;
pub use error::StoreError;
pub use health::{QueueDepth, Schema};
pub use ids::{ActivityId, AthleteId, EntryId, FileId, IdError, OrgId, ShoeId, UserId};
pub use jobs::Jobs;
pub use mail::Mail;
/// A source file's bytes packed for storage (see [`pack`]).
pub use pack::PackedFile as Packed;
/// Packs a file for [`NewFile::packed`]: checks its hash and compresses it, work that can run
/// on another thread while the store writes.
pub use pack::pack_file as pack;
pub use people::People;
pub use sqlite::{DEMO_MARK, is_demo_database};
pub use store::Store;
pub use threads::Notifications;
pub use types::*;

/// The longest time span an activity is stored with, in milliseconds (14 days: more than the
/// longest multi-day races, which are recorded as one activity). A longer recording (or one
/// whose clock jumped) is kept whole, but only its first 14 days count for the overlap
/// query; the cap lets that query look back a bounded time instead of over every earlier
/// activity.
pub const MAX_SPAN_MS: i64 = 14 * 24 * 3_600_000;

/// Opens (creating if needed) and migrates the database a URL names: `sqlite:PATH`,
/// `sqlite://PATH`, or `postgres://…` / `postgresql://…`. Any other scheme is an error.
pub async fn connect(url: &str) -> Result<Box<dyn Database>, StoreError> {
    if url.starts_with("sqlite:") {
        if sqlite::existing_read_only(url)? {
            // A database on a read-only medium is read as it is: nothing is migrated or
            // written, and every write fails saying why.
            return Ok(Box::new(sql::SqlDatabase::read_only(
                sqlite::open_read_only(url).await?,
            )));
        }
        Ok(Box::new(sql::SqlDatabase::new(sqlite::open(url).await?)))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Box::new(sql::SqlDatabase::new(postgres::open(url).await?)))
    } else {
        Err(StoreError::UnknownScheme { url: redact(url) })
    }
}

/// Opens the database a URL names only if it already exists: for commands that only read, which
/// must not leave an empty database (and its folders) behind where none was. PostgreSQL
/// databases are never created, so this is [`connect`] for them.
pub async fn connect_existing(url: &str) -> Result<Box<dyn Database>, StoreError> {
    if url.starts_with("sqlite:") {
        use std::str::FromStr;
        let options = sqlx::sqlite::SqliteConnectOptions::from_str(url)?;
        let path = options.get_filename();
        if path != std::path::Path::new(":memory:") && !path.exists() {
            return Err(StoreError::Io(format!(
                "there is no database at {} yet; the first import (or any command that saves \
                 something) creates it",
                path.display()
            )));
        }
    }
    connect(url).await
}

/// The URL with any password replaced by `***`, for messages: the password in the user part,
/// and the value of every query parameter except the few known to hold no secret
/// (`?password=…`, and unknown parameters, which may be a mistyped `password`).
pub fn redact(url: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let mut out = match (base.find("://"), base.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &base[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &base[..s + 3], &base[at..]),
                None => base.to_string(),
            }
        }
        _ => base.to_string(),
    };
    if let Some(q) = query {
        const HARMLESS: [&str; 6] = [
            "sslmode",
            "mode",
            "cache",
            "connect_timeout",
            "application_name",
            "immutable",
        ];
        let parts: Vec<String> = q
            .split('&')
            .map(|kv| match kv.split_once('=') {
                Some((k, _)) if !HARMLESS.contains(&k.to_ascii_lowercase().as_str()) => {
                    format!("{k}=***")
                }
                _ => kv.to_string(),
            })
            .collect();
        out.push('?');
        out.push_str(&parts.join("&"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn redact_hides_passwords_in_the_user_part_and_the_query() {
        // The query forms are libpq's (`password=` is a connection parameter there too).
        let cases = [
            ("postgres://u:secret1@h:1/x", "postgres://u:***@h:1/x"),
            (
                "postgres://u@h:1/x?password=secret2",
                "postgres://u@h:1/x?password=***",
            ),
            (
                "postgres://u@h/x?sslmode=require&passwd=secret3",
                "postgres://u@h/x?sslmode=require&passwd=***",
            ),
            ("sqlite:///tmp/a.db?mode=rwc", "sqlite:///tmp/a.db?mode=rwc"),
        ];
        for (url, want) in cases {
            assert_eq!(redact(url), want);
        }
    }
}
