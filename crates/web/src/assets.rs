//! The stylesheet and the script, compiled into the binary and served under paths that carry
//! a hash of their content, so browsers may keep them for a year and still see a new one at
//! once.
//!
//! The script is Soleus's own and small: every flow works without it, and it only adds what a
//! browser does better with it (dropping files on the upload, following an import's progress,
//! showing the body map's choices as they are made). No script comes from elsewhere.

use std::sync::LazyLock;

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::Shared;
use crate::error::{Error, Shape};

/// One file served under `/assets/`.
struct Asset {
    stem: &'static str,
    ext: &'static str,
    content_type: &'static str,
    body: &'static str,
    path: LazyLock<String>,
}

macro_rules! asset {
    ($stem:literal, $ext:literal, $type:literal, $file:literal) => {
        Asset {
            stem: $stem,
            ext: $ext,
            content_type: $type,
            body: include_str!($file),
            path: LazyLock::new(|| {
                format!(
                    "/assets/{}-{:016x}.{}",
                    $stem,
                    fnv1a(include_str!($file).as_bytes()),
                    $ext
                )
            }),
        }
    };
}

static STYLESHEET: Asset = asset!(
    "soleus",
    "css",
    "text/css; charset=utf-8",
    "../assets/soleus.css"
);
static SCRIPT: Asset = asset!(
    "soleus",
    "js",
    "text/javascript; charset=utf-8",
    "../assets/soleus.js"
);

static ASSETS: [&Asset; 2] = [&STYLESHEET, &SCRIPT];

/// The stylesheet's address, versioned by its content.
pub fn stylesheet_path() -> &'static str {
    STYLESHEET.path.as_str()
}

/// The script's address, versioned by its content.
pub fn script_path() -> &'static str {
    SCRIPT.path.as_str()
}

/// 64-bit FNV-1a: enough to tell two versions of one file apart (not a security hash).
const fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < bytes.len() {
        h = (h ^ bytes[i] as u64).wrapping_mul(0x0000_0100_0000_01b3);
        i += 1;
    }
    h
}

pub fn router() -> Router<Shared> {
    Router::new().route("/assets/{file}", get(asset))
}

async fn asset(Path(file): Path<String>) -> Result<Response, Error> {
    let wanted = format!("/assets/{file}");
    let Some(a) = ASSETS.iter().find(|a| *a.path == wanted) else {
        return Err(Error::no_route(Shape::Page));
    };
    debug_assert!(a.path.contains(a.stem) && a.path.ends_with(a.ext));
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(a.content_type),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            ),
        ],
        a.body,
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
        assert!(super::script_path().ends_with(".js"));
    }
}
