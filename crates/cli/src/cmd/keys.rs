//! `raqib keys create|list|revoke`: API keys of member organisations. A key is printed once
//! at creation; the database keeps only the SHA-256 of its secret.

use crate::cmd::serve::redact;
use anyhow::Context;

#[derive(Debug, clap::Subcommand)]
pub enum KeysCommand {
    /// Create a key for a member (created if new) and print it once on stdout.
    Create {
        /// Member organisation name.
        #[arg(long)]
        member: String,
        /// screener (screen, read lists), analyst (also decide on hits), admin (also reload
        /// lists, read the audit log).
        #[arg(long, value_parser = ["screener", "analyst", "admin"])]
        role: String,
        /// A note to recognise the key by (system, person).
        #[arg(long)]
        label: Option<String>,
        /// SQLite file or postgres:// URL.
        #[arg(long, env = "RAQIB_DATABASE", default_value = "raqib.db")]
        database: String,
        /// Print a JSON object (with the key) instead of the bare key.
        #[arg(long)]
        json: bool,
    },
    /// List keys (never their secrets).
    List {
        /// Only this member's keys.
        #[arg(long)]
        member: Option<String>,
        #[arg(long, env = "RAQIB_DATABASE", default_value = "raqib.db")]
        database: String,
        #[arg(long)]
        json: bool,
    },
    /// Revoke a key by its id (the 16 hex digits after `rqb_`).
    Revoke {
        key_id: String,
        #[arg(long, env = "RAQIB_DATABASE", default_value = "raqib.db")]
        database: String,
    },
}

pub fn run(c: KeysCommand) -> anyhow::Result<()> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?
        .block_on(run_async(c))
}

async fn open(database: &str) -> anyhow::Result<store::Store> {
    store::Store::connect(database)
        .await
        .with_context(|| format!("opening the database {}", redact(database)))
}

async fn run_async(c: KeysCommand) -> anyhow::Result<()> {
    match c {
        KeysCommand::Create {
            member,
            role,
            label,
            database,
            json,
        } => {
            let role = store::Role::parse(&role).context("unknown role")?;
            let s = open(&database).await?;
            let k = s.create_key(&member, role, label.as_deref(), "cli").await?;
            if json {
                let v = serde_json::json!({
                    "key": k.key, "key_id": k.info.id, "member": k.info.member_name,
                    "role": k.info.role, "label": k.info.label, "created_at": k.info.created_at,
                });
                out!("{v}");
            } else {
                out!("{}", k.key);
            }
            eprintln!(
                "created {} key {} for member {:?}; the key is shown only this once, store it now",
                k.info.role, k.info.id, k.info.member_name
            );
        }
        KeysCommand::List {
            member,
            database,
            json,
        } => {
            let s = open(&database).await?;
            let keys = s.list_keys(member.as_deref()).await?;
            if json {
                out!("{}", serde_json::to_string_pretty(&keys)?);
            } else {
                out!(
                    "{:<18} {:<24} {:<9} {:<26} {:<10} label",
                    "key id",
                    "member",
                    "role",
                    "created",
                    "status"
                );
                for k in keys {
                    let status = if k.revoked_at.is_some() {
                        "revoked"
                    } else {
                        "active"
                    };
                    out!(
                        "{:<18} {:<24} {:<9} {:<26} {:<10} {}",
                        k.id,
                        k.member_name,
                        k.role.as_str(),
                        k.created_at.format("%Y-%m-%d %H:%M:%S UTC"),
                        status,
                        k.label.unwrap_or_default()
                    );
                }
            }
        }
        KeysCommand::Revoke { key_id, database } => {
            let s = open(&database).await?;
            let k = s.revoke_key(key_id.trim(), "cli").await?;
            eprintln!(
                "revoked key {} of member {:?} (at {})",
                k.id,
                k.member_name,
                k.revoked_at.map(|t| t.to_rfc3339()).unwrap_or_default()
            );
        }
    }
    Ok(())
}
