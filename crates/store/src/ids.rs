//! Ids as their own types, so an athlete's id is never passed where a user's is expected, nor
//! an activity's where a shoe's is. Each is a 64-bit integer underneath: it prints, parses and
//! serialises as the bare number and binds to the same column types on both backends.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Defines an id newtype over `i64`; `what` names it in [`IdError`].
macro_rules! id {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
            sqlx::Type,
        )]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(transparent)]
        #[sqlx(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = IdError;

            fn from_str(s: &str) -> Result<$name, IdError> {
                parse(s, $what).map($name)
            }
        }
    };
}

id!(
    /// An athlete: the person whose runs, check-ins and plans a [`Store`](crate::Store) holds.
    AthleteId,
    "athlete"
);
id!(
    /// A user: someone who signs in (an athlete, a coach, a clinician, an administrator).
    UserId,
    "user"
);
id!(
    /// An organisation: a club or clinic, whose staff and athletes share one database.
    OrgId,
    "organisation"
);
id!(
    /// An activity: one run (or ride, swim, …) decoded from a source file.
    ActivityId,
    "activity"
);
id!(
    /// A stored source file (FIT, GPX, TCX), kept byte for byte.
    FileId,
    "file"
);
id!(
    /// A shoe the athlete runs in.
    ShoeId,
    "shoe"
);
id!(
    /// A journal entry of any kind: a check-in, a questionnaire score, an assessment, a plan,
    /// an intake or weight log.
    EntryId,
    "entry"
);

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
        assert_eq!(serde_json::to_string(&[ShoeId(3)]).unwrap(), "[3]");
        assert_eq!("5".parse::<EntryId>().unwrap(), EntryId(5));
        assert_eq!("x".parse::<ActivityId>().unwrap_err().what, "activity");
    }
}
