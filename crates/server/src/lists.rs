//! The live lists: one immutable [`Screener`] plus what the API reports about it, swapped
//! atomically (arc-swap) on reload. A request takes one snapshot and uses it to the end, so a
//! reload never changes the lists under a running screening; a failed reload leaves the
//! snapshot in place.

use chrono::{DateTime, Utc};
use screening::Screener;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use utoipa::ToSchema;
use watchlist::WatchList;

/// What one loaded list contributes, as reported by `GET /v1/lists` and stored with every
/// screening.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, ToSchema)]
pub struct ListVersion {
    /// Source kind: `un`, `ofac_sdn`, `ofac_consolidated`, `eu`, `uk`, `ftm`, `senzing`.
    pub source: String,
    /// Where it was read from (a path or `embedded:…`).
    pub origin: String,
    /// Publication date as the list states it.
    pub published: Option<String>,
    pub entities: usize,
    /// Entities per schema (Person, Organization, Vessel, Aircraft).
    pub by_schema: BTreeMap<String, usize>,
    pub names: usize,
    /// Records the parser skipped or repaired.
    pub warnings: usize,
}

/// The lists currently answering requests.
#[derive(Debug)]
pub struct LiveLists {
    pub screener: Screener,
    pub loaded_at: DateTime<Utc>,
    /// Short digest of the list versions (source, origin, publication date, counts): equal
    /// digests mean the same lists.
    pub version: String,
    pub lists: Vec<ListVersion>,
    /// `lists` as JSON, stored with each screening without re-serialising per request.
    pub lists_json: serde_json::Value,
    /// The matcher settings, stored with each screening.
    pub config_json: serde_json::Value,
    /// What each screening stores as its list versions (`{version, loaded_at, lists}`) and
    /// matcher settings (`config_json`): built once per load, shared by every screening on it
    /// and stored once.
    pub context: std::sync::Arc<store::ScreeningContext>,
    /// `version` as a response header value (`x-raqib-lists-version`), built once.
    pub version_header: axum::http::HeaderValue,
}

impl LiveLists {
    /// Indexes `lists` (CPU-bound; call from a blocking thread) with the matcher `config`.
    pub fn build(lists: Vec<WatchList>, config: screening::Config) -> Result<LiveLists, String> {
        let total: usize = lists.iter().map(|l| l.entities.len()).sum();
        if total == 0 {
            return Err("the lists contain no entities; refusing to screen against nothing".into());
        }
        let mut versions = Vec::with_capacity(lists.len());
        for l in &lists {
            let mut by_schema = BTreeMap::new();
            let mut names = 0;
            for e in &l.entities {
                *by_schema.entry(e.schema.as_str().to_string()).or_insert(0) += 1;
                names += e.names.len();
            }
            versions.push(ListVersion {
                source: l.source.as_str().to_string(),
                origin: l.origin.clone(),
                published: l.published.clone(),
                entities: l.entities.len(),
                by_schema,
                names,
                warnings: l.warnings.len(),
            });
        }
        let lists_json = serde_json::to_value(&versions).map_err(|e| e.to_string())?;
        let version = {
            let mut h = Sha256::new();
            h.update(lists_json.to_string().as_bytes());
            hex::encode(&h.finalize()[..8])
        };
        let config_json = serde_json::to_value(&config).map_err(|e| e.to_string())?;
        let screener = Screener::new(lists, config);
        let loaded_at = store::now();
        let context = std::sync::Arc::new(store::ScreeningContext::new(
            serde_json::json!({
                "version": version,
                "loaded_at": loaded_at,
                "lists": lists_json,
            }),
            config_json.clone(),
        ));
        let version_header = axum::http::HeaderValue::from_str(&version)
            .unwrap_or_else(|_| axum::http::HeaderValue::from_static("unknown"));
        Ok(LiveLists {
            screener,
            context,
            version_header,
            loaded_at,
            version,
            lists: versions,
            lists_json,
            config_json,
        })
    }

    pub fn entity_count(&self) -> usize {
        self.lists.iter().map(|l| l.entities).sum()
    }
}
