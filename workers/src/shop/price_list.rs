//! The price list as CSV: `variant code,price[,group price…]`, the first line the column
//! titles (`code,price,Reseller,…`: a group's column is titled with its name). Exported from
//! the catalog; imported as a plan (what would change, what is refused and why) that changes
//! nothing until it is applied.
//!
//! A line is taken whole or not at all: an unknown code, a price that is not rupiah above 0
//! or a wrong number of cells refuses the line. An empty group cell removes the group's own
//! price for the variant (its members then pay the list price less the group's percentage).

use std::collections::HashMap;

use sqlx::PgConnection;

use super::ids::{PriceGroupId, VariantId};
use crate::JobError;

/// Which price a change sets.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "column", rename_all = "snake_case")]
pub enum Column {
    List,
    Group { id: PriceGroupId, name: String },
}

/// One price that an import changes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PriceChange {
    pub variant: VariantId,
    pub code: String,
    #[serde(flatten)]
    pub column: Column,
    pub before: Option<i64>,
    /// `None` removes a group's own price (the list price is never removed).
    pub after: Option<i64>,
}

/// Why a line was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Columns {
        got: usize,
        want: usize,
    },
    UnknownCode(String),
    BadPrice(String),
    Twice(String),
    /// The titles name a column that is no price group: nothing is read.
    UnknownGroup(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// The line's number in the file, from 1.
    pub line: usize,
    pub why: Refusal,
}

/// What an import would do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub changes: Vec<PriceChange>,
    pub refused: Vec<Refused>,
    /// Lines read that change nothing.
    pub same: usize,
}

struct Catalog {
    /// Lower-case code → (id, code, list price).
    variants: HashMap<String, (VariantId, String, i64)>,
    /// Lower-case name → (id, name).
    groups: HashMap<String, (PriceGroupId, String)>,
    /// (group, variant) → price.
    group_prices: HashMap<(i64, i64), i64>,
}

async fn catalog(tx: &mut PgConnection) -> Result<Catalog, JobError> {
    let variants = sqlx::query!("SELECT id, code, price FROM product_variants")
        .fetch_all(&mut *tx)
        .await?;
    let groups = sqlx::query!("SELECT id, name FROM price_groups")
        .fetch_all(&mut *tx)
        .await?;
    let prices = sqlx::query!("SELECT group_id, variant_id, price FROM price_group_prices")
        .fetch_all(&mut *tx)
        .await?;
    Ok(Catalog {
        variants: variants
            .into_iter()
            .map(|v| (v.code.to_lowercase(), (VariantId(v.id), v.code, v.price)))
            .collect(),
        groups: groups
            .into_iter()
            .map(|g| (g.name.to_lowercase(), (PriceGroupId(g.id), g.name)))
            .collect(),
        group_prices: prices
            .into_iter()
            .map(|p| ((p.group_id, p.variant_id), p.price))
            .collect(),
    })
}

fn amount(cell: &str) -> Option<i64> {
    super::money::amount(cell).filter(|p| (1..=1_000_000_000_000).contains(p))
}

/// Read `text` against the catalog as it is now.
pub async fn plan(tx: &mut PgConnection, text: &str) -> Result<Plan, JobError> {
    let catalog = catalog(tx).await?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut plan = Plan::default();
    let mut columns: Option<Vec<Column>> = None;
    let mut seen: Vec<String> = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 1;
        let Ok(record) = record else {
            plan.refused.push(Refused {
                line,
                why: Refusal::Columns { got: 0, want: 2 },
            });
            continue;
        };
        let cells: Vec<&str> = record.iter().collect();
        if cells.iter().all(|cell| cell.is_empty()) {
            continue;
        }
        let columns = match &columns {
            Some(columns) => columns,
            None => {
                // The titles: `code,price,<group>…`; a file without them starts with a line
                // whose second cell is a price, and has no group columns.
                if cells.len() == 2 && cells.get(1).and_then(|c| amount(c)).is_some() {
                    columns.insert(vec![Column::List])
                } else {
                    let mut read = vec![Column::List];
                    for title in cells.iter().skip(2) {
                        match catalog.groups.get(&title.to_lowercase()) {
                            Some((id, name)) => read.push(Column::Group {
                                id: *id,
                                name: name.clone(),
                            }),
                            None => {
                                plan.refused.push(Refused {
                                    line,
                                    why: Refusal::UnknownGroup((*title).to_owned()),
                                });
                                return Ok(plan);
                            }
                        }
                    }
                    columns = Some(read);
                    continue;
                }
            }
        };
        let want = columns.len() + 1;
        if cells.len() != want {
            plan.refused.push(Refused {
                line,
                why: Refusal::Columns {
                    got: cells.len(),
                    want,
                },
            });
            continue;
        }
        let code = cells[0];
        let Some((variant, code, list)) = catalog.variants.get(&code.to_lowercase()) else {
            plan.refused.push(Refused {
                line,
                why: Refusal::UnknownCode(code.to_owned()),
            });
            continue;
        };
        if seen.contains(code) {
            plan.refused.push(Refused {
                line,
                why: Refusal::Twice(code.clone()),
            });
            continue;
        }
        seen.push(code.clone());
        let mut changes = Vec::new();
        let mut refusal = None;
        for (column, cell) in columns.iter().zip(&cells[1..]) {
            let (before, after) = match column {
                Column::List => match amount(cell) {
                    Some(price) => (Some(*list), Some(price)),
                    None => {
                        refusal = Some(Refusal::BadPrice((*cell).to_owned()));
                        break;
                    }
                },
                Column::Group { id, .. } => {
                    let before = catalog
                        .group_prices
                        .get(&(id.get(), variant.get()))
                        .copied();
                    if cell.is_empty() {
                        (before, None)
                    } else if let Some(price) = amount(cell) {
                        (before, Some(price))
                    } else {
                        refusal = Some(Refusal::BadPrice((*cell).to_owned()));
                        break;
                    }
                }
            };
            if before != after {
                changes.push(PriceChange {
                    variant: *variant,
                    code: code.clone(),
                    column: column.clone(),
                    before,
                    after,
                });
            }
        }
        match refusal {
            Some(why) => plan.refused.push(Refused { line, why }),
            None if changes.is_empty() => plan.same += 1,
            None => plan.changes.extend(changes),
        }
    }
    Ok(plan)
}

/// One variant's group prices as the owner writes them: `Reseller=30.000, Member=-` (`-`
/// removes the group's own price). The changes they make, or why they are refused.
pub async fn group_prices(
    tx: &mut PgConnection,
    variant: VariantId,
    text: &str,
) -> Result<Result<Vec<PriceChange>, Refusal>, JobError> {
    let catalog = catalog(tx).await?;
    let Some((_, code, _)) = catalog.variants.values().find(|(id, ..)| *id == variant) else {
        return Ok(Err(Refusal::UnknownCode(variant.to_string())));
    };
    let mut changes = Vec::new();
    for part in text
        .split([',', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let Some((name, cell)) = part.split_once('=') else {
            return Ok(Err(Refusal::BadPrice(part.to_owned())));
        };
        let Some((id, name)) = catalog.groups.get(&name.trim().to_lowercase()) else {
            return Ok(Err(Refusal::UnknownGroup(name.trim().to_owned())));
        };
        let after = match cell.trim() {
            "-" => None,
            cell => match amount(cell) {
                Some(price) => Some(price),
                None => return Ok(Err(Refusal::BadPrice(cell.to_owned()))),
            },
        };
        changes.push(PriceChange {
            variant,
            code: code.clone(),
            column: Column::Group {
                id: *id,
                name: name.clone(),
            },
            before: catalog
                .group_prices
                .get(&(id.get(), variant.get()))
                .copied(),
            after,
        });
    }
    Ok(Ok(changes))
}

/// Apply a confirmed plan's changes in the caller's transaction; how many were made.
pub async fn apply(tx: &mut PgConnection, changes: &[PriceChange]) -> Result<u64, JobError> {
    let mut made = 0;
    for change in changes {
        let done = match (&change.column, change.after) {
            (Column::List, Some(price)) => sqlx::query!(
                "UPDATE product_variants SET price = $2, updated_at = now() WHERE id = $1",
                change.variant.get(),
                price
            )
            .execute(&mut *tx)
            .await?
            .rows_affected(),
            (Column::List, None) => 0,
            (Column::Group { id, .. }, Some(price)) => sqlx::query!(
                r#"INSERT INTO price_group_prices (group_id, variant_id, price)
                   SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM price_groups WHERE id = $1)
                     AND EXISTS (SELECT 1 FROM product_variants WHERE id = $2)
                   ON CONFLICT (group_id, variant_id) DO UPDATE SET price = EXCLUDED.price"#,
                id.get(),
                change.variant.get(),
                price
            )
            .execute(&mut *tx)
            .await?
            .rows_affected(),
            (Column::Group { id, .. }, None) => sqlx::query!(
                "DELETE FROM price_group_prices WHERE group_id = $1 AND variant_id = $2",
                id.get(),
                change.variant.get()
            )
            .execute(&mut *tx)
            .await?
            .rows_affected(),
        };
        made += done;
    }
    Ok(made)
}

/// The whole price list: every variant (archived ones too) by product, with a column per
/// price group.
pub async fn export(tx: &mut PgConnection) -> Result<(usize, String), JobError> {
    let groups = sqlx::query!("SELECT id, name FROM price_groups ORDER BY name")
        .fetch_all(&mut *tx)
        .await?;
    let rows = sqlx::query!(
        r#"SELECT v.id, v.code, v.price FROM product_variants v JOIN products p ON p.id = v.product_id
           ORDER BY p.name, p.id, v.sort_order, v.id"#
    )
    .fetch_all(&mut *tx)
    .await?;
    let prices = sqlx::query!("SELECT group_id, variant_id, price FROM price_group_prices")
        .fetch_all(&mut *tx)
        .await?;
    let prices: HashMap<(i64, i64), i64> = prices
        .into_iter()
        .map(|p| ((p.group_id, p.variant_id), p.price))
        .collect();
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut titles = vec!["code".to_owned(), "price".to_owned()];
    titles.extend(groups.iter().map(|g| g.name.clone()));
    writer.write_record(&titles).map_err(csv_error)?;
    for row in &rows {
        let mut record = vec![row.code.clone(), row.price.to_string()];
        record.extend(groups.iter().map(|g| {
            prices
                .get(&(g.id, row.id))
                .map(i64::to_string)
                .unwrap_or_default()
        }));
        writer.write_record(&record).map_err(csv_error)?;
    }
    let bytes = writer.into_inner().map_err(|e| csv_error(e.into_error()))?;
    Ok((rows.len(), String::from_utf8_lossy(&bytes).into_owned()))
}

fn csv_error(error: impl std::fmt::Display) -> JobError {
    JobError::Permanent(format!("writing the price list as CSV failed: {error}"))
}
