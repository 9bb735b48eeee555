//! `soleus reparse`: read every stored original file again with the current decoders, so a
//! better decoder improves old imports without the person finding their files again.

use clap::Args;
use serde::Serialize;
use soleus_formats::Limits;
use soleus_model::Activity;
use soleus_model::load::RunSummary;
use soleus_store::{NewActivity, Store};

/// `soleus reparse`
#[derive(Debug, Args)]
pub struct ReparseArgs {
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Serialize, Default)]
struct Summary {
    reparsed: u64,
    failed: u64,
    files: Vec<serde_json::Value>,
}

/// Runs `soleus reparse`.
pub async fn run(store: &dyn Store, args: &ReparseArgs) -> anyhow::Result<u8> {
    let files = store.files().await?;
    let rows = store.list_activities().await?;
    let athlete = crate::profile::load(store).await?;
    let hr = athlete
        .hr_anchors(crate::profile::observed_max_hr(store).await?)
        .map(|h| h.profile);
    let mut sum = Summary::default();
    for f in files.iter().filter(|f| f.duplicate_of.is_none()) {
        let bytes = store.file_bytes(f.id).await?;
        match soleus_formats::decode(&bytes, &Limits::default()) {
            Ok(decoded) => {
                // Only the sessions this file still owns: the others were kept from a richer
                // copy elsewhere, and re-creating them would duplicate it.
                let owned: Vec<u32> = rows
                    .iter()
                    .filter(|r| r.file_id == f.id)
                    .filter_map(|r| u32::try_from(r.session).ok())
                    .collect();
                let kept: Vec<(u32, &Activity, RunSummary)> = (0u32..)
                    .zip(&decoded.activities)
                    .filter(|(s, _)| owned.contains(s))
                    .map(|(s, a)| (s, a, RunSummary::from_activity(a, hr.as_ref())))
                    .collect();
                let new: Vec<NewActivity<'_>> = kept
                    .iter()
                    .map(|(session, a, summary)| NewActivity {
                        activity: a,
                        shoe: None,
                        session: *session,
                        summary: Some(summary),
                        encoded: None,
                    })
                    .collect();
                let ids = store.replace_file_activities(f.id, &new).await?;
                sum.reparsed += 1;
                sum.files.push(serde_json::json!({
                    "path": f.name, "outcome": "reparsed", "activity_ids": ids,
                    "warnings": decoded.warnings,
                }));
            }
            Err(e) => {
                // The stored activities stay as they were: a newer decoder refusing a file
                // never loses what an older one read.
                sum.failed += 1;
                sum.files.push(serde_json::json!({
                    "path": f.name, "outcome": "failed", "reason": e.to_string(),
                }));
            }
        }
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&sum)?);
    } else {
        for f in sum.files.iter().filter(|f| f["outcome"] == "failed") {
            println!(
                "failed   {}: {}",
                f["path"].as_str().unwrap_or(""),
                f["reason"].as_str().unwrap_or("")
            );
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
