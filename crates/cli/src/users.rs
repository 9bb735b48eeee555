//! `soleus user` and `soleus org`: accounts and organisations, for the first administrator
//! on a fresh server (and for whoever runs it later). The use cases are
//! [`soleus_app::App::add_user`], [`soleus_app::App::users`],
//! [`soleus_app::App::set_user_disabled`], [`soleus_app::App::set_user_password`] and [`soleus_app::App::add_org`].

use std::io::BufRead;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use soleus_app::App;
use soleus_app::accounts::{NewMember, Role, SignUp};

use crate::config::Settings;

use crate::output::{print_json, table};

/// `soleus user`
#[derive(Debug, Args)]
pub struct UserArgs {
    #[command(subcommand)]
    pub command: UserCommand,
}

/// What to do with accounts.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add an account. The password is read from the first line of standard input (so it
    /// never shows in the shell's history or the process list).
    Add {
        /// Sign-in address.
        #[arg(long)]
        email: String,
        /// The name others see.
        #[arg(long)]
        name: String,
        /// athlete, coach, clinician or admin.
        #[arg(long, default_value = "athlete", value_parser = parse_role)]
        role: Role,
        /// The organisation's id (`soleus org list`).
        #[arg(long)]
        org: Option<i64>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// List every account.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Disable an account: it can no longer sign in, and its sessions end.
    Disable {
        /// The account's address.
        email: String,
    },
    /// Enable a disabled account again.
    Enable {
        /// The account's address.
        email: String,
    },
    /// Set an account's password, read from the first line of standard input (the way
    /// `user add` reads it); every session of theirs ends.
    ResetPassword {
        /// The account's address.
        email: String,
    },
}

/// `soleus org`
#[derive(Debug, Args)]
pub struct OrgArgs {
    #[command(subcommand)]
    pub command: OrgCommand,
}

/// What to do with organisations.
#[derive(Debug, Subcommand)]
pub enum OrgCommand {
    /// Add a club or clinic; prints its id, for `soleus user add --org ID`.
    Add {
        /// Its name.
        name: String,
    },
    /// List the organisations.
    List,
    /// Invite someone to join an organisation: prints the link (on the public URL), and
    /// mails it when an SMTP server is set. It opens once, for that address, within 7 days.
    Invite {
        /// The organisation's id (`soleus org list`).
        org: i64,
        /// The address it is for.
        email: String,
        /// athlete, coach, clinician or admin.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(&s.trim().to_lowercase())
        .ok_or_else(|| format!("{s:?} is not a role: use athlete, coach, clinician or admin"))
}

/// The password on the first line of standard input; `example` is the command to show when
/// there is none.
fn read_password(example: &str) -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    let password = line.trim_end_matches(['\n', '\r']).to_owned();
    if password.is_empty() {
        bail!("no password on standard input: run, for example, `{example}`");
    }
    Ok(password)
}

/// Runs `soleus user`.
pub async fn run_user(app: &App, args: &UserArgs) -> anyhow::Result<u8> {
    match &args.command {
        UserCommand::Add {
            email,
            name,
            role,
            org,
            json,
        } => {
            let password = read_password(&format!(
                "soleus user add --email {email} --name {name:?} < password.txt"
            ))?;
            let user = app
                .add_user(&SignUp {
                    email: email.clone(),
                    password,
                    display_name: name.clone(),
                    role: *role,
                    org: org.map(soleus_app::OrgId),
                })
                .await?;
            if *json {
                print_json(&user)?;
            } else {
                println!(
                    "added {} <{}> as {} (user {})",
                    user.display_name, user.email, user.role, user.id
                );
            }
        }
        UserCommand::List { json } => {
            let users = app.users().await?;
            if *json {
                print_json(&users)?;
            } else if users.is_empty() {
                println!(
                    "no accounts yet: this database is a single runner's (add one with \
                     `soleus user add`)"
                );
            } else {
                let mut t = table(&["id", "name", "email", "role", "athlete", "state"], &[0]);
                for u in &users {
                    t.add_row(vec![
                        u.id.to_string(),
                        u.display_name.clone(),
                        u.email.clone(),
                        u.role.to_string(),
                        u.athlete.map(|a| a.to_string()).unwrap_or_default(),
                        if u.disabled { "disabled" } else { "active" }.into(),
                    ]);
                }
                println!("{t}");
            }
        }
        UserCommand::ResetPassword { email } => {
            let password = read_password(&format!(
                "soleus user reset-password {email} < password.txt"
            ))?;
            let user = app.set_user_password(email, &password).await?;
            println!(
                "set a new password for {} <{}>; their sessions ended",
                user.display_name, user.email
            );
        }
        UserCommand::Disable { email } | UserCommand::Enable { email } => {
            let disable = matches!(args.command, UserCommand::Disable { .. });
            let user = app.set_user_disabled(email, disable).await?;
            println!(
                "{} <{}> is {}",
                user.display_name,
                user.email,
                if user.disabled {
                    "disabled; its sessions ended"
                } else {
                    "enabled"
                }
            );
        }
    }
    Ok(0)
}

/// The web app's address for links: the SMTP settings', the config file's, the environment's,
/// or this computer's default server.
fn public_url(settings: &Settings, smtp: Option<&soleus_mail::SmtpConfig>) -> String {
    smtp.map(|s| s.public_url.clone())
        .or_else(|| settings.smtp_file.public_url.clone())
        .or_else(|| std::env::var("SOLEUS_PUBLIC_URL").ok())
        .unwrap_or_else(|| "http://127.0.0.1:8080".into())
        .trim_end_matches('/')
        .to_owned()
}

/// Runs `soleus org`.
pub async fn run_org(app: &App, settings: &Settings, args: &OrgArgs) -> anyhow::Result<u8> {
    match &args.command {
        OrgCommand::Add { name } => {
            let id = app.add_org(name).await?;
            println!("added organisation {id}: {}", name.trim());
        }
        OrgCommand::List => {
            let orgs = app.orgs().await?;
            if orgs.is_empty() {
                println!("no organisations yet (add one with `soleus org add NAME`)");
            }
            for (id, name) in orgs {
                println!("{id}\t{name}");
            }
        }
        OrgCommand::Invite {
            org,
            email,
            role,
            json,
        } => {
            let smtp = settings.smtp()?;
            let mailed = smtp.is_some();
            let url = public_url(settings, smtp.as_ref());
            let new = NewMember {
                email: email.clone(),
                role: *role,
            };
            let org = soleus_app::OrgId(*org);
            let mut inv = match smtp {
                Some(_) => app.org_invite_by_mail(org, &new, None, &url).await?,
                None => app.org_invite(org, &new, None).await?,
            };
            let link = format!("{url}{}", inv.link.as_deref().unwrap_or_default());
            inv.link = Some(link.clone());
            if *json {
                print_json(&inv)?;
            } else {
                println!(
                    "invited {} to {} as {}, open until {}{}:\n{link}",
                    inv.email,
                    inv.org_name,
                    inv.role,
                    inv.expires.format("%Y-%m-%d %H:%M UTC"),
                    if mailed { " (mailed too)" } else { "" }
                );
            }
        }
    }
    Ok(0)
}
