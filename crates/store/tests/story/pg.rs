//! PostgreSQL for the story: a fresh database per test, and TLS.

use std::future::Future;

use chrono::Utc;

/// Runs `test` on a fresh PostgreSQL database, dropped afterwards (even when `test` panics);
/// skipped when `SOLEUS_TEST_PG_URL` is not set.
pub async fn on_fresh_postgres<F, Fut>(what: &str, test: F)
where
    F: FnOnce(String) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Ok(server) = std::env::var("SOLEUS_TEST_PG_URL") else {
        eprintln!("skipped: SOLEUS_TEST_PG_URL not set");
        return;
    };
    use sqlx::Connection;
    let name = format!(
        "soleus_{what}_{}_{}",
        std::process::id(),
        Utc::now().timestamp_nanos_opt().unwrap_or(0) % 1_000_000_000
    );
    let mut admin = sqlx::PgConnection::connect(&server).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .unwrap();
    // Run as a task so a failing assertion still lets us drop the database.
    let outcome = tokio::spawn(test(with_database(&server, &name))).await;
    sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .execute(&mut admin)
        .await
        .unwrap();
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

/// The server URL with its database (path) replaced by `db`, query kept.
fn with_database(server: &str, db: &str) -> String {
    let (base, query) = server.split_once('?').map_or((server, ""), |(b, q)| (b, q));
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[after_scheme..]
        .find('/')
        .map_or(base.len(), |i| after_scheme + i);
    let q = if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    };
    format!("{}/{db}{q}", &base[..host_end])
}

#[tokio::test]
async fn postgres_over_tls() {
    // `sslmode=require` must work (sqlx is built with rustls) and the session must really be
    // encrypted, as the server's own pg_stat_ssl says. The local server's certificate is
    // self-signed, which `require` accepts (it encrypts; `verify-full` would check the CA).
    let Ok(server) = std::env::var("SOLEUS_TEST_PG_URL") else {
        eprintln!("skipped: SOLEUS_TEST_PG_URL not set");
        return;
    };
    use sqlx::Connection;
    let mut admin = sqlx::PgConnection::connect(&server).await.unwrap();
    let ssl: String = sqlx::query_scalar("SHOW ssl")
        .fetch_one(&mut admin)
        .await
        .unwrap();
    if ssl != "on" {
        eprintln!("skipped: the PostgreSQL server has ssl = {ssl}");
        return;
    }
    let name = format!("soleus_tls_{}", std::process::id());
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .unwrap();
    let url = with_database(&server, &name);
    let tls_url = if url.contains('?') {
        format!("{url}&sslmode=require")
    } else {
        format!("{url}?sslmode=require")
    };
    let opened = soleus_store::connect(&tls_url).await.map(|_| ());
    let mut c = sqlx::PgConnection::connect(&tls_url).await.unwrap();
    let encrypted: bool =
        sqlx::query_scalar("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            .fetch_one(&mut c)
            .await
            .unwrap();
    drop(c);
    sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .execute(&mut admin)
        .await
        .unwrap();
    opened.unwrap();
    assert!(encrypted);
}
