//! Statements: the only way the shared code makes one is through the handle it holds, so every
//! statement on an athlete's data binds that athlete.

use sqlx::query::Query;

use super::{Args, Backend, Binds, Decodes, SqlDatabase, SqlStore};

/// One statement with its arguments, run on a connection or inside a transaction.
pub(crate) struct Stmt<'q, DB: sqlx::Database>(Query<'q, DB, Args<'q, DB>>);

impl<'q, DB: Backend> Stmt<'q, DB> {
    /// A statement with no arguments bound yet. Private: statements are made by
    /// [`SqlStore::sql`] (an athlete's) and [`SqlDatabase::sql`] (the database's own).
    fn new(sql: &'q str) -> Stmt<'q, DB> {
        Stmt(sqlx::query(sql))
    }

    /// Binds the next `$N`.
    pub(crate) fn bind<T>(self, value: T) -> Stmt<'q, DB>
    where
        DB: Binds<'q, T>,
    {
        Stmt(<DB as Binds<'q, T>>::bind_to(self.0, value))
    }

    /// Runs it; returns how many rows it changed.
    pub(crate) async fn execute(self, conn: &mut DB::Connection) -> Result<u64, sqlx::Error> {
        let done = DB::run(conn, self.0).await?;
        Ok(DB::rows_affected(&done))
    }

    /// Every row it returns.
    pub(crate) async fn all<T>(self, conn: &mut DB::Connection) -> Result<Vec<T>, sqlx::Error>
    where
        DB: Decodes<T>,
    {
        let rows = DB::rows(conn, self.0).await?;
        rows.iter().map(<DB as Decodes<T>>::decode).collect()
    }

    /// Its first row, if any.
    pub(crate) async fn optional<T>(
        self,
        conn: &mut DB::Connection,
    ) -> Result<Option<T>, sqlx::Error>
    where
        DB: Decodes<T>,
    {
        let row = DB::first_row(conn, self.0).await?;
        row.as_ref().map(<DB as Decodes<T>>::decode).transpose()
    }

    /// Its first row; [`sqlx::Error::RowNotFound`] when there is none.
    pub(crate) async fn one<T>(self, conn: &mut DB::Connection) -> Result<T, sqlx::Error>
    where
        DB: Decodes<T>,
    {
        self.optional(conn).await?.ok_or(sqlx::Error::RowNotFound)
    }

    /// The first column of its first row, if there is a row.
    pub(crate) async fn scalar<T>(self, conn: &mut DB::Connection) -> Result<Option<T>, sqlx::Error>
    where
        DB: Decodes<(T,)>,
    {
        Ok(self.optional::<(T,)>(conn).await?.map(|(v,)| v))
    }
}

impl<DB: Backend> SqlStore<DB> {
    /// A statement on this athlete's data, with their id bound as `$1`: the SQL numbers its own
    /// arguments from `$2`. Every statement a store runs is made here, so none can forget to
    /// bind the athlete; one whose SQL never uses `$1` fails a debug assertion, which the
    /// conformance story runs into on both backends.
    pub(crate) fn sql<'q>(&self, sql: &'q str) -> Stmt<'q, DB> {
        debug_assert!(
            uses_first_parameter(sql),
            "statement ignores the athlete: {sql}"
        );
        Stmt::new(sql).bind(self.athlete)
    }
}

/// Whether `sql` uses the parameter `$1` (not merely `$10`…).
fn uses_first_parameter(sql: &str) -> bool {
    sql.match_indices("$1")
        .any(|(i, _)| !sql[i + 2..].starts_with(|c: char| c.is_ascii_digit()))
}

impl<DB: Backend> SqlDatabase<DB> {
    /// A statement on what the database holds besides athletes' data (the athletes
    /// themselves, its own settings).
    pub(crate) fn sql<'q>(&self, sql: &'q str) -> Stmt<'q, DB> {
        Stmt::new(sql)
    }
}

#[cfg(test)]
mod tests {
    use super::uses_first_parameter;

    #[test]
    fn the_first_parameter_is_told_from_the_tenth() {
        assert!(uses_first_parameter(
            "SELECT 1 FROM t WHERE athlete_id = $1"
        ));
        assert!(uses_first_parameter("VALUES ($1, $2)"));
        assert!(!uses_first_parameter(
            "SELECT $10, $11 FROM t WHERE id = $2"
        ));
    }
}
