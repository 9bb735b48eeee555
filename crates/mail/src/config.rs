//! Where mail goes: `SOLEUS_SMTP_HOST`, `SOLEUS_SMTP_PORT`, `SOLEUS_SMTP_TLS` (`none`,
//! `starttls`, `tls`), `SOLEUS_SMTP_FROM`, `SOLEUS_SMTP_USER`, `SOLEUS_SMTP_PASSWORD`, or the
//! same keys in lower case without the prefix (`smtp_host = "…"`) in the config file; the
//! environment wins. `SOLEUS_PUBLIC_URL` (`public_url`) is the web app's address, for the
//! links in every mail.

use serde::Deserialize;

use crate::MailError;

/// How the connection to the SMTP server is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsMode {
    /// Plain text: only for a server on this machine or a trusted network.
    None,
    /// A plain connection upgraded with STARTTLS (port 587), required.
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
}

impl TlsMode {
    fn parse(s: &str) -> Result<TlsMode, MailError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "none" | "off" | "plain" => Ok(TlsMode::None),
            "starttls" => Ok(TlsMode::StartTls),
            "tls" | "ssl" | "smtps" => Ok(TlsMode::Tls),
            other => Err(MailError::Config(format!(
                "SOLEUS_SMTP_TLS is {other:?}: use none, starttls or tls"
            ))),
        }
    }

    /// The usual port for the mode.
    pub fn default_port(self) -> u16 {
        match self {
            TlsMode::None => 25,
            TlsMode::StartTls => 587,
            TlsMode::Tls => 465,
        }
    }
}

/// The mail keys of the config file.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SmtpFile {
    /// `smtp_host`.
    pub smtp_host: Option<String>,
    /// `smtp_port`.
    pub smtp_port: Option<u16>,
    /// `smtp_tls`.
    pub smtp_tls: Option<String>,
    /// `smtp_from`.
    pub smtp_from: Option<String>,
    /// `smtp_user`.
    pub smtp_user: Option<String>,
    /// `smtp_password`.
    pub smtp_password: Option<String>,
    /// `public_url`.
    pub public_url: Option<String>,
}

/// Where mail goes, resolved.
#[derive(Clone)]
pub struct SmtpConfig {
    /// The server's host name.
    pub host: String,
    /// Its port.
    pub port: u16,
    /// How the connection is secured.
    pub tls: TlsMode,
    /// The sender, `Soleus <digest@example.org>`.
    pub from: String,
    /// The user to authenticate as, if any.
    pub user: Option<String>,
    /// Their password (never printed).
    pub password: Option<String>,
    /// The web app's address, for links.
    pub public_url: String,
}

impl std::fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("from", &self.from)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("public_url", &self.public_url)
            .finish()
    }
}

/// The web app's address when none is set: `soleus serve`'s default.
pub const DEFAULT_PUBLIC_URL: &str = "http://127.0.0.1:8080";

impl SmtpConfig {
    /// The settings from the environment (`env` reads a variable) over the config file's;
    /// `None` when no SMTP host is set anywhere (mail is off).
    pub fn resolve(
        file: &SmtpFile,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<SmtpConfig>, MailError> {
        let get = |var: &str, file: &Option<String>| {
            env(var)
                .filter(|v| !v.trim().is_empty())
                .or_else(|| file.clone())
        };
        let Some(host) = get("SOLEUS_SMTP_HOST", &file.smtp_host) else {
            return Ok(None);
        };
        let tls = match get("SOLEUS_SMTP_TLS", &file.smtp_tls) {
            Some(t) => TlsMode::parse(&t)?,
            None => TlsMode::StartTls,
        };
        let port = match env("SOLEUS_SMTP_PORT").filter(|v| !v.trim().is_empty()) {
            Some(p) => p.trim().parse::<u16>().map_err(|_| {
                MailError::Config(format!("SOLEUS_SMTP_PORT is {p:?}: give a port number"))
            })?,
            None => file.smtp_port.unwrap_or(tls.default_port()),
        };
        let from = get("SOLEUS_SMTP_FROM", &file.smtp_from).ok_or_else(|| {
            MailError::Config(
                "SOLEUS_SMTP_HOST is set but SOLEUS_SMTP_FROM is not: give the sender's \
                 address (smtp_from in the config file)"
                    .into(),
            )
        })?;
        if from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(MailError::Config(format!(
                "SOLEUS_SMTP_FROM is {from:?}: give an address like Soleus <digest@example.org>"
            )));
        }
        let user = get("SOLEUS_SMTP_USER", &file.smtp_user);
        let password = get("SOLEUS_SMTP_PASSWORD", &file.smtp_password);
        if user.is_some() != password.is_some() {
            return Err(MailError::Config(
                "give both SOLEUS_SMTP_USER and SOLEUS_SMTP_PASSWORD, or neither".into(),
            ));
        }
        let public_url = get("SOLEUS_PUBLIC_URL", &file.public_url)
            .unwrap_or_else(|| DEFAULT_PUBLIC_URL.to_owned())
            .trim_end_matches('/')
            .to_owned();
        Ok(Some(SmtpConfig {
            host: host.trim().to_owned(),
            port,
            tls,
            from,
            user,
            password,
            public_url,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn the_environment_wins_over_the_file_and_ports_follow_the_mode() {
        let file = SmtpFile {
            smtp_host: Some("file.example.org".into()),
            smtp_from: Some("Soleus <d@example.org>".into()),
            smtp_tls: Some("tls".into()),
            ..SmtpFile::default()
        };
        let c = SmtpConfig::resolve(&file, env(&[("SOLEUS_SMTP_HOST", "env.example.org")]))
            .unwrap()
            .unwrap();
        // RFC 8314: implicit TLS on 465; RFC 6409: submission with STARTTLS on 587.
        assert_eq!(
            (c.host.as_str(), c.port, c.tls),
            ("env.example.org", 465, TlsMode::Tls)
        );
        let c = SmtpConfig::resolve(
            &SmtpFile::default(),
            env(&[
                ("SOLEUS_SMTP_HOST", "h"),
                ("SOLEUS_SMTP_FROM", "d@example.org"),
            ]),
        )
        .unwrap()
        .unwrap();
        assert_eq!((c.port, c.tls), (587, TlsMode::StartTls));
        assert!(
            SmtpConfig::resolve(&SmtpFile::default(), env(&[]))
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn bad_settings_say_which_and_the_password_never_prints() {
        let e = SmtpConfig::resolve(&SmtpFile::default(), env(&[("SOLEUS_SMTP_HOST", "h")]))
            .unwrap_err()
            .to_string();
        assert!(e.contains("SOLEUS_SMTP_FROM"), "{e}");
        let e = SmtpConfig::resolve(
            &SmtpFile::default(),
            env(&[
                ("SOLEUS_SMTP_HOST", "h"),
                ("SOLEUS_SMTP_FROM", "d@example.org"),
                ("SOLEUS_SMTP_TLS", "maybe"),
            ]),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("none, starttls or tls"), "{e}");
        let c = SmtpConfig::resolve(
            &SmtpFile::default(),
            env(&[
                ("SOLEUS_SMTP_HOST", "h"),
                ("SOLEUS_SMTP_FROM", "d@example.org"),
                ("SOLEUS_SMTP_USER", "u"),
                ("SOLEUS_SMTP_PASSWORD", "hunter2-secret"),
            ]),
        )
        .unwrap()
        .unwrap();
        assert!(!format!("{c:?}").contains("hunter2"));
    }
}
