//! Which of the interface's words each template uses.
//!
//! Templates see the words as `t.<section>.<key>`. Handing a page all of
//! them (about 300) means copying them into every page's context, which
//! was most of the rendering time; each template gets only the words its
//! source (with the templates it extends and includes) names.

use regex::Regex;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{LazyLock, Mutex};

/// The words a template names: `None` for all of them (it uses `t` as a
/// whole), else by section, `None` for a whole section.
type Uses = Option<BTreeMap<String, Option<BTreeSet<String>>>>;

/// Every template's uses, from the templates' sources.
#[derive(Debug, Default)]
pub struct TemplateWords(HashMap<String, Uses>);

static REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bt\.([A-Za-z_][A-Za-z0-9_]*)(?:\.([A-Za-z_][A-Za-z0-9_]*))?").expect("valid")
});
/// `t` not followed by a section (a loop over it, a lookup by variable).
static WHOLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bt\b\s*(?:[^.\s]|$)").expect("valid"));
/// What the template language reads: `{{ … }}` and `{% … %}`.
static TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)\{\{.*?\}\}|\{%.*?%\}").expect("valid"));
/// A tag that names other templates: `extends`, `include` (one name or a
/// list), `import`.
static PARENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)\{%-?\s*(?:extends|include|import)\b(.*?)-?%\}").expect("valid")
});
/// A template's name in such a tag, in any of the three quotes.
static NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#""([^"]+)"|'([^']+)'|`([^`]+)`"#).expect("valid"));

impl TemplateWords {
    pub fn of(sources: &[(String, String)]) -> TemplateWords {
        let by_name: HashMap<&str, &str> = sources
            .iter()
            .map(|(n, s)| (n.as_str(), s.as_str()))
            .collect();
        let uses = sources
            .iter()
            .map(|(name, _)| (name.clone(), uses_of(name, &by_name)))
            .collect();
        TemplateWords(uses)
    }

    /// The part of `words` (the whole `t`) that `template` uses.
    pub fn pick(&self, template: &str, words: &Value) -> Value {
        let Some(Some(sections)) = self.0.get(template) else {
            return words.clone();
        };
        let mut picked = Map::new();
        for (section, keys) in sections {
            let Some(all) = words.get(section) else {
                continue;
            };
            let value = match (keys, all.as_object()) {
                (Some(keys), Some(all)) => Value::Object(
                    keys.iter()
                        .filter_map(|k| all.get(k).map(|v| (k.clone(), v.clone())))
                        .collect(),
                ),
                _ => all.clone(),
            };
            picked.insert(section.clone(), value);
        }
        Value::Object(picked)
    }
}

fn uses_of(name: &str, sources: &HashMap<&str, &str>) -> Uses {
    let mut sections: BTreeMap<String, Option<BTreeSet<String>>> = BTreeMap::new();
    let mut seen = BTreeSet::new();
    let mut queue = vec![name.to_owned()];
    while let Some(next) = queue.pop() {
        if !seen.insert(next.clone()) {
            continue;
        }
        // A name no template has: `include … ignore missing`.
        let Some(source) = sources.get(next.as_str()) else {
            continue;
        };
        let whole = TAG.find_iter(source).any(|tag| {
            let inner = &tag.as_str()[2..tag.as_str().len() - 2];
            WHOLE.is_match(&REFERENCE.replace_all(inner, ""))
        });
        if whole {
            return None;
        }
        for found in REFERENCE.captures_iter(source) {
            let section = found[1].to_owned();
            match found.get(2) {
                None => {
                    sections.insert(section, None);
                }
                Some(key) => {
                    let entry = sections
                        .entry(section)
                        .or_insert_with(|| Some(BTreeSet::new()));
                    if let Some(keys) = entry {
                        keys.insert(key.as_str().to_owned());
                    }
                }
            }
        }
        for tag in PARENT.captures_iter(source) {
            for name in NAME.captures_iter(&tag[1]) {
                let quoted = name.get(1).or(name.get(2)).or(name.get(3));
                queue.extend(quoted.map(|m| m.as_str().to_owned()));
            }
        }
    }
    Some(sections)
}

/// Each template's words in one language, picked once, as a context
/// holding only `t`: a page copies it once, into its own context.
#[derive(Debug, Default)]
pub struct WordCache(Mutex<HashMap<String, tera::Context>>);

impl WordCache {
    pub fn context(&self, template: &str, words: &TemplateWords, all: &Value) -> tera::Context {
        let mut cache = self.0.lock().unwrap_or_else(|e| e.into_inner());
        cache
            .entry(template.to_owned())
            .or_insert_with(|| {
                let mut context = tera::Context::new();
                context.insert("t", &words.pick(template, all));
                context
            })
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn words(sources: &[(&str, &str)]) -> TemplateWords {
        TemplateWords::of(
            &sources
                .iter()
                .map(|(n, s)| (n.to_string(), s.to_string()))
                .collect::<Vec<_>>(),
        )
    }

    #[test]
    fn a_template_gets_the_words_it_and_its_parents_name() {
        let t = json!({"site": {"a": "A", "b": "B"}, "quiz": {"c": "C"}, "menu": {"d": "D"}});
        let w = words(&[
            ("base.html", "{{ t.site.a }}{% block x %}{% endblock %}"),
            ("page.html", "{% extends \"base.html\" %}{{ t.quiz.c | fill(n=1) }}{% for k in t.menu %}{% endfor %}"),
            ("loop.html", "{% for s, v in t %}{% endfor %}"),
            ("single.html", "{% extends 'base.html' %}"),
            ("listed.html", "{% include [`none.html`, \"base.html\"] ignore missing %}"),
        ]);
        assert_eq!(w.pick("single.html", &t), json!({"site": {"a": "A"}}));
        assert_eq!(w.pick("listed.html", &t), json!({"site": {"a": "A"}}));
        assert_eq!(
            w.pick("page.html", &t),
            json!({"site": {"a": "A"}, "quiz": {"c": "C"}, "menu": {"d": "D"}})
        );
        assert_eq!(w.pick("loop.html", &t), t, "t as a whole keeps every word");
        assert_eq!(w.pick("unknown.html", &t), t);
    }
}
