//! Why a bundle file could not be read, with what to do about it.

use super::SCHEMA_VERSION;
use std::fmt;

/// Why a bundle file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BundleError {
    /// The file was written for another version of the format.
    UnsupportedVersion { found: u32 },
    /// The file is not a bundle file of the expected shape.
    Malformed(String),
    /// The file's bytes are not those the build wrote: changed after the
    /// build, or of another build.
    Tampered { file: String },
}

impl fmt::Display for BundleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BundleError::UnsupportedVersion { found } => write!(
                f,
                "the quiz data uses format version {found}, but this hemiciclo only reads \
                 version {SCHEMA_VERSION}: rebuild the site with it (`hemiciclo build`)"
            ),
            BundleError::Malformed(detail) => write!(f, "the quiz data is damaged: {detail}"),
            BundleError::Tampered { file } => write!(
                f,
                "the quiz data's {file} is not the file the site's build wrote (its checksum \
                 differs): it was changed after the build, or comes from another build; \
                 publish the whole site again"
            ),
        }
    }
}

impl std::error::Error for BundleError {}
