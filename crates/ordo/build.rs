//! The git commit of the build, for `ordo --version`, the start-up log line and `/health`:
//! `ORDO_GIT_COMMIT` when given (a Docker build, which has no `.git`), else
//! `git rev-parse --short HEAD`, else `unknown`.

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=ORDO_GIT_COMMIT");
    let commit = std::env::var("ORDO_GIT_COMMIT")
        .ok()
        .filter(|commit| !commit.trim().is_empty())
        .or_else(git_commit)
        .unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=ORDO_GIT_COMMIT={}", commit.trim());
}

fn git_commit() -> Option<String> {
    let output = Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    // A commit, checkout or reset is written to HEAD's log (worktrees have their own):
    // build again then.
    if let Ok(dir) = Command::new("git")
        .args(["rev-parse", "--absolute-git-dir"])
        .output()
    {
        let dir = String::from_utf8_lossy(&dir.stdout).trim().to_owned();
        for file in ["HEAD", "logs/HEAD"] {
            if std::path::Path::new(&dir).join(file).exists() {
                println!("cargo:rerun-if-changed={dir}/{file}");
            }
        }
    }
    Some(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}
