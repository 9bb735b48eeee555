//! Validated questionnaires (OSTRC-O2, VISA-A, LEFS, MTSS score), stored with their version and
//! shown as a trend against the smallest meaningful change (knowledge base §2).

use soleus_store::EntryId;
use std::collections::BTreeMap;

use serde::Serialize;
use soleus_model::questionnaires::{self, Instrument, Responses, Scored, TrendStep};

use crate::{App, AppError, Result};

/// `soleus scores --list --json`: the questionnaires Soleus knows.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InstrumentsView {
    /// Each version of each questionnaire.
    pub instruments: Vec<InstrumentRow>,
}

/// One questionnaire version.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InstrumentRow {
    /// Its code (`VISA_A`).
    pub code: &'static str,
    /// Higher totals are better.
    pub higher_is_better: bool,
    /// The number of items.
    pub items: usize,
    /// The highest total.
    pub max: u32,
    /// Its name.
    pub name: &'static str,
    /// The reference key of the version.
    pub reference: &'static str,
    /// The version.
    pub version: &'static str,
}

/// `soleus scores --json`: every stored result with its id, and each questionnaire's trend.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScoresView {
    /// Every result, oldest day first.
    pub scores: Vec<ScoreRow>,
    /// Each questionnaire's changes from one result to the next, by code.
    pub trends: BTreeMap<String, Vec<TrendStep>>,
}

/// A stored result.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScoreRow {
    /// The result's id (to delete a wrong one).
    pub id: EntryId,
    /// The result.
    #[serde(flatten)]
    pub scored: Scored,
}

/// The latest version of the questionnaire people call `code` (`VISA-A`, `visa_a`).
pub fn instrument(code: &str) -> Result<&'static Instrument> {
    let canonical = questionnaires::canonical_code(code);
    questionnaires::instruments()
        .iter()
        .filter(|i| Some(i.code.as_str()) == canonical)
        .max_by(|a, b| a.version.cmp(&b.version))
        .ok_or_else(|| {
            AppError::invalid(
                "instrument",
                format!(
                    "unknown questionnaire {code:?}; known: {}",
                    questionnaires::display_names().join(", ")
                ),
            )
        })
}

impl App {
    /// The questionnaires Soleus knows, each version.
    pub fn instruments(&self) -> InstrumentsView {
        InstrumentsView {
            instruments: questionnaires::instruments()
                .iter()
                .map(|i| InstrumentRow {
                    code: &i.code,
                    higher_is_better: i.higher_is_better,
                    items: i.item.len(),
                    max: i.max,
                    name: &i.name,
                    reference: &i.reference,
                    version: &i.version,
                })
                .collect(),
        }
    }

    /// Scores a questionnaire's answers (the instrument named as people write it) and stores
    /// the result.
    pub async fn score(&self, responses: &Responses) -> Result<ScoreRow> {
        let mut r = responses.clone();
        if let Some(code) = questionnaires::canonical_code(&r.instrument) {
            r.instrument = code.to_owned();
        }
        let scored =
            questionnaires::score(&r).map_err(|e| AppError::invalid("answers", e.to_string()))?;
        let id = self.journal().add(scored.date, &scored).await?;
        Ok(ScoreRow { id, scored })
    }

    /// Every stored result and each questionnaire's trend against its smallest meaningful
    /// change.
    pub async fn scores(&self) -> Result<ScoresView> {
        let scores: Vec<ScoreRow> = self
            .journal()
            .read::<Scored>()
            .await?
            .into_iter()
            .map(|e| ScoreRow {
                id: e.id,
                scored: e.body,
            })
            .collect();
        let results: Vec<Scored> = scores.iter().map(|s| s.scored.clone()).collect();
        let trends = results
            .iter()
            .map(|r| {
                (
                    r.instrument.clone(),
                    questionnaires::trend(&results, &r.instrument),
                )
            })
            .collect();
        Ok(ScoresView { scores, trends })
    }

    /// Deletes a stored result (a wrong entry).
    pub async fn delete_score(&self, id: EntryId) -> Result<()> {
        if self.journal().delete::<Scored>(id).await? {
            Ok(())
        } else {
            Err(AppError::NotFound {
                what: "questionnaire result",
                id: id.to_string(),
            })
        }
    }
}
