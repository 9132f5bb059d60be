//! The case report: one self-contained, printable HTML page for a suspicious transaction
//! report (STR). Everything an FIU reader needs is on the page: the member, the case and its
//! subject, the status history, each hit with its score, its explanation and the listed
//! entity's identifiers, each alert with its transactions and the flow graph, the decisions,
//! the notes, the list versions used, and who generated it when.
//!
//! Hand-written HTML rather than a template engine: the page is one fixed layout, and every
//! piece of outside text goes through [`esc`] (names, comments and notes are attacker-
//! controlled input as far as this page is concerned). No scripts, no external assets (print
//! CSS inline, the graphs inline SVG), so it opens offline and prints the same anywhere; the
//! route serves it with a CSP that forbids anything else.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::Value;
use std::fmt::Write;

// HTML escaping for element content and attribute values: the graph's escaper, which also
// replaces control characters (not allowed in XML).
use crate::graph::escape as esc;

fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A JSON value as short plain text (for fields whose shape belongs to another crate).
fn plain(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(a) => a
            .iter()
            .map(plain)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("; "),
        Value::Object(o) if o.get("year").is_some_and(Value::is_i64) => partial_date(v),
        Value::Object(o) if o.contains_key("from") && o.contains_key("to") => {
            let (from, to) = (partial_date(&o["from"]), partial_date(&o["to"]));
            let circa = if o.get("circa").and_then(Value::as_bool) == Some(true) {
                "circa "
            } else {
                ""
            };
            if from == to {
                format!("{circa}{from}")
            } else {
                format!("{circa}{from} to {to}")
            }
        }
        Value::Object(o) => o
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| format!("{k}: {}", plain(v)))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// `{"year": 1971, "month": 5, "day": 2}` as `1971-05-02` (`1971-05`, `1971` when partial).
fn partial_date(v: &Value) -> String {
    let part = |k: &str| v.get(k).and_then(Value::as_i64);
    match (part("year"), part("month"), part("day")) {
        (Some(y), Some(m), Some(d)) => format!("{y:04}-{m:02}-{d:02}"),
        (Some(y), Some(m), None) => format!("{y:04}-{m:02}"),
        (Some(y), _, _) => format!("{y:04}"),
        _ => plain_fields(v),
    }
}

fn plain_fields(v: &Value) -> String {
    v.as_object()
        .map(|o| {
            o.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| format!("{k}: {}", plain(v)))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_else(|| plain(v))
}

fn num(v: &Value) -> String {
    v.as_f64()
        .map(|f| format!("{f:.3}"))
        .unwrap_or_else(|| plain(v))
}

/// One hit as the report shows it.
#[derive(Debug, Clone)]
pub struct ReportHit {
    pub hit: store::HitRecord,
    /// The screened name.
    pub subject: String,
    pub reference: Option<String>,
    /// The hit's explanation as answered (the `explanation` object of the stored answer).
    pub explanation: Option<Value>,
    /// The listed entity as the live lists have it (JSON of `watchlist::Entity`), if still
    /// listed.
    pub entity: Option<Value>,
    /// The list versions the screening ran on.
    pub lists: Value,
    pub decisions: Vec<store::Decision>,
}

/// One alert as the report shows it.
#[derive(Debug, Clone)]
pub struct ReportAlert {
    pub alert: store::StoredAlert,
    pub transactions: Vec<store::StoredTransaction>,
    pub decisions: Vec<store::AlertDecision>,
    /// Inline SVG of the accounts and flows (from `server::graph`), when available.
    pub graph_svg: Option<String>,
}

/// Everything on the page.
#[derive(Debug, Clone)]
pub struct Report {
    pub member_name: String,
    pub case: store::CaseDetail,
    pub hits: Vec<ReportHit>,
    pub alerts: Vec<ReportAlert>,
    /// Labels of the keys that acted, by key id.
    pub labels: std::collections::HashMap<String, String>,
    pub lists_version: String,
    pub lists: Vec<crate::ListVersion>,
    pub generated_at: DateTime<Utc>,
    pub generated_by: String,
}

const CSS: &str = "\
body{font:11pt/1.45 system-ui,-apple-system,'Segoe UI','Noto Sans','Noto Naskh Arabic',sans-serif;color:#111;margin:2em auto;max-width:60em;padding:0 1em}\
h1{font-size:18pt;margin:0 0 .2em}h2{font-size:14pt;border-bottom:2px solid #333;margin-top:1.6em;padding-bottom:.1em}\
h3{font-size:12pt;margin:1.2em 0 .3em}table{border-collapse:collapse;width:100%;margin:.4em 0 .8em}\
th,td{border:1px solid #999;padding:.2em .4em;text-align:start;vertical-align:top}th{background:#eee}\
dl{display:grid;grid-template-columns:max-content 1fr;gap:.1em 1em;margin:.4em 0}dt{font-weight:600}dd{margin:0}\
.meta{color:#444}.score{font-weight:700}.item{border:1px solid #bbb;padding:.6em .9em;margin:.8em 0;break-inside:avoid}\
.graph svg{max-width:100%;height:auto}.muted{color:#666}.mark{background:#fff3b0}\
@media print{body{margin:0;max-width:none}h2{break-after:avoid}.item{page-break-inside:avoid}a{color:inherit;text-decoration:none}}\
@page{margin:18mm 15mm}";

impl Report {
    fn who(&self, key_id: &str) -> String {
        match self.labels.get(key_id) {
            Some(l) => format!("{} ({})", esc(l), esc(key_id)),
            None => esc(key_id),
        }
    }

    /// The page.
    pub fn render(&self) -> String {
        let c = &self.case.case;
        let mut h = String::with_capacity(32 * 1024);
        let _ = write!(
            h,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
             <title>Case report: {title}</title><style>{CSS}</style></head><body>\
             <header><h1>Suspicious transaction report: case file</h1>\
             <p class=\"meta\">Reporting member: <strong><bdi>{member}</bdi></strong> · Case <code>{id}</code></p></header>",
            title = esc(&c.title),
            member = esc(&self.member_name),
            id = esc(&c.id),
        );
        // --- case summary
        let _ = write!(
            h,
            "<section><h2>Case</h2><dl>\
             <dt>Title</dt><dd><bdi>{}</bdi></dd><dt>Subject</dt><dd><bdi>{}</bdi></dd>\
             <dt>Status</dt><dd>{}</dd><dt>Assignee</dt><dd>{}</dd>\
             <dt>Opened</dt><dd>{} by {}</dd><dt>Last change</dt><dd>{}</dd>\
             <dt>Items</dt><dd>{} hit(s), {} alert(s)</dd></dl></section>",
            esc(&c.title),
            esc(&c.subject),
            esc(c.status.as_str()),
            c.assignee
                .as_deref()
                .map(esc)
                .unwrap_or_else(|| "<span class=\"muted\">unassigned</span>".into()),
            ts(c.created_at),
            self.who(&c.created_by),
            ts(c.updated_at),
            self.hits.len(),
            self.alerts.len(),
        );
        // --- history
        h.push_str("<section><h2>Status history</h2><table><thead><tr><th>When (UTC)</th><th>Who</th><th>What</th><th>Detail</th></tr></thead><tbody>");
        for e in &self.case.events {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                ts(e.created_at),
                self.who(&e.actor),
                esc(e.action()),
                esc(&plain(&e.detail)),
            );
        }
        h.push_str("</tbody></table></section>");
        // --- hits
        let _ = write!(h, "<section><h2>Screening hits ({})</h2>", self.hits.len());
        if self.hits.is_empty() {
            h.push_str("<p class=\"muted\">No screening hits in this case.</p>");
        }
        for rh in &self.hits {
            self.render_hit(&mut h, rh);
        }
        h.push_str("</section>");
        // --- alerts
        let _ = write!(
            h,
            "<section><h2>Transaction monitoring alerts ({})</h2>",
            self.alerts.len()
        );
        if self.alerts.is_empty() {
            h.push_str("<p class=\"muted\">No monitoring alerts in this case.</p>");
        }
        for ra in &self.alerts {
            self.render_alert(&mut h, ra);
        }
        h.push_str("</section>");
        // --- notes
        let _ = write!(
            h,
            "<section><h2>Analyst notes ({})</h2>",
            self.case.notes.len()
        );
        if self.case.notes.is_empty() {
            h.push_str("<p class=\"muted\">No notes.</p>");
        }
        for n in &self.case.notes {
            let _ = write!(
                h,
                "<div class=\"item\"><p class=\"meta\">{} · {}</p><p style=\"white-space:pre-wrap\" dir=\"auto\">{}</p></div>",
                ts(n.created_at),
                self.who(&n.author),
                esc(&n.text),
            );
        }
        h.push_str("</section>");
        // --- lists and provenance
        let _ = write!(
            h,
            "<section><h2>Lists</h2><p>Lists loaded when this report was generated (version <code>{}</code>); each hit above names the versions it was screened against.</p>\
             <table><thead><tr><th>Source</th><th>Published</th><th>Entities</th><th>Origin</th></tr></thead><tbody>",
            esc(&self.lists_version)
        );
        for l in &self.lists {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&l.source),
                esc(l.published.as_deref().unwrap_or("")),
                l.entities,
                esc(&l.origin),
            );
        }
        let _ = writeln!(
            h,
            "</tbody></table></section><footer><p class=\"meta\">Generated {} UTC by {} with raqib. \
             Every change to this case is in the member's hash-chained audit log.</p></footer></body></html>",
            ts(self.generated_at),
            self.who(&self.generated_by),
        );
        h
    }

    fn render_hit(&self, h: &mut String, rh: &ReportHit) {
        let hit = &rh.hit;
        let _ = write!(
            h,
            "<div class=\"item\"><h3><bdi>{caption}</bdi> <code>{eid}</code></h3><dl>\
             <dt>Screened name</dt><dd><bdi>{subject}</bdi></dd>\
             <dt>Customer reference</dt><dd>{reference}</dd>\
             <dt>Score</dt><dd class=\"score\">{score:.3}{flag}</dd>\
             <dt>Matched list name</dt><dd><bdi>{matched}</bdi></dd>\
             <dt>Screened</dt><dd>{at} (screening <code>{sid}</code>, hit <code>{hid}</code>)</dd>\
             <dt>List versions</dt><dd>{lists}</dd></dl>",
            caption = esc(&hit.caption),
            eid = esc(&hit.entity_id),
            subject = esc(&rh.subject),
            reference = esc(rh.reference.as_deref().unwrap_or("")),
            score = hit.score,
            flag = if hit.is_match {
                " (match)"
            } else {
                " (below threshold)"
            },
            matched = esc(&hit.matched_name),
            at = ts(hit.created_at),
            sid = esc(&hit.screening_id),
            hid = esc(&hit.id),
            lists = esc(&lists_line(&rh.lists)),
        );
        match &rh.explanation {
            Some(x) => render_explanation(h, x),
            None => h.push_str("<p class=\"muted\">No explanation stored with this hit.</p>"),
        }
        match &rh.entity {
            Some(e) => render_entity(h, e),
            None => h.push_str(
                "<p class=\"muted\">The entity is not in the lists loaded now (delisted or other lists); its identifiers are in the screening's list version above.</p>",
            ),
        }
        render_decisions(
            h,
            rh.decisions.iter().map(|d| {
                (
                    d.created_at,
                    d.decision.as_str(),
                    d.comment.as_str(),
                    d.decided_by_key.as_str(),
                )
            }),
            self,
        );
        h.push_str("</div>");
    }

    fn render_alert(&self, h: &mut String, ra: &ReportAlert) {
        let a = &ra.alert;
        let _ = write!(
            h,
            "<div class=\"item\"><h3>{typ} <code>{id}</code></h3><dl>\
             <dt>Score</dt><dd class=\"score\">{score:.0}/100</dd>\
             <dt>Key account</dt><dd><bdi>{key}</bdi></dd>\
             <dt>Accounts</dt><dd>{accounts}</dd>\
             <dt>Activity</dt><dd>{first} to {last}</dd>\
             <dt>Engine status</dt><dd>{status} (revision {rev} of {revs}, source {source})</dd></dl>",
            typ = esc(&a.typology),
            id = esc(&a.alert_id),
            score = a.score,
            key = esc(&a.key_account),
            accounts = esc(&a.accounts.join(", ")),
            first = ts(a.first_seen),
            last = ts(a.last_seen),
            status = esc(&a.status),
            rev = a.revision,
            revs = a.revisions,
            source = esc(&a.source),
        );
        render_alert_reasons(h, &a.body);
        if let Some(svg) = &ra.graph_svg {
            // Server-generated SVG (server::graph escapes every label it draws).
            let _ = write!(
                h,
                "<figure class=\"graph\">{svg}<figcaption class=\"muted\">Accounts and flows of this alert.</figcaption></figure>"
            );
        }
        let _ = write!(
            h,
            "<table><thead><tr><th>Transaction</th><th>Time (UTC)</th><th>From</th><th>To</th><th>Amount</th></tr></thead><tbody>"
        );
        for t in &ra.transactions {
            let _ = write!(
                h,
                "<tr><td><code>{}</code></td><td>{}</td><td><bdi>{}</bdi></td><td><bdi>{}</bdi></td><td style=\"text-align:end\">{:.2} {}</td></tr>",
                esc(&t.tx_id),
                ts(t.timestamp),
                esc(&t.orig_acct),
                esc(&t.bene_acct),
                t.amount,
                esc(&t.currency),
            );
        }
        if ra.transactions.is_empty() {
            h.push_str("<tr><td colspan=\"5\" class=\"muted\">No stored transactions for this alert.</td></tr>");
        }
        h.push_str("</tbody></table>");
        render_decisions(
            h,
            ra.decisions.iter().map(|d| {
                (
                    d.created_at,
                    d.decision.as_str(),
                    d.comment.as_str(),
                    d.decided_by_key.as_str(),
                )
            }),
            self,
        );
        h.push_str("</div>");
    }
}

fn lists_line(v: &Value) -> String {
    let version = v.get("version").map(plain).unwrap_or_default();
    let lists = v
        .get("lists")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|l| {
                    format!(
                        "{} {}",
                        l.get("source").map(plain).unwrap_or_default(),
                        l.get("published").map(plain).unwrap_or_default()
                    )
                    .trim()
                    .to_string()
                })
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default();
    match (version.is_empty(), lists.is_empty()) {
        (true, true) => "not recorded".into(),
        (false, true) => format!("version {version}"),
        (true, false) => lists,
        (false, false) => format!("version {version}: {lists}"),
    }
}

fn render_explanation(h: &mut String, x: &Value) {
    let _ = write!(
        h,
        "<h4>Why it matched</h4><p>Best list name <bdi class=\"mark\">{}</bdi> ({}), name score {}, final score {}{}.</p>",
        esc(&x.get("matched_name").map(plain).unwrap_or_default()),
        esc(&x.get("name_kind").map(plain).unwrap_or_default()),
        num(x.get("name_score").unwrap_or(&Value::Null)),
        num(x.get("score").unwrap_or(&Value::Null)),
        if x.get("reordered").and_then(Value::as_bool) == Some(true) {
            "; tokens matched in a different order"
        } else {
            ""
        },
    );
    if let Some(aligned) = x.get("aligned").and_then(Value::as_array) {
        h.push_str("<table><thead><tr><th>Screened token</th><th>List token</th><th>How</th><th>Similarity</th><th>Weight</th></tr></thead><tbody>");
        for a in aligned {
            let _ = write!(
                h,
                "<tr><td><bdi>{}</bdi></td><td><bdi>{}</bdi></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&a.get("query_token").map(plain).unwrap_or_default()),
                esc(&a.get("list_token").map(plain).unwrap_or_default()),
                esc(&a.get("how").map(plain).unwrap_or_default()),
                num(a.get("score").unwrap_or(&Value::Null)),
                num(a.get("weight").unwrap_or(&Value::Null)),
            );
        }
        h.push_str("</tbody></table>");
    }
    for (key, label) in [
        ("unmatched_query", "Screened tokens without a partner"),
        ("unmatched_list", "List tokens without a partner"),
    ] {
        if let Some(u) = x
            .get(key)
            .and_then(Value::as_array)
            .filter(|u| !u.is_empty())
        {
            let toks: Vec<String> = u
                .iter()
                .map(|t| esc(&t.get("token").map(plain).unwrap_or_else(|| plain(t))))
                .collect();
            let _ = write!(h, "<p>{label}: <bdi>{}</bdi></p>", toks.join(", "));
        }
    }
    if let Some(adj) = x
        .get("adjustments")
        .and_then(Value::as_array)
        .filter(|a| !a.is_empty())
    {
        h.push_str("<table><thead><tr><th>Evidence</th><th>Outcome</th><th>Effect</th><th>Detail</th></tr></thead><tbody>");
        for a in adj {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&a.get("factor").map(plain).unwrap_or_default()),
                esc(&a.get("outcome").map(plain).unwrap_or_default()),
                num(a.get("effect").unwrap_or(&Value::Null)),
                esc(&a.get("detail").map(plain).unwrap_or_default()),
            );
        }
        h.push_str("</tbody></table>");
    }
    if let Some(notes) = x
        .get("notes")
        .and_then(Value::as_array)
        .filter(|n| !n.is_empty())
    {
        let _ = write!(
            h,
            "<p class=\"meta\">Notes: {}</p>",
            esc(&notes.iter().map(plain).collect::<Vec<_>>().join("; "))
        );
    }
}

fn render_entity(h: &mut String, e: &Value) {
    h.push_str("<h4>Listed entity</h4><dl>");
    let row = |h: &mut String, label: &str, text: String| {
        if !text.trim().is_empty() {
            let _ = write!(h, "<dt>{label}</dt><dd>{text}</dd>");
        }
    };
    row(
        h,
        "Schema",
        esc(&e.get("schema").map(plain).unwrap_or_default()),
    );
    row(
        h,
        "Source",
        esc(&e.get("source").map(plain).unwrap_or_default()),
    );
    if let Some(names) = e.get("names").and_then(Value::as_array) {
        let list: Vec<String> = names
            .iter()
            .map(|n| {
                format!(
                    "<bdi>{}</bdi> <span class=\"muted\">({})</span>",
                    esc(&n.get("value").map(plain).unwrap_or_default()),
                    esc(&[n.get("kind"), n.get("script")]
                        .into_iter()
                        .flatten()
                        .map(plain)
                        .filter(|s| !s.is_empty())
                        .collect::<Vec<_>>()
                        .join(", ")),
                )
            })
            .collect();
        row(h, "Names", list.join("<br>"));
    }
    for (key, label) in [
        ("birth_dates", "Birth dates"),
        ("birth_places", "Birth places"),
        ("countries", "Countries"),
        ("documents", "Documents"),
        ("addresses", "Addresses"),
        ("programs", "Programmes"),
        ("listed_on", "Listed on"),
        ("gender", "Gender"),
        ("remarks", "Remarks"),
    ] {
        if let Some(v) = e.get(key) {
            let text = match v {
                Value::Array(a) => a
                    .iter()
                    .map(|x| esc(&plain(x)))
                    .collect::<Vec<_>>()
                    .join("<br>"),
                other => esc(&plain(other)),
            };
            row(h, label, text);
        }
    }
    h.push_str("</dl>");
}

fn render_alert_reasons(h: &mut String, body: &Value) {
    // The monitoring crate's alert JSON: show its explanation fields without depending on
    // their exact shape (they belong to the monitoring crate).
    let mut rows = String::new();
    if let Some(o) = body.as_object() {
        for (k, v) in o {
            if matches!(
                k.as_str(),
                "alert_id"
                    | "typology"
                    | "score"
                    | "status"
                    | "key_account"
                    | "accounts"
                    | "first_seen"
                    | "last_seen"
                    | "transactions"
                    | "transaction_ids"
                    | "edges"
            ) || v.is_null()
            {
                continue;
            }
            let text = plain(v);
            if text.is_empty() {
                continue;
            }
            let text: String = text.chars().take(2000).collect();
            let _ = write!(rows, "<dt>{}</dt><dd>{}</dd>", esc(k), esc(&text));
        }
    }
    if !rows.is_empty() {
        let _ = write!(h, "<h4>Why it fired</h4><dl>{rows}</dl>");
    }
}

fn render_decisions<'a>(
    h: &mut String,
    ds: impl Iterator<Item = (DateTime<Utc>, &'a str, &'a str, &'a str)>,
    r: &Report,
) {
    let rows: Vec<String> = ds
        .map(|(at, d, comment, by)| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td dir=\"auto\">{}</td></tr>",
                ts(at),
                esc(d),
                r.who(by),
                esc(comment)
            )
        })
        .collect();
    if rows.is_empty() {
        h.push_str("<p class=\"muted\">No decision recorded.</p>");
    } else {
        let _ = write!(
            h,
            "<h4>Decisions</h4><table><thead><tr><th>When (UTC)</th><th>Decision</th><th>By</th><th>Comment</th></tr></thead><tbody>{}</tbody></table>",
            rows.concat()
        );
    }
}

/// Finds the explanation of `hit_id` (or, for answers without hit ids, of `entity_id`) in a
/// stored answer: `/v1/screen` answers carry `matches[].hit_id` and `explanation`, `/match`
/// answers `raqib_explanation` next to the entity id.
pub fn find_explanation(results: &Value, hit_id: &str, entity_id: &str) -> Option<Value> {
    fn walk<'a>(
        v: &'a Value,
        pred: &dyn Fn(&serde_json::Map<String, Value>) -> bool,
    ) -> Option<&'a serde_json::Map<String, Value>> {
        match v {
            Value::Object(o) => {
                if pred(o) {
                    return Some(o);
                }
                o.values().find_map(|c| walk(c, pred))
            }
            Value::Array(a) => a.iter().find_map(|c| walk(c, pred)),
            _ => None,
        }
    }
    let expl = |o: &serde_json::Map<String, Value>| {
        o.get("explanation")
            .or_else(|| o.get("raqib_explanation"))
            .filter(|e| e.is_object())
            .cloned()
    };
    walk(results, &|o| {
        o.get("hit_id").and_then(Value::as_str) == Some(hit_id)
    })
    .and_then(expl)
    .or_else(|| {
        walk(results, &|o| {
            o.get("id").and_then(Value::as_str) == Some(entity_id)
                && (o.contains_key("raqib_explanation") || o.contains_key("explanation"))
        })
        .and_then(expl)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn escaping_covers_markup_and_quotes() {
        assert_eq!(
            esc(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
        assert_eq!(esc("أبو بكر"), "أبو بكر");
    }

    #[test]
    fn explanations_are_found_by_hit_id_then_entity_id() {
        let screen = json!({"matches": [
            {"hit_id": "hit_a", "entity_id": "un:1", "explanation": {"score": 0.5}},
            {"hit_id": "hit_b", "entity_id": "un:2", "explanation": {"score": 0.9}}]});
        assert_eq!(
            find_explanation(&screen, "hit_b", "un:2"),
            Some(json!({"score": 0.9}))
        );
        let yente = json!({"responses": {"q1": {"results": [
            {"id": "un:2", "raqib_explanation": {"score": 0.8}}]}}});
        assert_eq!(
            find_explanation(&yente, "hit_x", "un:2"),
            Some(json!({"score": 0.8}))
        );
        assert_eq!(find_explanation(&yente, "hit_x", "un:3"), None);
    }

    #[test]
    fn dates_read_as_dates() {
        assert_eq!(
            plain(&json!({"year": 2016, "month": 1, "day": 19})),
            "2016-01-19"
        );
        assert_eq!(
            plain(&json!({"from": {"year": 1971}, "to": {"year": 1971}, "circa": false})),
            "1971"
        );
        assert_eq!(
            plain(&json!({"from": {"year": 1970}, "to": {"year": 1972}, "circa": true})),
            "circa 1970 to 1972"
        );
    }

    #[test]
    fn plain_text_flattens_nested_values() {
        assert_eq!(
            plain(&json!({"kind": "passport", "number": "A1", "note": null})),
            "kind: passport, number: A1"
        );
        assert_eq!(plain(&json!(["a", "", "b"])), "a; b");
    }
}
