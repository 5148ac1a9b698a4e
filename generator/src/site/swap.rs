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
            Ok(true) => return Ok(Swapped::Exchanged),
            Ok(false) => {} // The system or file system cannot exchange.
            Err(e) => return Err(e),
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

/// Exchanges the names `a` and `b`: `Ok(false)` when the system or file
/// system cannot (rather than that this exchange failed). A sandbox that
/// forbids the call counts as cannot.
#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    use rustix::io::Errno;
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        // NOTSUP and OPNOTSUPP are one number on Linux, two on macOS.
        Err(errno)
            if [
                Errno::INVAL,
                Errno::NOSYS,
                Errno::NOTSUP,
                Errno::OPNOTSUPP,
                Errno::PERM,
            ]
            .contains(&errno) =>
        {
            Ok(false)
        }
        Err(errno) => Err(io::Error::from(errno)),
    }
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
fn exchange(_: &Path, _: &Path) -> io::Result<bool> {
    Ok(false)
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
