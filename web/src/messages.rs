//! What the page needs to tell the citizen what went wrong, in the page's
//! language: each error's name (JavaScript's `error.name`, the key of its
//! text in the site's language file, section `[errors]`) and the values
//! that text names (`error.params`). The module itself holds no sentence
//! in any language.

use hemiciclo_core::sampler::SwapError;
use hemiciclo_core::share::ShareError;
use hemiciclo_core::{BundleError, QuizError, SCHEMA_VERSION};

/// The error's name and the values its text needs.
pub fn describe(error: &QuizError) -> (&'static str, Vec<(&'static str, String)>) {
    match error {
        QuizError::Bundle(BundleError::UnsupportedVersion { found }) => (
            "BundleVersion",
            vec![
                ("found", found.to_string()),
                ("supported", SCHEMA_VERSION.to_string()),
            ],
        ),
        QuizError::Bundle(BundleError::Tampered { file }) => {
            ("BundleTampered", vec![("file", file.clone())])
        }
        QuizError::Bundle(error) => ("BundleUnreadable", vec![("detail", error.to_string())]),
        QuizError::OtherBuild => ("OtherBuild", Vec::new()),
        QuizError::NoCards => ("NoCards", Vec::new()),
        QuizError::NoCardsInLegislatures(names) => (
            if names.len() > 1 {
                "NoCardsInLegislatures"
            } else {
                "NoCardsInLegislature"
            },
            vec![("names", names.join(", "))],
        ),
        QuizError::UnknownProposals(ids) => ("UnknownProposals", vec![("ids", ids.join(", "))]),
        QuizError::Share(share) => share_error(share),
        QuizError::OtherDataset { link, site } => (
            "OtherDataset",
            vec![("link", link.to_string()), ("site", site.clone())],
        ),
        QuizError::CardNotLoaded { .. } => ("CardNotLoaded", Vec::new()),
        QuizError::Swap(SwapError::Exhausted) => ("SwapExhausted", Vec::new()),
        QuizError::Swap(SwapError::NoSwapsLeft) => ("NoSwapsLeft", Vec::new()),
        QuizError::Swap(_) => ("NoSwap", Vec::new()),
        QuizError::NoCode => ("NoCode", Vec::new()),
        QuizError::VotesNotLoaded => ("VotesNotLoaded", Vec::new()),
        QuizError::NoMoreCards => ("NoMoreCards", Vec::new()),
        QuizError::TooManyProposals { given, max } => (
            "TooManyProposals",
            vec![("given", given.to_string()), ("max", max.to_string())],
        ),
        _ => ("QuizError", Vec::new()),
    }
}

fn share_error(error: &ShareError) -> (&'static str, Vec<(&'static str, String)>) {
    match error {
        ShareError::Empty => ("ShareEmpty", Vec::new()),
        ShareError::BadCharacter {
            character,
            position,
        } => (
            "ShareBadCharacter",
            vec![
                ("character", character.to_string()),
                ("position", position.to_string()),
            ],
        ),
        ShareError::Truncated { .. } => ("ShareTruncated", Vec::new()),
        ShareError::UnknownVersion { found, .. } => {
            ("ShareVersion", vec![("found", found.to_string())])
        }
        ShareError::TrailingGarbage { .. } => ("ShareTrailing", Vec::new()),
        ShareError::Damaged => ("ShareDamaged", Vec::new()),
        ShareError::NotInDataset { .. } => ("ShareNotInDataset", Vec::new()),
        _ => ("ShareUnreadable", Vec::new()),
    }
}
