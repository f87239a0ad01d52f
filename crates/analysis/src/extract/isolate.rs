//! Parsing untrusted files in a child process, so a stack overflow, abort or runaway allocation
//! in a parser cannot take the app down.
//!
//! Protocol: the parent starts [`WorkerCommand`] with the [`Limits`](super::Limits) as JSON in
//! the `QODER_EXTRACT_LIMITS` environment variable, writes the file to the child's stdin and
//! reads one JSON `Result<Extracted, ExtractError>` from its stdout. The child caps its own
//! address space and CPU time (`rlimit`); the parent enforces the wall time and kills the child
//! when it runs over.

use super::{ExtractError, Extracted, Limits};
use serde::{Deserialize, Serialize};
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, ExitStatus, Stdio};
use std::time::Duration;
use wait_timeout::ChildExt;

/// Environment variable carrying the limits (JSON) to the worker.
pub const LIMITS_ENV: &str = "QODER_EXTRACT_LIMITS";

/// Most stdout we accept from a worker (the JSON of one extracted resume is far smaller).
const MAX_REPLY_BYTES: u64 = 256 * 1024 * 1024;
/// Most stderr we keep for diagnosing a crash.
const MAX_STDERR_BYTES: u64 = 64 * 1024;

/// The program (and leading arguments) that runs [`worker_main`]: usually the app's own
/// executable with a hidden sub-command.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkerCommand {
    pub program: PathBuf,
    pub args: Vec<String>,
}

/// The worker as a program of its own (`src/bin/qoder-extract-worker.rs`).
pub const WORKER_PROGRAM: &str = "qoder-extract-worker";

impl WorkerCommand {
    /// The worker program beside `exe` when it is installed there, else `exe` itself run with
    /// `fallback_args` (its hidden worker sub-command). The program of its own links no SQLite,
    /// keychain, HTTP or embedding model, so it starts in a fraction of the time a full
    /// front end does: a one-file command pays for two process starts.
    pub fn beside(exe: PathBuf, fallback_args: Vec<String>) -> WorkerCommand {
        let own = exe.with_file_name(format!("{WORKER_PROGRAM}{}", std::env::consts::EXE_SUFFIX));
        if own.is_file() {
            WorkerCommand { program: own, args: Vec::new() }
        } else {
            WorkerCommand { program: exe, args: fallback_args }
        }
    }
}

/// Set the worker's own resource limits: address space and CPU seconds.
fn apply_rlimits(limits: &Limits) -> Result<(), String> {
    #[cfg(unix)]
    {
        use rlimit::Resource;
        let mem = limits.max_memory_bytes;
        if mem > 0 {
            let (_, hard) = Resource::AS.get().map_err(|e| format!("getrlimit(AS): {e}"))?;
            let v = mem.min(hard);
            Resource::AS.set(v, hard).map_err(|e| format!("setrlimit(AS): {e}"))?;
        }
        let cpu = limits.timeout.as_secs().max(1) + 1;
        let (_, hard) = Resource::CPU.get().map_err(|e| format!("getrlimit(CPU): {e}"))?;
        let soft = cpu.min(hard);
        Resource::CPU
            .set(soft, hard.min(soft + 2).max(soft))
            .map_err(|e| format!("setrlimit(CPU): {e}"))?;
    }
    #[cfg(not(unix))]
    let _ = limits;
    Ok(())
}

fn reply(result: &Result<Extracted, ExtractError>) -> std::process::ExitCode {
    let json = match serde_json::to_vec(result) {
        Ok(j) => j,
        Err(e) => {
            eprintln!("qoder extract worker: cannot encode the result: {e}");
            return std::process::ExitCode::from(3);
        }
    };
    let mut out = std::io::stdout().lock();
    if out.write_all(&json).and_then(|_| out.flush()).is_err() {
        return std::process::ExitCode::from(4);
    }
    std::process::ExitCode::SUCCESS
}

/// The child side: read the limits from the environment and the file from stdin, write the
/// extraction result as JSON to stdout.
pub fn worker_main() -> std::process::ExitCode {
    let limits = match std::env::var(LIMITS_ENV) {
        Ok(s) => match serde_json::from_str::<Limits>(&s) {
            Ok(l) => l,
            Err(e) => {
                return reply(&Err(ExtractError::Internal {
                    detail: format!("bad {LIMITS_ENV}: {e}"),
                }));
            }
        },
        Err(_) => Limits::default(),
    };
    if let Err(e) = apply_rlimits(&limits) {
        return reply(&Err(ExtractError::Internal { detail: e }));
    }
    let mut bytes = Vec::new();
    if let Err(e) =
        std::io::stdin().lock().take(limits.max_bytes.saturating_add(1)).read_to_end(&mut bytes)
    {
        return reply(&Err(ExtractError::Internal {
            detail: format!("cannot read the file from stdin: {e}"),
        }));
    }
    reply(&super::extract(&bytes, &limits))
}

/// Read a pipe to its end on a thread, keeping at most `cap` bytes.
fn drain<R: Read + Send + 'static>(pipe: Option<R>, cap: u64) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(mut p) = pipe {
            let _ = (&mut p).take(cap).read_to_end(&mut buf);
            // Keep draining so the child never blocks on a full pipe.
            let _ = std::io::copy(&mut p, &mut std::io::sink());
        }
        buf
    })
}

/// Turn an abnormal exit into the most specific error.
fn crash_error(status: ExitStatus, stderr: &str, limits: &Limits) -> ExtractError {
    let mb = limits.max_memory_bytes / (1024 * 1024);
    if stderr.contains("memory allocation of")
        || stderr.contains("capacity overflow")
        || stderr.contains("out of memory")
    {
        return ExtractError::ResourceLimit {
            detail: format!("reading the file needed more than the {mb} MB memory limit"),
        };
    }
    if stderr.contains("overflowed its stack") {
        return ExtractError::Corrupt {
            format: "file".into(),
            detail:
                "the parser ran out of stack on this file (a deeply nested or looping structure)"
                    .into(),
        };
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        match status.signal() {
            // SIGXCPU: the CPU-time rlimit.
            Some(24) => return ExtractError::Timeout { seconds: limits.timeout.as_secs().max(1) },
            // SIGKILL: the hard CPU limit or the kernel's OOM killer.
            Some(9) => {
                return ExtractError::ResourceLimit {
                    detail: format!("the parser was killed (CPU time or the {mb} MB memory limit)"),
                };
            }
            Some(sig) => {
                return ExtractError::Corrupt {
                    format: "file".into(),
                    detail: format!("the parser crashed on this file (signal {sig})"),
                };
            }
            None => {}
        }
    }
    ExtractError::Corrupt {
        format: "file".into(),
        detail: format!("the parser crashed on this file ({status})"),
    }
}

/// The worker's command line with an empty environment but for the limits: it parses untrusted
/// bytes, so it gets nothing of the parent's (API keys such as `QODER_LLM_API_KEY`, the D-Bus
/// session address, tokens in the environment). On Windows `SystemRoot` stays, without which
/// some system libraries do not load.
fn worker_command(worker: &WorkerCommand, limits_json: &str) -> Command {
    let mut cmd = Command::new(&worker.program);
    cmd.args(&worker.args).env_clear().env(LIMITS_ENV, limits_json);
    #[cfg(windows)]
    if let Some(root) = std::env::var_os("SystemRoot") {
        cmd.env("SystemRoot", root);
    }
    cmd
}

/// Extract in a child process under the limits.
pub fn extract_isolated(
    bytes: &[u8],
    limits: &Limits,
    worker: &WorkerCommand,
) -> Result<Extracted, ExtractError> {
    if bytes.len() as u64 > limits.max_bytes {
        return Err(ExtractError::TooLarge { size: bytes.len() as u64, limit: limits.max_bytes });
    }
    // Cheap, safe checks first: no child for an image or an empty file.
    super::detect_format(bytes)?;
    let limits_json = serde_json::to_string(limits)
        .map_err(|e| ExtractError::Internal { detail: format!("cannot encode the limits: {e}") })?;
    let mut child = worker_command(worker, &limits_json)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| ExtractError::Internal {
            detail: format!("cannot start the extraction worker {}: {e}", worker.program.display()),
        })?;

    let input = bytes.to_vec();
    let stdin = child.stdin.take();
    let writer = std::thread::spawn(move || {
        if let Some(mut s) = stdin {
            // A child that dies early closes the pipe: that error is reported by its exit.
            let _ = s.write_all(&input);
        }
    });
    let out = drain(child.stdout.take(), MAX_REPLY_BYTES);
    let err = drain(child.stderr.take(), MAX_STDERR_BYTES);

    let timeout = if limits.timeout.is_zero() { Duration::from_secs(1) } else { limits.timeout };
    let status = match child.wait_timeout(timeout) {
        Ok(Some(status)) => status,
        Ok(None) => {
            let _ = child.kill();
            let _ = child.wait();
            // The pipe threads end when the last holder of the pipes exits; a grandchild may
            // still hold them, so they are not joined here.
            drop((writer, out, err));
            return Err(ExtractError::Timeout { seconds: timeout.as_secs().max(1) });
        }
        Err(e) => {
            let _ = child.kill();
            let _ = child.wait();
            return Err(ExtractError::Internal {
                detail: format!("waiting for the extraction worker: {e}"),
            });
        }
    };
    let _ = writer.join();
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    let stderr = String::from_utf8_lossy(&stderr);

    if !status.success() {
        return Err(crash_error(status, &stderr, limits));
    }
    match serde_json::from_slice::<Result<Extracted, ExtractError>>(&stdout) {
        Ok(r) => r,
        Err(e) => Err(ExtractError::Internal {
            detail: format!(
                "the extraction worker sent an unreadable reply ({e}); stderr: {}",
                stderr.trim()
            ),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn the_worker_gets_no_environment_but_its_limits() {
        // PATH is set in every test run; the child must not see it (nor any API key).
        assert!(std::env::var_os("PATH").is_some());
        let worker = WorkerCommand { program: "/usr/bin/env".into(), args: Vec::new() };
        let out = worker_command(&worker, "{}").stdin(Stdio::null()).output().unwrap();
        let env = String::from_utf8_lossy(&out.stdout);
        let names: Vec<&str> = env.lines().filter_map(|l| l.split('=').next()).collect();
        assert_eq!(names, [LIMITS_ENV], "{env}");
    }

    #[test]
    fn the_worker_program_beside_the_front_end_is_preferred() {
        let dir = tempfile::tempdir().unwrap();
        let exe = dir.path().join(format!("qoder{}", std::env::consts::EXE_SUFFIX));
        let args = vec!["__extract-worker".to_string()];
        let alone = WorkerCommand::beside(exe.clone(), args.clone());
        assert_eq!(alone, WorkerCommand { program: exe.clone(), args: args.clone() });
        let own = dir.path().join(format!("{WORKER_PROGRAM}{}", std::env::consts::EXE_SUFFIX));
        std::fs::write(&own, b"").unwrap();
        assert_eq!(WorkerCommand::beside(exe, args), WorkerCommand { program: own, args: vec![] });
    }
}
