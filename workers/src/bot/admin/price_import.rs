//! A price list import's preview: what would change and what is refused (and why), with the
//! button that applies it. The plan waits in the chat's conversation state until then.

use sqlx::PgConnection;

use super::button;
use super::callback::MenuPress;
use super::prices::{PricePress, PriceStep};
use crate::JobError;
use crate::bot::conversation;
use crate::shop::ids::ChatId;
use crate::shop::price_list::{self, Column, Plan, Refusal};
use crate::ui::html::escape;
use crate::ui::screen::rupiah;
use crate::ui::texts::{OpsText, PriceText as P, Texts};
use crate::ui::{Keyboard, Outgoing};

/// The preview of an import, with the apply button when something would change (the plan
/// waits in the chat's conversation state).
pub(super) async fn preview(
    tx: &mut PgConnection,
    t: &Texts,
    chat: ChatId,
    text: &str,
    ttl: std::time::Duration,
) -> Result<Outgoing, JobError> {
    let plan = price_list::plan(tx, text).await?;
    let lines = preview_lines(t, &plan);
    if plan.changes.is_empty() {
        conversation::clear(tx, chat).await?;
        let nothing = t.render(
            P::NothingToApply,
            &[("refused", &plan.refused.len().to_string())],
        );
        return Ok(Outgoing::text(format!("{nothing}\n{lines}")));
    }
    let text = t.render(
        P::Preview,
        &[
            ("changes", &plan.changes.len().to_string()),
            ("refused", &plan.refused.len().to_string()),
            ("same", &plan.same.to_string()),
            ("lines", &lines),
        ],
    );
    let step = conversation::State::Admin(super::Step::Prices(PriceStep::ConfirmImport {
        changes: plan.changes,
        refused: plan.refused.len(),
    }));
    conversation::save(tx, chat, &step, ttl).await?;
    Ok(Outgoing::text_with(
        text,
        Keyboard::Inline(vec![vec![
            button(t.get(P::ApplyButton), PricePress::ApplyImport),
            button(t.get(OpsText::CancelButton), MenuPress::Cancel),
        ]]),
    ))
}

/// Why a line (or a variant's group prices) was refused, in the owner's words.
pub(super) fn refusal(t: &Texts, why: &Refusal) -> String {
    match why {
        Refusal::Columns { got, want } => t.render(
            P::RefusedColumns,
            &[("got", &got.to_string()), ("want", &want.to_string())],
        ),
        Refusal::UnknownCode(code) => t.render(P::RefusedCode, &[("code", &escape(code))]),
        Refusal::BadPrice(value) => t.render(P::RefusedPrice, &[("value", &escape(value))]),
        Refusal::Twice(code) => t.render(P::RefusedTwice, &[("code", &escape(code))]),
        Refusal::UnknownGroup(group) => t.render(P::RefusedGroup, &[("group", &escape(group))]),
    }
}

fn preview_lines(t: &Texts, plan: &Plan) -> String {
    const SHOWN: usize = 30;
    let price = |p: Option<i64>| p.map_or_else(|| t.get(P::Empty).to_owned(), rupiah);
    let mut lines: Vec<String> = plan
        .refused
        .iter()
        .map(|refused| {
            let why = refusal(t, &refused.why);
            t.render(
                P::PreviewRefused,
                &[("n", &refused.line.to_string()), ("why", &why)],
            )
        })
        .collect();
    lines.extend(plan.changes.iter().map(|change| {
        let column = match &change.column {
            Column::List => t.get(P::ListPrice).to_owned(),
            Column::Group { name, .. } => escape(name),
        };
        t.render(
            P::PreviewChange,
            &[
                ("code", &escape(&change.code)),
                ("column", &column),
                ("before", &price(change.before)),
                ("after", &price(change.after)),
            ],
        )
    }));
    let more = lines.len().saturating_sub(SHOWN);
    lines.truncate(SHOWN);
    if more > 0 {
        lines.push(t.render(P::PreviewMore, &[("count", &more.to_string())]));
    }
    lines.join("\n")
}
