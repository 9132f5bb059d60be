//! The analyst web UI: a single-page app (plain ES modules and CSS, no build step) embedded in
//! the binary with `include_bytes!`, so `raqib serve` works offline and the UI can never drift
//! from the server it ships with.
//!
//! `GET /` answers the app shell (`ui/index.html`); `GET /ui/{file}` answers the assets. Every
//! answer carries a strict Content-Security-Policy (`default-src 'self'`: no inline script or
//! style, no other origin, no framing), `X-Content-Type-Options: nosniff`, `Referrer-Policy:
//! no-referrer`, and `Cache-Control: no-cache` with a strong `ETag` (the SHA-256 of the bytes),
//! so a browser revalidates cheaply (304) and always runs the assets of the running binary.
//!
//! The app talks only to the JSON API: it signs in with a member key (`POST /v1/session`, an
//! HttpOnly cookie) and sends `X-Raqib-Request: 1` on every state change (the CSRF guard).

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::OnceLock;

use crate::error::ApiError;

/// Content-Security-Policy of every UI answer. `default-src 'self'` covers scripts, styles,
/// images (the alert graph is a same-origin SVG), fetches and fonts; the rest closes what
/// `default-src` does not: plugins, `<base>` hijacking, framing (clickjacking) and form posts
/// elsewhere.
pub const CSP: &str = "default-src 'self'; base-uri 'none'; object-src 'none'; \
                       frame-ancestors 'none'; form-action 'self'";

/// One embedded file.
struct Asset {
    name: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
}

macro_rules! asset {
    ($name:literal, $ct:expr) => {
        Asset {
            name: $name,
            content_type: $ct,
            bytes: include_bytes!(concat!("../ui/", $name)),
        }
    };
}

const JS: &str = "text/javascript; charset=utf-8";

/// Every file of `crates/server/ui/`. A file missing here is a compile error, never a 404 in
/// production; a file added there without a line here is caught by the test
/// `every_file_of_the_ui_folder_is_embedded`.
static ASSETS: &[Asset] = &[
    asset!("index.html", "text/html; charset=utf-8"),
    asset!("app.css", "text/css; charset=utf-8"),
    asset!("favicon.svg", "image/svg+xml"),
    asset!("app.js", JS),
    asset!("api.js", JS),
    asset!("dom.js", JS),
    asset!("explain.js", JS),
    asset!("view-signin.js", JS),
    asset!("view-dashboard.js", JS),
    asset!("view-screen.js", JS),
    asset!("view-entity.js", JS),
    asset!("view-queue.js", JS),
    asset!("view-hit.js", JS),
    asset!("view-alert.js", JS),
    asset!("view-cases.js", JS),
    asset!("view-audit.js", JS),
];

fn etags() -> &'static Vec<String> {
    static TAGS: OnceLock<Vec<String>> = OnceLock::new();
    TAGS.get_or_init(|| {
        ASSETS
            .iter()
            .map(|a| {
                use sha2::Digest;
                let d = sha2::Sha256::digest(a.bytes);
                format!("\"{}\"", hex::encode(&d[..12]))
            })
            .collect()
    })
}

fn find(name: &str) -> Option<(usize, &'static Asset)> {
    ASSETS.iter().enumerate().find(|(_, a)| a.name == name)
}

/// The security headers every UI answer carries.
fn secure(resp: &mut Response) {
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
}

fn serve_asset(name: &str, req: &HeaderMap) -> Response {
    let Some((i, asset)) = find(name) else {
        let mut r = ApiError::not_found("UI file", name).into_response();
        secure(&mut r);
        return r;
    };
    let tag = &etags()[i];
    let fresh = req
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag));
    let mut resp = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static(asset.content_type),
            )],
            asset.bytes,
        )
            .into_response()
    };
    let h = resp.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(v) = HeaderValue::from_str(tag) {
        h.insert(header::ETAG, v);
    }
    secure(&mut resp);
    resp
}

/// `GET /`: the app shell.
pub(crate) async fn index(headers: HeaderMap) -> Response {
    serve_asset("index.html", &headers)
}

/// `GET /ui/{file}`: one embedded asset.
pub(crate) async fn asset(
    axum::extract::Path(file): axum::extract::Path<String>,
    headers: HeaderMap,
) -> Response {
    serve_asset(&file, &headers)
}

#[cfg(test)]
#[allow(clippy::expect_used, clippy::unwrap_used)] // tests: a panic is the failure report
mod tests {
    use super::*;

    fn text(a: &Asset) -> &str {
        std::str::from_utf8(a.bytes).unwrap_or_else(|_| panic!("{} is not UTF-8", a.name))
    }

    #[test]
    fn every_file_of_the_ui_folder_is_embedded() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui");
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .expect("ui folder")
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        on_disk.sort();
        let mut embedded: Vec<String> = ASSETS.iter().map(|a| a.name.to_string()).collect();
        embedded.sort();
        assert_eq!(on_disk, embedded);
    }

    #[test]
    fn assets_reference_no_other_origin() {
        // Offline by construction: no CDN, no web font, no analytics. The only absolute URLs
        // allowed are XML namespace names, which browsers never fetch.
        for a in ASSETS {
            let t = text(a);
            for (pos, _) in t.match_indices("://") {
                let start = t[..pos]
                    .rfind(|c: char| !c.is_ascii_alphanumeric())
                    .map_or(0, |i| i + 1);
                let url = &t[start..(pos + 40).min(t.len())];
                assert!(
                    url.starts_with("http://www.w3.org/"),
                    "{} references another origin: {url}",
                    a.name
                );
            }
        }
    }

    #[test]
    fn assets_need_no_inline_script_or_style() {
        // The CSP forbids inline code; an inline handler or style attribute would silently
        // not work in the browser.
        for a in ASSETS.iter().filter(|a| a.name.ends_with(".html")) {
            let t = text(a);
            assert!(!t.contains(" style="), "{} has a style attribute", a.name);
            assert!(!t.contains(" onclick="), "{} has an inline handler", a.name);
            assert!(!t.contains("<script>"), "{} has an inline script", a.name);
            assert!(!t.contains("<style"), "{} has an inline style", a.name);
        }
        for a in ASSETS.iter().filter(|a| a.name.ends_with(".js")) {
            let t = text(a);
            assert!(!t.contains("innerHTML"), "{} writes innerHTML", a.name);
            assert!(!t.contains("eval("), "{} calls eval", a.name);
        }
    }

    #[test]
    fn module_imports_point_at_embedded_files() {
        for a in ASSETS.iter().filter(|a| a.name.ends_with(".js")) {
            for line in text(a).lines().filter(|l| l.starts_with("import ")) {
                let from = line
                    .rsplit_once("from ")
                    .map(|(_, f)| f)
                    .unwrap_or(line.trim_start_matches("import "))
                    .trim()
                    .trim_end_matches(';')
                    .trim_matches(|c| c == '\'' || c == '"');
                let name = from.trim_start_matches("./");
                assert!(find(name).is_some(), "{} imports {from}", a.name);
            }
        }
        let index = text(find("index.html").expect("index").1);
        for part in index.split("/ui/").skip(1) {
            let name: String = part.chars().take_while(|c| *c != '"').collect();
            assert!(find(&name).is_some(), "index.html references {name}");
        }
    }

    #[test]
    fn answers_have_type_csp_and_etag_and_revalidate() {
        let r = serve_asset("app.js", &HeaderMap::new());
        assert_eq!(r.status(), StatusCode::OK);
        let h = r.headers();
        assert_eq!(h[header::CONTENT_TYPE], JS);
        assert_eq!(h[header::CONTENT_SECURITY_POLICY], CSP);
        assert_eq!(h[header::CACHE_CONTROL], "no-cache");
        let tag = h[header::ETAG].clone();
        let mut req = HeaderMap::new();
        req.insert(header::IF_NONE_MATCH, tag);
        let again = serve_asset("app.js", &req);
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
        let other = serve_asset("app.css", &req);
        assert_eq!(other.status(), StatusCode::OK);
    }

    #[test]
    fn unknown_or_traversing_names_are_404_with_csp() {
        for name in ["nope.js", "../lib.rs", "", "index.html/.."] {
            let r = serve_asset(name, &HeaderMap::new());
            assert_eq!(r.status(), StatusCode::NOT_FOUND, "{name}");
            assert_eq!(r.headers()[header::CONTENT_SECURITY_POLICY], CSP);
        }
    }
}
