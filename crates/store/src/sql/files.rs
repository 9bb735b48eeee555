//! Source files: finding one by content hash, listing them, their original bytes, and files
//! kept only as duplicates.

use super::write::{activity_exists, insert_file};
use super::{Backend, SqlStore};
use crate::decode::{FILE_SELECT, FileDb};
use crate::{ActivityId, FileId, FileRow, NewFile, StoreError};

pub(super) async fn by_hash<DB: Backend>(
    s: &SqlStore<DB>,
    sha256: &str,
) -> Result<Option<FileRow>, StoreError> {
    let q = format!("{FILE_SELECT} WHERE athlete_id = $1 AND sha256 = $2");
    s.sql(&q)
        .bind(sha256.to_ascii_lowercase())
        .optional::<FileDb>(&mut *s.conn().await?)
        .await?
        .map(FileRow::try_from)
        .transpose()
}

pub(super) async fn list<DB: Backend>(s: &SqlStore<DB>) -> Result<Vec<FileRow>, StoreError> {
    let q = format!("{FILE_SELECT} WHERE athlete_id = $1 ORDER BY id");
    s.sql(&q)
        .all::<FileDb>(&mut *s.conn().await?)
        .await?
        .into_iter()
        .map(FileRow::try_from)
        .collect()
}

pub(super) async fn bytes<DB: Backend>(
    s: &SqlStore<DB>,
    id: FileId,
) -> Result<Vec<u8>, StoreError> {
    let (compression, bytes, size, sha256) = s
        .sql(
            "SELECT compression, bytes, size, sha256 FROM files \
             WHERE athlete_id = $1 AND id = $2",
        )
        .bind(id)
        .optional::<(String, Vec<u8>, i64, String)>(&mut *s.conn().await?)
        .await?
        .ok_or(StoreError::NotFound {
            what: "file",
            id: id.0,
        })?;
    crate::pack::unpack_file(&compression, bytes, size, &sha256)
}

pub(super) async fn save_duplicate<DB: Backend>(
    s: &SqlStore<DB>,
    file: &NewFile<'_>,
    duplicate_of: ActivityId,
) -> Result<FileId, StoreError> {
    let packed = match file.packed {
        Some(p) => p.clone(),
        None => crate::pack::pack_file(file)?,
    };
    let mut tx = s.begin_write().await?;
    if !activity_exists(s, &mut tx, duplicate_of).await? {
        return Err(StoreError::NotFound {
            what: "activity",
            id: duplicate_of.0,
        });
    }
    let id = insert_file(s, &mut tx, file, &packed, Some(duplicate_of)).await?;
    tx.commit().await?;
    Ok(id)
}
