//! The list model and the parsers of every official list format.
//!
//! Pure: parsers read bytes and return a [`WatchList`] plus warnings for skipped or repaired
//! records; they never panic on bad input and never touch the network. The only I/O of the
//! crate is in [`source`] (reading files and directories, the embedded defaults, and the
//! on-disk store of current lists), which is the edge that the CLI and the server call.
//!
//! Entry points: [`detect`] tells the format of some bytes by their content (never by file
//! name); [`parse`] parses them; [`source::load_paths`] loads files and directories;
//! [`source::embedded`] returns the lists shipped inside the binary.

mod build;
pub mod country;
mod encoding;
pub mod error;
pub mod eu;
pub mod ftm;
pub mod model;
pub mod ofac_csv;
pub mod ofac_xml;
pub mod senzing;
pub mod source;
pub mod summary;
pub mod text;
pub mod uk;
pub mod un;
mod xml;

pub use error::Error;
pub use model::*;
pub use summary::Summary;

/// A list file format raqib reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// UN Security Council consolidated list XML.
    UnXml,
    /// OFAC SDN or consolidated (non-SDN) XML.
    OfacXml,
    /// One file of an OFAC legacy CSV set (the primary file can be read alone).
    OfacCsv(ofac_csv::CsvRole),
    /// EU Financial Sanctions Files XML 1.1.
    EuXml,
    /// UK OFSI ConList / FCDO UK Sanctions List CSV.
    UkCsv,
    /// FollowTheMoney JSON lines.
    FtmJson,
    /// Senzing JSON lines.
    SenzingJson,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::UnXml => "un_xml",
            Format::OfacXml => "ofac_xml",
            Format::OfacCsv(_) => "ofac_csv",
            Format::EuXml => "eu_xml",
            Format::UkCsv => "uk_csv",
            Format::FtmJson => "ftm_json",
            Format::SenzingJson => "senzing_json",
        }
    }
}

/// Tells the format of `bytes` from their content: the XML root element, the CSV header or
/// column layout, the keys of the first JSON line. `None` when it is none of the supported
/// formats (or is empty). UTF-16 and Latin-1 input is recognised too.
pub fn detect(bytes: &[u8]) -> Option<Format> {
    let text = encoding::to_utf8(bytes, "detect").ok()?;
    detect_utf8(&text.bytes)
}

fn detect_utf8(bytes: &[u8]) -> Option<Format> {
    let trimmed = {
        let start = bytes.iter().position(|b| !b.is_ascii_whitespace())?;
        &bytes[start..]
    };
    match trimmed.first()? {
        b'<' => {
            let (root, attrs) = xml::root_element(trimmed)?;
            match root.as_slice() {
                b"CONSOLIDATED_LIST" => Some(Format::UnXml),
                b"sdnList" => Some(Format::OfacXml),
                b"export" => {
                    let eu_ns = attrs.iter().any(|(_, v)| v.contains("fsd/export"))
                        || memchr::memmem::find(
                            &trimmed[..trimmed.len().min(64 * 1024)],
                            b"<sanctionEntity",
                        )
                        .is_some();
                    eu_ns.then_some(Format::EuXml)
                }
                _ => None,
            }
        }
        b'{' => {
            let line_end = memchr::memchr(b'\n', trimmed).unwrap_or(trimmed.len());
            let v: serde_json::Value = serde_json::from_slice(&trimmed[..line_end]).ok()?;
            let o = v.as_object()?;
            if o.contains_key("schema") && o.contains_key("id") {
                Some(Format::FtmJson)
            } else if o.contains_key("RECORD_ID") || o.contains_key("DATA_SOURCE") {
                Some(Format::SenzingJson)
            } else {
                None
            }
        }
        _ => {
            if uk::looks_like(trimmed) {
                Some(Format::UkCsv)
            } else {
                ofac_csv::role(trimmed).map(Format::OfacCsv)
            }
        }
    }
}

/// Parses one list file of any supported format, detected by content. `origin` names the
/// input in errors and in the result (a path, a URL, `embedded:un`).
///
/// An OFAC CSV primary file read alone gives its entries with the names, dates and documents
/// of its Remarks; use [`ofac_csv::parse_set`] (or [`source::load_path`] on the directory) to
/// add the alias, address and comments files.
pub fn parse(bytes: &[u8], origin: &str) -> Result<WatchList, Error> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::Empty {
            origin: origin.to_owned(),
        });
    }
    let text = encoding::to_utf8(bytes, origin)?;
    let utf8 = &text.bytes[..];
    let format = detect_utf8(utf8).ok_or_else(|| Error::UnknownFormat {
        origin: origin.to_owned(),
        hint: encoding::describe(utf8),
    })?;
    let mut list = match format {
        Format::UnXml => un::parse(utf8, origin)?,
        Format::OfacXml => ofac_xml::parse(utf8, origin)?,
        Format::EuXml => eu::parse(utf8, origin)?,
        Format::UkCsv => uk::parse(utf8, origin)?,
        Format::FtmJson => ftm::parse(utf8, origin)?,
        Format::SenzingJson => senzing::parse(utf8, origin)?,
        Format::OfacCsv(ofac_csv::CsvRole::Primary) => {
            let file = origin
                .rsplit(['/', '\\'])
                .next()
                .unwrap_or(origin)
                .to_ascii_lowercase();
            let set = ofac_csv::CsvSet {
                primary: utf8,
                ..Default::default()
            };
            ofac_csv::parse_set(set, file.starts_with("cons"), origin)?
        }
        Format::OfacCsv(role) => {
            return Err(Error::invalid(
                origin,
                "file",
                format!(
                    "this is the {} file of an OFAC CSV set; load the directory holding the set",
                    ofac_csv_role_name(role)
                ),
            ));
        }
    };
    if let Some(w) = text.warning {
        list.warnings.insert(0, w);
    }
    Ok(list)
}

fn ofac_csv_role_name(role: ofac_csv::CsvRole) -> &'static str {
    match role {
        ofac_csv::CsvRole::Primary => "primary (sdn.csv)",
        ofac_csv::CsvRole::Addresses => "addresses (add.csv)",
        ofac_csv::CsvRole::AltNames => "alternate names (alt.csv)",
        ofac_csv::CsvRole::Comments => "comments (sdn_comments.csv)",
    }
}
