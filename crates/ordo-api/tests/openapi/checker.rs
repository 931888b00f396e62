//! A JSON Schema checker, small enough to read, for the keywords `/openapi.json` uses.

use serde_json::{Value, json};

use crate::pattern::Pattern;

/// A JSON Schema (2020-12) checker for the keywords this document uses. Any other keyword
/// fails the test, so that no constraint is ever skipped without a word.
pub struct Checker<'a>(pub &'a Value);

impl Checker<'_> {
    /// Every way `value` breaks the component schema `name`.
    pub fn component(&self, name: &str, value: &Value) -> Vec<String> {
        self.errors(
            &json!({ "$ref": format!("#/components/schemas/{name}") }),
            value,
        )
    }

    pub fn errors(&self, schema: &Value, value: &Value) -> Vec<String> {
        let mut out = Vec::new();
        self.check(schema, value, "$", &mut out);
        out
    }

    fn check(&self, schema: &Value, value: &Value, at: &str, out: &mut Vec<String>) {
        let schema = schema
            .as_object()
            .unwrap_or_else(|| panic!("{at}: not a schema"));
        for (keyword, arg) in schema {
            match keyword.as_str() {
                "$ref" => {
                    let name = arg
                        .as_str()
                        .and_then(|r| r.strip_prefix("#/components/schemas/"))
                        .unwrap_or_else(|| panic!("{at}: not a local schema: {arg}"));
                    let target = &self.0["components"]["schemas"][name];
                    assert!(target.is_object(), "no schema {name}");
                    self.check(target, value, at, out);
                }
                "type" => {
                    let types: Vec<&str> = match arg {
                        Value::Array(types) => types.iter().filter_map(Value::as_str).collect(),
                        other => vec![other.as_str().expect("a type name")],
                    };
                    if !types.iter().any(|t| is_type(value, t)) {
                        out.push(format!("{at}: {value} is not {arg}"));
                    }
                }
                "enum" => {
                    if !arg.as_array().unwrap().contains(value) {
                        out.push(format!("{at}: {value} is not one of {arg}"));
                    }
                }
                "properties" => {
                    for (name, sub) in arg.as_object().unwrap() {
                        if let Some(field) = value.get(name).filter(|_| value.is_object()) {
                            self.check(sub, field, &format!("{at}.{name}"), out);
                        }
                    }
                }
                "required" => {
                    for name in arg.as_array().unwrap().iter().filter_map(Value::as_str) {
                        if value.as_object().is_some_and(|o| !o.contains_key(name)) {
                            out.push(format!("{at}: no {name}"));
                        }
                    }
                }
                "additionalProperties" => {
                    assert_eq!(arg, &Value::Bool(false), "{at}");
                    let known = schema.get("properties").and_then(Value::as_object);
                    for key in value.as_object().into_iter().flat_map(|o| o.keys()) {
                        if !known.is_some_and(|k| k.contains_key(key)) {
                            out.push(format!("{at}: unexpected field {key}"));
                        }
                    }
                }
                "items" => {
                    for (i, item) in value.as_array().into_iter().flatten().enumerate() {
                        self.check(arg, item, &format!("{at}[{i}]"), out);
                    }
                }
                "allOf" => {
                    for branch in arg.as_array().unwrap() {
                        self.check(branch, value, at, out);
                    }
                }
                "anyOf" | "oneOf" => {
                    let branches = arg.as_array().unwrap();
                    let passing = branches
                        .iter()
                        .filter(|branch| {
                            let mut errors = Vec::new();
                            self.check(branch, value, at, &mut errors);
                            errors.is_empty()
                        })
                        .count();
                    if passing == 0 || (keyword == "oneOf" && passing > 1) {
                        out.push(format!(
                            "{at}: {passing} branches of {keyword} match {value}"
                        ));
                    }
                }
                "minLength" | "maxLength" => {
                    if let Some(text) = value.as_str() {
                        let (len, bound) = (text.chars().count(), arg.as_u64().unwrap() as usize);
                        if (keyword == "minLength" && len < bound)
                            || (keyword == "maxLength" && len > bound)
                        {
                            out.push(format!("{at}: {len} characters, {keyword} {bound}"));
                        }
                    }
                }
                "minItems" | "maxItems" => {
                    if let Some(items) = value.as_array() {
                        let (len, bound) = (items.len(), arg.as_u64().unwrap() as usize);
                        if (keyword == "minItems" && len < bound)
                            || (keyword == "maxItems" && len > bound)
                        {
                            out.push(format!("{at}: {len} items, {keyword} {bound}"));
                        }
                    }
                }
                "minimum" | "maximum" => {
                    if let Some(number) = value.as_f64().filter(|_| value.is_number()) {
                        let bound = arg.as_f64().unwrap();
                        if (keyword == "minimum" && number < bound)
                            || (keyword == "maximum" && number > bound)
                        {
                            out.push(format!("{at}: {number}, {keyword} {bound}"));
                        }
                    }
                }
                "pattern" => {
                    let source = arg.as_str().expect("a pattern is a string");
                    let pattern = Pattern::parse(source);
                    if let Some(text) = value.as_str().filter(|t| !pattern.matches(t)) {
                        out.push(format!("{at}: {text:?} does not match {source}"));
                    }
                }
                // Annotations: they constrain nothing.
                "format" | "description" | "title" | "default" | "example" | "examples" => {}
                other => panic!("{at}: the checker does not know {other:?}"),
            }
        }
    }
}

fn is_type(value: &Value, name: &str) -> bool {
    match name {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "number" => value.is_number(),
        // JSON Schema's integer is a value, not a spelling: 10.0 and 1e1 are integers.
        "integer" => {
            value.is_i64() || value.is_u64() || value.as_f64().is_some_and(|n| n.fract() == 0.0)
        }
        "boolean" => value.is_boolean(),
        "null" => value.is_null(),
        other => panic!("unknown type {other}"),
    }
}
