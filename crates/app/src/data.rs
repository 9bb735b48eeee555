//! The database as a whole, and one athlete's data as theirs: `soleus backup` and `soleus
//! restore`, `soleus export --athlete` (the right to take one's data elsewhere) and `soleus
//! delete-athlete` (the right to erasure).

use std::io::Write;
use std::path::Path;

use serde::Serialize;
use soleus_store::AthleteId;
pub use soleus_store::{BackupFormat, BackupSummary, Erased};

use crate::{App, AppError, Result};

/// What an export wrote.
#[derive(Debug, Clone, Serialize)]
pub struct ExportSummary {
    /// The athlete exported.
    pub athlete: AthleteId,
    /// The zip file written.
    pub file: String,
    /// Original files included, byte for byte.
    pub originals: usize,
    /// Activities included.
    pub activities: usize,
    /// The zip's size in bytes.
    pub bytes: u64,
}

/// What `export` writes beside the data, so the archive explains itself.
const EXPORT_README: &str = "\
This archive holds one athlete's data from Soleus.

profile.json        the athlete's profile and heart-rate anchors
activities.json     every activity, with its summary
activities/ID.json  each activity in full: laps, splits, samples' summaries
originals/          every imported file, byte for byte as it was imported
originals.json      each original's name, format, size, SHA-256 and import time
checkins.json       check-ins with their triage
scores.json         questionnaire results (VISA-A, LEFS, OSTRC-O2, MTSS)
plan.json           the rehabilitation plan and every decision in it
shoes.json          shoes and their distance
energy.json         energy goals and logs

Distances are in metres and times in seconds or ISO 8601 unless a field's name says
otherwise. Every JSON file is the same document the `soleus` command prints with --json.
";

impl App {
    /// Backs the whole database up to a new file (see `soleus_store::backup`); `portable`
    /// chooses Soleus's portable format on SQLite too.
    pub async fn backup(&self, path: &Path, portable: bool) -> Result<BackupSummary> {
        self.db
            .backup(path, portable)
            .await
            .map_err(|e| AppError::storage(format!("backing up to {}", path.display()), e))
    }

    /// Restores a backup into this database, which must hold no data yet.
    pub async fn restore(&self, path: &Path) -> Result<BackupSummary> {
        self.db
            .restore(path)
            .await
            .map_err(|e| AppError::storage(format!("restoring {}", path.display()), e))
    }

    /// Erases athlete `id` and everything of theirs.
    pub async fn delete_athlete(&self, id: AthleteId) -> Result<Erased> {
        self.db.delete_athlete(id).await.map_err(|e| match e {
            soleus_store::StoreError::NotFound { what, id } => AppError::NotFound {
                what,
                id: id.to_string(),
            },
            e => AppError::storage(format!("erasing athlete {}", id.0), e),
        })
    }

    /// Writes every piece of athlete `id`'s data to a new zip at `path`: the JSON documents
    /// the CLI prints and every original file byte for byte. The zip appears only complete.
    pub async fn export_athlete(&self, id: AthleteId, path: &Path) -> Result<ExportSummary> {
        let known = self
            .db
            .athletes()
            .await
            .map_err(|e| AppError::storage("listing athletes", e))?;
        if !known.iter().any(|a| a.id == id) {
            return Err(AppError::NotFound {
                what: "athlete",
                id: id.0.to_string(),
            });
        }
        if path.exists() {
            return Err(AppError::invalid(
                "FILE",
                format!(
                    "{} already exists; choose a new file name (an export never overwrites a file)",
                    path.display()
                ),
            ));
        }
        let app = self.as_athlete(id);
        let mut docs: Vec<(String, serde_json::Value)> = vec![
            ("profile.json".into(), json(&app.profile().await?)?),
            ("checkins.json".into(), json(&app.checkins().await?)?),
            ("scores.json".into(), json(&app.scores().await?)?),
            ("plan.json".into(), json(&app.plan_history().await?)?),
            ("shoes.json".into(), json(&app.shoes().await?)?),
            ("energy.json".into(), json(&app.energy_history().await?)?),
        ];
        let list = app.activities(None, None).await?;
        let activities = list.activities.len();
        docs.push(("activities.json".into(), json(&list)?));
        for a in &list.activities {
            let view = app.activity(a.id, None).await?;
            docs.push((format!("activities/{}.json", a.id.0), json(&view)?));
        }
        let files = app
            .store
            .files()
            .await
            .map_err(|e| AppError::storage("listing original files", e))?;
        docs.push(("originals.json".into(), json(&originals_list(&files))?));

        let partial = path.with_file_name(format!(
            "{}.partial-{}",
            path.file_name().unwrap_or_default().to_string_lossy(),
            std::process::id()
        ));
        let io = |e: std::io::Error| AppError::Io {
            context: format!("writing {}", path.display()),
            source: e,
        };
        let zipped = async {
            let file = std::fs::File::create_new(&partial).map_err(io)?;
            let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
            let deflate = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            let zerr = |e: zip::result::ZipError| io(std::io::Error::other(e));
            zip.start_file("README.txt", deflate).map_err(zerr)?;
            zip.write_all(EXPORT_README.as_bytes()).map_err(io)?;
            for (name, doc) in &docs {
                zip.start_file(name.as_str(), deflate).map_err(zerr)?;
                let text = serde_json::to_vec_pretty(doc)
                    .map_err(|e| AppError::Internal(format!("writing {name}: {e}")))?;
                zip.write_all(&text).map_err(io)?;
            }
            for f in &files {
                let bytes = app
                    .store
                    .file_bytes(f.id)
                    .await
                    .map_err(|e| AppError::storage(format!("reading file {}", f.name), e))?;
                zip.start_file(original_name(f), deflate).map_err(zerr)?;
                zip.write_all(&bytes).map_err(io)?;
            }
            let out = zip.finish().map_err(zerr)?;
            let file = out.into_inner().map_err(|e| io(e.into_error()))?;
            file.sync_all().map_err(io)?;
            std::fs::rename(&partial, path).map_err(io)
        }
        .await;
        if let Err(e) = zipped {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
        Ok(ExportSummary {
            athlete: id,
            file: path.display().to_string(),
            originals: files.len(),
            activities,
            bytes: std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
        })
    }
}

fn json<T: Serialize>(view: &T) -> Result<serde_json::Value> {
    serde_json::to_value(view).map_err(|e| AppError::Internal(format!("an export document: {e}")))
}

/// An original's name in the archive: its id keeps two files of one name apart, and only the
/// last part of an imported name is kept (it may hold a folder path).
fn original_name(f: &soleus_store::FileRow) -> String {
    let base = f
        .name
        .rsplit(['/', '\\'])
        .next()
        .filter(|b| !b.is_empty() && *b != "." && *b != "..")
        .unwrap_or("file");
    format!("originals/{}-{base}", f.id.0)
}

fn originals_list(files: &[soleus_store::FileRow]) -> Vec<serde_json::Value> {
    files
        .iter()
        .map(|f| {
            serde_json::json!({
                "path": original_name(f),
                "name": f.name,
                "format": f.format,
                "size": f.size,
                "sha256": f.sha256,
                "imported_at": f.imported_at,
            })
        })
        .collect()
}
