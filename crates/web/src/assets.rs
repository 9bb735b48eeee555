//! The stylesheet, compiled into the binary and served under a path that carries a hash of
//! its content, so browsers may keep it for a year and still see a new one at once.

use std::sync::LazyLock;

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::Shared;
use crate::error::{Error, Shape};

const STYLESHEET: &str = include_str!("../assets/soleus.css");

static STYLESHEET_PATH: LazyLock<String> =
    LazyLock::new(|| format!("/assets/soleus-{:016x}.css", fnv1a(STYLESHEET.as_bytes())));

/// The stylesheet's address, versioned by its content.
pub fn stylesheet_path() -> &'static str {
    STYLESHEET_PATH.as_str()
}

/// 64-bit FNV-1a: enough to tell two versions of one file apart (not a security hash).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

pub fn router() -> Router<Shared> {
    Router::new().route("/assets/{file}", get(asset))
}

async fn asset(Path(file): Path<String>) -> Result<Response, Error> {
    if format!("/assets/{file}") != stylesheet_path() {
        return Err(Error::no_route(Shape::Page));
    }
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            ),
        ],
        STYLESHEET,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_path_changes_with_the_content() {
        assert_ne!(
            super::fnv1a(b"a { color: red }"),
            super::fnv1a(b"a { color: blue }")
        );
        assert!(super::stylesheet_path().starts_with("/assets/soleus-"));
        assert!(super::stylesheet_path().ends_with(".css"));
    }
}
