//! `soleus serve`: the web app over the same database, on this computer only.

use std::net::SocketAddr;

use anyhow::Context;
use clap::Args;
use soleus_app::App;

use crate::config::Settings;

/// `soleus serve`
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on: a loopback address, unless the database has accounts (then
    /// every page needs signing in; serve others behind an HTTPS proxy).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// A token Prometheus sends (`Authorization: Bearer TOKEN`) to read /metrics from
    /// another machine. Without one, /metrics answers only this machine, never a request a
    /// proxy passed on. Prefer the environment variable: a flag shows in the process list.
    #[arg(long, env = "SOLEUS_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,
    /// Run no job worker in this process: uploads are still taken and queued, and separate
    /// `soleus worker` processes import them. By default `serve` imports uploads itself.
    #[arg(long)]
    pub no_jobs: bool,
}

/// `soleus worker`
#[derive(Debug, Args)]
pub struct WorkerArgs {
    /// A name for this process in job claims and the digest report (default: host and
    /// process id).
    #[arg(long)]
    pub name: Option<String>,
    /// How long, in seconds, a job claim holds without renewal: a job whose worker was killed
    /// is taken up by another worker this long after its last renewal.
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u64).range(3..=3600))]
    pub lease_secs: u64,
}

use soleus_web::process_name;

/// Runs `soleus worker` until Ctrl-C or SIGTERM: it claims background jobs (uploads'
/// imports, reparses) from the database, runs the mail schedule (digests, account mails)
/// when an SMTP server is set, and the clean-up of what has run out. On stopping it claims
/// no more and gives back a job it holds, for another worker to finish.
pub async fn worker(app: App, settings: &Settings, args: &WorkerArgs) -> anyhow::Result<u8> {
    let smtp = settings.smtp()?;
    let mailer = smtp.as_ref().map(soleus_mail::Mailer::new).transpose()?;
    let name = args.name.clone().unwrap_or_else(process_name);
    // Listening for Ctrl-C and SIGTERM before saying it started.
    let stop = soleus_web::ctrl_c();
    let database = app.database();
    match &smtp {
        Some(smtp) => println!(
            "Soleus worker {name}: running the jobs of {database}, and sending the weekly \
             digests and account mails through {}:{} (Ctrl-C stops it)",
            smtp.host, smtp.port
        ),
        None => println!(
            "Soleus worker {name}: running the jobs of {database}; no SMTP server is set, so \
             no digests or account mails are sent (set SOLEUS_SMTP_HOST and SOLEUS_SMTP_FROM, \
             or smtp_host and smtp_from in the config file, to send them) (Ctrl-C stops it)"
        ),
    }
    let (stop_all, stopped) = tokio::sync::watch::channel(false);
    let until = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
        let _ = rx.wait_for(|s| *s).await;
    };
    let clean_up = tokio::spawn(app.clone_handle().run_clean_up(until(stopped.clone())));
    let jobs = tokio::spawn(app.clone_handle().run_jobs(
        name.clone(),
        std::time::Duration::from_secs(args.lease_secs),
        std::sync::Arc::new(soleus_app::jobs::NoObserver),
        until(stopped.clone()),
    ));
    let mail = mailer.map(|mailer| {
        tokio::spawn(soleus_mail::run_schedule(
            app.clone_handle(),
            mailer,
            name,
            until(stopped.clone()),
        ))
    });
    // Ctrl-C, or SIGTERM from a service manager.
    stop.await;
    let _ = stop_all.send(true);
    let _ = jobs.await;
    if let Some(mail) = mail {
        let _ = mail.await;
    }
    let _ = clean_up.await;
    app.close().await;
    Ok(0)
}

/// Runs `soleus serve` until Ctrl-C.
pub async fn run(app: App, settings: &Settings, args: &ServeArgs) -> anyhow::Result<u8> {
    // The digests and the account mails go out from every serving process (the database's claims decide which one
    // sends each); without an SMTP server there is nothing to send.
    let smtp = settings.smtp()?;
    let mail_url = smtp.as_ref().map(|c| c.public_url.clone());
    let schedule = match smtp {
        Some(smtp) => {
            let mailer = soleus_mail::Mailer::new(&smtp)?;
            let (tx, rx) = tokio::sync::oneshot::channel::<()>();
            let task = tokio::spawn(soleus_mail::run_schedule(
                app.clone_handle(),
                mailer,
                process_name(),
                async {
                    let _ = rx.await;
                },
            ));
            Some((tx, task))
        }
        None => None,
    };
    // Expired sessions and invitations leave the database on a schedule of their own (one
    // process at a time on PostgreSQL).
    let (stop_clean_up, stopped) = tokio::sync::oneshot::channel::<()>();
    let clean_up = tokio::spawn(app.clone_handle().run_clean_up(async {
        let _ = stopped.await;
    }));
    let database = app.database();
    let accounts = app.has_accounts().await?;
    let listener = soleus_web::bind_for(args.addr, accounts).await?;
    let addr = listener
        .local_addr()
        .context("reading the address listened on")?;
    // Listening for Ctrl-C and SIGTERM before saying it serves.
    let stop = soleus_web::ctrl_c();
    println!("Soleus is serving {database} at http://{addr}/ (Ctrl-C stops it)");
    let options = soleus_web::Options {
        mail_url,
        metrics_token: args.metrics_token.clone(),
        no_jobs: args.no_jobs,
        worker_name: None,
    };
    let served = soleus_web::serve_with(app, listener, stop, options)
        .await
        .context("serving the web app");
    if let Some((tx, task)) = schedule {
        let _ = tx.send(());
        let _ = task.await;
    }
    let _ = stop_clean_up.send(());
    let _ = clean_up.await;
    served?;
    Ok(0)
}
