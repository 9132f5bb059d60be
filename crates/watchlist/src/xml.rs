//! A small streaming layer over quick-xml shared by the UN, OFAC and EU parsers.
//!
//! Why not serde or a DOM: the files are 2–20 MB and are loaded on every start; a pull parser
//! that keeps only the current path and the text of the current element reads them in one
//! pass with almost no allocation. Each parser is a [`Handler`] that sees element starts (with
//! attributes) and element ends (with their text).

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::error::Error;

/// The stack of open element local names, kept in one buffer so pushing and popping does not
/// allocate once the deepest path has been seen.
#[derive(Debug, Default)]
pub(crate) struct Path {
    buf: Vec<u8>,
    ends: Vec<usize>,
}

impl Path {
    fn push(&mut self, name: &[u8]) {
        self.buf.extend_from_slice(name);
        self.ends.push(self.buf.len());
    }

    fn pop(&mut self) {
        self.ends.pop();
        self.buf.truncate(self.ends.last().copied().unwrap_or(0));
    }

    /// Number of open elements (the root element has depth 1).
    pub fn depth(&self) -> usize {
        self.ends.len()
    }

    /// The local name at 0-based level `i` (0 = root).
    pub fn at(&self, i: usize) -> &[u8] {
        let end = self.ends.get(i).copied().unwrap_or(0);
        let start = if i == 0 {
            0
        } else {
            self.ends.get(i - 1).copied().unwrap_or(0)
        };
        self.buf.get(start..end).unwrap_or(&[])
    }

    /// The innermost open element.
    pub fn last(&self) -> &[u8] {
        match self.depth() {
            0 => &[],
            d => self.at(d - 1),
        }
    }

    /// The parent of the innermost open element.
    pub fn parent(&self) -> &[u8] {
        match self.depth() {
            0 | 1 => &[],
            d => self.at(d - 2),
        }
    }
}

/// What a format parser implements. `start` sees the element with its attributes (the path
/// already includes it); `end` sees the element's own text, whitespace-trimmed by the caller.
pub(crate) trait Handler {
    fn start(&mut self, path: &Path, e: &BytesStart<'_>) -> Result<(), Error>;
    fn end(&mut self, path: &Path, text: &str) -> Result<(), Error>;
    /// The record being read, for error messages ("record un:QDi.299").
    fn record(&self) -> String;
}

/// Reads the value of attribute `name` (local name), unescaped. Malformed attributes read as
/// absent: one bad attribute must not cost the whole list.
pub(crate) fn attr(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    for a in e.attributes().with_checks(false).flatten() {
        if a.key.local_name().as_ref() == name {
            return a.unescape_value().ok().map(|v| v.into_owned());
        }
    }
    None
}

/// The attributes of one element, unescaped once (an element's attributes are looked up
/// many times; re-parsing them per lookup dominated the EU parser's profile).
pub(crate) struct Attrs<'a> {
    items: Vec<(&'a [u8], std::borrow::Cow<'a, str>)>,
}

impl<'a> Attrs<'a> {
    pub fn new(e: &'a BytesStart<'_>) -> Attrs<'a> {
        let mut items = Vec::with_capacity(16);
        for a in e.attributes().with_checks(false).flatten() {
            let key: &'a [u8] = a.key.local_name().into_inner();
            if let Ok(v) = a.unescape_value() {
                items.push((key, v));
            }
        }
        Attrs { items }
    }

    /// The trimmed value of attribute `name`, or "" when absent.
    pub fn get(&self, name: &[u8]) -> &str {
        self.items
            .iter()
            .find(|(k, _)| *k == name)
            .map_or("", |(_, v)| v.trim())
    }
}

/// Runs `h` over the document. The input must already be UTF-8 (see `crate::encoding`).
/// Returns the root element's local name.
pub(crate) fn walk<H: Handler>(bytes: &[u8], origin: &str, h: &mut H) -> Result<Vec<u8>, Error> {
    let mut reader = Reader::from_reader(bytes);
    let cfg = reader.config_mut();
    cfg.check_end_names = true;
    cfg.expand_empty_elements = false;
    let mut path = Path::default();
    let mut text = String::new();
    let mut root: Vec<u8> = Vec::new();
    let xml_err = |reader: &Reader<&[u8]>, h: &H, message: String| Error::Xml {
        origin: origin.to_owned(),
        position: reader.error_position(),
        record: h.record(),
        message,
    };
    loop {
        let ev = match reader.read_event() {
            Ok(ev) => ev,
            Err(e) => {
                // quick-xml reports an unclosed tag at end of input as a syntax error; call it
                // what it is for the operator.
                if reader.buffer_position() as usize >= bytes.len() && path.depth() > 0 {
                    return Err(Error::Truncated {
                        origin: origin.to_owned(),
                        position: bytes.len() as u64,
                        record: h.record(),
                    });
                }
                return Err(xml_err(&reader, h, e.to_string()));
            }
        };
        match ev {
            Event::Start(e) => {
                if path.depth() == 0 {
                    if !root.is_empty() {
                        return Err(xml_err(&reader, h, "a second root element".into()));
                    }
                    root = e.local_name().as_ref().to_vec();
                }
                path.push(e.local_name().as_ref());
                text.clear();
                h.start(&path, &e)?;
            }
            Event::Empty(e) => {
                if path.depth() == 0 && root.is_empty() {
                    root = e.local_name().as_ref().to_vec();
                }
                path.push(e.local_name().as_ref());
                text.clear();
                h.start(&path, &e)?;
                h.end(&path, "")?;
                path.pop();
            }
            Event::End(_) => {
                let t = text.trim();
                h.end(&path, t)?;
                text.clear();
                path.pop();
            }
            Event::Text(t) => {
                if path.depth() > 0 {
                    match t.decode() {
                        Ok(s) => text.push_str(&s),
                        Err(e) => return Err(xml_err(&reader, h, e.to_string())),
                    }
                } else if t.iter().any(|b| !b.is_ascii_whitespace()) {
                    return Err(xml_err(&reader, h, "text outside the root element".into()));
                }
            }
            Event::CData(t) => match std::str::from_utf8(&t) {
                Ok(s) => text.push_str(s),
                Err(e) => return Err(xml_err(&reader, h, e.to_string())),
            },
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    Ok(None) => {
                        let name = r.decode().map(|n| n.into_owned()).unwrap_or_default();
                        quick_xml::escape::resolve_predefined_entity(&name).map(str::to_owned)
                    }
                    Err(e) => return Err(xml_err(&reader, h, e.to_string())),
                };
                match resolved {
                    Some(s) => text.push_str(&s),
                    None => {
                        let name = r.decode().map(|n| n.into_owned()).unwrap_or_default();
                        return Err(xml_err(&reader, h, format!("unknown entity &{name};")));
                    }
                }
            }
            Event::Eof => {
                if path.depth() > 0 {
                    return Err(Error::Truncated {
                        origin: origin.to_owned(),
                        position: bytes.len() as u64,
                        record: h.record(),
                    });
                }
                if root.is_empty() {
                    return Err(Error::invalid(origin, "document", "no XML root element"));
                }
                return Ok(root);
            }
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
        }
    }
}

/// The local name of the root element and the value of `attr_name` on it, read from the
/// first few KB; used by format detection.
/// An element's local name and its attributes (name, value).
pub(crate) type RootElement = (Vec<u8>, Vec<(Vec<u8>, String)>);

pub(crate) fn root_element(bytes: &[u8]) -> Option<RootElement> {
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let mut reader = Reader::from_reader(head);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                let attrs = e
                    .attributes()
                    .with_checks(false)
                    .flatten()
                    .map(|a| {
                        (
                            a.key.as_ref().to_vec(),
                            a.unescape_value()
                                .map(|v| v.into_owned())
                                .unwrap_or_default(),
                        )
                    })
                    .collect();
                return Some((e.local_name().as_ref().to_vec(), attrs));
            }
            Ok(Event::Eof) | Err(_) => return None,
            Ok(_) => {}
        }
    }
}
