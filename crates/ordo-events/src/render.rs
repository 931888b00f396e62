//! A change as the feed renders it, shared by `GET /v1/changes`, JetStream and webhooks.

use ordo_model::render_v1;
use ordo_store::Change;

/// Writes one change feed entry, `{"revision":..,"kind":..,"id":..,"op":..,"document":..}`,
/// with `extra` string fields first (`tenant`, `webhookId`).
pub fn render_entry(out: &mut Vec<u8>, change: &Change, extra: &[(&str, &str)]) {
    out.push(b'{');
    for (name, value) in extra {
        serde_json::to_writer(&mut *out, name).expect("a string serialises");
        out.push(b':');
        serde_json::to_writer(&mut *out, value).expect("a string serialises");
        out.push(b',');
    }
    out.extend_from_slice(format!("\"revision\":{},\"kind\":", change.revision()).as_bytes());
    serde_json::to_writer(&mut *out, change.kind().path()).expect("a string serialises");
    out.extend_from_slice(b",\"id\":");
    serde_json::to_writer(&mut *out, change.id()).expect("a string serialises");
    match change {
        Change::Put(doc) => {
            out.extend_from_slice(b",\"op\":\"put\",\"document\":");
            render_v1(out, doc.kind, &doc.body, &doc.derived);
        }
        Change::Delete { .. } => out.extend_from_slice(b",\"op\":\"delete\",\"document\":null"),
    }
    out.push(b'}');
}

/// `put` or `delete`.
pub(crate) fn op(change: &Change) -> &'static str {
    match change {
        Change::Put(_) => "put",
        Change::Delete { .. } => "delete",
    }
}
