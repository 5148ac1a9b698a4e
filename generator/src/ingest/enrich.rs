//! Adding what the sources do not say outright: topics, which side
//! proposed each initiative, and how much each vote split the chamber.
//!
//! Topics follow one rule: the CAP label of the initiative if a topic file
//! has one, else the topics the source itself gave (a table source's mapped
//! topic column), else the committee that handled it.

use crate::config::Government;
use crate::error::{Error, Result};
use crate::ingest::dataset::Dataset;
use hemiciclo_core::{ActorKind, Proposal, ProposerKind};
use std::collections::{BTreeMap, BTreeSet};

/// Who governs: the periods of `[[government]]` and the name the data
/// gives the government as an author (`government-author`).
#[derive(Debug, Clone, Copy)]
pub struct Governments<'a> {
    pub periods: &'a [Government],
    pub author: Option<&'a str>,
}

impl Governments<'_> {
    /// Whether the site says anything about governments at all; when not,
    /// no proposal gets a proposer kind.
    pub fn known(&self) -> bool {
        !self.periods.is_empty() || self.author.is_some()
    }
}

/// Topic labels by initiative id.
pub type Topics = BTreeMap<String, String>;

/// Reads a topic label file: a CSV with `ini_id` and `cap_label` columns
/// (the Comparative Agendas Project major topic of each initiative).
pub fn parse_topics(bytes: &[u8], origin: &str, topics: &mut Topics) -> Result<()> {
    let mut reader = csv::Reader::from_reader(bytes);
    let headers = reader
        .headers()
        .map_err(|source| Error::Csv {
            doing: format!("{origin}:1: cannot read the header row"),
            source,
        })?
        .clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim() == name)
            .ok_or_else(|| {
                Error::Unreadable(format!("{origin}:1: a topic file needs a {name:?} column"))
            })
    };
    let (id, label) = (column("ini_id")?, column("cap_label")?);
    for record in reader.records() {
        let record = record.map_err(|source| Error::Csv {
            doing: format!("{origin}: malformed CSV"),
            source,
        })?;
        let (Some(ini), Some(text)) = (record.get(id), record.get(label)) else {
            continue;
        };
        if !ini.trim().is_empty() && !text.trim().is_empty() {
            topics.insert(ini.trim().to_owned(), text.trim().to_owned());
        }
    }
    Ok(())
}

/// Fills each proposal's topics (the CAP label, else the source's own
/// topics, else the committee) and proposer kind.
pub fn enrich(dataset: &mut Dataset, topics: &Topics, governments: Governments<'_>) {
    let parties: BTreeSet<&str> = dataset
        .actors
        .iter()
        .filter(|a| a.kind == ActorKind::Party)
        .map(|a| a.id.as_str())
        .collect();
    let parties: BTreeSet<String> = parties.into_iter().map(str::to_owned).collect();
    for proposal in &mut dataset.proposals {
        if let Some(label) = topics.get(&proposal.id) {
            proposal.topics = vec![label.clone()];
        } else if proposal.topics.is_empty() {
            proposal.topics = proposal.committee.iter().cloned().collect();
        }
        proposal.proposer = governments
            .known()
            .then(|| proposer_kind(proposal, &parties, governments));
    }
}

/// Government if the government proposed it; government party if a party
/// in government at the time did; opposition if another party did; other
/// for committees, regional assemblies, citizens, ...
pub fn proposer_kind(
    proposal: &Proposal,
    parties: &BTreeSet<String>,
    governments: Governments<'_>,
) -> ProposerKind {
    if let Some(author) = governments.author {
        if proposal.authors.iter().any(|a| a == author) {
            return ProposerKind::Government;
        }
    }
    let when = proposal.votes.first().map(|v| v.date);
    let in_office = governments
        .periods
        .iter()
        .find(|g| when.is_some_and(|d| g.from <= d && g.until.is_none_or(|until| d < until)));
    let author_in = |set: &dyn Fn(&str) -> bool| proposal.authors.iter().any(|a| set(a));
    if let Some(government) = in_office {
        if author_in(&|a| government.parties.iter().any(|p| p == a)) {
            return ProposerKind::GovernmentParty;
        }
    }
    if author_in(&|a| parties.contains(a)) {
        ProposerKind::Opposition
    } else {
        ProposerKind::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hemiciclo_core::{Date, PhaseKind, Vote};

    fn proposal(author: &str, date: &str) -> Proposal {
        Proposal {
            number: "1".into(),
            authors: vec![author.into()],
            committee: Some("Comissão de Saúde".into()),
            votes: vec![Vote {
                ..Vote::new(
                    "9",
                    "Votação na generalidade",
                    PhaseKind::General,
                    Date::parse_iso(date).unwrap(),
                )
            }],
            ..Proposal::new("1", "XV", "Projeto de Lei", "t")
        }
    }

    const NO_GOVERNMENTS: Governments<'static> = Governments {
        periods: &[],
        author: None,
    };

    fn portugal() -> Vec<Government> {
        vec![
            Government {
                from: Date::parse_iso("2015-11-26").unwrap(),
                until: Date::parse_iso("2024-04-02"),
                parties: vec!["PS".into()],
            },
            Government {
                from: Date::parse_iso("2024-04-02").unwrap(),
                until: None,
                parties: vec!["PSD".into(), "CDS-PP".into()],
            },
        ]
    }

    #[test]
    fn proposer_kind_follows_the_government_of_the_day() {
        let parties: BTreeSet<String> = ["PS", "PSD", "CDS-PP", "BE"].map(String::from).into();
        let kind = |author: &str, date: &str| {
            let periods = portugal();
            let governments = Governments {
                periods: &periods,
                author: Some("Governo"),
            };
            proposer_kind(&proposal(author, date), &parties, governments)
        };
        assert_eq!(kind("Governo", "2020-01-01"), ProposerKind::Government);
        assert_eq!(kind("PS", "2020-01-01"), ProposerKind::GovernmentParty);
        assert_eq!(kind("PSD", "2020-01-01"), ProposerKind::Opposition);
        assert_eq!(kind("PSD", "2024-04-02"), ProposerKind::GovernmentParty);
        assert_eq!(kind("PS", "2025-06-01"), ProposerKind::Opposition);
        assert_eq!(kind("Comissões", "2025-06-01"), ProposerKind::Other);
    }

    #[test]
    fn topics_prefer_cap_labels_then_the_committee() {
        let mut dataset = Dataset::new([], vec![proposal("PS", "2020-01-01")]);
        enrich(&mut dataset, &Topics::new(), NO_GOVERNMENTS);
        assert_eq!(dataset.proposals[0].topics, ["Comissão de Saúde"]);
        assert_eq!(
            dataset.proposals[0].proposer, None,
            "no governments, no proposer kind"
        );
        let mut topics = Topics::new();
        parse_topics(
            b"ini_id,legislatura,cap,cap_label\n1,L17,3,Sa\xc3\xbade\n",
            "t.csv",
            &mut topics,
        )
        .unwrap();
        enrich(&mut dataset, &topics, NO_GOVERNMENTS);
        assert_eq!(dataset.proposals[0].topics, ["Saúde"]);
        let error = parse_topics(b"id,label\n", "t.csv", &mut topics)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("t.csv:1") && error.contains("ini_id"),
            "{error}"
        );
    }

    #[test]
    fn topics_the_source_gave_come_before_the_committee_and_after_cap() {
        let mut given = proposal("PS", "2020-01-01");
        given.topics = vec!["Verkehr".into(), "Umwelt".into()];
        let mut dataset = Dataset::new([], vec![given]);
        enrich(&mut dataset, &Topics::new(), NO_GOVERNMENTS);
        assert_eq!(
            dataset.proposals[0].topics,
            ["Verkehr", "Umwelt"],
            "the source's topics are kept, not replaced by the committee"
        );
        let topics = Topics::from([("1".to_owned(), "Transportes".to_owned())]);
        enrich(&mut dataset, &topics, NO_GOVERNMENTS);
        assert_eq!(dataset.proposals[0].topics, ["Transportes"], "CAP wins");

        let mut bare = proposal("PS", "2020-01-01");
        bare.committee = None;
        let mut dataset = Dataset::new([], vec![bare]);
        enrich(&mut dataset, &Topics::new(), NO_GOVERNMENTS);
        assert!(dataset.proposals[0].topics.is_empty());
    }
}
