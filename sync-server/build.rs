// `sqlx::migrate!` embeds migrations/server at compile time: rebuild when one is added.
fn main() {
    println!("cargo:rerun-if-changed=../migrations/server");
}
