//! A YAML value as quire keeps it: serde_yaml's data model, read through
//! serde_yaml's own deserializer, but with a mapping kept as the list of
//! entries it was written as. quire looks keys up by walking a mapping's
//! entries (their place also finds their position), so `serde_yaml::Value`'s
//! hashed mapping cost a hash of every key and a table per mapping for
//! nothing: about a tenth of the time of reading a dataset.
//!
//! The accessors behave as `serde_yaml::Value`'s do (a tag is looked
//! through), and a key written twice in one mapping is refused with
//! serde_yaml's own message, which [`super::Doc::parse`] turns into a
//! located error.

use serde::de::{self, Deserialize, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};
use serde_yaml::Number;
use std::collections::HashSet;
use std::fmt;

/// One YAML value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Sequence(Vec<Value>),
    /// Entries in the order written; no key twice.
    Mapping(Vec<(Value, Value)>),
    /// A value with an explicit `!tag`; the tag itself is not kept.
    Tagged(Box<Value>),
}

impl Value {
    /// The value, under any tags.
    fn untag(&self) -> &Value {
        let mut v = self;
        while let Value::Tagged(inner) = v {
            v = inner;
        }
        v
    }

    pub fn is_null(&self) -> bool {
        matches!(self.untag(), Value::Null)
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.untag() {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_u64(&self) -> Option<u64> {
        match self.untag() {
            Value::Number(n) => n.as_u64(),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self.untag() {
            Value::Number(n) => n.as_f64(),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self.untag() {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn is_string(&self) -> bool {
        self.as_str().is_some()
    }

    pub fn as_sequence(&self) -> Option<&[Value]> {
        match self.untag() {
            Value::Sequence(s) => Some(s),
            _ => None,
        }
    }

    pub fn is_sequence(&self) -> bool {
        self.as_sequence().is_some()
    }

    pub fn as_mapping(&self) -> Option<&[(Value, Value)]> {
        match self.untag() {
            Value::Mapping(m) => Some(m),
            _ => None,
        }
    }

    pub fn is_mapping(&self) -> bool {
        self.as_mapping().is_some()
    }
}

/// Mappings up to this many entries are searched for a repeated key one
/// entry at a time; larger ones keep a set of their text keys, so a
/// mapping of many thousand rows stays linear.
const SCAN_KEYS: usize = 16;

/// serde_yaml's message for a key written twice (its `DuplicateKeyError`).
fn duplicate(key: &Value) -> String {
    match key.untag() {
        Value::Null => "duplicate entry with null key".into(),
        Value::Bool(b) => format!("duplicate entry with key `{b}`"),
        Value::Number(n) => format!("duplicate entry with key {n}"),
        Value::String(s) => format!("duplicate entry with key {s:?}"),
        _ => "duplicate entry in YAML map".into(),
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E: de::Error>(self, i: i64) -> Result<Value, E> {
        Ok(Value::Number(i.into()))
    }

    fn visit_u64<E: de::Error>(self, u: u64) -> Result<Value, E> {
        Ok(Value::Number(u.into()))
    }

    fn visit_f64<E: de::Error>(self, f: f64) -> Result<Value, E> {
        Ok(Value::Number(f.into()))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        Value::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Sequence(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries: Vec<(Value, Value)> = Vec::with_capacity(map.size_hint().unwrap_or(0));
        // The text keys seen, once the mapping outgrows a scan.
        let mut seen: Option<HashSet<String>> = None;
        while let Some(key) = map.next_key::<Value>()? {
            let repeated = match (&mut seen, key.untag()) {
                (Some(set), Value::String(s)) => !set.insert(s.clone()),
                _ => entries.iter().any(|(k, _)| *k == key),
            };
            if repeated {
                return Err(de::Error::custom(duplicate(&key)));
            }
            let value = map.next_value()?;
            entries.push((key, value));
            if seen.is_none() && entries.len() == SCAN_KEYS {
                seen = Some(
                    entries
                        .iter()
                        .filter_map(|(k, _)| k.as_str().map(str::to_string))
                        .collect(),
                );
            }
        }
        Ok(Value::Mapping(entries))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        // serde_yaml hands a tagged value over as an enum: the tag, then
        // the value.
        let (_tag, contents): (String, _) = data.variant()?;
        Ok(Value::Tagged(Box::new(contents.newtype_variant()?)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same text read as serde_yaml's value and as this one.
    fn both(text: &str) -> (Result<serde_yaml::Value, String>, Result<Value, String>) {
        (
            serde_yaml::from_str::<serde_yaml::Value>(text).map_err(|e| e.to_string()),
            serde_yaml::from_str::<Value>(text).map_err(|e| e.to_string()),
        )
    }

    /// Whether `ours` holds what `theirs` holds, entry for entry.
    fn same(theirs: &serde_yaml::Value, ours: &Value) -> bool {
        use serde_yaml::Value as S;
        match (theirs, ours) {
            (S::Null, Value::Null) => true,
            (S::Bool(a), Value::Bool(b)) => a == b,
            (S::Number(a), Value::Number(b)) => a == b,
            (S::String(a), Value::String(b)) => a == b,
            (S::Sequence(a), Value::Sequence(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y)),
            (S::Mapping(a), Value::Mapping(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|((k1, v1), (k2, v2))| same(k1, k2) && same(v1, v2))
            }
            (S::Tagged(a), Value::Tagged(b)) => same(&a.value, b),
            _ => false,
        }
    }

    #[test]
    fn reads_what_serde_yaml_reads_and_refuses_what_it_refuses() {
        let texts = [
            "a: 1\nb: [x, 2.5, -3, true, null, ~]\nc: {d: 'e', f: \"g\"}\n",
            "rows:\n  - key: \"1971\"\n    usd: 1e3\n  - key: 1972\n    usd: .5\n",
            "x: !custom 5\ny: !!str 12\nz: 0x1F\nw: .nan\nv: -.inf\n",
            "a: 1\na: 2\n",
            "1: one\n\"1\": text one\n",
            "true: a\ntrue: b\n",
            "? [1, 2]\n: seq key\n? [1, 2]\n: again\n",
            "- &anchor {k: v}\n- *anchor\n",
            "key: value\n  bad indent: x\n",
            "",
        ];
        for text in texts {
            match both(text) {
                (Ok(theirs), Ok(ours)) => assert!(same(&theirs, &ours), "{text:?}: {theirs:?} vs {ours:?}"),
                (Err(theirs), Err(ours)) => assert_eq!(theirs, ours, "{text:?}"),
                (theirs, ours) => panic!("{text:?}: serde_yaml {theirs:?}, ours {ours:?}"),
            }
        }
    }

    #[test]
    fn a_large_mapping_refuses_a_repeated_key_too() {
        let mut text: String = (0..100).map(|i| format!("k{i}: {i}\n")).collect();
        text.push_str("k57: again\n");
        let (theirs, ours) = both(&text);
        assert_eq!(ours.unwrap_err(), theirs.unwrap_err());
        // Keys of other kinds are compared one by one at any size.
        let mut text: String = (0..100).map(|i| format!("{i}: n\n")).collect();
        text.push_str("42: again\n");
        let (theirs, ours) = both(&text);
        assert_eq!(ours.unwrap_err(), theirs.unwrap_err());
    }
}
