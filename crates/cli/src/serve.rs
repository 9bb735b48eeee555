//! `soleus serve`: the web app over the same database, on this computer only.

use std::net::SocketAddr;

use anyhow::Context;
use clap::Args;
use soleus_app::App;

/// `soleus serve`
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on: a loopback address, unless the database has accounts (then
    /// every page needs signing in; serve others behind an HTTPS proxy).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
}

/// Runs `soleus serve` until Ctrl-C.
pub async fn run(app: App, args: &ServeArgs) -> anyhow::Result<u8> {
    let database = app.database();
    let accounts = app.has_accounts().await?;
    let listener = soleus_web::bind_for(args.addr, accounts).await?;
    let addr = listener
        .local_addr()
        .context("reading the address listened on")?;
    println!("Soleus is serving {database} at http://{addr}/ (Ctrl-C stops it)");
    soleus_web::serve(app, listener, soleus_web::ctrl_c())
        .await
        .context("serving the web app")?;
    Ok(0)
}
