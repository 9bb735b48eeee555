//! Passwords: the rules a new one must meet, and Argon2id hashing.
//!
//! The rules are OWASP ASVS 5.0 §6.2 (and NIST SP 800-63B §3.1.1.2): at least
//! [`MIN_CHARS`] characters, up to [`MAX_CHARS`] allowed and never truncated, any character
//! allowed, no composition rules, and refused when it is a common password or made of the
//! account's own address or name. Hashing is Argon2id with the `argon2` crate's defaults
//! (19 MiB, 2 passes, 1 lane: OWASP's Password Storage Cheat Sheet minimum), on a blocking
//! thread so a sign-in never stalls the server's other requests.

use std::collections::HashSet;
use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

use crate::{AppError, Result};

/// The fewest characters a password may have.
pub const MIN_CHARS: usize = 8;

/// The most characters a password may have: far beyond the 64 the rules require, and small
/// enough that hashing one is no way to tie up the server.
pub const MAX_CHARS: usize = 1024;

/// The common passwords refused, one per line, lower case.
const COMMON: &str = include_str!("../../data/common_passwords.txt");

fn common() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| {
        COMMON
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    })
}

/// Checks a new password against the rules; the error says which rule and what to do.
/// `email` and `name` are the account's own, which a password may not merely repeat.
pub fn check(password: &str, email: &str, name: &str) -> Result<()> {
    let chars = password.chars().count();
    let refuse = |message: String| Err(AppError::invalid("password", message));
    if chars < MIN_CHARS {
        return refuse(format!(
            "a password needs at least {MIN_CHARS} characters (this one has {chars}); a few \
             words strung together are easy to remember and hard to guess"
        ));
    }
    if chars > MAX_CHARS {
        return refuse(format!(
            "a password may have at most {MAX_CHARS} characters (this one has {chars})"
        ));
    }
    let lower = password.to_lowercase();
    if common().contains(lower.as_str()) {
        return refuse(
            "this password is one of the most common ones, which are tried first: choose \
             another (a few unrelated words work well)"
                .into(),
        );
    }
    let mut distinct: Vec<char> = lower.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() < 3 {
        return refuse("a password of one or two repeated characters is guessed at once".into());
    }
    let local = email.split('@').next().unwrap_or("").to_lowercase();
    let own = [email.to_lowercase(), local, name.trim().to_lowercase()];
    if own.iter().any(|o| o.chars().count() >= 4 && lower == *o) {
        return refuse(
            "a password may not be the account's own address or name: choose another".into(),
        );
    }
    Ok(())
}

/// Hashes a password with Argon2id and a random salt, as a PHC string.
pub async fn hash(password: &str) -> Result<String> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| AppError::Internal(format!("hashing a password failed: {e}")))
    })
    .await
    .map_err(|e| AppError::Internal(format!("the password hashing thread failed: {e}")))?
}

/// A hash of no one's password, verified against when an address has no account, so a
/// sign-in takes as long whether or not the account exists.
fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| {
        Argon2::default()
            .hash_password(b"no account has this password")
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

/// Whether `password` matches the PHC string `hash` (the dummy hash when `None`, which never
/// matches). A hash that cannot be read matches nothing.
pub async fn verify(password: &str, hash: Option<&str>) -> Result<bool> {
    let password = password.to_owned();
    let known = hash.is_some();
    let hash = hash.unwrap_or_else(|| dummy_hash()).to_owned();
    tokio::task::spawn_blocking(move || {
        let Ok(parsed) = PasswordHash::new(&hash) else {
            return false;
        };
        let ok = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        ok && known
    })
    .await
    .map_err(|e| AppError::Internal(format!("the password checking thread failed: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_message(r: Result<()>) -> String {
        match r {
            Err(AppError::Invalid { field, message }) => {
                assert_eq!(field, "password");
                message
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn the_rules_of_asvs_6_2() {
        assert!(field_message(check("seven77", "a@b.org", "Ana")).contains("at least 8"));
        // Eight characters pass; 64 and far more are allowed and never cut (ASVS 6.2.9).
        check("tall-oak", "a@b.org", "Ana").unwrap();
        check(&"river stone ".repeat(40), "a@b.org", "Ana").unwrap();
        assert!(field_message(check(&"x1".repeat(513), "a@b.org", "Ana")).contains("at most 1024"));
        // Characters, not bytes: eight accented letters are eight characters.
        check("éèêëāăąç", "a@b.org", "Ana").unwrap();
        assert!(field_message(check("éèêëāăą", "a@b.org", "Ana")).contains("has 7"));
        // Common ones are refused whatever their case.
        for p in [
            "password",
            "PassWord123",
            "12345678",
            "qwertyuiop",
            "Marathon1",
        ] {
            assert!(
                field_message(check(p, "a@b.org", "Ana")).contains("common"),
                "{p}"
            );
        }
        assert!(field_message(check("zzzzzzzzzzzz", "a@b.org", "Ana")).contains("repeated"));
        assert!(
            field_message(check(
                "ana.runner@example.org",
                "ana.runner@example.org",
                "Ana"
            ))
            .contains("own address")
        );
        assert!(field_message(check("ana.runner", "ana.runner@example.org", "X")).contains("own"));
        // No composition rules: lower-case words alone are fine.
        check("correct horse battery", "a@b.org", "Ana").unwrap();
    }

    #[test]
    fn the_list_is_lower_case_and_long_enough_to_matter() {
        let set = common();
        assert!(set.len() > 500, "{} common passwords", set.len());
        for p in set {
            assert_eq!(p.to_lowercase(), *p);
            assert!(
                p.chars().count() >= MIN_CHARS,
                "{p} is refused as short anyway"
            );
        }
    }

    #[tokio::test]
    async fn hashes_are_argon2id_salted_and_verify() {
        let a = hash("tall-oak-river").await.unwrap();
        let b = hash("tall-oak-river").await.unwrap();
        // PHC string of Argon2id v19 with OWASP's minimum parameters (19 MiB, t=2, p=1).
        assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{a}");
        assert_ne!(a, b, "a random salt each time");
        assert!(verify("tall-oak-river", Some(&a)).await.unwrap());
        assert!(!verify("tall-oak-rivet", Some(&a)).await.unwrap());
        assert!(!verify("tall-oak-river", Some("not a hash")).await.unwrap());
        // The dummy hash matches nothing, not even its own password.
        assert!(!verify("no account has this password", None).await.unwrap());
    }
}
