//! Puts a new site folder in place of the published one in one step.
//!
//! Where the system can exchange two names atomically (Linux's
//! `renameat2(RENAME_EXCHANGE)`, macOS's `renamex_np(RENAME_SWAP)`), readers
//! see the old site or the new one and never neither, and a kill at any
//! moment leaves a whole site at the output's name. Elsewhere (or on a file
//! system that cannot exchange) the old site is first moved aside, and the
//! next build puts it back if the process died in between.

use std::io;
use std::path::Path;

/// How the new site went in, and where the old one now is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Swapped {
    /// The names were exchanged: the old site is at the new one's old path.
    Exchanged,
    /// The old site was moved to the aside path, then the new one in.
    MovedAside,
    /// There was no old site.
    Placed,
}

/// Puts the folder `new` at `out`. The old site, if any, ends at `new`
/// (exchanged) or at `aside` (moved aside); see [`Swapped`].
pub fn replace(new: &Path, out: &Path, aside: &Path) -> io::Result<Swapped> {
    if !out.exists() {
        std::fs::rename(new, out)?;
        return Ok(Swapped::Placed);
    }
    if !super::fault::is_set("publish-without-exchange") {
        match exchange(new, out) {
            Ok(()) => return Ok(Swapped::Exchanged),
            Err(e) if !cannot_exchange(&e) => return Err(e),
            Err(_) => {}
        }
    }
    std::fs::rename(out, aside)?;
    super::fault::point("publish-moved-aside");
    if let Err(error) = std::fs::rename(new, out) {
        let _ = std::fs::rename(aside, out);
        return Err(error);
    }
    Ok(Swapped::MovedAside)
}

#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// Whether the error says the system or file system cannot exchange names
/// (rather than that this exchange failed).
fn cannot_exchange(error: &io::Error) -> bool {
    const EINVAL: i32 = 22;
    const ENOSYS: i32 = 38;
    const EOPNOTSUPP: i32 = 95;
    error.kind() == io::ErrorKind::Unsupported
        || matches!(error.raw_os_error(), Some(EINVAL | ENOSYS | EOPNOTSUPP))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn the_new_folder_takes_the_name_and_the_old_one_is_kept_for_removal() {
        let dir = std::env::temp_dir().join(format!("hemiciclo-swap-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("new")).unwrap();
        fs::create_dir_all(dir.join("out")).unwrap();
        fs::write(dir.join("new/index.html"), "new").unwrap();
        fs::write(dir.join("out/index.html"), "old").unwrap();
        let how = replace(&dir.join("new"), &dir.join("out"), &dir.join("aside")).unwrap();
        assert_eq!(
            fs::read_to_string(dir.join("out/index.html")).unwrap(),
            "new"
        );
        let old = match how {
            Swapped::Exchanged => dir.join("new"),
            Swapped::MovedAside => dir.join("aside"),
            Swapped::Placed => panic!("there was an old site"),
        };
        assert_eq!(fs::read_to_string(old.join("index.html")).unwrap(), "old");
        #[cfg(target_os = "linux")]
        assert_eq!(how, Swapped::Exchanged, "Linux exchanges on a local disk");
        fs::remove_dir_all(&dir).unwrap();
    }
}
