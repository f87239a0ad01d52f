//! End-to-end encryption of records.
//!
//! * A random 256-bit data key encrypts every record with XChaCha20-Poly1305; the record's
//!   metadata (user, device, collection, index) is the associated data, so the server cannot move
//!   a ciphertext to another place in the logs without decryption failing.
//! * The data key is wrapped with a key-encryption key derived from the password by argon2id with
//!   a random salt; only the wrapped blob goes to the server.
//! * The server authenticates the user with a *login secret*, another argon2id derivation of the
//!   password under a different (email-based) salt, so what the server sees at login cannot be
//!   turned into the key-encryption key.
//! * A *recovery code* (160 random bits, 8 groups of 4 base32 characters) wraps the same data key
//!   the same way, in a second blob; a signed-in device that knows the code gets the key with it.

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use uuid::Uuid;
use zeroize::Zeroizing;

const NONCE_LEN: usize = 24;
const SALT_LEN: usize = 16;
const WRAP_MAGIC: &[u8; 4] = b"QKW1";
const WRAP_AD: &[u8] = b"qoder-key-wrap-v1";
const RECORD_AD: &[u8] = b"qoder-record-v1";
/// Shortest password the client accepts (the server never sees it, so it cannot check it).
pub const MIN_PASSWORD_LEN: usize = 8;

#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    #[error("the password is shorter than {MIN_PASSWORD_LEN} characters")]
    WeakPassword,
    #[error("the key blob is malformed")]
    MalformedBlob,
    #[error("the password is wrong or the key blob was altered")]
    WrongPassword,
    #[error("a recovery code is 32 characters of 0-9 and A-Z (without I, L, O, U), in groups")]
    MalformedRecoveryCode,
    #[error("the recovery code is wrong or the key blob was altered")]
    WrongRecoveryCode,
    #[error("the record does not decrypt with this key and metadata")]
    Undecryptable,
    #[error("key derivation failed: {0}")]
    Kdf(String),
}

/// The key that encrypts records. Zeroed when dropped; never leaves the device unwrapped.
pub struct DataKey(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(..)")
    }
}

impl DataKey {
    pub fn generate() -> Self {
        let mut k = Zeroizing::new([0u8; 32]);
        rand::rngs::OsRng.fill_bytes(k.as_mut());
        Self(k)
    }

    /// A key read back from the device's own storage.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, CryptoError> {
        let arr: [u8; 32] = bytes.try_into().map_err(|_| CryptoError::MalformedBlob)?;
        Ok(Self(Zeroizing::new(arr)))
    }

    /// The raw key, to keep on this device (never send it anywhere).
    pub fn expose_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(self.0.as_ref().into())
    }
}

/// The metadata a record's ciphertext is bound to.
#[derive(Clone, Copy, Debug)]
pub struct RecordMeta<'a> {
    pub user_id: Uuid,
    pub device_id: Uuid,
    pub collection: &'a str,
    pub idx: i64,
}

impl RecordMeta<'_> {
    fn associated_data(&self) -> Vec<u8> {
        let mut ad = Vec::with_capacity(RECORD_AD.len() + 32 + 2 + self.collection.len() + 8);
        ad.extend_from_slice(RECORD_AD);
        ad.extend_from_slice(self.user_id.as_bytes());
        ad.extend_from_slice(self.device_id.as_bytes());
        // Length-prefixed so that no two (collection, idx) pairs encode alike.
        let len = u16::try_from(self.collection.len()).unwrap_or(u16::MAX);
        ad.extend_from_slice(&len.to_be_bytes());
        ad.extend_from_slice(self.collection.as_bytes());
        ad.extend_from_slice(&self.idx.to_be_bytes());
        ad
    }
}

/// argon2id with the OWASP parameters (19 MiB, t=2, p=1).
fn argon2id(password: &[u8], salt: &[u8]) -> Result<Zeroizing<[u8; 32]>, CryptoError> {
    let params =
        Params::new(19 * 1024, 2, 1, Some(32)).map_err(|e| CryptoError::Kdf(e.to_string()))?;
    let mut out = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(password, salt, out.as_mut())
        .map_err(|e| CryptoError::Kdf(e.to_string()))?;
    Ok(out)
}

/// Normalised form of an email address (what the server keys accounts by).
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// The secret the server authenticates the user with, derived from the password; hex.
pub fn login_secret(email: &str, password: &str) -> Result<String, CryptoError> {
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Err(CryptoError::WeakPassword);
    }
    let salt = format!("qoder-login-v1:{}", normalize_email(email));
    let key = argon2id(password.as_bytes(), salt.as_bytes())?;
    Ok(hex_encode(key.as_ref()))
}

fn hex_encode(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Which secret a wrapped-key blob is locked with: its magic bytes and associated data differ, so
/// a blob of one kind never opens as the other.
#[derive(Clone, Copy)]
struct WrapKind {
    magic: &'static [u8; 4],
    ad: &'static [u8],
}

const BY_PASSWORD: WrapKind = WrapKind { magic: WRAP_MAGIC, ad: WRAP_AD };
const BY_RECOVERY_CODE: WrapKind = WrapKind { magic: b"QKR1", ad: b"qoder-key-wrap-recovery-v1" };

fn wrap(kind: WrapKind, key: &DataKey, secret: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let mut salt = [0u8; SALT_LEN];
    let mut nonce = [0u8; NONCE_LEN];
    rand::rngs::OsRng.fill_bytes(&mut salt);
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let kek = argon2id(secret, &salt)?;
    let cipher = XChaCha20Poly1305::new(kek.as_ref().into());
    let ct = cipher
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: key.0.as_ref(), aad: kind.ad })
        .map_err(|_| CryptoError::Kdf("encryption failed".into()))?;
    let mut blob = Vec::with_capacity(4 + SALT_LEN + NONCE_LEN + ct.len());
    blob.extend_from_slice(kind.magic);
    blob.extend_from_slice(&salt);
    blob.extend_from_slice(&nonce);
    blob.extend_from_slice(&ct);
    Ok(blob)
}

fn unwrap(kind: WrapKind, blob: &[u8], secret: &[u8]) -> Result<DataKey, CryptoError> {
    let expected = 4 + SALT_LEN + NONCE_LEN + 32 + 16;
    if blob.len() != expected || &blob[..4] != kind.magic {
        return Err(CryptoError::MalformedBlob);
    }
    let salt = &blob[4..4 + SALT_LEN];
    let nonce = &blob[4 + SALT_LEN..4 + SALT_LEN + NONCE_LEN];
    let ct = &blob[4 + SALT_LEN + NONCE_LEN..];
    let kek = argon2id(secret, salt)?;
    let cipher = XChaCha20Poly1305::new(kek.as_ref().into());
    let pt = Zeroizing::new(
        cipher
            .decrypt(XNonce::from_slice(nonce), Payload { msg: ct, aad: kind.ad })
            .map_err(|_| CryptoError::WrongPassword)?,
    );
    let mut k = Zeroizing::new([0u8; 32]);
    k.copy_from_slice(&pt);
    Ok(DataKey(k))
}

/// Wraps `key` under a key-encryption key derived from `password` (fresh random salt).
pub fn wrap_key(key: &DataKey, password: &str) -> Result<Vec<u8>, CryptoError> {
    wrap(BY_PASSWORD, key, password.as_bytes())
}

/// Recovers the data key from a blob made by [`wrap_key`].
pub fn unwrap_key(blob: &[u8], password: &str) -> Result<DataKey, CryptoError> {
    unwrap(BY_PASSWORD, blob, password.as_bytes())
}

/// Crockford's base32 alphabet: no I, L, O or U, so the code survives being read aloud or
/// typed from paper.
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Random bytes of a recovery code: 160 bits, 32 characters.
const RECOVERY_BYTES: usize = 20;
const RECOVERY_CHARS: usize = RECOVERY_BYTES * 8 / 5;
const RECOVERY_GROUP: usize = 4;

/// A recovery code: 160 random bits written as 8 groups of 4 base32 characters
/// (`7K3D-QX9M-…`). It wraps the data key like the password does, so a device can get the key
/// with it when the password is lost or changed elsewhere. Shown to the user once; never sent to
/// the server. Zeroed when dropped.
pub struct RecoveryCode(Zeroizing<String>);

impl std::fmt::Debug for RecoveryCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoveryCode(..)")
    }
}

impl RecoveryCode {
    pub fn generate() -> Self {
        let mut bytes = Zeroizing::new([0u8; RECOVERY_BYTES]);
        rand::rngs::OsRng.fill_bytes(bytes.as_mut());
        let mut chars = Zeroizing::new(String::with_capacity(RECOVERY_CHARS));
        // 160 bits are exactly 32 groups of 5 bits.
        for i in 0..RECOVERY_CHARS {
            let bit = i * 5;
            let (byte, shift) = (bit / 8, bit % 8);
            let hi = u16::from(bytes[byte]) << 8;
            let lo = bytes.get(byte + 1).copied().map_or(0, u16::from);
            let v = ((hi | lo) >> (11 - shift)) & 0x1f;
            chars.push(char::from(CROCKFORD[usize::from(v)]));
        }
        Self(chars)
    }

    /// Reads a code as typed: case, spaces and hyphens do not matter, and O, I and L read as
    /// 0, 1 and 1.
    pub fn parse(typed: &str) -> Result<Self, CryptoError> {
        let mut chars = Zeroizing::new(String::with_capacity(RECOVERY_CHARS));
        for c in typed.chars() {
            let c = match c.to_ascii_uppercase() {
                ' ' | '-' | '\t' | '\n' | '\r' => continue,
                'O' => '0',
                'I' | 'L' => '1',
                c if c.is_ascii() && CROCKFORD.contains(&(c as u8)) => c,
                _ => return Err(CryptoError::MalformedRecoveryCode),
            };
            chars.push(c);
        }
        if chars.len() != RECOVERY_CHARS {
            return Err(CryptoError::MalformedRecoveryCode);
        }
        Ok(Self(chars))
    }

    /// The code to show the user: groups of four separated by hyphens.
    pub fn display(&self) -> Zeroizing<String> {
        let mut out = Zeroizing::new(String::with_capacity(RECOVERY_CHARS + RECOVERY_CHARS / 4));
        for (i, c) in self.0.chars().enumerate() {
            if i > 0 && i % RECOVERY_GROUP == 0 {
                out.push('-');
            }
            out.push(c);
        }
        out
    }
}

/// Wraps `key` under a key-encryption key derived from the recovery code by argon2id (fresh
/// random salt); a blob of its own kind, stored beside the password's.
pub fn wrap_key_with_recovery_code(
    key: &DataKey,
    code: &RecoveryCode,
) -> Result<Vec<u8>, CryptoError> {
    wrap(BY_RECOVERY_CODE, key, code.0.as_bytes())
}

/// Recovers the data key from a blob made by [`wrap_key_with_recovery_code`].
pub fn unwrap_key_with_recovery_code(
    blob: &[u8],
    code: &RecoveryCode,
) -> Result<DataKey, CryptoError> {
    unwrap(BY_RECOVERY_CODE, blob, code.0.as_bytes()).map_err(|e| match e {
        CryptoError::WrongPassword => CryptoError::WrongRecoveryCode,
        other => other,
    })
}

/// Encrypts a record's plaintext: `nonce || ciphertext+tag`.
pub fn seal(key: &DataKey, meta: RecordMeta<'_>, plaintext: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let mut nonce = [0u8; NONCE_LEN];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let ad = meta.associated_data();
    let ct = key
        .cipher()
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: plaintext, aad: &ad })
        .map_err(|_| CryptoError::Undecryptable)?;
    let mut out = Vec::with_capacity(NONCE_LEN + ct.len());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ct);
    Ok(out)
}

/// Decrypts what [`seal`] made, checking it belongs at `meta`.
pub fn open(key: &DataKey, meta: RecordMeta<'_>, sealed: &[u8]) -> Result<Vec<u8>, CryptoError> {
    if sealed.len() < NONCE_LEN + 16 {
        return Err(CryptoError::Undecryptable);
    }
    let (nonce, ct) = sealed.split_at(NONCE_LEN);
    let ad = meta.associated_data();
    key.cipher()
        .decrypt(XNonce::from_slice(nonce), Payload { msg: ct, aad: &ad })
        .map_err(|_| CryptoError::Undecryptable)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(collection: &str, idx: i64) -> RecordMeta<'_> {
        RecordMeta { user_id: Uuid::from_u128(1), device_id: Uuid::from_u128(2), collection, idx }
    }

    #[test]
    fn seal_open_round_trip_and_metadata_binding() {
        let key = DataKey::generate();
        let sealed = seal(&key, meta("jobs", 3), b"salary 120k").unwrap();
        assert!(!sealed.windows(6).any(|w| w == b"salary"));
        assert_eq!(open(&key, meta("jobs", 3), &sealed).unwrap(), b"salary 120k");
        // Moved to another index, collection, device or user: refused.
        assert!(open(&key, meta("jobs", 4), &sealed).is_err());
        assert!(open(&key, meta("resumes", 3), &sealed).is_err());
        let mut other = meta("jobs", 3);
        other.device_id = Uuid::from_u128(9);
        assert!(open(&key, other, &sealed).is_err());
        other = meta("jobs", 3);
        other.user_id = Uuid::from_u128(9);
        assert!(open(&key, other, &sealed).is_err());
        assert!(open(&DataKey::generate(), meta("jobs", 3), &sealed).is_err());
        let mut flipped = sealed.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        assert!(open(&key, meta("jobs", 3), &flipped).is_err());
        assert!(open(&key, meta("jobs", 3), &sealed[..10]).is_err());
    }

    #[test]
    fn wrap_unwrap() {
        let key = DataKey::generate();
        let blob = wrap_key(&key, "correct horse").unwrap();
        let back = unwrap_key(&blob, "correct horse").unwrap();
        assert_eq!(back.0.as_ref(), key.0.as_ref());
        assert!(matches!(unwrap_key(&blob, "wrong horse!"), Err(CryptoError::WrongPassword)));
        assert!(matches!(unwrap_key(&blob[1..], "correct horse"), Err(CryptoError::MalformedBlob)));
    }

    #[test]
    fn recovery_codes_wrap_the_key_and_read_back_as_typed() {
        let key = DataKey::generate();
        let code = RecoveryCode::generate();
        let shown = code.display().to_string();
        assert_eq!(shown.len(), 39, "{shown}");
        assert_eq!(shown.split('-').count(), 8);
        assert!(shown.split('-').all(|g| g.len() == 4));
        assert!(!shown.contains(['I', 'L', 'O', 'U']));
        assert_ne!(shown, RecoveryCode::generate().display().to_string());
        let blob = wrap_key_with_recovery_code(&key, &code).unwrap();
        // Typed in lower case, with spaces instead of hyphens, O for 0 and l for 1.
        let typed = shown.to_lowercase().replace('-', " ").replace('0', "o").replace('1', "l");
        let back = unwrap_key_with_recovery_code(&blob, &RecoveryCode::parse(&typed).unwrap());
        assert_eq!(back.unwrap().0.as_ref(), key.0.as_ref());
        // Another code, a password blob, or a recovery blob opened as a password blob: refused.
        let other = RecoveryCode::generate();
        assert!(matches!(
            unwrap_key_with_recovery_code(&blob, &other),
            Err(CryptoError::WrongRecoveryCode)
        ));
        let password_blob = wrap_key(&key, &shown).unwrap();
        assert!(matches!(
            unwrap_key_with_recovery_code(&password_blob, &code),
            Err(CryptoError::MalformedBlob)
        ));
        assert!(matches!(unwrap_key(&blob, &shown), Err(CryptoError::MalformedBlob)));
        for bad in ["", "ABCD", &format!("{shown}-A"), &shown.replace('-', "!")] {
            assert!(RecoveryCode::parse(bad).is_err(), "{bad}");
        }
        // Every character is used over many codes (all 160 bits are random, none stuck).
        let mut seen = std::collections::HashSet::new();
        for _ in 0..64 {
            seen.extend(RecoveryCode::generate().0.chars());
        }
        assert_eq!(seen.len(), 32);
    }

    #[test]
    fn login_secret_is_deterministic_and_not_the_kek() {
        let a = login_secret("Ann@Example.com ", "password1").unwrap();
        assert_eq!(a, login_secret("ann@example.com", "password1").unwrap());
        assert_ne!(a, login_secret("ann@example.com", "password2").unwrap());
        assert_eq!(a.len(), 64);
        assert!(!a.contains("password1"));
        assert!(matches!(login_secret("a@b.c", "short"), Err(CryptoError::WeakPassword)));
    }
}
