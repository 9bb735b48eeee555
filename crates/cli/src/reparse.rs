//! `soleus reparse`: the arguments and the report. The use case is
//! [`soleus_app::App::reparse`].

use clap::Args;
use soleus_app::App;
use soleus_app::reparse::ReparseOutcome;

/// `soleus reparse`
#[derive(Debug, Args)]
pub struct ReparseArgs {
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs `soleus reparse`.
pub async fn run(app: &App, args: &ReparseArgs) -> anyhow::Result<u8> {
    let sum = app.reparse().await?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&sum)?);
    } else {
        for f in sum
            .files
            .iter()
            .filter(|f| f.outcome == ReparseOutcome::Failed)
        {
            println!("failed   {}: {}", f.path, f.reason.as_deref().unwrap_or(""));
        }
        println!(
            "{} files re-read, {} could not be (their activities were kept as they were)",
            sum.reparsed, sum.failed
        );
    }
    Ok(if sum.failed > 0 {
        crate::EXIT_SOME_FAILED
    } else {
        0
    })
}
