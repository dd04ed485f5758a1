//! SMTP delivery over a bounded pool of connections that send without delay.
//!
//! lettre's own transport (0.11.23) leaves Nagle's algorithm on: the end of a message's
//! data goes out in a second small write that waits for the server's delayed ACK (about
//! 40 ms), so one connection managed about 22 messages a second. Here each connection is
//! lettre's `AsyncSmtpConnection` over a TCP stream opened with `TCP_NODELAY`; TLS
//! (implicit, or STARTTLS required or opportunistic, as in lettre's URL form) is still
//! lettre's, with certificates verified against the system's roots and `SMTP_CA_FILE`.

use std::{sync::Mutex, time::Duration, time::Instant};

use lettre::Message;
#[allow(deprecated)]
use lettre::transport::smtp::client::AsyncNetworkStream;
use lettre::transport::smtp::{
    authentication::{Credentials, DEFAULT_MECHANISMS},
    client::{AsyncSmtpConnection, Certificate, TlsParameters},
    extension::ClientId,
};
use tokio::sync::Semaphore;
use tokio_util::compat::FuturesAsyncReadCompatExt as _;

/// How a connection is secured, as `SMTP_URL` says.
#[derive(Clone)]
enum Security {
    /// `smtp://host` — plain, port 25.
    None,
    /// `smtp://host?tls=opportunistic` — STARTTLS when the server offers it, port 587.
    Opportunistic(TlsParameters),
    /// `smtp://host?tls=required` — STARTTLS or fail, port 587.
    Required(TlsParameters),
    /// `smtps://host` — TLS from the first byte, port 465.
    Wrapper(TlsParameters),
}

/// Why a message was not handed over.
#[derive(Debug)]
pub enum SendError {
    Smtp(lettre::transport::smtp::Error),
    /// No connection: refused, unreachable, or closed before the greeting.
    Io(std::io::Error),
    /// The server did not answer in time (connecting, or during the exchange).
    TimedOut,
}

impl std::fmt::Display for SendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SendError::Smtp(e) => write!(f, "{e}"),
            SendError::Io(e) => write!(f, "connecting to the SMTP server: {e}"),
            SendError::TimedOut => f.write_str("the SMTP server did not answer in time"),
        }
    }
}

impl From<lettre::transport::smtp::Error> for SendError {
    fn from(e: lettre::transport::smtp::Error) -> Self {
        SendError::Smtp(e)
    }
}

struct Idle {
    connection: AsyncSmtpConnection,
    since: Instant,
}

pub struct Smtp {
    host: String,
    port: u16,
    security: Security,
    hello: ClientId,
    credentials: Option<Credentials>,
    /// Connecting, and each whole exchange, must finish within this.
    timeout: Duration,
    /// A connection unused this long is closed rather than reused.
    idle_timeout: Duration,
    idle: Mutex<Vec<Idle>>,
    /// At most this many connections are open (or opening) at once.
    permits: Semaphore,
}

impl Smtp {
    /// From lettre's URL form: `smtp[s]://[user:password@]host[:port][/ehlo-name][?tls=required|opportunistic]`.
    /// `ca_pem` adds a root certificate to trust (a relay with a private CA).
    pub fn from_url(url: &str, max_connections: usize, ca_pem: Option<&[u8]>) -> anyhow::Result<Smtp> {
        let parsed = url::Url::parse(url).map_err(|e| anyhow::anyhow!("not a URL: {e}"))?;
        let host = parsed.host_str().filter(|h| !h.is_empty()).ok_or_else(|| anyhow::anyhow!("no host"))?;
        let host = host.trim_start_matches('[').trim_end_matches(']').to_string();
        let tls = || -> anyhow::Result<TlsParameters> {
            let mut builder = TlsParameters::builder(host.clone());
            if let Some(pem) = ca_pem {
                builder = builder.add_root_certificate(
                    Certificate::from_pem(pem).map_err(|e| anyhow::anyhow!("SMTP_CA_FILE: {e}"))?,
                );
            }
            builder.build().map_err(|e| anyhow::anyhow!("TLS: {e}"))
        };
        let query = parsed.query_pairs().find(|(k, _)| k == "tls").map(|(_, v)| v.into_owned());
        let (security, default_port) = match (parsed.scheme(), query.as_deref()) {
            ("smtp", None) => (Security::None, 25),
            ("smtp", Some("required")) => (Security::Required(tls()?), 587),
            ("smtp", Some("opportunistic")) => (Security::Opportunistic(tls()?), 587),
            ("smtps", None) => (Security::Wrapper(tls()?), 465),
            (scheme, tls) => anyhow::bail!(
                "scheme {scheme} with tls={}: use smtp://, smtp://…?tls=required, smtp://…?tls=opportunistic or smtps://",
                tls.unwrap_or("")
            ),
        };
        let decode = |s: &str| -> anyhow::Result<String> {
            Ok(percent_encoding::percent_decode_str(s).decode_utf8()?.into_owned())
        };
        let credentials = match parsed.password() {
            Some(password) => Some(Credentials::new(decode(parsed.username())?, decode(password)?)),
            None => None,
        };
        let hello = match parsed.path().trim_matches('/') {
            "" => ClientId::default(),
            name => ClientId::Domain(name.to_string()),
        };
        Ok(Smtp {
            port: parsed.port().unwrap_or(default_port),
            host,
            security,
            hello,
            credentials,
            timeout: Duration::from_secs(20),
            idle_timeout: Duration::from_secs(30),
            idle: Mutex::new(Vec::new()),
            permits: Semaphore::new(max_connections.max(1)),
        })
    }

    /// From the mail settings: `url` (`SMTP_URL`) with the CA of `SMTP_CA_FILE` when set,
    /// at most `max_connections` open. Errors name the variable at fault.
    pub fn from_settings(url: &str, ca_file: Option<&std::path::Path>, max_connections: usize) -> anyhow::Result<Smtp> {
        let ca = ca_file
            .map(|path| std::fs::read(path).map_err(|e| anyhow::anyhow!("SMTP_CA_FILE {}: {e}", path.display())))
            .transpose()?;
        Smtp::from_url(url, max_connections, ca.as_deref()).map_err(|e| anyhow::anyhow!("SMTP_URL: {e:#}"))
    }

    pub fn describe(&self) -> String {
        let security = match self.security {
            Security::None => "plain",
            Security::Opportunistic(_) => "STARTTLS when offered",
            Security::Required(_) => "STARTTLS",
            Security::Wrapper(_) => "TLS",
        };
        format!(
            "SMTP {}:{} ({security}, at most {} connections)",
            self.host,
            self.port,
            self.permits.available_permits()
        )
    }

    /// Hands `message` to the server on a pooled connection (a new one when none is idle).
    /// A reused connection the server has closed meanwhile is replaced once.
    pub async fn send(&self, message: &Message) -> Result<(), SendError> {
        let _permit = self.permits.acquire().await.expect("the semaphore is never closed");
        let envelope = message.envelope();
        let body = message.formatted();
        if let Some(mut connection) = self.take_idle() {
            match tokio::time::timeout(self.timeout, connection.send(envelope, &body)).await {
                Ok(Ok(_)) => {
                    self.give_back(connection);
                    return Ok(());
                }
                // The server answered: its answer stands.
                Ok(Err(e)) if e.is_response() => return Err(e.into()),
                // Closed or broken while idle (the first write or read fails): try once on
                // a new connection.
                Ok(Err(_)) => connection.abort().await,
                // No answer: the message may have arrived; the outbox retries it later (same
                // Message-ID) rather than sending a second copy now.
                Err(_) => {
                    connection.abort().await;
                    return Err(SendError::TimedOut);
                }
            }
        }
        let mut connection =
            tokio::time::timeout(self.timeout, self.connect()).await.map_err(|_| SendError::TimedOut)??;
        match tokio::time::timeout(self.timeout, connection.send(envelope, &body)).await {
            Ok(Ok(_)) => {
                self.give_back(connection);
                Ok(())
            }
            Ok(Err(e)) => Err(e.into()),
            Err(_) => {
                connection.abort().await;
                Err(SendError::TimedOut)
            }
        }
    }

    /// Opens a connection to the server (for `check`), says NOOP and closes it.
    pub async fn probe(&self) -> Result<(), SendError> {
        let mut connection =
            tokio::time::timeout(self.timeout, self.connect()).await.map_err(|_| SendError::TimedOut)??;
        let alive = connection.test_connected().await;
        let _ = connection.quit().await;
        if alive { Ok(()) } else { Err(SendError::TimedOut) }
    }

    /// Says QUIT on every idle connection (at shutdown).
    pub async fn close(&self) {
        let idle: Vec<Idle> = std::mem::take(&mut *self.idle.lock().expect("the pool's lock"));
        for mut idle in idle {
            let _ = tokio::time::timeout(Duration::from_secs(2), idle.connection.quit()).await;
        }
    }

    async fn connect(&self) -> Result<AsyncSmtpConnection, SendError> {
        let tcp = tokio::net::TcpStream::connect((self.host.as_str(), self.port)).await.map_err(SendError::Io)?;
        tcp.set_nodelay(true).map_err(SendError::Io)?;
        let mut connection = match &self.security {
            Security::Wrapper(tls) => {
                #[allow(deprecated)]
                let mut stream = AsyncNetworkStream::use_existing_tokio1(Box::new(tcp));
                stream.upgrade_tls(tls.clone()).await?;
                AsyncSmtpConnection::connect_with_transport(Box::new(TlsStream(stream.compat())), &self.hello).await?
            }
            _ => AsyncSmtpConnection::connect_with_transport(Box::new(tcp), &self.hello).await?,
        };
        match &self.security {
            Security::Required(tls) => connection.starttls(tls.clone(), &self.hello).await?,
            Security::Opportunistic(tls) if connection.can_starttls() => {
                connection.starttls(tls.clone(), &self.hello).await?
            }
            _ => {}
        }
        if let Some(credentials) = &self.credentials {
            connection.auth(DEFAULT_MECHANISMS, credentials).await?;
        }
        Ok(connection)
    }

    fn take_idle(&self) -> Option<AsyncSmtpConnection> {
        let mut idle = self.idle.lock().expect("the pool's lock");
        while let Some(candidate) = idle.pop() {
            if candidate.since.elapsed() < self.idle_timeout && !candidate.connection.has_broken() {
                return Some(candidate.connection);
            }
            // Too old: dropped (the server times idle clients out on its side too).
        }
        None
    }

    fn give_back(&self, connection: AsyncSmtpConnection) {
        if !connection.has_broken() {
            self.idle.lock().expect("the pool's lock").push(Idle { connection, since: Instant::now() });
        }
    }
}

/// An implicit-TLS stream (lettre's own, over our TCP stream) in the form lettre takes an
/// existing stream in.
#[derive(Debug)]
#[allow(deprecated)]
struct TlsStream(tokio_util::compat::Compat<AsyncNetworkStream>);

impl tokio::io::AsyncRead for TlsStream {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

impl tokio::io::AsyncWrite for TlsStream {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        std::pin::Pin::new(&mut self.0).poll_write(cx, buf)
    }

    fn poll_flush(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.0).poll_flush(cx)
    }

    fn poll_shutdown(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.0).poll_shutdown(cx)
    }
}

impl lettre::transport::smtp::client::AsyncTokioStream for TlsStream {
    fn peer_addr(&self) -> std::io::Result<std::net::SocketAddr> {
        self.0.get_ref().peer_addr()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_in_lettres_form() {
        let plain = Smtp::from_url("smtp://127.0.0.1:2525", 4, None).unwrap();
        assert_eq!((plain.host.as_str(), plain.port), ("127.0.0.1", 2525));
        assert!(matches!(plain.security, Security::None));
        let starttls = Smtp::from_url("smtp://user%40x:p%2Fw@mail.example?tls=required", 4, None).unwrap();
        assert_eq!(starttls.port, 587);
        assert!(matches!(starttls.security, Security::Required(_)));
        assert!(starttls.credentials.is_some());
        let wrapped = Smtp::from_url("smtps://mail.example/roadshow.example", 4, None).unwrap();
        assert_eq!(wrapped.port, 465);
        assert!(matches!(wrapped.hello, ClientId::Domain(ref d) if d == "roadshow.example"));
        assert!(Smtp::from_url("http://mail.example", 4, None).is_err());
        assert!(Smtp::from_url("smtp://mail.example?tls=maybe", 4, None).is_err());
    }
}
