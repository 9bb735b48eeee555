//! Ids of the people and organisations a database holds data for, as their own types so an
//! athlete's id is never passed where a user's is expected.
//!
//! The ids of rows inside one athlete's data ([`ActivityId`](crate::ActivityId),
//! [`FileId`](crate::FileId), [`ShoeId`](crate::ShoeId)) are still plain `i64`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// An athlete: the person whose runs, check-ins and plans a [`Store`](crate::Store) holds.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, sqlx::Type,
)]
#[serde(transparent)]
#[sqlx(transparent)]
pub struct AthleteId(pub i64);

impl fmt::Display for AthleteId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for AthleteId {
    type Err = IdError;

    fn from_str(s: &str) -> Result<AthleteId, IdError> {
        parse(s, "athlete").map(AthleteId)
    }
}

/// A user: someone who signs in (an athlete, a coach, a clinician, an administrator).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, sqlx::Type,
)]
#[serde(transparent)]
#[sqlx(transparent)]
pub struct UserId(pub i64);

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for UserId {
    type Err = IdError;

    fn from_str(s: &str) -> Result<UserId, IdError> {
        parse(s, "user").map(UserId)
    }
}

/// An organisation: a club or clinic, whose staff and athletes share one database.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, sqlx::Type,
)]
#[serde(transparent)]
#[sqlx(transparent)]
pub struct OrgId(pub i64);

impl fmt::Display for OrgId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for OrgId {
    type Err = IdError;

    fn from_str(s: &str) -> Result<OrgId, IdError> {
        parse(s, "organisation").map(OrgId)
    }
}

fn parse(s: &str, what: &'static str) -> Result<i64, IdError> {
    s.trim().parse().map_err(|_| IdError {
        what,
        input: s.to_string(),
    })
}

/// Bad input: text that is not an id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} id {input:?} is not a whole number")]
pub struct IdError {
    /// What kind of id was expected.
    pub what: &'static str,
    /// The text given.
    pub input: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_print_parse_and_serialise_as_bare_numbers() {
        let id: AthleteId = " 42 ".parse().unwrap();
        assert_eq!(id, AthleteId(42));
        assert_eq!(id.to_string(), "42");
        assert_eq!(serde_json::to_string(&UserId(7)).unwrap(), "7");
        assert_eq!(serde_json::from_str::<OrgId>("9").unwrap(), OrgId(9));
        let e = "4x".parse::<OrgId>().unwrap_err();
        assert_eq!(e.what, "organisation");
        assert!(e.to_string().contains("\"4x\""), "{e}");
        assert!(AthleteId(1) < AthleteId(2));
    }
}
