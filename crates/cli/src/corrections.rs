//! `soleus edit`, `soleus delete` and `soleus merge`: correcting activities. The use cases are
//! in [`soleus_app::corrections`].

use anyhow::anyhow;
use clap::Args;
use soleus_app::corrections::{CorrectionReport, EditRequest};
use soleus_app::{ActivityId, App, AppError};

/// `soleus edit ID`
#[derive(Debug, Args)]
pub struct EditArgs {
    /// The activity's id (from `soleus activities`).
    pub id: ActivityId,
    /// The activity's new name.
    #[arg(long)]
    pub name: Option<String>,
    /// The sport: run, trail_run, treadmill, track, walk, hike, ride, swim or other.
    #[arg(long)]
    pub sport: Option<String>,
    /// The shoe worn, by name (added to your shoes if new), or `none`.
    #[arg(long)]
    pub shoe: Option<String>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// `soleus delete ID`
#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// The activity's id (from `soleus activities`).
    pub id: ActivityId,
    /// Bring a deleted activity back instead.
    #[arg(long)]
    pub undo: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// `soleus merge ID ID`
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The two activities (one run recorded by two devices); with --undo, the one merged away.
    #[arg(required = true, num_args = 1..=2)]
    pub ids: Vec<ActivityId>,
    /// Undo a merge: the activity merged away is its own again.
    #[arg(long)]
    pub undo: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// An app error as the command reports it: an unknown id says how to find the ids.
fn explained(e: AppError, id: ActivityId) -> anyhow::Error {
    match e {
        AppError::NotFound {
            what: "activity", ..
        } => anyhow!("no activity {id}; list them with `soleus activities`"),
        e => e.into(),
    }
}

fn print(report: &CorrectionReport, json: bool) -> anyhow::Result<u8> {
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&soleus_app::to_json(report)?)?
        );
        return Ok(0);
    }
    println!("{}", report.message);
    for e in &report.edits {
        println!(
            "  {} {} → {} (the file said: {}; {})",
            e.field,
            e.before.as_deref().unwrap_or("none"),
            e.after.as_deref().unwrap_or("none"),
            e.device.as_deref().unwrap_or("—"),
            e.edited_at.format("%Y-%m-%d %H:%M UTC")
        );
    }
    if let Some(undo) = &report.undo {
        println!("Undo with: {undo}");
    }
    Ok(0)
}

/// Runs `soleus edit`.
pub async fn edit(app: &App, args: &EditArgs) -> anyhow::Result<u8> {
    let req = EditRequest {
        name: args.name.clone(),
        sport: args.sport.clone(),
        shoe: args.shoe.clone(),
    };
    let report = app
        .edit_activity(args.id, &req)
        .await
        .map_err(|e| explained(e, args.id))?;
    print(&report, args.json)
}

/// Runs `soleus delete`.
pub async fn delete(app: &App, args: &DeleteArgs) -> anyhow::Result<u8> {
    let report = if args.undo {
        app.restore_activity(args.id).await
    } else {
        app.delete_activity(args.id).await
    }
    .map_err(|e| explained(e, args.id))?;
    print(&report, args.json)
}

/// Runs `soleus merge`.
pub async fn merge(app: &App, args: &MergeArgs) -> anyhow::Result<u8> {
    let report = match (args.undo, args.ids.as_slice()) {
        (true, [id]) => app
            .restore_activity(*id)
            .await
            .map_err(|e| explained(e, *id))?,
        (false, [a, b]) => match app.merge_activities(*a, *b).await {
            Ok(r) => r,
            Err(AppError::NotFound { id, .. }) => {
                anyhow::bail!("no activity {id}; list them with `soleus activities`")
            }
            Err(e) => return Err(e.into()),
        },
        (true, _) => anyhow::bail!(
            "merge --undo takes one id: the activity merged away (`soleus merge --undo ID`)"
        ),
        (false, _) => anyhow::bail!(
            "merge takes two ids: the two recordings of one run (`soleus merge ID ID`)"
        ),
    };
    print(&report, args.json)
}
