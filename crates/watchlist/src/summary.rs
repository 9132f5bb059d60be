//! Per-list counts: what `raqib lists` prints and `GET /v1/lists` returns, so an operator can
//! check a load against the publisher's own figures.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::*;

/// Counts of one loaded list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub source: SourceKind,
    pub origin: String,
    /// Publication date (ISO) as the file states it, when it does.
    pub published: Option<String>,
    pub entities: usize,
    /// Entities per schema (`Person`, `Organization`, `Vessel`, `Aircraft`).
    pub schemas: BTreeMap<String, usize>,
    /// All names, of every kind.
    pub names: usize,
    pub primary_names: usize,
    pub aliases: AliasCounts,
    pub formerly_known_as: usize,
    /// Names the list gives in their original script (UN `NAME_ORIGINAL_SCRIPT`, UK
    /// "Name Non-Latin Script").
    pub original_script: usize,
    /// Names of any kind written in a non-Latin script (Arabic, Cyrillic, …).
    pub non_latin: usize,
    pub warnings: usize,
}

/// Aliases by the list's own quality mark.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AliasCounts {
    pub strong: usize,
    pub weak: usize,
}

impl WatchList {
    /// Counts names, aliases by quality and entities by schema.
    pub fn summary(&self) -> Summary {
        let mut schemas = BTreeMap::new();
        let mut s = Summary {
            source: self.source,
            origin: self.origin.clone(),
            published: self.published.clone(),
            entities: self.entities.len(),
            schemas: BTreeMap::new(),
            names: 0,
            primary_names: 0,
            aliases: AliasCounts::default(),
            formerly_known_as: 0,
            original_script: 0,
            non_latin: 0,
            warnings: self.warnings.len(),
        };
        for e in &self.entities {
            *schemas.entry(e.schema.as_str().to_owned()).or_insert(0) += 1;
            for n in &e.names {
                s.names += 1;
                match n.kind {
                    NameKind::Primary => s.primary_names += 1,
                    NameKind::Alias => match n.quality {
                        Quality::Strong => s.aliases.strong += 1,
                        Quality::Weak => s.aliases.weak += 1,
                    },
                    NameKind::FormerlyKnownAs => s.formerly_known_as += 1,
                    NameKind::OriginalScript => s.original_script += 1,
                }
                if n.script != Script::Latin {
                    s.non_latin += 1;
                }
            }
        }
        s.schemas = schemas;
        s
    }
}
