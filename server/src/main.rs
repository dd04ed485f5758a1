//! `server`: serves Roadshow. With no configuration it creates `roadshow.db` in the
//! working folder, loads the demo roadshow and prints how to create the first administrator.

use anyhow::Context as _;
use leptos::prelude::get_configuration;
use secrecy::{ExposeSecret, SecretString};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    let config = server::config::from_env()?;
    let leptos_options = get_configuration(None).context("reading Leptos configuration")?.leptos_options;
    let addr = leptos_options.site_addr;
    let token = std::env::var("ROADSHOW_SETUP_TOKEN").ok().filter(|t| !t.is_empty()).unwrap_or_else(random_token);
    let token = SecretString::from(token);
    tracing::info!(database = %app::db::redact(&config.database_url), "starting");
    let (router, state) = server::build(config, leptos_options, token.clone()).await?;

    bootstrap_admin(&state.db).await?;
    if app::auth::ssr::needs_setup(&state.db).await.map_err(|e| anyhow::anyhow!("{e}"))? {
        println!(
            "\n  Roadshow has no administrator yet. Create one at:\n\n    http://{addr}/setup?token={}\n",
            token.expose_secret()
        );
    }
    let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("binding {addr}"))?;
    println!("  Roadshow is listening on http://{addr}");
    server::serve(listener, router).await
}

fn random_token() -> String {
    app::crypto::random_hex::<12>()
}

/// `ROADSHOW_ADMIN_EMAIL` and `ROADSHOW_ADMIN_PASSWORD` create the first administrator
/// without the browser (for scripted installs); ignored once any account exists.
async fn bootstrap_admin(db: &sea_orm::DatabaseConnection) -> anyhow::Result<()> {
    let (Ok(email), Ok(password)) = (std::env::var("ROADSHOW_ADMIN_EMAIL"), std::env::var("ROADSHOW_ADMIN_PASSWORD"))
    else {
        return Ok(());
    };
    if !app::auth::ssr::needs_setup(db).await.map_err(|e| anyhow::anyhow!("{e}"))? {
        return Ok(());
    }
    let form = app::auth::AccountForm {
        name: std::env::var("ROADSHOW_ADMIN_NAME").unwrap_or_else(|_| "Administrator".into()),
        email,
        password,
        organization: app::auth::DEMO_ORGANIZATION.into(),
        ..Default::default()
    };
    let account = form.parse(true).map_err(|e| anyhow::anyhow!("ROADSHOW_ADMIN_*: {e:?}"))?;
    app::auth::ssr::create_first_admin(db, account).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("  Created the administrator {} from ROADSHOW_ADMIN_EMAIL.", form.email);
    Ok(())
}
