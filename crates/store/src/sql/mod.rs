//! The one implementation of the store that both backends share.
//!
//! The two schemas use the same column types, and the SQL is the common dialect of SQLite and
//! PostgreSQL (`$N` parameters, `RETURNING`, `ON CONFLICT`), so one body serves both: the code
//! in this module's children is generic over `DB: Backend`. Where a backend needs its own SQL,
//! [`Backend`] has a constant for it.
//!
//! sqlx's generic bounds (every bound type encodes, every row decodes, a connection executes)
//! are long, and Rust only carries a trait's *supertraits* along to the code that uses it, not
//! its other `where` clauses. So the bounds are written once, on the blanket implementations
//! of three small traits ([`Binds`], [`Decodes`], [`Runs`]), and [`Backend`] names those as
//! supertraits: code generic over it binds, runs and decodes without naming a sqlx bound.

mod account_mail;
mod accounts;
mod activities;
mod cache;
mod comments;
mod corrections;
mod database;
pub(crate) mod days;
mod erase;
mod files;
mod health;
mod jobs;
mod mail;
mod notifications;
mod people;
mod profile;
mod records;
mod settings;
mod shoes;
mod stmt;
mod store;
mod write;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use sqlx::query::Query;

use crate::decode::{ActivityDb, AthleteDb, FileDb, LapDb, ShoeDb, SummaryDb};
use crate::profile::ProfileDb;
use crate::{ActivityId, AthleteId, EntryId, FileId, OrgId, ShoeId, UserId};
use cache::SummaryCache;

pub(crate) type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The arguments of a query on `DB`.
type Args<'q, DB> = <DB as sqlx::Database>::Arguments<'q>;

/// A backend that can bind a `T` as a query argument.
pub(crate) trait Binds<'q, T>: sqlx::Database {
    /// Appends `value` to the query's arguments.
    fn bind_to(query: Query<'q, Self, Args<'q, Self>>, value: T)
    -> Query<'q, Self, Args<'q, Self>>;
}

impl<'q, DB, T> Binds<'q, T> for DB
where
    DB: sqlx::Database,
    T: 'q + sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    fn bind_to(query: Query<'q, DB, Args<'q, DB>>, value: T) -> Query<'q, DB, Args<'q, DB>> {
        query.bind(value)
    }
}

/// A backend whose rows decode into a `T`.
pub(crate) trait Decodes<T>: sqlx::Database {
    /// Decodes one row.
    fn decode(row: &Self::Row) -> Result<T, sqlx::Error>;
}

impl<DB, T> Decodes<T> for DB
where
    DB: sqlx::Database,
    T: for<'r> sqlx::FromRow<'r, DB::Row>,
{
    fn decode(row: &DB::Row) -> Result<T, sqlx::Error> {
        T::from_row(row)
    }
}

/// A backend whose connections run queries.
pub(crate) trait Runs: sqlx::Database {
    /// Runs a statement for its effect.
    fn run<'c, 'q: 'c>(
        conn: &'c mut Self::Connection,
        query: Query<'q, Self, Args<'q, Self>>,
    ) -> BoxFuture<'c, Result<Self::QueryResult, sqlx::Error>>;

    /// Runs a query for all its rows.
    fn rows<'c, 'q: 'c>(
        conn: &'c mut Self::Connection,
        query: Query<'q, Self, Args<'q, Self>>,
    ) -> BoxFuture<'c, Result<Vec<Self::Row>, sqlx::Error>>;

    /// Runs a query for its first row, if any.
    fn first_row<'c, 'q: 'c>(
        conn: &'c mut Self::Connection,
        query: Query<'q, Self, Args<'q, Self>>,
    ) -> BoxFuture<'c, Result<Option<Self::Row>, sqlx::Error>>;
}

impl<DB> Runs for DB
where
    DB: sqlx::Database,
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
    for<'q> Args<'q, DB>: sqlx::IntoArguments<'q, DB>,
{
    fn run<'c, 'q: 'c>(
        conn: &'c mut DB::Connection,
        query: Query<'q, DB, Args<'q, DB>>,
    ) -> BoxFuture<'c, Result<DB::QueryResult, sqlx::Error>> {
        sqlx::Executor::execute(conn, query)
    }

    fn rows<'c, 'q: 'c>(
        conn: &'c mut DB::Connection,
        query: Query<'q, DB, Args<'q, DB>>,
    ) -> BoxFuture<'c, Result<Vec<DB::Row>, sqlx::Error>> {
        sqlx::Executor::fetch_all(conn, query)
    }

    fn first_row<'c, 'q: 'c>(
        conn: &'c mut DB::Connection,
        query: Query<'q, DB, Args<'q, DB>>,
    ) -> BoxFuture<'c, Result<Option<DB::Row>, sqlx::Error>> {
        sqlx::Executor::fetch_optional(conn, query)
    }
}

/// SQLite or PostgreSQL: everything the shared code binds and decodes, and the little that
/// differs between them.
pub(crate) trait Backend:
    sqlx::Database
    + Runs
    + Sync
    + for<'q> Binds<'q, bool>
    + for<'q> Binds<'q, i16>
    + for<'q> Binds<'q, i32>
    + for<'q> Binds<'q, i64>
    + for<'q> Binds<'q, Option<i16>>
    + for<'q> Binds<'q, Option<i32>>
    + for<'q> Binds<'q, Option<i64>>
    + for<'q> Binds<'q, Option<f64>>
    + for<'q> Binds<'q, f64>
    + for<'q> Binds<'q, &'q str>
    + for<'q> Binds<'q, Option<&'q str>>
    + for<'q> Binds<'q, String>
    + for<'q> Binds<'q, Option<String>>
    + for<'q> Binds<'q, &'q [u8]>
    + for<'q> Binds<'q, AthleteId>
    + for<'q> Binds<'q, ActivityId>
    + for<'q> Binds<'q, Option<ActivityId>>
    + for<'q> Binds<'q, FileId>
    + for<'q> Binds<'q, ShoeId>
    + for<'q> Binds<'q, Option<ShoeId>>
    + for<'q> Binds<'q, EntryId>
    + for<'q> Binds<'q, Option<OrgId>>
    + for<'q> Binds<'q, Option<UserId>>
    + for<'q> Binds<'q, UserId>
    + for<'q> Binds<'q, OrgId>
    + for<'q> Binds<'q, Option<AthleteId>>
    + Decodes<ActivityDb>
    + Decodes<accounts::UserDb>
    + Decodes<accounts::SessionDb>
    + Decodes<accounts::GrantDb>
    + Decodes<accounts::InvitationDb>
    + Decodes<accounts::AuditDb>
    + Decodes<accounts::OfferDb>
    + Decodes<accounts::OrgDb>
    + Decodes<people::OrgInvitationDb>
    + Decodes<people::ProfileDb>
    + Decodes<people::MembershipDb>
    + Decodes<mail::DigestDb>
    + Decodes<jobs::JobDb>
    + Decodes<(String, i64)>
    + Decodes<(i64, String, i64)>
    + Decodes<comments::CommentDb>
    + Decodes<comments::ThreadDb>
    + Decodes<notifications::NotificationDb>
    + Decodes<(String, String)>
    + Decodes<account_mail::ResetDb>
    + Decodes<account_mail::OutboxDb>
    + Decodes<(bool,)>
    + Decodes<(UserId,)>
    + Decodes<(OrgId,)>
    + Decodes<(i64, Option<i64>)>
    + Decodes<(i64, i64)>
    + Decodes<(Option<String>,)>
    + Decodes<days::DayDb>
    + Decodes<corrections::EditDb>
    + Decodes<corrections::DeletedDb>
    + Decodes<days::HeldDb>
    + Decodes<AthleteDb>
    + Decodes<FileDb>
    + Decodes<LapDb>
    + Decodes<ProfileDb>
    + Decodes<ShoeDb>
    + Decodes<SummaryDb>
    + Decodes<(i64,)>
    + Decodes<(AthleteId,)>
    + Decodes<(ActivityId,)>
    + Decodes<(FileId,)>
    + Decodes<(ShoeId,)>
    + Decodes<(EntryId,)>
    + Decodes<(Option<ActivityId>,)>
    + Decodes<(ActivityId, i32)>
    + Decodes<(Option<i64>,)>
    + Decodes<(String,)>
    + Decodes<(Vec<u8>,)>
    + Decodes<(i64, i32)>
    + Decodes<(String, Vec<u8>, i64, String)>
    + Decodes<(EntryId, String, String, i64, String)>
{
    /// The backend's name (`sqlite`, `postgres`).
    const BACKEND: &'static str;
    /// Starts a transaction that will write.
    const BEGIN_WRITE: &'static str;
    /// Starts a transaction that only reads, over one snapshot.
    const BEGIN_READ: &'static str;
    /// Run before closing, so the database's own files hold every change (SQLite folds its
    /// write-ahead log into the file and empties it); `None` when there is nothing to do.
    const BEFORE_CLOSE: Option<&'static str>;

    /// Statements run around an erasure (on, off) so that what is deleted is overwritten in
    /// the file, not merely unlinked (SQLite's `secure_delete`); `None` where the server
    /// reclaims deleted rows itself (PostgreSQL's vacuum).
    const SECURE_DELETE: Option<(&'static str, &'static str)>;

    /// Takes a transaction-level advisory lock on the key `$1` if it is free, answering
    /// whether it did (PostgreSQL's `pg_try_advisory_xact_lock`); `None` where a write
    /// transaction already excludes every other writer (SQLite).
    const TRY_XACT_LOCK: Option<&'static str>;

    /// Appended to a `SELECT` that picks rows to claim: on PostgreSQL ` FOR UPDATE SKIP
    /// LOCKED`, so concurrent claims pass over each other's rows instead of waiting; empty on
    /// SQLite, where the claiming write transaction already excludes every other writer.
    const SKIP_LOCKED: &'static str;

    /// How many rows a statement changed.
    fn rows_affected(done: &Self::QueryResult) -> u64;

    /// Sends every row of the database into `tx` (see [`crate::backup`]).
    fn dump_rows(
        pool: sqlx::Pool<Self>,
        tx: crate::backup::ItemTx,
    ) -> BoxFuture<'static, Result<(), crate::StoreError>>;

    /// Restores what `rx` brings into this empty database, in one transaction.
    fn load_rows(
        pool: sqlx::Pool<Self>,
        rx: crate::backup::ItemRx,
    ) -> BoxFuture<'static, Result<u64, crate::StoreError>>;

    /// The backend's own backup file, when it has one (SQLite's `VACUUM INTO`); `None`: the
    /// portable format.
    fn file_backup<'a>(
        pool: &'a sqlx::Pool<Self>,
        path: &'a std::path::Path,
    ) -> Option<BoxFuture<'a, Result<crate::backup::BackupSummary, crate::StoreError>>>;
}

/// A transaction on `DB`.
pub(crate) type Tx<DB> = sqlx::Transaction<'static, DB>;

/// A database over a pool of `DB` connections, not scoped to an athlete.
#[derive(Debug)]
pub(crate) struct SqlDatabase<DB: sqlx::Database> {
    pool: sqlx::Pool<DB>,
    read_only: bool,
    /// The load summaries read through this pool's athletes' stores, shared by all of them.
    summaries: Arc<SummaryCache>,
}

// By hand: a derived `Clone` would ask `DB: Clone`.
impl<DB: sqlx::Database> Clone for SqlDatabase<DB> {
    fn clone(&self) -> SqlDatabase<DB> {
        SqlDatabase {
            pool: self.pool.clone(),
            read_only: self.read_only,
            summaries: self.summaries.clone(),
        }
    }
}

impl<DB: Backend> SqlDatabase<DB> {
    /// The database over `pool`, whose schema is up to date.
    pub(crate) fn new(pool: sqlx::Pool<DB>) -> SqlDatabase<DB> {
        SqlDatabase {
            pool,
            read_only: false,
            summaries: Arc::new(SummaryCache::new()),
        }
    }

    /// The database over a read-only `pool`.
    pub(crate) fn read_only(pool: sqlx::Pool<DB>) -> SqlDatabase<DB> {
        SqlDatabase {
            pool,
            read_only: true,
            summaries: Arc::new(SummaryCache::new()),
        }
    }
}

/// One athlete's store over a pool of `DB` connections.
#[derive(Debug, Clone)]
pub(crate) struct SqlStore<DB: sqlx::Database> {
    pool: sqlx::Pool<DB>,
    athlete: AthleteId,
    summaries: Arc<SummaryCache>,
}

impl<DB: Backend> SqlStore<DB> {
    /// A connection for statements that need no transaction.
    pub(crate) async fn conn(&self) -> Result<sqlx::pool::PoolConnection<DB>, sqlx::Error> {
        self.pool.acquire().await
    }

    /// A transaction that will write ([`Backend::BEGIN_WRITE`]).
    pub(crate) async fn begin_write(&self) -> Result<Tx<DB>, sqlx::Error> {
        self.pool.begin_with(DB::BEGIN_WRITE).await
    }

    /// A transaction that only reads, over one snapshot ([`Backend::BEGIN_READ`]).
    pub(crate) async fn begin_read(&self) -> Result<Tx<DB>, sqlx::Error> {
        self.pool.begin_with(DB::BEGIN_READ).await
    }
}
