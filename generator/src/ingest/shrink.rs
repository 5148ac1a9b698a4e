//! A source that shrinks: markedly fewer proposals or votes than the last
//! build or ingest read from it.
//!
//! Parliamentary data grows: within a legislature records are added and
//! corrected, seldom removed. A source that suddenly has fewer is most
//! often a download cut short or the wrong file, and once published the
//! site would lose those proposals without a word. So each source's counts
//! are compared with those of the last `build` or `ingest` (matched by the
//! location as shown, so a new token in a URL does not hide it; `check` and
//! `serve` only look, and leave the counts as they were), and a loss beyond
//! `shrink-warning-percent` of `site.toml` is a warning naming the source
//! and both counts, or with `--strict` an error before any snapshot moves.

use crate::ingest::SourceSummary;
use std::fmt;

/// The default of `shrink-warning-percent`. Corrections to parliamentary
/// data (a merged duplicate, a withdrawn vote) take off a few records out
/// of hundreds, well under a tenth; a truncated download or a wrong file
/// takes off far more. 10% lets the first through and stops the second,
/// even on a small source, where one record is a large share: from 10
/// records, two lost warn and one does not.
pub const DEFAULT_PERCENT: u32 = 10;

/// One source with fewer records than before.
#[derive(Debug, Clone, PartialEq)]
pub struct Shrink {
    /// The source, as shown.
    pub source: String,
    /// What shrank: (what, before, after), proposals first.
    pub counts: Vec<(&'static str, u64, u64)>,
}

impl fmt::Display for Shrink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "source {:?} shrank", self.source)?;
        for (n, (what, before, after)) in self.counts.iter().enumerate() {
            let lost = (before - after) as f64 / *before as f64 * 100.0;
            let and = if n == 0 { "" } else { " and" };
            write!(f, "{and} from {before} to {after} {what} (-{lost:.0}%)")?;
        }
        f.write_str(" since the last build or ingest")
    }
}

/// Each source of `now` whose proposals or votes fell by more than
/// `percent` from those `before` gave (the same source by its shown
/// location); sources new or without counts are not compared.
pub fn shrinks(before: &[SourceSummary], now: &[SourceSummary], percent: u32) -> Vec<Shrink> {
    let mut found = Vec::new();
    for (index, source) in now.iter().enumerate() {
        // Two sources may show alike (their query values hidden): then the
        // one in the same place of the list.
        let alike: Vec<(usize, &SourceSummary)> = before
            .iter()
            .enumerate()
            .filter(|(_, old)| old.location == source.location)
            .collect();
        let old = match alike.as_slice() {
            [(_, only)] => *only,
            several => match several.iter().find(|(at, _)| *at == index) {
                Some((_, same_place)) => *same_place,
                None => continue,
            },
        };
        let counts: Vec<_> = [
            ("proposals", old.proposals, source.proposals),
            ("votes", old.votes, source.votes),
        ]
        .into_iter()
        .filter_map(|(what, before, after)| Some((what, before?, after?)))
        .filter(|&(_, before, after)| {
            after < before
                && (before - after).saturating_mul(100) > before.saturating_mul(u64::from(percent))
        })
        .collect();
        if !counts.is_empty() {
            found.push(Shrink {
                source: source.location.clone(),
                counts,
            });
        }
    }
    found
}

/// The warning for `shrink`, with what to do.
pub fn warning(shrink: &Shrink) -> String {
    format!(
        "{shrink}: a download cut short or the wrong file? Check the source before \
         publishing; if it did lose these records, the next build compares with this one \
         (shrink-warning-percent in site.toml sets how much loss warns)"
    )
}

/// The error of `--strict` when `shrinks` is not empty.
pub fn strict_error(shrinks: &[Shrink]) -> String {
    let mut text = String::from(
        "--strict: a source shrank, so nothing was built and the published site is unchanged:",
    );
    for shrink in shrinks {
        text.push_str(&format!("\n  {shrink}"));
    }
    text.push_str(
        "\nCheck each source (a download cut short? the wrong file?) and build again; if it \
         did lose these records, build once without --strict, which warns and then compares \
         with it, or raise shrink-warning-percent in site.toml",
    );
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(location: &str, proposals: Option<u64>, votes: Option<u64>) -> SourceSummary {
        SourceSummary {
            location: location.into(),
            format: "ar-csv".into(),
            sha256: String::new(),
            bytes: 0,
            proposals,
            votes,
        }
    }

    #[test]
    fn a_loss_beyond_the_threshold_names_the_source_and_both_counts() {
        let before = [
            source("a.csv", Some(3), Some(9)),
            source("b.csv", Some(100), Some(300)),
        ];
        let now = [
            source("a.csv", Some(1), Some(3)),
            source("b.csv", Some(95), Some(290)),
            source("new.csv", Some(1), Some(1)),
        ];
        let found = shrinks(&before, &now, DEFAULT_PERCENT);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].to_string(),
            "source \"a.csv\" shrank from 3 to 1 proposals (-67%) and from 9 to 3 votes (-67%) \
             since the last build or ingest"
        );
        assert!(warning(&found[0]).contains("shrink-warning-percent"));
        let error = strict_error(&found);
        assert!(
            error.contains("\n  source \"a.csv\" shrank from 3 to 1"),
            "{error}"
        );
        assert_eq!(shrinks(&before, &now, 70), []);
        assert_eq!(shrinks(&before, &now, 0).len(), 2, "0 warns on any loss");
        assert_eq!(shrinks(&before, &before, 0), []);
    }

    #[test]
    fn only_what_shrank_is_named_and_exactly_the_threshold_passes() {
        let before = [source("a.csv", Some(10), Some(40))];
        let found = shrinks(&before, &[source("a.csv", Some(10), Some(20))], 10);
        assert_eq!(found[0].counts, [("votes", 40, 20)]);
        assert_eq!(
            shrinks(&before, &[source("a.csv", Some(9), Some(36))], 10),
            []
        );
        assert_eq!(
            shrinks(&before, &[source("a.csv", Some(8), Some(40))], 10)[0].counts,
            [("proposals", 10, 8)]
        );
        assert_eq!(
            shrinks(&before, &[source("a.csv", Some(0), Some(0))], 100),
            [],
            "100 never warns"
        );
        assert_eq!(shrinks(&before, &[source("a.csv", None, None)], 0), []);
        assert_eq!(shrinks(&[source("a.csv", None, None)], &before, 0), []);
    }
}
