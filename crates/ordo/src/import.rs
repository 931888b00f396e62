//! `ordo import [--tenant T] FILE|-`: NDJSON in, a summary out; non-zero exit when any line
//! was rejected.

use std::fs::File;
use std::io::{BufRead, BufReader, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use ordo_import::{ImportReport, ImportSink, LineError, import_ndjson};
use ordo_store::Store;

#[derive(Args, Debug)]
pub struct ImportArgs {
    #[arg(long, default_value = "default")]
    tenant: String,
    /// The NDJSON file, or - for standard input.
    file: PathBuf,
}

/// Reports each rejected line on stderr as it is found, and progress on a terminal.
struct Console {
    bar: Option<ProgressBar>,
}

impl ImportSink for Console {
    /// The operator of the command line may delete: `ordo export --changes` writes deletions,
    /// and importing its output replays them.
    fn check_delete(
        &mut self,
        _kind: ordo_model::Kind,
        _id: &str,
    ) -> Vec<ordo_model::ValidationError> {
        Vec::new()
    }

    fn rejected(&mut self, error: LineError) {
        let problems: Vec<String> = error.details.iter().map(ToString::to_string).collect();
        let text = format!("line {}: {}", error.line, problems.join("; "));
        match &self.bar {
            Some(bar) => bar.println(text),
            None => eprintln!("{text}"),
        }
    }

    fn progress(&mut self, report: &ImportReport, bytes_read: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(bytes_read);
            bar.set_message(format!(
                "{} stored, {} unchanged, {} rejected",
                report.stored, report.unchanged, report.rejected
            ));
        }
    }
}

pub async fn import(store: &Arc<dyn Store>, args: ImportArgs) -> anyhow::Result<ExitCode> {
    let (input, size): (Box<dyn BufRead + Send>, Option<u64>) = if args.file.as_os_str() == "-" {
        (
            Box::new(BufReader::with_capacity(1 << 20, std::io::stdin())),
            None,
        )
    } else {
        let file = File::open(&args.file)
            .with_context(|| format!("cannot open {}", args.file.display()))?;
        let size = file.metadata().ok().map(|m| m.len());
        (Box::new(BufReader::with_capacity(1 << 20, file)), size)
    };
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = size.map_or_else(ProgressBar::new_spinner, ProgressBar::new);
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    });
    let mut console = Console { bar };
    let report = import_ndjson(store, &args.tenant, input, &mut console).await?;
    if let Some(bar) = &console.bar {
        bar.finish_and_clear();
    }
    println!(
        "{} stored, {} unchanged, {} rejected",
        report.stored, report.unchanged, report.rejected
    );
    if report == ImportReport::default() {
        eprintln!("the input holds no documents");
        return Ok(ExitCode::FAILURE);
    }
    Ok(if report.rejected > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
