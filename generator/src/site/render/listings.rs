//! Listings of proposals, newest first, split into pages of
//! [`PAGE_SIZE`]: by legislature, by topic, by proposer, and the most
//! recent votes. Page 1 is the listing's folder (`l/XV/`), page n its
//! `n/` subfolder (`l/XV/2/`), so each listing keeps its address as it
//! grows.

use super::views;
use super::views::{Frame, SiteView};
use hemiciclo_core::{compare_ids, Proposal, Vote};
use serde::Serialize;

/// Items per page: a listing page stays a few kilobytes compressed.
pub const PAGE_SIZE: usize = 100;
/// Folders of the listings by topic, by proposer and of recent votes.
pub const TOPICS_DIR: &str = "t/";
pub const AUTHORS_DIR: &str = "a/";
pub const RECENT_DIR: &str = "r/";

/// One page of a listing.
#[derive(Debug, Serialize)]
pub struct ListingPage<'a> {
    site: &'a SiteView,
    #[serde(flatten)]
    frame: Frame,
    label: String,
    heading: Heading,
    count: String,
    items: Vec<Item>,
    pages: Option<Pages>,
}

/// One line of a listing: a proposal, or one vote on it.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    title: String,
    kind: String,
    /// Whether `kind` is the data's own word.
    kind_is_data: bool,
    date: String,
    path: String,
    /// For a vote: its phase, whether that is the data's own word, and
    /// its result.
    vote: Option<VoteNote>,
}

#[derive(Debug, Clone, Serialize)]
struct VoteNote {
    phase: String,
    phase_is_data: bool,
    result: Option<String>,
}

/// Where a page is among its listing's pages.
#[derive(Debug, Serialize)]
struct Pages {
    /// "Page 2 of 15".
    label: String,
    previous: Option<String>,
    next: Option<String>,
    /// Every page: its number, its path, whether it is this one.
    all: Vec<(usize, String, bool)>,
}

/// A listing's heading: the page's words around a name from the data
/// (a topic, a proposer), which is marked with the data's language.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Heading {
    pub before: String,
    pub data: Option<String>,
    pub after: String,
}

impl Heading {
    /// `text` with its `{name}` being `name`, from the data.
    pub fn around(text: &str, name: &str) -> Heading {
        let (before, after) = text.split_once("{name}").unwrap_or((text, ""));
        Heading {
            before: before.to_owned(),
            data: Some(name.to_owned()),
            after: after.to_owned(),
        }
    }

    /// The heading as plain text, for the page's title.
    pub fn text(&self) -> String {
        format!(
            "{}{}{}",
            self.before,
            self.data.as_deref().unwrap_or(""),
            self.after
        )
    }
}

/// A listing to render: its folder, heading, count line and items.
pub struct Listing {
    pub dir: String,
    pub heading: Heading,
    pub count: String,
    pub items: Vec<Item>,
}

impl Listing {
    /// The listing's pages, each with the path of the file it goes to
    /// (relative to the language's root).
    pub fn pages<'a>(&self, site: &'a SiteView, prefix: &str) -> Vec<(String, ListingPage<'a>)> {
        let chunks: Vec<&[Item]> = if self.items.is_empty() {
            vec![&[]]
        } else {
            self.items.chunks(PAGE_SIZE).collect()
        };
        let count = chunks.len();
        let page_dir = |n: usize| {
            if n == 1 {
                self.dir.clone()
            } else {
                format!("{}{n}/", self.dir)
            }
        };
        chunks
            .iter()
            .enumerate()
            .map(|(i, items)| {
                let n = i + 1;
                let dir = page_dir(n);
                let pages = (count > 1).then(|| Pages {
                    label: site.language.fill(
                        "listing.page",
                        &[("n", &n.to_string()), ("count", &count.to_string())],
                    ),
                    previous: (n > 1).then(|| page_dir(n - 1)),
                    next: (n < count).then(|| page_dir(n + 1)),
                    all: (1..=count).map(|k| (k, page_dir(k), k == n)).collect(),
                });
                let page = ListingPage {
                    site,
                    frame: Frame::new(prefix, &dir),
                    label: self.heading.text(),
                    heading: self.heading.clone(),
                    count: self.count.clone(),
                    items: items.to_vec(),
                    pages,
                };
                (dir, page)
            })
            .collect()
    }
}

/// Proposals as listing items, newest first (on one day, the highest id first).
pub fn proposal_items(site: &SiteView, proposals: &[&Proposal]) -> Vec<Item> {
    let mut sorted = proposals.to_vec();
    sorted.sort_by(|a, b| {
        b.date()
            .cmp(&a.date())
            .then_with(|| compare_ids(&b.id, &a.id))
    });
    sorted
        .iter()
        .map(|p| {
            let (kind, kind_is_data) = site.labels.kind(&p.kind);
            Item {
                title: p.title.clone(),
                kind: kind.to_owned(),
                kind_is_data,
                date: p.date().map(|d| site.language.date(d)).unwrap_or_default(),
                path: site.names.proposal_dir(&p.id),
                vote: None,
            }
        })
        .collect()
}

/// The latest `limit` votes, newest first (on one day, by proposal and
/// vote id, highest first), each with its proposal.
pub fn latest_votes(proposals: &[Proposal], limit: usize) -> Vec<(&Vote, &Proposal)> {
    let mut votes: Vec<(&Vote, &Proposal)> = proposals
        .iter()
        .flat_map(|p| p.votes.iter().map(move |v| (v, p)))
        .collect();
    votes.sort_by(|(va, pa), (vb, pb)| {
        vb.date
            .cmp(&va.date)
            .then_with(|| compare_ids(&pb.id, &pa.id))
            .then_with(|| compare_ids(&vb.id, &va.id))
    });
    votes.truncate(limit);
    votes
}

/// A vote's phase as the page names it, whether that is the data's own
/// word, and its result in the page's words.
pub fn vote_words<'a>(site: &'a SiteView, vote: &'a Vote) -> (&'a str, bool, Option<&'a str>) {
    let (phase, phase_is_data) = site.labels.phase(&vote.phase);
    let result = vote
        .result
        .map(|outcome| site.language.text(views::outcome_label(outcome).0));
    (phase, phase_is_data, result)
}

/// The latest `limit` votes as listing items, each with its proposal.
pub fn recent_vote_items(site: &SiteView, proposals: &[Proposal], limit: usize) -> Vec<Item> {
    let language = &site.language;
    latest_votes(proposals, limit)
        .into_iter()
        .map(|(vote, p)| {
            let (kind, kind_is_data) = site.labels.kind(&p.kind);
            let (phase, phase_is_data, result) = vote_words(site, vote);
            Item {
                title: p.title.clone(),
                kind: kind.to_owned(),
                kind_is_data,
                date: language.date(vote.date),
                path: site.names.proposal_dir(&p.id),
                vote: Some(VoteNote {
                    phase: phase.to_owned(),
                    phase_is_data,
                    result: result.map(str::to_owned),
                }),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::render::views::test_site;

    fn item(i: usize) -> Item {
        Item {
            title: format!("t{i}"),
            kind: String::new(),
            kind_is_data: false,
            date: String::new(),
            path: format!("p/{i}/"),
            vote: None,
        }
    }

    #[test]
    fn a_long_listing_is_split_into_pages_that_link_each_other() {
        let site = test_site("en");
        let listing = Listing {
            dir: "l/XV/".into(),
            heading: Heading::around("Proposed by {name}", "PS"),
            count: "250".into(),
            items: (0..250).map(item).collect(),
        };
        let pages = listing.pages(&site, "en/");
        let dirs: Vec<&str> = pages.iter().map(|(dir, _)| dir.as_str()).collect();
        assert_eq!(dirs, ["l/XV/", "l/XV/2/", "l/XV/3/"]);
        let (_, second) = &pages[1];
        assert_eq!(second.items.len(), PAGE_SIZE);
        assert_eq!(second.items[0].title, "t100");
        let nav = second.pages.as_ref().expect("pages");
        assert_eq!(nav.label, "Page 2 of 3");
        assert_eq!(nav.previous.as_deref(), Some("l/XV/"));
        assert_eq!(nav.next.as_deref(), Some("l/XV/3/"));
        assert_eq!(second.frame.root, "../../../");
        assert_eq!(pages[2].1.items.len(), 50);
        assert_eq!(second.label, "Proposed by PS");
    }

    #[test]
    fn a_short_or_empty_listing_is_one_page_without_navigation() {
        let site = test_site("en");
        for n in [0, 1, PAGE_SIZE] {
            let listing = Listing {
                dir: "t/x/".into(),
                heading: Heading::default(),
                count: String::new(),
                items: (0..n).map(item).collect(),
            };
            let pages = listing.pages(&site, "");
            assert_eq!(pages.len(), 1, "{n}");
            assert!(pages[0].1.pages.is_none());
        }
    }
}
