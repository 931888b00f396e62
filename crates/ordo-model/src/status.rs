//! The tenant's status dictionary: each `statusId` with its name and a normalised lifecycle
//! phase, through which every dialect maps statuses to its own fixed enum.

use serde_json::Value;

use crate::ValidationError;
use crate::ingest::reader::ObjReader;
use crate::json::Json;

/// Where a document is in its life, whatever the tenant calls the status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Phase {
    New,
    Open,
    Ready,
    Shipped,
    Delivered,
    Completed,
    Cancelled,
    Rejected,
}

impl Phase {
    pub const ALL: [Phase; 8] = [
        Phase::New,
        Phase::Open,
        Phase::Ready,
        Phase::Shipped,
        Phase::Delivered,
        Phase::Completed,
        Phase::Cancelled,
        Phase::Rejected,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Phase::New => "New",
            Phase::Open => "Open",
            Phase::Ready => "Ready",
            Phase::Shipped => "Shipped",
            Phase::Delivered => "Delivered",
            Phase::Completed => "Completed",
            Phase::Cancelled => "Cancelled",
            Phase::Rejected => "Rejected",
        }
    }

    pub fn parse(text: &str) -> Option<Phase> {
        Phase::ALL.into_iter().find(|p| p.as_str() == text)
    }

    /// The phase a status name suggests, for statuses the tenant's dictionary lacks.
    pub fn infer(name: &str) -> Phase {
        let name = name.to_lowercase();
        let has = |words: &[&str]| words.iter().any(|w| name.contains(w));
        if has(&["cancel", "abort", "void"]) {
            Phase::Cancelled
        } else if has(&["reject", "denied", "declin", "fail", "expired"]) {
            Phase::Rejected
        } else if has(&["deliver"]) {
            Phase::Delivered
        } else if has(&["shipped", "dispatch", "in transit"]) {
            Phase::Shipped
        } else if has(&[
            "complet",
            "closed",
            "invoiced",
            "credited",
            "fulfilled",
            "done",
        ]) {
            Phase::Completed
        } else if has(&["ready", "packed", "pick up", "pickup"]) {
            Phase::Ready
        } else if has(&["new", "pending", "requested", "awaiting", "draft"]) {
            Phase::New
        } else {
            Phase::Open
        }
    }
}

/// One entry of a tenant's status dictionary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusEntry {
    pub status_id: String,
    pub name: String,
    pub phase: Phase,
}

impl StatusEntry {
    /// `{"statusId", "name", "phase"}`: the v1 form, and an NDJSON line with `"kind":"status"`.
    pub fn to_json(&self) -> Value {
        serde_json::json!({
            "statusId": self.status_id,
            "name": self.name,
            "phase": self.phase.as_str(),
        })
    }

    /// The NDJSON line of `ordo export`/`ordo generate`: `{"kind":"status",...}`.
    pub fn to_line(&self) -> Value {
        let mut line = serde_json::json!({ "kind": "status" });
        if let (Some(line), Value::Object(fields)) = (line.as_object_mut(), self.to_json()) {
            line.extend(fields);
        }
        line
    }

    /// Reads a status entry; `path_id` is the id of a `PUT /v1/status/{id}` path.
    pub fn parse<'a>(
        value: impl Into<Json<'a>>,
        path_id: Option<&str>,
    ) -> Result<StatusEntry, Vec<ValidationError>> {
        let value = value.into();
        let mut errors = Vec::new();
        let Some(map) = value.as_object() else {
            return Err(vec![ValidationError {
                field: String::new(),
                problem: "expected a JSON object".into(),
            }]);
        };
        let mut r = ObjReader::new(map, String::new(), &mut errors);
        if let Some(kind) = r.opt_str("kind", 16).filter(|k| k != "status") {
            r.problem("kind", format!("{kind:?} is not \"status\""));
        }
        let status_id = match (r.opt_id("statusId"), path_id) {
            (Some(id), Some(path)) if id != path => {
                r.problem(
                    "statusId",
                    format!("{id:?} does not match the path's {path:?}"),
                );
                id
            }
            (Some(id), _) => id,
            (None, Some(path)) => path.to_owned(),
            (None, None) => {
                r.problem("statusId", "required");
                String::new()
            }
        };
        if status_id.chars().count() > 10 {
            r.problem("statusId", "longer than 10 characters");
        } else if let Some(problem) = crate::ingest::id_problem(&status_id) {
            // Status ids travel in paths as document ids do (the empty one is reported above).
            if !status_id.is_empty() {
                r.problem("statusId", problem);
            }
        }
        let name = r.req_str("name", 100);
        let names: Vec<&str> = Phase::ALL.iter().map(|p| p.as_str()).collect();
        let phase = r.opt_enum("phase", &names).and_then(|p| Phase::parse(&p));
        r.finish();
        if !errors.is_empty() {
            return Err(errors);
        }
        let phase = phase.unwrap_or_else(|| Phase::infer(&name));
        Ok(StatusEntry {
            status_id,
            name,
            phase,
        })
    }
}

/// A tenant's dictionary, with inference from the name for the statuses it lacks.
#[derive(Clone, Debug, Default)]
pub struct StatusDictionary {
    entries: Vec<StatusEntry>,
}

impl StatusDictionary {
    pub fn new(mut entries: Vec<StatusEntry>) -> StatusDictionary {
        entries.sort_by(|a, b| a.status_id.cmp(&b.status_id));
        StatusDictionary { entries }
    }

    pub fn entries(&self) -> &[StatusEntry] {
        &self.entries
    }

    /// The phase of a document's status: its dictionary entry's, else inferred from its name.
    pub fn phase(&self, status_id: &str, name: &str) -> Phase {
        self.entries
            .binary_search_by(|e| e.status_id.as_str().cmp(status_id))
            .map_or_else(|_| Phase::infer(name), |i| self.entries[i].phase)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_suggest_phases() {
        for (name, phase) in [
            ("New Orders", Phase::New),
            ("Shipped Orders - PAID", Phase::Shipped),
            ("RMA Completed and Invoiced", Phase::Completed),
            ("Cancelled Orders", Phase::Cancelled),
            ("RMA Denied", Phase::Rejected),
            ("Processing", Phase::Open),
            ("Delivered", Phase::Delivered),
        ] {
            assert_eq!(Phase::infer(name), phase, "{name}");
        }
    }

    #[test]
    fn the_dictionary_wins_over_the_name() {
        let dictionary = StatusDictionary::new(vec![StatusEntry {
            status_id: "7".into(),
            name: "New Orders".into(),
            phase: Phase::Open,
        }]);
        assert_eq!(dictionary.phase("7", "New Orders"), Phase::Open);
        assert_eq!(dictionary.phase("8", "New Orders"), Phase::New);
    }

    #[test]
    fn entries_parse_with_every_problem() {
        let ok = StatusEntry::parse(&serde_json::json!({"statusId": "7", "name": "New"}), None);
        assert_eq!(ok.unwrap().phase, Phase::New);
        let bad = StatusEntry::parse(&serde_json::json!({"phase": "Lost", "x": 1}), None);
        let fields: Vec<String> = bad.unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["statusId", "name", "phase", "x"]);
    }
}
