//! Accounts: password hashing, access tokens (JWT), rotating refresh tokens and the login flows.
//! HTTP handlers call these; SQL lives in `db::account`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use anyhow::Context;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm as ArgonAlgorithm, Argon2, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use qoder_sync::wire::{Credentials, PasswordChange, TokenPair};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use uuid::Uuid;

use crate::admin::Role;
use crate::config::Config;
use crate::http::error::ApiError;
use crate::http::extract::AuthUser;
use crate::{audit, db, rate};

/// The signing keys and checks of access tokens. HS256 only: tokens with any other `alg`
/// (including `none`) are refused.
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    issuer: String,
    audience: String,
    ttl: u64,
}

/// What an access token says.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: Uuid,
    /// The device the token was issued to.
    pub dev: Uuid,
    pub role: String,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    pub exp: i64,
}

impl TokenKeys {
    pub fn new(config: &Config) -> Self {
        let secret = config.jwt_secret.expose().as_bytes();
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.set_issuer(&[&config.jwt_issuer]);
        validation.set_audience(&[&config.jwt_audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = 5;
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            issuer: config.jwt_issuer.clone(),
            audience: config.jwt_audience.clone(),
            ttl: config.access_token_ttl,
        }
    }

    pub fn issue(&self, user_id: Uuid, device_id: Uuid, role: &str) -> Result<String, ApiError> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: user_id,
            dev: device_id,
            role: role.to_string(),
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            iat: now,
            exp: now + i64::try_from(self.ttl).unwrap_or(i64::MAX / 2),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .context("signing an access token")
            .map_err(ApiError::Internal)
    }

    pub fn verify(&self, token: &str) -> Result<Claims, ApiError> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|d| d.claims)
            .map_err(|_| ApiError::Unauthorized("invalid or expired access token"))
    }
}

/// argon2id with the OWASP parameters (19 MiB, t=2, p=1).
fn hasher() -> Result<Argon2<'static>, ApiError> {
    let params = Params::new(19 * 1024, 2, 1, None)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("argon2 params: {e}")))?;
    Ok(Argon2::new(ArgonAlgorithm::Argon2id, Version::V0x13, params))
}

/// At most this many argon2id computations run at once in the process (the cores): each holds
/// 19 MiB, and tokio's blocking pool would otherwise run up to 512 of them (~9.7 GiB) when
/// registrations or logins arrive in a flood. The rest wait for a permit (the request timeout
/// bounds the wait).
fn argon2_permits() -> &'static tokio::sync::Semaphore {
    static PERMITS: OnceLock<tokio::sync::Semaphore> = OnceLock::new();
    PERMITS.get_or_init(|| {
        tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get()))
    })
}

static ARGON2_RUNNING: AtomicUsize = AtomicUsize::new(0);
static ARGON2_PEAK: AtomicUsize = AtomicUsize::new(0);

/// The most argon2id computations that ran at once in this process so far, and the bound they
/// are held to (for tests and the flood check).
pub fn argon2_peak() -> (usize, usize) {
    (
        ARGON2_PEAK.load(Ordering::SeqCst),
        std::thread::available_parallelism().map_or(2, |n| n.get()),
    )
}

/// Runs an argon2id computation on the blocking pool, holding one of the process's permits.
async fn with_argon2<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let _permit = argon2_permits().acquire().await.context("argon2 permits closed")?;
    let running = ARGON2_RUNNING.fetch_add(1, Ordering::SeqCst) + 1;
    ARGON2_PEAK.fetch_max(running, Ordering::SeqCst);
    let out = tokio::task::spawn_blocking(f).await;
    ARGON2_RUNNING.fetch_sub(1, Ordering::SeqCst);
    out.context("argon2 task")?
}

/// Hashes a login secret (on a blocking thread: it takes tens of milliseconds by design).
pub async fn hash_secret(secret: String) -> Result<String, ApiError> {
    with_argon2(move || {
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        hasher()?
            .hash_password(secret.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("argon2 hash: {e}")))
    })
    .await
}

/// Checks a login secret against a stored hash (on a blocking thread).
async fn verify_secret(secret: String, hash: String) -> Result<bool, ApiError> {
    with_argon2(move || {
        let parsed = PasswordHash::new(&hash)
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("stored hash: {e}")))?;
        Ok(hasher()?.verify_password(secret.as_bytes(), &parsed).is_ok())
    })
    .await
}

/// State the account flows need.
#[derive(Clone)]
pub struct Accounts {
    pub keys: Arc<TokenKeys>,
    /// Hash checked when the account does not exist, so unknown and known emails take as long.
    dummy_hash: Arc<String>,
    refresh_ttl: u64,
    max_failed_logins: i32,
    max_failed_logins_per_ip: i32,
    login_window: u64,
    register_limit_per_ip: u32,
    register_limit: u32,
}

impl Accounts {
    pub async fn new(config: &Config) -> Result<Self, ApiError> {
        let mut random = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut random);
        let dummy_hash = hash_secret(hex::encode(random)).await?;
        Ok(Self {
            keys: Arc::new(TokenKeys::new(config)),
            dummy_hash: Arc::new(dummy_hash),
            refresh_ttl: config.refresh_token_ttl,
            max_failed_logins: config.max_failed_logins,
            max_failed_logins_per_ip: config.max_failed_logins_per_ip,
            login_window: config.login_window,
            register_limit_per_ip: config.register_limit_per_ip,
            register_limit: config.register_limit,
        })
    }
}

fn validate_secret(name: &str, secret: &str) -> Result<(), ApiError> {
    if secret.len() < 32 || secret.len() > 256 {
        return Err(ApiError::Validation(format!("{name}: must be 32 to 256 characters")));
    }
    Ok(())
}

fn validate_credentials(c: &Credentials) -> Result<String, ApiError> {
    let email = c.email.trim().to_lowercase();
    if email.len() > 254
        || email.len() < 3
        || !email.contains('@')
        || email.chars().any(char::is_whitespace)
    {
        return Err(ApiError::Validation(
            "email: must be an email address of at most 254 characters".into(),
        ));
    }
    validate_secret("secret", &c.secret)?;
    Ok(email)
}

fn hash_refresh(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

async fn issue_pair<'c>(
    exec: impl sqlx::PgExecutor<'c>,
    accounts: &Accounts,
    user_id: Uuid,
    device_id: Uuid,
    role: &str,
    family: Uuid,
) -> Result<TokenPair, ApiError> {
    let mut raw = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    let refresh_token = URL_SAFE_NO_PAD.encode(raw);
    db::account::insert_refresh(
        exec,
        &hash_refresh(&refresh_token),
        family,
        user_id,
        device_id,
        accounts.refresh_ttl,
    )
    .await?;
    Ok(TokenPair {
        user_id,
        access_token: accounts.keys.issue(user_id, device_id, role)?,
        expires_in: accounts.keys.ttl,
        refresh_token,
    })
}

/// Binds the device to the user, or refuses if it belongs to another account.
async fn claim_device(
    db: &mut sqlx::PgConnection,
    user_id: Uuid,
    device_id: Uuid,
) -> Result<(), ApiError> {
    let owner = db::account::claim_device(db, user_id, device_id).await?;
    if owner != user_id {
        return Err(ApiError::Forbidden("this device id is registered to another account".into()));
    }
    Ok(())
}

/// Makes an account. Counted against the per-IP and global register limits before anything is
/// hashed. Always a plain user: `admin_emails` is applied at start-up only, to accounts that
/// exist then, never to one registered later (an email is no proof of owning the address).
pub async fn register(
    pool: &PgPool,
    accounts: &Accounts,
    c: Credentials,
    ctx: &audit::Ctx,
) -> Result<TokenPair, ApiError> {
    let email = validate_credentials(&c)?;
    let ip = ctx.ip.ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no client address")))?;
    rate::check_register(pool, ip, accounts.register_limit_per_ip, accounts.register_limit).await?;
    let hash = hash_secret(c.secret).await?;
    let user_id = Uuid::now_v7();
    let role = Role::User;
    let mut tx = pool.begin().await?;
    if !db::account::insert_user(&mut *tx, user_id, &email, &hash, role.as_str()).await? {
        return Err(ApiError::Conflict("an account with this email already exists".into()));
    }
    claim_device(&mut tx, user_id, c.device_id).await?;
    let pair =
        issue_pair(&mut *tx, accounts, user_id, c.device_id, role.as_str(), Uuid::now_v7()).await?;
    audit::record(
        &mut *tx,
        &ctx.by(user_id),
        audit::action::REGISTER,
        Some(&audit::user(user_id)),
        json!({"device": c.device_id}),
    )
    .await?;
    tx.commit().await?;
    Ok(pair)
}

const WRONG_LOGIN: &str = "wrong email or password";

/// The key attempts at an account's secret are counted under: the email, or, when the device is
/// already registered to that account (it signed in before), the email and the device. So
/// strangers guessing at the email lock new devices out for a while, but not the user's own
/// devices, whose ids they do not know.
async fn attempt_key(pool: &PgPool, email: &str, device: Uuid) -> Result<String, ApiError> {
    Ok(if db::account::device_of(pool, email, device).await? {
        format!("{email} {device}")
    } else {
        email.to_string()
    })
}

/// Counts an attempt at `key`'s secret before it is checked (so parallel guesses are all
/// counted); 429 once the key is locked. The attempt that locks the key is audited (in the
/// transaction that sets the lock); attempts refused while it holds are not (they would let
/// anyone fill the log).
async fn count_attempt(
    pool: &PgPool,
    accounts: &Accounts,
    key: &str,
    ctx: &audit::Ctx,
    target: Option<Uuid>,
) -> Result<(), ApiError> {
    let mut tx = pool.begin().await?;
    let locked = db::account::count_attempt(
        &mut *tx,
        key,
        accounts.login_window,
        accounts.max_failed_logins,
    )
    .await?;
    if let Some((secs, true)) = locked {
        let device = key.split_once(' ').map(|(_, d)| d);
        audit::record(
            &mut *tx,
            ctx,
            audit::action::LOCKOUT,
            target.map(audit::user).as_deref(),
            json!({"email": key.split(' ').next(), "device": device, "seconds": secs.ceil()}),
        )
        .await?;
    }
    tx.commit().await?;
    if let Some((secs, _)) = locked {
        return Err(ApiError::RateLimited {
            message: "too many failed logins; try again later",
            retry_after: secs.ceil().max(1.0) as u64,
        });
    }
    Ok(())
}

/// Signs a device in. `ip` is the client's address: failed logins are limited per IP as well as
/// per email.
pub async fn login(
    pool: &PgPool,
    accounts: &Accounts,
    c: Credentials,
    ctx: &audit::Ctx,
) -> Result<TokenPair, ApiError> {
    let email = validate_credentials(&c)?;
    let ip = ctx.ip.ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no client address")))?;
    rate::check_login_ip(pool, ip, accounts.login_window, accounts.max_failed_logins_per_ip)
        .await?;
    let key = attempt_key(pool, &email, c.device_id).await?;
    let user = db::account::find_user(pool, &email).await?;
    count_attempt(pool, accounts, &key, ctx, user.as_ref().map(|u| u.id)).await?;
    let hash = user
        .as_ref()
        .map_or_else(|| accounts.dummy_hash.as_str().to_string(), |u| u.password_hash.clone());
    let ok = verify_secret(c.secret, hash).await?;
    let user = match user {
        Some(u) if ok => u,
        other => {
            let mut tx = pool.begin().await?;
            rate::record_login_failure(&mut *tx, ip, accounts.login_window).await?;
            audit::record(
                &mut *tx,
                ctx,
                audit::action::LOGIN_FAILED,
                other.map(|u| audit::user(u.id)).as_deref(),
                json!({"email": email, "device": c.device_id}),
            )
            .await?;
            tx.commit().await?;
            return Err(ApiError::Unauthorized(WRONG_LOGIN));
        }
    };
    let mut tx = pool.begin().await?;
    db::account::clear_failures(&mut *tx, &key).await?;
    if user.disabled {
        audit::record(
            &mut *tx,
            &ctx.by(user.id),
            audit::action::LOGIN_DISABLED,
            Some(&audit::user(user.id)),
            json!({"device": c.device_id}),
        )
        .await?;
        tx.commit().await?;
        return Err(disabled());
    }
    claim_device(&mut tx, user.id, c.device_id).await?;
    let pair =
        issue_pair(&mut *tx, accounts, user.id, c.device_id, &user.role, Uuid::now_v7()).await?;
    audit::record(
        &mut *tx,
        &ctx.by(user.id),
        audit::action::LOGIN,
        Some(&audit::user(user.id)),
        json!({"device": c.device_id}),
    )
    .await?;
    tx.commit().await?;
    Ok(pair)
}

/// The answer to a disabled account's sign-in or refresh.
pub fn disabled() -> ApiError {
    ApiError::Forbidden("this account is disabled; contact support".into())
}

pub async fn refresh(
    pool: &PgPool,
    accounts: &Accounts,
    token: &str,
) -> Result<TokenPair, ApiError> {
    let hash = hash_refresh(token);
    let mut tx = pool.begin().await?;
    let Some(row) = db::account::lock_refresh(&mut tx, &hash).await? else {
        return Err(ApiError::Unauthorized("unknown refresh token"));
    };
    if row.spent {
        db::account::revoke_family(&mut tx, row.family_id).await?;
        tx.commit().await?;
        tracing::warn!(user = %row.user_id, family = %row.family_id, "refresh token reused; family revoked");
        return Err(ApiError::Unauthorized("refresh token already used; this sign-in is revoked"));
    }
    if row.expired {
        return Err(ApiError::Unauthorized("refresh token expired"));
    }
    if row.disabled {
        return Err(disabled());
    }
    db::account::mark_used(&mut tx, &hash).await?;
    let pair = issue_pair(&mut *tx, accounts, row.user_id, row.device_id, &row.role, row.family_id)
        .await?;
    tx.commit().await?;
    Ok(pair)
}

pub async fn logout(pool: &PgPool, user_id: Uuid, device_id: Uuid) -> Result<(), ApiError> {
    db::account::revoke_device(pool, user_id, device_id).await?;
    Ok(())
}

/// Changes the password of the caller's account: checks the old login secret (failures count
/// towards the email's lock, like logins), then in one transaction stores the new secret's hash
/// and the data key wrapped under the new password, and revokes every refresh token of the
/// account. The calling device gets a new token pair (a new family). A wrong old secret is 403.
pub async fn change_password(
    pool: &PgPool,
    accounts: &Accounts,
    auth: &AuthUser,
    req: PasswordChange,
    ctx: &audit::Ctx,
) -> Result<TokenPair, ApiError> {
    let ctx = &ctx.by(auth.user_id);
    validate_secret("old_secret", &req.old_secret)?;
    validate_secret("new_secret", &req.new_secret)?;
    crate::http::keys::check_blob(&req.key_blob)?;
    let Some((email, hash)) = db::account::password_hash(pool, auth.user_id).await? else {
        return Err(ApiError::Unauthorized("the account no longer exists"));
    };
    let key = attempt_key(pool, &email, auth.device_id).await?;
    count_attempt(pool, accounts, &key, ctx, Some(auth.user_id)).await?;
    if !verify_secret(req.old_secret, hash.clone()).await? {
        wrong_secret(pool, ctx, auth, "password_change").await?;
        // 403, not 401: the access token is fine (a 401 would make clients refresh and retry).
        return Err(ApiError::Forbidden("the current password is wrong".into()));
    }
    db::account::clear_failures(pool, &key).await?;
    let new_hash = hash_secret(req.new_secret).await?;
    let role = db::account::role(pool, auth.user_id)
        .await?
        .ok_or(ApiError::Unauthorized("the account no longer exists"))?;
    let mut tx = pool.begin().await?;
    if !db::account::swap_password_hash(&mut tx, auth.user_id, &hash, &new_hash).await? {
        return Err(ApiError::Conflict("the password was changed meanwhile; sign in again".into()));
    }
    db::key::put(&mut *tx, db::key::Wrap::Password, auth.user_id, &req.key_blob).await?;
    let revoked = db::account::revoke_user(&mut tx, auth.user_id).await?;
    let pair =
        issue_pair(&mut *tx, accounts, auth.user_id, auth.device_id, &role, Uuid::now_v7()).await?;
    audit::record(
        &mut *tx,
        ctx,
        audit::action::PASSWORD_CHANGED,
        Some(&audit::user(auth.user_id)),
        json!({"device": auth.device_id, "sessions_revoked": revoked, "key_rewrapped": true}),
    )
    .await?;
    tx.commit().await?;
    tracing::info!(user = %auth.user_id, revoked, "password changed");
    Ok(pair)
}

/// Checks the signed-in user's login secret again (counted like a login attempt): 403 if wrong.
pub async fn check_secret(
    pool: &PgPool,
    accounts: &Accounts,
    auth: &AuthUser,
    secret: String,
    ctx: &audit::Ctx,
) -> Result<(), ApiError> {
    validate_secret("secret", &secret)?;
    let ctx = &ctx.by(auth.user_id);
    let Some((email, hash)) = db::account::password_hash(pool, auth.user_id).await? else {
        return Err(ApiError::Unauthorized("the account no longer exists"));
    };
    let key = attempt_key(pool, &email, auth.device_id).await?;
    count_attempt(pool, accounts, &key, ctx, Some(auth.user_id)).await?;
    if !verify_secret(secret, hash).await? {
        wrong_secret(pool, ctx, auth, "secret_check").await?;
        return Err(ApiError::Forbidden("the password is wrong".into()));
    }
    db::account::clear_failures(pool, &key).await?;
    Ok(())
}

/// A wrong login secret given by a signed-in device (password change, deletion, recovery key):
/// audited as a failed login.
async fn wrong_secret(
    pool: &PgPool,
    ctx: &audit::Ctx,
    auth: &AuthUser,
    during: &str,
) -> Result<(), ApiError> {
    audit::record(
        pool,
        ctx,
        audit::action::LOGIN_FAILED,
        Some(&audit::user(auth.user_id)),
        json!({"device": auth.device_id, "during": during}),
    )
    .await?;
    Ok(())
}

/// Deletes the account after checking its login secret again (counted like a login attempt, so
/// a stolen access token cannot guess the password here without limit): a GDPR erasure
/// ([`crate::gdpr::erase`]) with its receipt.
pub async fn delete_account(
    pool: &PgPool,
    accounts: &Accounts,
    auth: &AuthUser,
    secret: String,
    ctx: &audit::Ctx,
) -> Result<crate::gdpr::Receipt, ApiError> {
    let user_id = auth.user_id;
    let ctx = &ctx.by(user_id);
    let Some((email, hash)) = db::account::password_hash(pool, user_id).await? else {
        return Err(ApiError::Unauthorized("the account no longer exists"));
    };
    let key = attempt_key(pool, &email, auth.device_id).await?;
    count_attempt(pool, accounts, &key, ctx, Some(user_id)).await?;
    if !verify_secret(secret, hash).await? {
        wrong_secret(pool, ctx, auth, "account_deletion").await?;
        return Err(ApiError::Unauthorized(WRONG_LOGIN));
    }
    let receipt = crate::gdpr::erase(pool, ctx, user_id, audit::action::ACCOUNT_ERASED).await?;
    tracing::info!(user = %user_id, "account deleted");
    Ok(receipt)
}
