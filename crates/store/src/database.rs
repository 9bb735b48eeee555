//! [`Database`]: what a database holds besides any one athlete's data, and the door to each
//! athlete's [`Store`].

use crate::{
    AccountMail, Accounts, AthleteId, AthleteRow, BackupSummary, Erased, Mail, Notifications,
    OrgId, QueueDepth, Schema, Store, StoreError, UserId,
};

/// An open database, not scoped to any athlete: its athletes, the settings of the database
/// itself, and a [`Store`] handle for each athlete.
///
/// ```no_run
/// # async fn demo() -> Result<(), soleus_store::StoreError> {
/// let db = soleus_store::connect("sqlite:soleus.db").await?;
/// // A database of one runner: the athlete every database has.
/// let store = db.athlete(db.local_athlete().await?);
/// let runs = store.list_activities().await?;
/// # Ok(()) }
/// ```
#[async_trait::async_trait]
pub trait Database: Send + Sync + std::fmt::Debug {
    /// The backend's name (`sqlite`, `postgres`).
    fn backend(&self) -> &'static str;

    /// The store of one athlete. Cheap (it shares this database's connections) and unchecked:
    /// a handle for an id with no athlete reads as an athlete with no data, and its writes
    /// fail.
    fn athlete(&self, id: AthleteId) -> Box<dyn Store>;

    /// The single runner of a database used by one person: the athlete every database has
    /// from its creation. Their data is what earlier releases, which knew of no athletes,
    /// stored.
    async fn local_athlete(&self) -> Result<AthleteId, StoreError>;

    /// Adds an athlete, optionally in an organisation and linked to the user who signs in as
    /// them. Fails with [`StoreError::NotFound`] when the organisation or user does not exist,
    /// and [`StoreError::Invalid`] for an empty name or a user who already is an athlete.
    async fn add_athlete(
        &self,
        display_name: &str,
        org: Option<OrgId>,
        user: Option<UserId>,
    ) -> Result<AthleteId, StoreError>;

    /// The people of the database: users, sessions, grants, invitations, the audit log.
    /// Cheap: it shares this database's connections.
    fn accounts(&self) -> Box<dyn Accounts>;

    /// What sending mail remembers: digests sent, recipients' choices. Cheap: it shares this
    /// database's connections.
    fn mail(&self) -> Box<dyn Mail>;

    /// What the account mails remember: reset links and the outbox. Cheap: it shares this
    /// database's connections.
    fn account_mail(&self) -> Box<dyn AccountMail>;

    /// Background jobs: uploads' imports, reparses. Cheap: it shares this database's
    /// connections.
    fn jobs(&self) -> Box<dyn crate::Jobs>;

    /// Whether the schema is the one this release migrates to: one cheap read, so a
    /// readiness check may ask it often. Fails when the database does not answer.
    async fn schema(&self) -> Result<Schema, StoreError>;

    /// How many rows of work wait in the queues (digests, account mails, jobs).
    async fn queue_depth(&self) -> Result<QueueDepth, StoreError>;

    /// What each person is told: their notifications and how they want them. Cheap: it
    /// shares this database's connections.
    fn notifications(&self) -> Box<dyn Notifications>;

    /// Organisation invitations and professional profiles. Cheap: it shares this
    /// database's connections.
    fn people(&self) -> Box<dyn crate::People>;

    /// Every athlete, by id.
    async fn athletes(&self) -> Result<Vec<AthleteRow>, StoreError>;

    /// A setting of the database itself, not of an athlete (the [`DEMO_MARK`](crate::DEMO_MARK)).
    async fn setting(&self, key: &str) -> Result<Option<String>, StoreError>;

    /// Sets a setting of the database itself.
    async fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError>;

    /// Closes every connection and waits until they are closed. On SQLite the last one to
    /// close folds the write-ahead log into the database file and removes it, so the file
    /// alone holds everything (and can be read from a read-only medium). Handles from
    /// [`Database::athlete`] fail afterwards.
    async fn close(&self);

    /// Backs the whole database up to a new file at `path` (never overwriting one): an SQLite
    /// file on SQLite, the portable format on PostgreSQL or when `portable` (see
    /// [`crate::backup`]). The file appears only once complete.
    async fn backup(
        &self,
        path: &std::path::Path,
        portable: bool,
    ) -> Result<BackupSummary, StoreError>;

    /// Restores the backup at `path` (either form, from either backend) into this database,
    /// which must hold no data yet; in one transaction, so it applies whole or not at all.
    async fn restore(&self, path: &std::path::Path) -> Result<BackupSummary, StoreError>;

    /// Erases an athlete and everything of theirs: activities and original files, journal,
    /// shoes, settings, comments on their data, notifications about them, grants and
    /// invitations, digests, and their audit trail; their sign-in account too when it is
    /// only theirs (an athlete's account), else it is kept and unlinked. In one transaction.
    /// The database's first athlete comes back empty, since every database has one.
    async fn delete_athlete(&self, id: AthleteId) -> Result<Erased, StoreError>;

    /// Whether this database was opened read-only (a file on a read-only medium): every write
    /// fails.
    fn read_only(&self) -> bool;
}
