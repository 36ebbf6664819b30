//! A YAML value as quire keeps it: serde_yaml's data model, read through
//! serde_yaml's own deserializer, but with a mapping kept as the list of
//! entries it was written as. quire looks keys up by walking a mapping's
//! entries (their place also finds their position), so `serde_yaml::Value`'s
//! hashed mapping cost a hash of every key and a table per mapping for
//! nothing: about a tenth of the time of reading a dataset.
//!
//! The accessors behave as `serde_yaml::Value`'s do (a tag is looked
//! through), keys are equal when serde_yaml's are (a mapping as a key
//! equals the same entries in any order), and a key written twice in one
//! mapping is refused with serde_yaml's own message, which
//! [`super::Doc::parse`] turns into a located error.

use serde::de::{self, Deserialize, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};
use serde_yaml::Number;
use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasher, Hash, Hasher, RandomState};

/// One YAML value.
#[derive(Debug, Clone)]
pub enum Value {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Sequence(Vec<Value>),
    /// Entries in the order written; no key twice.
    Mapping(Vec<(Value, Value)>),
    /// A value with an explicit `!tag`: the tag, then the value.
    Tagged(Box<(String, Value)>),
}

impl Value {
    /// The value, under any tags.
    fn untag(&self) -> &Value {
        let mut v = self;
        while let Value::Tagged(tagged) = v {
            v = &tagged.1;
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

/// Equality as serde_yaml's: a mapping equals the same entries in any
/// order (its `IndexMap` compares so).
impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Number(a), Value::Number(b)) => a == b,
            (Value::String(a), Value::String(b)) => a == b,
            (Value::Sequence(a), Value::Sequence(b)) => a == b,
            (Value::Mapping(a), Value::Mapping(b)) => a.len() == b.len() && a.iter().all(|e| b.contains(e)),
            (Value::Tagged(a), Value::Tagged(b)) => a == b,
            _ => false,
        }
    }
}

/// Agrees with [`PartialEq`]: a mapping's entries are hashed in an order
/// of their own, so any order hashes alike.
impl Hash for Value {
    fn hash<H: Hasher>(&self, state: &mut H) {
        std::mem::discriminant(self).hash(state);
        match self {
            Value::Null => {}
            Value::Bool(b) => b.hash(state),
            Value::Number(n) => n.hash(state),
            Value::String(s) => s.hash(state),
            Value::Sequence(items) => items.hash(state),
            Value::Mapping(entries) => {
                // One fixed hasher, so equal mappings hash alike each time.
                let each = std::hash::BuildHasherDefault::<std::hash::DefaultHasher>::default();
                let mut hashes: Vec<u64> = entries.iter().map(|e| each.hash_one(e)).collect();
                hashes.sort_unstable();
                hashes.hash(state);
            }
            Value::Tagged(tagged) => tagged.hash(state),
        }
    }
}

/// Mappings up to this many entries are searched for a repeated key one
/// entry at a time; larger ones index their keys by hash, so a mapping of
/// many thousand rows, keyed by text or by year, stays linear.
const SCAN_KEYS: usize = 16;

/// The keys of a mapping being read, indexed by hash once it outgrows a
/// scan.
#[derive(Default)]
struct KeyIndex {
    hasher: RandomState,
    /// Each key hash with the entries whose keys have it.
    by_hash: Option<HashMap<u64, Vec<usize>>>,
}

impl KeyIndex {
    /// Whether `key` is already a key of `entries` (which this index has
    /// seen grow one entry at a time); if not, `key` is recorded as the
    /// next entry's.
    fn repeats(&mut self, entries: &[(Value, Value)], key: &Value) -> bool {
        if entries.len() < SCAN_KEYS {
            return entries.iter().any(|(k, _)| k == key);
        }
        let hasher = &self.hasher;
        let by_hash = self.by_hash.get_or_insert_with(|| {
            let mut m: HashMap<u64, Vec<usize>> = HashMap::new();
            for (i, (k, _)) in entries.iter().enumerate() {
                m.entry(hasher.hash_one(k)).or_default().push(i);
            }
            m
        });
        let same = by_hash.entry(hasher.hash_one(key)).or_default();
        if same.iter().any(|&i| entries[i].0 == *key) {
            return true;
        }
        same.push(entries.len());
        false
    }
}

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
        let mut keys = KeyIndex::default();
        while let Some(key) = map.next_key::<Value>()? {
            if keys.repeats(&entries, &key) {
                return Err(de::Error::custom(duplicate(&key)));
            }
            let value = map.next_value()?;
            entries.push((key, value));
        }
        Ok(Value::Mapping(entries))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        // serde_yaml hands a tagged value over as an enum: the tag, then
        // the value.
        let (tag, contents): (String, _) = data.variant()?;
        Ok(Value::Tagged(Box::new((tag, contents.newtype_variant()?))))
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
            (S::Tagged(a), Value::Tagged(b)) => same(&a.value, &b.1),
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
        // Years as keys, and keys that differ only in their kind.
        let mut text: String = (0..100).map(|i| format!("{}: n\n", 1900 + i)).collect();
        text.push_str("\"1957\": text, not a repeat\n1957.0: a float, not a repeat\n1957: again\n");
        let (theirs, ours) = both(&text);
        assert_eq!(ours.unwrap_err(), theirs.unwrap_err());
        // Mappings as keys are equal in any order.
        let mut text: String = (0..20).map(|i| format!("? {{a: {i}, b: 0}}\n: n\n")).collect();
        text.push_str("? {b: 0, a: 7}\n: again\n");
        let (theirs, ours) = both(&text);
        assert_eq!(ours.unwrap_err(), theirs.unwrap_err());
    }

    #[test]
    fn checking_keys_is_linear_whatever_their_kind() {
        // Years are the keys a scan of earlier keys would make quadratic.
        let text = |n: usize| -> String { (0..n).map(|i| format!("{i}: x\n")).collect() };
        let (small, large) = (text(2_000), text(20_000));
        let read = |t: &str| {
            let v: Value = serde_yaml::from_str(t).unwrap();
            assert!(v.is_mapping());
        };
        let ratio = crate::scaling::time_ratio(|| read(&small), || read(&large));
        // Linear is 10, a scan of every earlier key 100.
        assert!(ratio < 35.0, "10× the keys took {ratio:.1}× the time");
    }
}
