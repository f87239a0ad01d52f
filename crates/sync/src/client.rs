//! The HTTP client of the sync server.

use std::sync::Mutex;
use std::time::Duration;

use qoder_domain::{ErrorBody, ErrorCode};
use reqwest::{Method, RequestBuilder, StatusCode};
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::crypto::{self, CryptoError, DataKey, RecoveryCode};
use crate::wire::{
    AdminStats, AdminUsersPage, AdminUsersQuery, Credentials, DeleteAccountRequest, ErasureReceipt,
    KeyBlob, PasswordChange, PullQuery, PullResponse, PushRequest, PushResponse, Record,
    RefreshRequest, StatusResponse, TokenPair,
};

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The server answered with an error body.
    #[error("server answered {status}: {body}")]
    Api { status: u16, body: ErrorBody },
    #[error("not signed in")]
    NotSignedIn,
    #[error("could not reach the sync server: {0}")]
    Transport(#[from] reqwest::Error),
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error("a record could not be read: {0}")]
    Record(String),
}

impl ClientError {
    /// The error code of a server answer, if it was one.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            ClientError::Api { body, .. } => Some(body.code),
            _ => None,
        }
    }

    /// The HTTP status of a server answer, if it was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Api { status, .. } => Some(*status),
            _ => None,
        }
    }
}

#[derive(Clone, Debug)]
struct Session {
    user_id: Uuid,
    access_token: String,
    refresh_token: String,
}

/// A client of one sync server, holding the signed-in session.
pub struct Client {
    base: String,
    pub(crate) http: reqwest::Client,
    session: Mutex<Option<Session>>,
}

impl Client {
    /// `base` is the server's origin, e.g. `http://127.0.0.1:8080`.
    pub fn new(base: &str) -> Result<Self, ClientError> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .connect_timeout(Duration::from_secs(5))
            // No redirects: the bearer and refresh tokens and the login secret go only to the
            // server that was given, never where a 3xx points.
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(Self { base: base.trim_end_matches('/').to_string(), http, session: Mutex::new(None) })
    }

    /// The server's origin, as given to [`Client::new`] (without a trailing slash).
    pub(crate) fn base(&self) -> &str {
        &self.base
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    fn session(&self) -> Option<Session> {
        self.session.lock().ok().and_then(|s| s.clone())
    }

    fn set_session(&self, tokens: &TokenPair) {
        if let Ok(mut s) = self.session.lock() {
            *s = Some(Session {
                user_id: tokens.user_id,
                access_token: tokens.access_token.clone(),
                refresh_token: tokens.refresh_token.clone(),
            });
        }
    }

    /// Restores a session saved by an earlier run (see [`Client::saved_session`]).
    pub fn resume_session(&self, user_id: Uuid, access_token: &str, refresh_token: &str) {
        if let Ok(mut s) = self.session.lock() {
            *s = Some(Session {
                user_id,
                access_token: access_token.to_string(),
                refresh_token: refresh_token.to_string(),
            });
        }
    }

    /// The session to save for the next run: `(user_id, access_token, refresh_token)`. Refresh
    /// tokens rotate, so save this after every call that may have refreshed the session; a spent
    /// refresh token, presented again, revokes the whole family.
    pub fn saved_session(&self) -> Option<(Uuid, String, String)> {
        self.session().map(|s| (s.user_id, s.access_token, s.refresh_token))
    }

    /// Forgets the session locally (no server call).
    pub fn forget_session(&self) {
        if let Ok(mut s) = self.session.lock() {
            *s = None;
        }
    }

    /// The signed-in user.
    pub fn user_id(&self) -> Option<Uuid> {
        self.session().map(|s| s.user_id)
    }

    /// The current access token (for diagnostics and tests).
    pub fn access_token(&self) -> Option<String> {
        self.session().map(|s| s.access_token)
    }

    /// The current refresh token (for diagnostics and tests).
    pub fn refresh_token(&self) -> Option<String> {
        self.session().map(|s| s.refresh_token)
    }

    pub(crate) async fn send<T: DeserializeOwned>(req: RequestBuilder) -> Result<T, ClientError> {
        let resp = req.send().await?;
        let status = resp.status();
        if status.is_success() {
            // 204 answers are read as JSON null.
            if status == StatusCode::NO_CONTENT {
                return serde_json::from_str("null")
                    .map_err(|e| ClientError::Record(e.to_string()));
            }
            return Ok(resp.json::<T>().await?);
        }
        Err(Self::failure(resp).await)
    }

    /// The error of an answer that is not a success.
    async fn failure(resp: reqwest::Response) -> ClientError {
        let status = resp.status();
        let text = resp.text().await.unwrap_or_default();
        let body = serde_json::from_str::<ErrorBody>(&text).unwrap_or_else(|_| {
            ErrorBody::new(ErrorCode::Upstream, format!("HTTP {status}: {text}"))
        });
        ClientError::Api { status: status.as_u16(), body }
    }

    /// An authenticated call; on 401 it refreshes the session once and retries.
    pub(crate) async fn authed<T: DeserializeOwned>(
        &self,
        build: impl Fn(&str) -> RequestBuilder,
    ) -> Result<T, ClientError> {
        let session = self.session().ok_or(ClientError::NotSignedIn)?;
        match Self::send(build(&session.access_token)).await {
            Err(ClientError::Api { status: 401, .. }) => {
                self.refresh().await?;
                let session = self.session().ok_or(ClientError::NotSignedIn)?;
                Self::send(build(&session.access_token)).await
            }
            other => other,
        }
    }

    async fn sign_in(
        &self,
        path: &str,
        email: &str,
        password: &str,
        device_id: Uuid,
    ) -> Result<TokenPair, ClientError> {
        let secret = crypto::login_secret(email, password)?;
        let body = Credentials { email: crypto::normalize_email(email), secret, device_id };
        let tokens: TokenPair = Self::send(self.http.post(self.url(path)).json(&body)).await?;
        self.set_session(&tokens);
        Ok(tokens)
    }

    /// Creates an account and signs this device in.
    pub async fn register(
        &self,
        email: &str,
        password: &str,
        device_id: Uuid,
    ) -> Result<TokenPair, ClientError> {
        self.sign_in("/api/auth/register", email, password, device_id).await
    }

    /// Signs this device in.
    pub async fn login(
        &self,
        email: &str,
        password: &str,
        device_id: Uuid,
    ) -> Result<TokenPair, ClientError> {
        self.sign_in("/api/auth/login", email, password, device_id).await
    }

    /// Exchanges the refresh token for a new pair (the old refresh token is spent).
    pub async fn refresh(&self) -> Result<TokenPair, ClientError> {
        let session = self.session().ok_or(ClientError::NotSignedIn)?;
        let body = RefreshRequest { refresh_token: session.refresh_token };
        let tokens: TokenPair =
            Self::send(self.http.post(self.url("/api/auth/refresh")).json(&body)).await?;
        self.set_session(&tokens);
        Ok(tokens)
    }

    /// Signs this device out: its refresh tokens are revoked on the server.
    pub async fn logout(&self) -> Result<(), ClientError> {
        let session = self.session().ok_or(ClientError::NotSignedIn)?;
        let req = self.http.delete(self.url("/api/auth/logout")).bearer_auth(&session.access_token);
        let () = Self::send::<()>(req).await?;
        if let Ok(mut s) = self.session.lock() {
            *s = None;
        }
        Ok(())
    }

    /// Deletes the account and everything stored with it on the server (asks for the password
    /// again).
    pub async fn delete_account(&self, email: &str, password: &str) -> Result<(), ClientError> {
        let body = DeleteAccountRequest { secret: crypto::login_secret(email, password)? };
        let session = self.session().ok_or(ClientError::NotSignedIn)?;
        let req = self
            .http
            .delete(self.url("/api/auth/account"))
            .bearer_auth(&session.access_token)
            .json(&body);
        let () = Self::send::<()>(req).await?;
        if let Ok(mut s) = self.session.lock() {
            *s = None;
        }
        Ok(())
    }

    /// Everything the server holds about the account (GDPR export): a zip of JSON files, in
    /// which ciphertext is marked as such.
    pub async fn export_account(&self) -> Result<Vec<u8>, ClientError> {
        let get = |t: &str| self.http.get(self.url("/api/account/export")).bearer_auth(t);
        let session = self.session().ok_or(ClientError::NotSignedIn)?;
        let mut resp = get(&session.access_token).send().await?;
        if resp.status() == StatusCode::UNAUTHORIZED {
            self.refresh().await?;
            let session = self.session().ok_or(ClientError::NotSignedIn)?;
            resp = get(&session.access_token).send().await?;
        }
        if !resp.status().is_success() {
            return Err(Self::failure(resp).await);
        }
        Ok(resp.bytes().await?.to_vec())
    }

    /// Erases the account and everything stored with it on the server (asks for the password
    /// again); the server's receipt. The session ends.
    pub async fn erase_account(
        &self,
        email: &str,
        password: &str,
    ) -> Result<ErasureReceipt, ClientError> {
        let body = DeleteAccountRequest { secret: crypto::login_secret(email, password)? };
        let receipt: ErasureReceipt = self
            .authed(|t| self.http.delete(self.url("/api/account")).bearer_auth(t).json(&body))
            .await?;
        self.forget_session();
        Ok(receipt)
    }

    /// The wrapped data key stored on the server, if any.
    pub async fn get_key(&self) -> Result<Option<Vec<u8>>, ClientError> {
        let r =
            self.authed::<KeyBlob>(|t| self.http.get(self.url("/api/keys")).bearer_auth(t)).await;
        match r {
            Ok(k) => Ok(Some(k.blob)),
            Err(ClientError::Api { status: 404, .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Stores the wrapped data key. Create-only: 409 if the account already has one (only a
    /// password change replaces it).
    pub async fn put_key(&self, blob: &[u8]) -> Result<(), ClientError> {
        let body = KeyBlob { blob: blob.to_vec(), secret: None };
        self.authed::<()>(|t| {
            self.http.request(Method::PUT, self.url("/api/keys")).bearer_auth(t).json(&body)
        })
        .await
    }

    /// The data key: unwrapped from the server's blob with the password, or made and stored
    /// (wrapped) if this is the account's first device.
    pub async fn data_key(&self, password: &str) -> Result<DataKey, ClientError> {
        if let Some(blob) = self.get_key().await? {
            return Ok(crypto::unwrap_key(&blob, password)?);
        }
        let key = DataKey::generate();
        match self.put_key(&crypto::wrap_key(&key, password)?).await {
            Ok(()) => Ok(key),
            // Another first device stored its key meanwhile: use that one, so both encrypt
            // under the same key.
            Err(ClientError::Api { status: 409, .. }) => {
                let blob = self.get_key().await?.ok_or_else(|| ClientError::Api {
                    status: 404,
                    body: ErrorBody::new(ErrorCode::NotFound, "the stored key disappeared"),
                })?;
                Ok(crypto::unwrap_key(&blob, password)?)
            }
            Err(e) => Err(e),
        }
    }

    /// The data key wrapped under the recovery code, as stored on the server, if any.
    pub async fn get_recovery_key(&self) -> Result<Option<Vec<u8>>, ClientError> {
        let r = self
            .authed::<KeyBlob>(|t| self.http.get(self.url("/api/keys/recovery")).bearer_auth(t))
            .await;
        match r {
            Ok(k) => Ok(Some(k.blob)),
            Err(ClientError::Api { status: 404, .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Stores the data key wrapped under a recovery code. Without `secret` (the login secret)
    /// only if none is stored yet (409 otherwise); with it, replacing any earlier one.
    pub async fn put_recovery_key(
        &self,
        blob: &[u8],
        secret: Option<String>,
    ) -> Result<(), ClientError> {
        let body = KeyBlob { blob: blob.to_vec(), secret };
        self.authed::<()>(|t| {
            self.http
                .request(Method::PUT, self.url("/api/keys/recovery"))
                .bearer_auth(t)
                .json(&body)
        })
        .await
    }

    /// Makes the account's first recovery code for `key`, stores the key wrapped under it on
    /// the server and returns the code, to be shown to the user once. 409 if a code is already
    /// set up: see [`Client::replace_recovery_code`].
    pub async fn create_recovery_code(&self, key: &DataKey) -> Result<RecoveryCode, ClientError> {
        let code = RecoveryCode::generate();
        self.put_recovery_key(&crypto::wrap_key_with_recovery_code(key, &code)?, None).await?;
        Ok(code)
    }

    /// Makes a new recovery code for `key` whether or not one exists (an earlier code stops
    /// working); the server checks the password first (as its login secret), so a stolen access
    /// token alone cannot replace the code.
    pub async fn replace_recovery_code(
        &self,
        key: &DataKey,
        email: &str,
        password: &str,
    ) -> Result<RecoveryCode, ClientError> {
        let code = RecoveryCode::generate();
        let secret = crypto::login_secret(email, password)?;
        self.put_recovery_key(&crypto::wrap_key_with_recovery_code(key, &code)?, Some(secret))
            .await?;
        Ok(code)
    }

    /// The data key, unwrapped with a recovery code as the user typed it.
    pub async fn data_key_with_recovery_code(&self, typed: &str) -> Result<DataKey, ClientError> {
        let code = RecoveryCode::parse(typed)?;
        let blob = self.get_recovery_key().await?.ok_or_else(|| ClientError::Api {
            status: 404,
            body: ErrorBody::new(ErrorCode::NotFound, "no recovery code was set up"),
        })?;
        Ok(crypto::unwrap_key_with_recovery_code(&blob, &code)?)
    }

    /// Changes the password: the server checks the old one (as its login secret) and, in one
    /// transaction, stores the new login secret and `key` wrapped under the new password, and
    /// revokes every sign-in of the account; this device gets a new session. Other devices must
    /// sign in again with the new password. The recovery code keeps working.
    pub async fn change_password(
        &self,
        email: &str,
        old_password: &str,
        new_password: &str,
        key: &DataKey,
    ) -> Result<TokenPair, ClientError> {
        let body = PasswordChange {
            old_secret: crypto::login_secret(email, old_password)?,
            new_secret: crypto::login_secret(email, new_password)?,
            key_blob: crypto::wrap_key(key, new_password)?,
        };
        let tokens: TokenPair = self
            .authed(|t| self.http.post(self.url("/api/auth/password")).bearer_auth(t).json(&body))
            .await?;
        self.set_session(&tokens);
        Ok(tokens)
    }

    /// The highest index of every log of the account.
    pub async fn status(&self) -> Result<StatusResponse, ClientError> {
        self.authed(|t| self.http.get(self.url("/api/sync/status")).bearer_auth(t)).await
    }

    /// Pushes records of this device's logs (idempotent).
    pub async fn push(&self, records: &[Record]) -> Result<PushResponse, ClientError> {
        let body = PushRequest { records: records.to_vec() };
        self.authed(|t| self.http.post(self.url("/api/sync/records")).bearer_auth(t).json(&body))
            .await
    }

    /// One page of a log's records after `after`.
    pub async fn pull(
        &self,
        device: Uuid,
        collection: &str,
        after: i64,
        limit: i64,
    ) -> Result<PullResponse, ClientError> {
        let q = PullQuery { device, collection: collection.to_string(), after, limit };
        self.authed(|t| self.http.get(self.url("/api/sync/records")).bearer_auth(t).query(&q)).await
    }

    /// Totals over every account (admins only: 403 `forbidden` otherwise).
    pub async fn admin_stats(&self) -> Result<AdminStats, ClientError> {
        self.authed(|t| self.http.get(self.url("/api/admin/stats")).bearer_auth(t)).await
    }

    /// One page of accounts after `after`, in id order (admins only).
    pub async fn admin_users(
        &self,
        after: Option<Uuid>,
        limit: i64,
    ) -> Result<AdminUsersPage, ClientError> {
        let q = AdminUsersQuery { after, limit, ..AdminUsersQuery::default() };
        self.authed(|t| self.http.get(self.url("/api/admin/users")).bearer_auth(t).query(&q)).await
    }
}
