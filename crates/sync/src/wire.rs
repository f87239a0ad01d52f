//! The HTTP contract between the sync client and `qoder-server`. Both sides use these types, so
//! a change here is a protocol change.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Longest collection name (ASCII `a-z`, `0-9`, `_`, `-`).
pub const MAX_COLLECTION_LEN: usize = 64;
/// Most records in one push.
pub const MAX_PUSH_RECORDS: usize = 1000;
/// Most records in one pull page.
pub const MAX_PULL_LIMIT: i64 = 1000;
/// Largest ciphertext of one record, in bytes (the server refuses larger ones with 413).
pub const MAX_RECORD_BYTES: usize = 1 << 20;
/// A pull page stops once its ciphertexts reach this many bytes (it always holds at least one
/// record, so a page is at most this plus one record), with `more` set.
pub const MAX_PULL_BYTES: i64 = 8 << 20;
/// Most accounts in one page of `GET /api/admin/users`.
pub const MAX_ADMIN_PAGE: i64 = 500;

/// Whether `name` is a valid collection name.
pub fn valid_collection(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_COLLECTION_LEN
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

/// Register or log in. `secret` is the login secret the client derived from the password
/// (`crypto::login_secret`), never the password itself; `device_id` is the calling device,
/// which becomes bound to the account.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Credentials {
    pub email: String,
    pub secret: String,
    pub device_id: Uuid,
}

/// Issued on register, login and refresh.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TokenPair {
    pub user_id: Uuid,
    pub access_token: String,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    pub refresh_token: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

/// Delete the account: the login secret again, as confirmation.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DeleteAccountRequest {
    pub secret: String,
}

/// Change the password: the login secret of the old password, that of the new one, and the data
/// key wrapped under the new password; the server swaps both at once and answers a new
/// [`TokenPair`] for the calling device (every other sign-in of the account is revoked).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PasswordChange {
    pub old_secret: String,
    pub new_secret: String,
    #[serde(with = "b64")]
    pub key_blob: Vec<u8>,
}

/// The wrapped data key (opaque to the server).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct KeyBlob {
    #[serde(with = "b64")]
    pub blob: Vec<u8>,
    /// The login secret, to replace an existing recovery-code blob (a PUT without it only
    /// creates: 409 if one is there). Unused for the password's blob, which only the password
    /// change replaces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

/// One encrypted record of a device's log for a collection.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub id: Uuid,
    pub device_id: Uuid,
    pub collection: String,
    /// Position in the (device, collection) log, from 0.
    pub idx: i64,
    /// Client time, milliseconds since the Unix epoch (metadata; the clock that orders edits is
    /// inside the ciphertext).
    pub ts: i64,
    #[serde(with = "b64")]
    pub ciphertext: Vec<u8>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PushRequest {
    pub records: Vec<Record>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResponse {
    /// Records stored by this push.
    pub inserted: u64,
    /// Records that were already stored identically (a retried push).
    pub already_present: u64,
}

/// The highest index of one (device, collection) log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogHead {
    pub device_id: Uuid,
    pub collection: String,
    pub max_idx: i64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StatusResponse {
    pub logs: Vec<LogHead>,
}

/// Query of `GET /api/sync/records`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PullQuery {
    pub device: Uuid,
    pub collection: String,
    /// Records with an index strictly greater than this; -1 (the default) for all.
    #[serde(default = "minus_one")]
    pub after: i64,
    #[serde(default = "default_limit")]
    pub limit: i64,
}

fn minus_one() -> i64 {
    -1
}

fn default_limit() -> i64 {
    100
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PullResponse {
    pub records: Vec<Record>,
    /// Whether more records follow the last one returned.
    pub more: bool,
}

/// A message of `GET /api/ws` (a JSON text frame), tagged by `type`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Notice {
    /// Another device of the account pushed new records to its log `collection`, up to
    /// `max_idx`: pull it.
    Pushed { device_id: Uuid, collection: String, max_idx: i64 },
}

/// `GET /api/admin/stats`: totals over every account (no content, no keys).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminStats {
    pub users: i64,
    pub admins: i64,
    pub devices: i64,
    pub records: i64,
    /// Bytes of ciphertext stored, over every record.
    pub ciphertext_bytes: i64,
}

/// One account as an admin sees it: no ciphertext, no keys, no password hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminUserRow {
    pub id: Uuid,
    pub email: String,
    pub role: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub devices: i64,
    pub records: i64,
    pub ciphertext_bytes: i64,
    /// When the account's latest record was stored, if it has any.
    pub last_push: Option<chrono::DateTime<chrono::Utc>>,
    /// The plan in force: an admin's override, else the subscription in force, else `free`.
    pub plan: String,
    /// When an admin disabled the account, if they did.
    pub disabled_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The account's latest sign-in or token refresh, if any is still on record.
    pub last_seen: Option<chrono::DateTime<chrono::Utc>>,
}

/// Query of `GET /api/admin/users`: accounts in id order (oldest first), after `after`, that
/// match every filter given: `email` (a part of the address, any case), `plan` (the plan in
/// force) and `disabled`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct AdminUsersQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<Uuid>,
    #[serde(default = "default_limit")]
    pub limit: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
}

/// One page of accounts; `next` is the `after` of the following page, if there is one.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AdminUsersPage {
    pub users: Vec<AdminUserRow>,
    pub next: Option<Uuid>,
}

/// The receipt of an account's erasure (GDPR article 17, `DELETE /api/account` or an admin's
/// `DELETE /api/admin/users/{id}`): what was deleted and what is kept, and why. The same receipt
/// is in the audit log (action `account.erased` or `admin.user_erased`), so its id can be checked
/// there.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErasureReceipt {
    pub receipt_id: Uuid,
    pub user_id: Uuid,
    /// SHA-256 of the account's email (hex), so the holder can show which account it was
    /// without the server keeping the address.
    pub email_sha256: String,
    pub erased_at: chrono::DateTime<chrono::Utc>,
    /// Rows deleted, per kind of data.
    pub deleted: std::collections::BTreeMap<String, i64>,
    /// Rows kept, per kind of data (see `notes`).
    pub retained: std::collections::BTreeMap<String, i64>,
    pub notes: Vec<String>,
}

/// Base64 (standard alphabet, padded) for byte fields in JSON.
pub mod b64 {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        STANDARD.decode(text.as_bytes()).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collection_names() {
        for (name, ok) in [
            ("resumes", true),
            ("job-tracker_2", true),
            ("", false),
            ("Resumes", false),
            ("a/b", false),
            (&"x".repeat(65), false),
        ] {
            assert_eq!(valid_collection(name), ok, "{name}");
        }
    }

    #[test]
    fn record_bytes_are_base64() {
        let r = Record {
            id: Uuid::nil(),
            device_id: Uuid::nil(),
            collection: "jobs".into(),
            idx: 0,
            ts: 1,
            ciphertext: vec![0, 255, 7],
        };
        let json = serde_json::to_string(&r).unwrap();
        assert!(json.contains("\"AP8H\""), "{json}");
        assert_eq!(serde_json::from_str::<Record>(&json).unwrap(), r);
    }
}
