//! `ordo import [--tenant T] FILE|-`: NDJSON in, a summary out; non-zero exit when any line
//! was rejected.

use std::fs::File;
use std::io::{BufRead, BufReader, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use ordo_import::{ImportReport, ImportSink, LineError, import_ndjson};
use ordo_store::Store;

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// The tenant (merchant) the documents belong to.
    #[arg(long, default_value = "default")]
    tenant: String,
    /// The NDJSON file, or - for standard input.
    file: PathBuf,
}

/// How often progress is written as a line when standard error is no terminal (a cron
/// job's log): each line says what is stored for good, should the job be killed.
const LOG_EVERY: Duration = Duration::from_secs(5);

/// Reports each rejected line on stderr as it is found, and progress: a bar on a terminal,
/// else a line every `LOG_EVERY`.
struct Console {
    bar: Option<ProgressBar>,
    started: Instant,
    last_line: Instant,
    size: Option<u64>,
}

impl Console {
    /// Lines done (stored, unchanged or rejected) per second since the start.
    fn rate(&self, report: &ImportReport) -> u64 {
        let lines = report.stored + report.unchanged + report.rejected;
        let seconds = self.started.elapsed().as_secs_f64().max(0.001);
        (lines as f64 / seconds) as u64
    }
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

    /// Called at each point where what is stored is durable: the counts are for good.
    fn progress(&mut self, report: &ImportReport, bytes_read: u64) {
        let lines = report.stored + report.unchanged + report.rejected;
        let rate = self.rate(report);
        if let Some(bar) = &self.bar {
            bar.set_position(bytes_read);
            bar.set_message(format!(
                "{lines} lines ({} stored, {} unchanged, {} rejected) stored for good, {rate} docs/s",
                report.stored, report.unchanged, report.rejected
            ));
        } else if self.last_line.elapsed() >= LOG_EVERY {
            self.last_line = Instant::now();
            let read = match self.size {
                Some(size) if size > 0 => format!(
                    "{} of {} MB read ({}%)",
                    bytes_read / 1_000_000,
                    size / 1_000_000,
                    bytes_read * 100 / size
                ),
                _ => format!("{} MB read", bytes_read / 1_000_000),
            };
            eprintln!(
                "import: {read}; {lines} lines done for good: {} stored, {} unchanged, {} \
                 rejected; {rate} docs/s",
                report.stored, report.unchanged, report.rejected
            );
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
        // The bar and its ETA follow the bytes read; the message counts documents.
        bar.set_style(
            ProgressStyle::with_template(
                "{bar:30} {bytes}/{total_bytes} ETA {eta} {elapsed}\n{msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    });
    let mut console = Console {
        bar,
        started: Instant::now(),
        last_line: Instant::now(),
        size,
    };
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
