//! What the citizen reads when something goes wrong, in the page's language.
//!
//! The core's errors are typed and speak English (the command line's
//! language); the page speaks Portuguese. Each variant gets its own text
//! here, and its name travels with it to JavaScript.

use hemiciclo_core::sampler::SwapError;
use hemiciclo_core::share::ShareError;
use hemiciclo_core::{BundleError, QuizError, SCHEMA_VERSION};

/// The variant's name, for JavaScript's `error.name`.
pub fn error_name(error: &QuizError) -> &'static str {
    match error {
        QuizError::Bundle(_) => "BundleUnreadable",
        QuizError::OtherBuild => "OtherBuild",
        QuizError::NoCards | QuizError::NoCardsInLegislatures(_) => "NoCards",
        QuizError::UnknownProposals(_) => "UnknownProposals",
        QuizError::Share(ShareError::Damaged) => "ShareDamaged",
        QuizError::Share(ShareError::UnknownVersion { .. }) => "ShareVersion",
        QuizError::Share(ShareError::NotInDataset { .. }) | QuizError::OtherDataset { .. } => {
            "OtherDataset"
        }
        QuizError::Share(_) | QuizError::NoCode => "ShareUnreadable",
        QuizError::CardNotLoaded { .. } => "CardNotLoaded",
        QuizError::Swap(_) => "NoSwap",
        QuizError::VotesNotLoaded => "VotesNotLoaded",
        QuizError::NoMoreCards => "NoMoreCards",
        _ => "QuizError",
    }
}

/// The message the page shows for `error`.
pub fn quiz_error(error: &QuizError) -> String {
    match error {
        QuizError::Bundle(BundleError::UnsupportedVersion { found }) => format!(
            "Não foi possível ler os dados: estão no formato versão {found} e esta página lê a \
             versão {SCHEMA_VERSION}. Recarregue a página; se o erro se repetir, o site tem de \
             ser publicado de novo."
        ),
        QuizError::Bundle(error) => format!(
            "Não foi possível ler os dados, que estão danificados ({error}). Recarregue a \
             página; se o erro se repetir, o site tem de ser publicado de novo."
        ),
        QuizError::OtherBuild => "O site foi atualizado entretanto e estes dados já não \
                                  correspondem. Recarregue a página para recomeçar com os \
                                  dados novos."
            .into(),
        QuizError::NoCards => "Não há propostas para perguntar neste site.".into(),
        QuizError::NoCardsInLegislatures(names) => format!(
            "Não há propostas {} {} neste site.",
            if names.len() > 1 {
                "das legislaturas"
            } else {
                "da legislatura"
            },
            names.join(", ")
        ),
        QuizError::UnknownProposals(ids) => format!(
            "Estas propostas não estão no questionário deste site: {}. Só entram as votações do \
             texto inteiro em que os partidos se dividiram.",
            ids.join(", ")
        ),
        QuizError::Share(share) => format!(
            "Esta ligação de resultados não pode ser lida: {}",
            share_error(share)
        ),
        QuizError::OtherDataset { link, site } => format!(
            "Esta ligação foi feita com outros dados (versão {link}) e o site mudou desde \
             então (versão {site}): as suas propostas seriam outras. Responda de novo \
             para ver resultados com os dados atuais."
        ),
        QuizError::CardNotLoaded { .. } => "A proposta ainda está a carregar.".into(),
        QuizError::Swap(SwapError::Exhausted) => {
            "Não há mais propostas para trocar por esta.".into()
        }
        QuizError::Swap(SwapError::NoSwapsLeft) => "Já usou as trocas deste baralho.".into(),
        QuizError::Swap(_) => "Não há proposta para trocar: o baralho já terminou.".into(),
        QuizError::NoCode => "Esta ligação não tem resultados: falta o código depois do #.".into(),
        QuizError::VotesNotLoaded => "As votações ainda estão a carregar.".into(),
        QuizError::NoMoreCards => {
            "Não há mais propostas para continuar: a resposta já é clara, chegou ao limite ou \
             não resta nenhuma que separe os partidos."
                .into()
        }
        _ => "Ocorreu um erro inesperado; recarregue a página.".into(),
    }
}

/// The message the page shows for `error` when it starts a curated deck:
/// there, only the card-id index can be of another build of the site.
pub fn curated_error(error: &QuizError) -> String {
    match error {
        QuizError::OtherBuild => "O site foi atualizado entretanto. Recarregue a página para \
                                  recomeçar com os dados novos."
            .into(),
        error => quiz_error(error),
    }
}

fn share_error(error: &ShareError) -> String {
    match error {
        ShareError::Empty => "está vazia.".into(),
        ShareError::BadCharacter {
            character,
            position,
        } => format!(
            "tem o carácter «{character}» na posição {position}, que nunca aparece num \
             código; foi alterada ao ser copiada?"
        ),
        ShareError::Truncated { .. } => "está incompleta; foi cortada ao ser copiada?".into(),
        ShareError::UnknownVersion { found, .. } => {
            format!("foi feita por outra versão do questionário (formato {found}).")
        }
        ShareError::TrailingGarbage { .. } => {
            "tem caracteres a mais no fim; foi colado algo a seguir?".into()
        }
        ShareError::Damaged => {
            "está danificada: um carácter mudou, sobrou ou faltou ao ser copiada.".into()
        }
        ShareError::NotInDataset { .. } => {
            "as suas propostas não existem nos dados atuais do site.".into()
        }
        _ => "não é válida.".into(),
    }
}
