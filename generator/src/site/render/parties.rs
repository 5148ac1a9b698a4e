//! The party pages and the "who votes with whom" page: views over each
//! legislature's [`records`](crate::site::records), with their charts
//! drawn at build time as inline SVG (no chart code in the browser). Every
//! chart stands beside the same numbers as text or as a table, and is
//! hidden from screen readers, which read those.

use super::views::{Frame, SiteView};
use super::SiteNames;
use crate::i18n::Language;
use crate::site::records::LegislatureRecords;
use hemiciclo_core::{Actor, Proposal};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Folder of the parties' pages and of the "who votes with whom" page.
pub const PARTIES_DIR: &str = "g/";
/// Proposals a party page lists per legislature, newest first.
const AUTHORED_SHOWN: usize = 20;

/// A party as the pages name it: its id, and its full name when the site
/// gives one.
#[derive(Debug, Serialize)]
pub struct PartyName {
    pub id: String,
    pub full_name: Option<String>,
    pub path: String,
    /// Its listing as a proposer.
    pub authored_path: String,
}

impl PartyName {
    fn of(names: &SiteNames, actor: &Actor, full_names: &BTreeMap<String, String>) -> PartyName {
        PartyName {
            id: actor.id.clone(),
            full_name: full_names
                .get(&actor.id)
                .filter(|name| **name != actor.id)
                .cloned(),
            path: names.party_dir(&actor.id),
            authored_path: names.author_dir(&actor.id),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct PartyPage<'a> {
    site: &'a SiteView,
    #[serde(flatten)]
    frame: Frame,
    party: PartyName,
    terms: Vec<Term>,
}

/// One legislature of a party's record.
#[derive(Debug, Serialize)]
struct Term {
    label: String,
    /// "Voted for in 45% of the 1,234 plenary votes, ..."
    summary: String,
    /// The shares as a stacked bar (SVG).
    chart: String,
    with_result: Option<String>,
    agreements: Vec<AgreementRow>,
    authored_count: String,
    authored: Vec<AuthoredLink>,
}

#[derive(Debug, Serialize)]
struct AgreementRow {
    party: PartyName,
    percent: String,
    votes: String,
    /// The share as a bar (SVG).
    bar: String,
}

#[derive(Debug, Serialize)]
struct AuthoredLink {
    title: String,
    date: String,
    path: String,
}

impl<'a> PartyPage<'a> {
    pub fn new(
        site: &'a SiteView,
        frame: Frame,
        actor: &Actor,
        actors: &[Actor],
        records: &[LegislatureRecords],
        proposals: &BTreeMap<&str, &Proposal>,
        full_names: &BTreeMap<String, String>,
    ) -> Self {
        let language = &site.language;
        let terms = records
            .iter()
            .rev()
            .filter_map(|term| {
                let record = term.records.get(&actor.id)?;
                let n = term.votes;
                let share = |k: u32| f64::from(k) / f64::from(n.max(1));
                let mut agreements: Vec<(f64, AgreementRow)> = actors
                    .iter()
                    .filter(|other| other.id != actor.id)
                    .filter_map(|other| {
                        let agreement = term.agreement(&actor.id, &other.id);
                        let share = agreement.share()?;
                        Some((
                            share,
                            AgreementRow {
                                party: PartyName::of(&site.names, other, full_names),
                                percent: language.percent(share),
                                votes: language.number(agreement.both),
                                bar: share_bar(share),
                            },
                        ))
                    })
                    .collect();
                agreements.sort_by(|a, b| b.0.total_cmp(&a.0));
                let authored_ids = term.authored.get(&actor.id).cloned().unwrap_or_default();
                let mut authored: Vec<&Proposal> = authored_ids
                    .iter()
                    .filter_map(|id| proposals.get(id.as_str()).copied())
                    .collect();
                authored.sort_by_key(|p| std::cmp::Reverse(p.date()));
                Some(Term {
                    label: language.fill("site.legislature", &[("name", &term.name)]),
                    summary: language.fill(
                        "parties.summary",
                        &[
                            ("n", &language.number(n)),
                            ("for", &language.percent(share(record.for_))),
                            ("against", &language.percent(share(record.against))),
                            ("abstain", &language.percent(share(record.abstain))),
                            (
                                "absent",
                                &language.percent(share(record.absent + record.split)),
                            ),
                        ],
                    ),
                    chart: shares_bar(record.for_, record.against, record.abstain, n),
                    with_result: (record.decided > 0).then(|| {
                        language.fill(
                            "parties.with_result",
                            &[
                                (
                                    "percent",
                                    &language.percent(
                                        f64::from(record.with_result) / f64::from(record.decided),
                                    ),
                                ),
                                ("n", &language.number(record.decided)),
                            ],
                        )
                    }),
                    agreements: agreements.into_iter().map(|(_, row)| row).collect(),
                    authored_count: language.fill(
                        "parties.authored",
                        &[("n", &language.number(authored.len() as u64))],
                    ),
                    authored: authored
                        .iter()
                        .take(AUTHORED_SHOWN)
                        .map(|p| AuthoredLink {
                            title: p.title.clone(),
                            date: p.date().map(|d| language.date(d)).unwrap_or_default(),
                            path: site.names.proposal_dir(&p.id),
                        })
                        .collect(),
                })
            })
            .collect();
        PartyPage {
            site,
            frame,
            party: PartyName::of(&site.names, actor, full_names),
            terms,
        }
    }
}

/// The parties' index: every party, and each legislature's heatmap of how
/// often each pair voted alike.
#[derive(Debug, Serialize)]
pub struct PartiesPage<'a> {
    site: &'a SiteView,
    #[serde(flatten)]
    frame: Frame,
    parties: Vec<PartyName>,
    heatmaps: Vec<Heatmap>,
}

#[derive(Debug, Serialize)]
struct Heatmap {
    label: String,
    caption: String,
    parties: Vec<PartyName>,
    /// Per row party, the share with each column party ("" on the diagonal
    /// or where they never both voted).
    rows: Vec<(PartyName, Vec<String>)>,
    chart: String,
}

impl<'a> PartiesPage<'a> {
    pub fn new(
        site: &'a SiteView,
        frame: Frame,
        actors: &[Actor],
        records: &[LegislatureRecords],
        full_names: &BTreeMap<String, String>,
    ) -> Self {
        let language = &site.language;
        let heatmaps = records
            .iter()
            .rev()
            .map(|term| {
                let members: Vec<&Actor> = actors
                    .iter()
                    .filter(|a| term.records.contains_key(&a.id))
                    .collect();
                let shares: Vec<Vec<Option<f64>>> = members
                    .iter()
                    .map(|a| {
                        members
                            .iter()
                            .map(|b| {
                                (a.id != b.id)
                                    .then(|| term.agreement(&a.id, &b.id).share())
                                    .flatten()
                            })
                            .collect()
                    })
                    .collect();
                let names: Vec<&str> = members.iter().map(|a| a.id.as_str()).collect();
                Heatmap {
                    label: language.fill("site.legislature", &[("name", &term.name)]),
                    caption: language.fill(
                        "parties.heatmap_caption",
                        &[
                            ("legislature", &term.name),
                            ("n", &language.number(term.votes)),
                        ],
                    ),
                    parties: members
                        .iter()
                        .map(|a| PartyName::of(&site.names, a, full_names))
                        .collect(),
                    rows: members
                        .iter()
                        .zip(&shares)
                        .map(|(a, row)| {
                            let cells = row
                                .iter()
                                .map(|s| s.map(|s| language.percent(s)).unwrap_or_default())
                                .collect();
                            (PartyName::of(&site.names, a, full_names), cells)
                        })
                        .collect(),
                    chart: heatmap(&names, &shares, language),
                }
            })
            .collect();
        PartiesPage {
            site,
            frame,
            parties: actors
                .iter()
                .map(|a| PartyName::of(&site.names, a, full_names))
                .collect(),
            heatmaps,
        }
    }
}

/// A 100-wide bar of the shares of for, against and abstain (the rest,
/// absent or split, left empty).
fn shares_bar(for_: u32, against: u32, abstain: u32, total: u32) -> String {
    let total = f64::from(total.max(1));
    let mut svg = String::from(
        r#"<svg class="chart shares" viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true" focusable="false">"#,
    );
    let mut x = 0.0;
    for (class, count) in [("for", for_), ("against", against), ("abstain", abstain)] {
        let width = f64::from(count) / total * 100.0;
        let _ = write!(
            svg,
            r#"<rect class="{class}" x="{x:.2}" y="0" width="{width:.2}" height="6"/>"#
        );
        x += width;
    }
    svg.push_str("</svg>");
    svg
}

/// A 100-wide bar of one share.
fn share_bar(share: f64) -> String {
    format!(
        r#"<svg class="chart share" viewBox="0 0 100 4" preserveAspectRatio="none" aria-hidden="true" focusable="false"><rect class="track" width="100" height="4"/><rect class="fill" width="{:.2}" height="4"/></svg>"#,
        share.clamp(0.0, 1.0) * 100.0
    )
}

/// A grid of squares, one per pair of parties, darker the more often they
/// voted alike, with the percentage written in each.
fn heatmap(names: &[&str], shares: &[Vec<Option<f64>>], language: &Language) -> String {
    const CELL: usize = 40;
    const LABEL: usize = 70;
    let size = LABEL + CELL * names.len();
    let mut svg = format!(
        r#"<svg class="chart heatmap" viewBox="0 0 {size} {size}" width="{size}" aria-hidden="true" focusable="false">"#
    );
    for (i, name) in names.iter().enumerate() {
        let middle = LABEL + CELL * i + CELL / 2;
        // The table beside the chart has the whole name.
        let name = super::escape_html(&super::truncate(name, 9));
        let edge = LABEL - 6;
        let _ = write!(
            svg,
            r#"<text class="label" x="{edge}" y="{middle}" text-anchor="end" dominant-baseline="middle">{name}</text><text class="label" x="{middle}" y="{edge}" text-anchor="start" dominant-baseline="middle" transform="rotate(-90 {middle} {edge})">{name}</text>"#,
        );
    }
    for (i, row) in shares.iter().enumerate() {
        for (j, share) in row.iter().enumerate() {
            let (x, y) = (LABEL + CELL * j, LABEL + CELL * i);
            let Some(share) = share else { continue };
            // Ten steps from light to the accent colour; white text from the
            // eighth, where dark text would fall under 4.5:1.
            let step = (share * 10.0).floor().clamp(0.0, 9.0) as u8;
            let text = language.percent(*share);
            let _ = write!(
                svg,
                r#"<rect class="cell s{step}" x="{x}" y="{y}" width="{CELL}" height="{CELL}"/><text class="value{}" x="{}" y="{}" text-anchor="middle" dominant-baseline="middle">{}</text>"#,
                if step >= 7 { " dark" } else { "" },
                x + CELL / 2,
                y + CELL / 2,
                super::escape_html(&text),
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_as_wide_as_their_shares() {
        let bar = shares_bar(50, 25, 5, 100);
        assert!(
            bar.contains(r#"class="for" x="0.00" y="0" width="50.00""#),
            "{bar}"
        );
        assert!(
            bar.contains(r#"class="against" x="50.00" y="0" width="25.00""#),
            "{bar}"
        );
        assert!(
            bar.contains(r#"class="abstain" x="75.00" y="0" width="5.00""#),
            "{bar}"
        );
        assert!(share_bar(0.913).contains(r#"width="91.30""#));
        assert!(share_bar(1.5).contains(r#"class="fill" width="100.00""#));
    }

    #[test]
    fn the_heatmap_escapes_names_and_leaves_the_diagonal_empty() {
        let language = Language::load(std::path::Path::new("/nonexistent"), "en").unwrap();
        let svg = heatmap(
            &["A<b>", "B"],
            &[vec![None, Some(0.5)], vec![Some(0.5), None]],
            &language,
        );
        assert!(svg.contains("A&lt;b&gt;") && !svg.contains("A<b>"), "{svg}");
        assert_eq!(svg.matches(r#"class="cell"#).count(), 2);
        assert!(svg.contains(">50%<"), "{svg}");
    }
}
