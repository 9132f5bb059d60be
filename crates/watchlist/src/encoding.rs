//! Getting every input to UTF-8 before parsing.
//!
//! Official files are UTF-8, but copies pass through spreadsheets and Windows tools: the UK CSV
//! has been published in Latin-1/Windows-1252, and "Save as Unicode" writes UTF-16. UTF-16 (by
//! its BOM) and a declared XML encoding are converted with encoding_rs; CSV that is not UTF-8
//! is read as Windows-1252 (a superset of Latin-1) with a warning; anything else that is not
//! UTF-8 is an error naming the byte offset.

use std::borrow::Cow;

use crate::error::Error;
use crate::model::Warning;

pub(crate) struct Utf8<'a> {
    pub bytes: Cow<'a, [u8]>,
    pub warning: Option<Warning>,
}

fn declared_xml_encoding(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(200)];
    if !head.starts_with(b"<?xml") {
        return None;
    }
    let end = memchr::memmem::find(head, b"?>")?;
    let decl = std::str::from_utf8(&head[..end]).ok()?;
    let at = decl.find("encoding")?;
    let rest = decl[at + 8..].trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next()?;
    let label = rest[1..].split(quote).next()?;
    encoding_rs::Encoding::for_label(label.as_bytes())
}

pub(crate) fn to_utf8<'a>(bytes: &'a [u8], origin: &str) -> Result<Utf8<'a>, Error> {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        if enc == encoding_rs::UTF_8 {
            return to_utf8(body, origin);
        }
        let (text, had_errors) = enc.decode_without_bom_handling(body);
        if had_errors {
            return Err(Error::Encoding {
                origin: origin.to_owned(),
                record: "file".into(),
                message: format!("invalid {} text", enc.name()),
            });
        }
        let text = strip_xml_encoding_decl(text.into_owned());
        return Ok(Utf8 {
            bytes: Cow::Owned(text.into_bytes()),
            warning: Some(Warning {
                record: "file".into(),
                message: format!("converted from {} to UTF-8", enc.name()),
            }),
        });
    }
    match std::str::from_utf8(bytes) {
        Ok(_) => Ok(Utf8 {
            bytes: Cow::Borrowed(bytes),
            warning: None,
        }),
        Err(e) => {
            let pos = e.valid_up_to();
            let first_non_ws = bytes
                .iter()
                .position(|b| !b.is_ascii_whitespace())
                .unwrap_or(0);
            let is_xml = bytes.get(first_non_ws) == Some(&b'<');
            let is_json = bytes.get(first_non_ws) == Some(&b'{');
            let enc = if is_xml {
                declared_xml_encoding(&bytes[first_non_ws..]).filter(|e| *e != encoding_rs::UTF_8)
            } else if !is_json && looks_like_text(bytes) {
                Some(encoding_rs::WINDOWS_1252)
            } else {
                None
            };
            let Some(enc) = enc else {
                let line = bytes[..pos].iter().filter(|&&b| b == b'\n').count() + 1;
                return Err(Error::Encoding {
                    origin: origin.to_owned(),
                    record: format!("line {line}, byte {pos}"),
                    message: "not UTF-8 text (convert the file to UTF-8, or declare its encoding)"
                        .into(),
                });
            };
            let (text, _, _) = enc.decode(bytes);
            let text = if is_xml {
                strip_xml_encoding_decl(text.into_owned())
            } else {
                text.into_owned()
            };
            Ok(Utf8 {
                bytes: Cow::Owned(text.into_bytes()),
                warning: Some(Warning {
                    record: format!("byte {pos}"),
                    message: format!("not UTF-8; read as {}", enc.name()),
                }),
            })
        }
    }
}

/// Text files have few control bytes; binary data (images, archives) has many.
fn looks_like_text(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(4096)];
    let control = sample
        .iter()
        .filter(|&&b| b < 0x09 || (0x0e..0x20).contains(&b) && b != 0x1a)
        .count();
    control * 100 <= sample.len()
}

/// After conversion the declaration would lie; quick-xml only reads UTF-8 here anyway.
fn strip_xml_encoding_decl(text: String) -> String {
    if !text.trim_start().starts_with("<?xml") {
        return text;
    }
    match text.find("?>") {
        Some(end) => format!("<?xml version=\"1.0\"?>{}", &text[end + 2..]),
        None => text,
    }
}

/// A short description of unrecognised content for the "unknown format" error.
pub(crate) fn describe(bytes: &[u8]) -> String {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(0);
    let head: String = String::from_utf8_lossy(&bytes[start..bytes.len().min(start + 60)])
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let kind = match bytes.get(start) {
        Some(b'<') => "XML with an unsupported root element",
        Some(b'{') | Some(b'[') => "JSON that is neither FollowTheMoney nor Senzing lines",
        Some(_) => "text that is none of the supported CSV layouts",
        None => "nothing",
    };
    format!("{kind}; starts with {head:?}")
}
