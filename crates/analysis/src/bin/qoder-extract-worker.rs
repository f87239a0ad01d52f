//! The extraction worker on its own (the app runs the same code as `qoder __extract-worker`):
//! reads a file on stdin, writes the extraction result as JSON on stdout. Used by the isolation
//! tests and the benchmark.

fn main() -> std::process::ExitCode {
    qoder_analysis::extract::isolate::worker_main()
}
