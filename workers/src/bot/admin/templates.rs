//! Texts edited per locale, customers' and the admin screens' alike: every key listed, its
//! placeholders, the current text in each locale; an edit is checked (only the key's
//! placeholders, HTML Telegram accepts) and previewed with sample values; reset returns to
//! the built-in text. Changes are live at the next update (texts are read per update).

use serde_json::json;
use sqlx::PgConnection;

use super::callback::MenuPress;
use super::{Admin, Change, ask, back, button, paging, wait_for};
use crate::JobError;
use crate::bot::conversation;
use crate::bot::message;
use crate::bot::{BotSettings, Reply};
use crate::ui::Outgoing;
use crate::ui::codec::{Checked, callbacks};
use crate::ui::html::{check, escape};
use crate::ui::screen::Screen;
use crate::ui::texts::{Entry, Locale, OpsText as O, Template, Texts, fill, placeholders_of};

/// What the bot waits for from an admin in a text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum TextStep {
    TemplateBody {
        index: u16,
        locale: crate::ui::texts::Locale,
    },
    /// Part of a key or of a built-in text, to find the texts that have it.
    TemplateSearch,
}

callbacks! {
    /// An admin's press on the texts (templates).
    pub enum TextPress = "a:" {
        Templates { page: u32 } = "ts",
        SearchTemplates = "tq",
        /// A text by its index in [`Entry::all`] (keys can be longer than callback data allows).
        Template { index: u16 } = "t",
        EditTemplate { index: u16, locale: Locale } = "te",
        ResetTemplate { index: u16, locale: Locale } = "tr",
    }
}

impl Checked for TextPress {}

const PAGE: usize = 10;

fn text_at(index: u16) -> Option<Entry> {
    Entry::all().get(usize::from(index)).copied()
}

pub(super) async fn on_button(
    tx: &mut PgConnection,
    admin: &Admin,
    pressed: TextPress,
    settings: &BotSettings,
) -> Result<Reply, JobError> {
    let t = &admin.t;
    Ok(match pressed {
        TextPress::Templates { page } => Reply::edit(list(tx, t, page).await?),
        TextPress::SearchTemplates => {
            let question = t.get(O::TextSearchPrompt);
            return wait_for(tx, admin, TextStep::TemplateSearch, question, settings).await;
        }
        TextPress::Template { index } => Reply::edit(detail(tx, t, index).await?),
        TextPress::EditTemplate { index, locale } => {
            let Some(text) = text_at(index) else {
                return Ok(Reply::edit(list(tx, t, 0).await?));
            };
            let question = t.render(
                O::TextPrompt,
                &[
                    ("locale", locale.as_str()),
                    ("key", text.key()),
                    ("placeholders", &placeholder_list(t, &text.placeholders())),
                ],
            );
            let step = TextStep::TemplateBody { index, locale };
            return wait_for(tx, admin, step, question, settings).await;
        }
        TextPress::ResetTemplate { index, locale } => {
            let Some(text) = text_at(index) else {
                return Ok(Reply::edit(list(tx, t, 0).await?));
            };
            let removed = sqlx::query_scalar!(
                "DELETE FROM templates WHERE key = $1 AND locale = $2 RETURNING body",
                text.key(),
                locale.as_str()
            )
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(body) = removed {
                let change = Change::of(
                    "template.reset",
                    "template",
                    format!("{}:{}", text.key(), locale.as_str()),
                )
                .before(json!({ "body": body }))
                .after(json!({ "body": text.default_text(locale) }));
                admin.audit(tx, change).await?;
            }
            Reply::edit(detail(tx, t, index).await?)
                .noticed(Some(t.get(O::BackToBuiltIn).to_owned()))
        }
    })
}

fn placeholder_list(t: &Texts, names: &[&str]) -> String {
    if names.is_empty() {
        t.get(O::NoPlaceholders).to_owned()
    } else {
        names
            .iter()
            .map(|n| format!("<code>{{{n}}}</code>"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Why `body` cannot replace `text`, if it cannot (in `t`'s words).
pub(crate) fn validate(t: &Texts, text: impl Template, body: &str) -> Result<(), String> {
    if body.trim().is_empty() {
        return Err(t.get(O::TextEmpty).to_owned());
    }
    if body.chars().count() > 4096 {
        return Err(t.get(O::TextTooLong).to_owned());
    }
    let allowed = text.placeholders();
    let unknown: Vec<&str> = placeholders_of(body)
        .into_iter()
        .filter(|name| !allowed.contains(name))
        .collect();
    if !unknown.is_empty() {
        let braced = |names: &[&str]| {
            names
                .iter()
                .map(|n| format!("{{{n}}}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let allowed = if allowed.is_empty() {
            t.get(O::NoPlaceholders).to_owned()
        } else {
            braced(&allowed)
        };
        return Err(t.render(
            O::UnknownPlaceholders,
            &[("unknown", &braced(&unknown)), ("allowed", &allowed)],
        ));
    }
    check(body)
}

/// The text with each placeholder shown as `[name]`.
fn preview(text: impl Template, body: &str) -> String {
    let samples: Vec<(&str, String)> = text
        .placeholders()
        .into_iter()
        .map(|n| (n, format!("[{n}]")))
        .collect();
    let values: Vec<(&str, &str)> = samples.iter().map(|(n, v)| (*n, v.as_str())).collect();
    fill(body, &values)
}

pub(super) async fn save(
    tx: &mut PgConnection,
    admin: &Admin,
    index: u16,
    locale: Locale,
    body: &str,
) -> Result<Vec<Outgoing>, JobError> {
    let t = &admin.t;
    let Some(text) = text_at(index) else {
        conversation::clear(tx, admin.chat).await?;
        return Ok(vec![Outgoing::text(t.get(O::TextGone))]);
    };
    let body = body.trim();
    if let Err(why) = validate(t, text, body) {
        return Ok(vec![ask(
            t,
            t.render(O::TextRefused, &[("why", &escape(&why))]),
        )]);
    }
    // The admin's texts were read at the start of this update: the body before the edit.
    let before = t.get_in(text, locale).to_owned();
    sqlx::query!(
        r#"INSERT INTO templates (key, locale, body, updated_by) VALUES ($1, $2, $3, $4)
           ON CONFLICT (key, locale) DO UPDATE
           SET body = EXCLUDED.body, updated_by = EXCLUDED.updated_by, updated_at = now()"#,
        text.key(),
        locale.as_str(),
        body,
        admin.telegram_id.get()
    )
    .execute(&mut *tx)
    .await?;
    let change = Change::of(
        "template.update",
        "template",
        format!("{}:{}", text.key(), locale.as_str()),
    )
    .before(json!({ "body": before }))
    .after(json!({ "body": body }));
    admin.audit(tx, change).await?;
    conversation::clear(tx, admin.chat).await?;
    let screen = detail(tx, t, index).await?;
    Ok(vec![
        Outgoing::text(t.get(O::TextSaved)),
        Outgoing::text(preview(text, body)),
        message(screen),
    ])
}

async fn list(tx: &mut PgConnection, t: &Texts, page: u32) -> Result<Screen, JobError> {
    let edited: Vec<String> = sqlx::query_scalar!("SELECT DISTINCT key FROM templates")
        .fetch_all(&mut *tx)
        .await?;
    let start = usize::try_from(page).unwrap_or(0) * PAGE;
    let all = Entry::all();
    let mut buttons: Vec<Vec<_>> = all
        .iter()
        .enumerate()
        .skip(start)
        .take(PAGE)
        .map(|(i, text)| {
            let mark = if edited.iter().any(|k| k == text.key()) {
                "✏️ "
            } else {
                ""
            };
            vec![button(
                format!("{mark}{}", text.key()),
                TextPress::Template {
                    index: u16::try_from(i).unwrap_or(u16::MAX),
                },
            )]
        })
        .collect();
    paging(&mut buttons, page, start + PAGE < all.len(), |page| {
        TextPress::Templates { page }
    });
    buttons.push(vec![button(
        t.get(O::TextSearchButton),
        TextPress::SearchTemplates,
    )]);
    buttons.push(back(t, MenuPress::Home));
    Ok(Screen {
        text: t.render(O::TextsHeader, &[("count", &all.len().to_string())]),
        buttons,
    })
}

/// The texts whose key or built-in text (in either language) has `query`, as buttons.
pub(super) async fn search(
    tx: &mut PgConnection,
    admin: &Admin,
    query: &str,
) -> Result<Vec<Outgoing>, JobError> {
    let t = &admin.t;
    let query = query.trim().to_lowercase();
    if query.is_empty() {
        return Ok(vec![ask(t, t.get(O::TextSearchPrompt))]);
    }
    conversation::clear(tx, admin.chat).await?;
    let found: Vec<(usize, Entry)> = Entry::all()
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, entry)| {
            let has = |s: &str| s.to_lowercase().contains(&query);
            has(entry.key())
                || Locale::ALL
                    .into_iter()
                    .any(|locale| has(entry.default_text(locale)))
        })
        .take(20)
        .collect();
    let mut buttons: Vec<Vec<_>> = found
        .iter()
        .map(|(i, entry)| {
            vec![button(
                entry.key(),
                TextPress::Template {
                    index: u16::try_from(*i).unwrap_or(u16::MAX),
                },
            )]
        })
        .collect();
    buttons.push(vec![button(
        t.get(O::TextSearchButton),
        TextPress::SearchTemplates,
    )]);
    buttons.push(back(t, TextPress::Templates { page: 0 }));
    let text = t.render(
        O::TextSearchResult,
        &[
            ("count", &found.len().to_string()),
            ("query", &escape(&query)),
        ],
    );
    Ok(vec![message(Screen { text, buttons })])
}

async fn detail(tx: &mut PgConnection, t: &Texts, index: u16) -> Result<Screen, JobError> {
    let Some(text) = text_at(index) else {
        return list(tx, t, 0).await;
    };
    // Read, not the process's copy: this may be the transaction that just changed it.
    let texts = Texts::load_fresh(tx, Locale::Id).await?;
    let placeholders = placeholder_list(t, &text.placeholders());
    let mut lines = vec![
        format!("📝 <code>{}</code>", text.key()),
        t.render(O::TextPlaceholders, &[("placeholders", &placeholders)]),
    ];
    let mut buttons = Vec::new();
    for locale in Locale::ALL {
        let current = texts.get_in(text, locale);
        let edited = current != text.default_text(locale);
        lines.push(format!(
            "\n<b>{}</b>{}:\n<code>{}</code>",
            locale.as_str(),
            if edited { t.get(O::Edited) } else { "" },
            escape(current)
        ));
        let mut row = vec![button(
            t.render(O::EditLocale, &[("locale", locale.as_str())]),
            TextPress::EditTemplate { index, locale },
        )];
        if edited {
            row.push(button(
                t.render(O::ResetLocale, &[("locale", locale.as_str())]),
                TextPress::ResetTemplate { index, locale },
            ));
        }
        buttons.push(row);
    }
    buttons.push(back(
        t,
        TextPress::Templates {
            page: u32::from(index) / u32::try_from(PAGE).unwrap_or(10),
        },
    ));
    Ok(Screen {
        text: lines.join("\n"),
        buttons,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::texts::Text;

    #[test]
    fn edits_keep_to_the_keys_placeholders_and_valid_html() {
        let t = &Texts::builtin(Locale::En);
        assert_eq!(
            validate(t, Text::Welcome, "Halo <b>{name}</b> di {store}!"),
            Ok(())
        );
        assert!(validate(t, Text::Welcome, "Halo {nama}").is_err_and(|e| e.contains("{nama}")));
        assert!(validate(t, Text::Welcome, "Halo <b>{name}").is_err());
        assert!(validate(t, Text::Welcome, "  ").is_err());
        assert_eq!(
            preview(Text::Welcome, "Hi {name} at {store}"),
            "Hi [name] at [store]"
        );
    }
}
