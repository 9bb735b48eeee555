//! The rule base's small predicate language (documented at the top of `data/assess_rules.toml`).
//! A predicate reads the check-in as its JSON document, so a rule names fields by the same paths a
//! person sees in the check-in file. A field that was not asked makes every test on it false.

use serde::Deserialize;
use serde_json::Value;

use super::checkin::CheckIn;

/// One predicate: either tests on one `field` (all must hold), or `all` / `any` / `not` of others.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pred {
    /// A check-in field path (`pain.now`, `tests.HOP_10.pain`) or a `derived.*` value.
    pub field: Option<String>,
    /// The field equals this value.
    pub eq: Option<Value>,
    /// The field equals one of these values.
    #[serde(rename = "in")]
    pub one_of: Option<Vec<Value>>,
    /// The field is a number at least this large.
    pub gte: Option<f64>,
    /// The field is a number at most this large.
    pub lte: Option<f64>,
    /// The field is a list containing this value.
    pub contains: Option<Value>,
    /// The field is a list containing at least one of these values.
    pub contains_any: Option<Vec<Value>>,
    /// The field is a list that is (true) or is not (false) empty.
    pub nonempty: Option<bool>,
    /// Every sub-predicate holds.
    pub all: Option<Vec<Pred>>,
    /// At least one sub-predicate holds.
    pub any: Option<Vec<Pred>>,
    /// The sub-predicate does not hold (so a field that was not asked makes `not` true).
    pub not: Option<Box<Pred>>,
}

fn same(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

impl Pred {
    /// Evaluates the predicate against a check-in document (with its `derived` values).
    pub fn eval(&self, doc: &Value) -> bool {
        if let Some(field) = &self.field {
            let Some(v) = doc.pointer(&format!("/{}", field.replace('.', "/"))) else {
                return false;
            };
            if v.is_null() {
                return false;
            }
            let list = v.as_array();
            let checks = [
                self.eq.as_ref().map(|e| same(v, e)),
                self.one_of.as_ref().map(|o| o.iter().any(|e| same(v, e))),
                self.gte.map(|t| v.as_f64().is_some_and(|x| x >= t)),
                self.lte.map(|t| v.as_f64().is_some_and(|x| x <= t)),
                self.contains
                    .as_ref()
                    .map(|e| list.is_some_and(|l| l.iter().any(|x| same(x, e)))),
                self.contains_any.as_ref().map(|es| {
                    list.is_some_and(|l| l.iter().any(|x| es.iter().any(|e| same(x, e))))
                }),
                self.nonempty
                    .map(|want| list.is_some_and(|l| l.is_empty() != want)),
            ];
            return checks.iter().all(|c| c.unwrap_or(true));
        }
        if let Some(all) = &self.all {
            return all.iter().all(|p| p.eval(doc));
        }
        if let Some(any) = &self.any {
            return any.iter().any(|p| p.eval(doc));
        }
        if let Some(not) = &self.not {
            return !not.eval(doc);
        }
        false
    }

    /// Every field path the predicate reads, including `derived.*` values, each once.
    pub fn fields(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut push = |f: &str| {
            if !out.iter().any(|o| o == f) {
                out.push(f.to_owned());
            }
        };
        if let Some(f) = &self.field {
            push(f);
        }
        for p in self
            .all
            .iter()
            .chain(self.any.iter())
            .flatten()
            .chain(self.not.as_deref())
        {
            for f in p.fields() {
                push(&f);
            }
        }
        out
    }

    /// Checks the predicate's shape, that each field path exists, and that each compared value
    /// is one the field can take (by placing it into a minimal check-in and validating that).
    pub fn check(&self, load_codes: &[String]) -> Result<(), String> {
        let combinators = [self.all.is_some(), self.any.is_some(), self.not.is_some()];
        let n_comb = combinators.iter().filter(|b| **b).count();
        let tests = [
            self.eq.is_some(),
            self.one_of.is_some(),
            self.gte.is_some(),
            self.lte.is_some(),
            self.contains.is_some(),
            self.contains_any.is_some(),
            self.nonempty.is_some(),
        ];
        let n_tests = tests.iter().filter(|b| **b).count();
        match (&self.field, n_comb, n_tests) {
            (Some(field), 0, 1..) => self.check_field(field, load_codes),
            (None, 1, 0) => {
                for p in self.all.iter().chain(self.any.iter()).flatten() {
                    p.check(load_codes)?;
                }
                self.not.as_ref().map_or(Ok(()), |p| p.check(load_codes))
            }
            _ => Err(format!(
                "a predicate needs either `field` with at least one test, or exactly one of all/any/not: {self:?}"
            )),
        }
    }

    fn check_field(&self, field: &str, load_codes: &[String]) -> Result<(), String> {
        let singles = self.eq.iter().chain(self.one_of.iter().flatten());
        let members = self
            .contains
            .iter()
            .chain(self.contains_any.iter().flatten());
        if let Some(name) = field.strip_prefix("derived.") {
            return match name {
                "load" => {
                    for m in members {
                        if !m
                            .as_str()
                            .is_some_and(|c| load_codes.iter().any(|l| l == c))
                        {
                            return Err(format!("{m} is not a load rule code"));
                        }
                    }
                    Ok(())
                }
                "slhr_bent_worse"
                | "slhr_straight_worse"
                | "max_pain"
                | "calf_pain"
                | "pain_reported" => Ok(()),
                _ => Err(format!("unknown derived value {field}")),
            };
        }
        if !super::validate::field_paths().iter().any(|p| p == field) {
            return Err(format!("unknown field path {field}"));
        }
        let ptr = format!("/{}", field.replace('.', "/"));
        let probe = |v: Value| -> Result<(), String> {
            let mut doc =
                serde_json::json!({"date": "2026-01-01", "side": "left", "regions": ["CALF_MID"]});
            set(&mut doc, &ptr, v.clone());
            CheckIn::from_value(doc)
                .map(|_| ())
                .map_err(|e| format!("{field} cannot be {v}: {e}"))
        };
        for v in singles {
            probe(v.clone())?;
        }
        for m in members {
            probe(Value::Array(vec![m.clone()]))?;
        }
        Ok(())
    }
}

/// Sets a JSON pointer path, creating objects on the way.
pub(super) fn set(doc: &mut Value, ptr: &str, v: Value) {
    let mut cur = doc;
    let parts: Vec<&str> = ptr.trim_start_matches('/').split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        let obj = cur.as_object_mut().expect("probe documents are objects");
        if i + 1 == parts.len() {
            obj.insert((*part).to_string(), v);
            return;
        }
        cur = obj
            .entry(*part)
            .or_insert_with(|| Value::Object(Default::default()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(t: &str) -> Pred {
        toml::from_str::<Pred>(t).unwrap()
    }

    #[test]
    fn field_tests_and_combinators() {
        let doc = serde_json::json!({"regions": ["CALF_MID"], "pain": {"now": 6}, "fever": false});
        assert!(
            p(r#"field = "pain.now"
gte = 6"#)
            .eval(&doc)
        );
        assert!(
            !p(r#"field = "pain.now"
gte = 6.5"#)
            .eval(&doc)
        );
        assert!(
            p(r#"field = "regions"
contains = "CALF_MID""#)
            .eval(&doc)
        );
        assert!(
            !p(r#"field = "fever"
eq = true"#)
            .eval(&doc)
        );
        // Not asked: false, and `not` of it true.
        assert!(
            !p(r#"field = "weakness"
eq = false"#)
            .eval(&doc)
        );
        assert!(p(r#"not = { field = "weakness", eq = true }"#).eval(&doc));
        assert!(
            p(r#"any = [{ field = "fever", eq = true }, { field = "pain.now", lte = 6 }]"#)
                .eval(&doc)
        );
        assert!(
            !p(r#"all = [{ field = "fever", eq = true }, { field = "pain.now", lte = 6 }]"#)
                .eval(&doc)
        );
    }

    #[test]
    fn check_refuses_bad_paths_values_and_shapes() {
        let codes = vec!["SINGLE_RUN_SPIKE".to_string()];
        assert!(
            p(r#"field = "regions"
contains = "CALF_MID""#)
            .check(&codes)
            .is_ok()
        );
        assert!(
            p(r#"field = "regions"
contains = "CALF""#)
            .check(&codes)
            .is_err()
        );
        assert!(
            p(r#"field = "tests.PALP_TIBIA"
eq = "focal""#)
            .check(&codes)
            .is_err()
        );
        assert!(
            p(r#"field = "pain.nw"
gte = 1"#)
            .check(&codes)
            .is_err()
        );
        assert!(
            p(r#"field = "derived.load"
contains = "SPIKE""#)
            .check(&codes)
            .is_err()
        );
        assert!(
            p(r#"field = "fever""#).check(&codes).is_err(),
            "a field with no test"
        );
    }
}
