//! What every part reads of an order: its items, as the order fixed them.

use sqlx::PgConnection;

use super::Rupiah;
use crate::JobError;

/// One line of an order: the variant's name (with its product's) and the unit price charged,
/// as they were when it was ordered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub name: String,
    pub unit_price: Rupiah,
    pub quantity: i32,
}

/// The order's items in the order they were added.
pub async fn items(tx: &mut PgConnection, order_id: i64) -> Result<Vec<Item>, JobError> {
    let rows = sqlx::query!(
        r#"SELECT product_name, variant_name, unit_price AS "unit_price: Rupiah", quantity
           FROM order_items WHERE order_id = $1 ORDER BY id"#,
        order_id
    )
    .fetch_all(&mut *tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| Item {
            name: super::variant::label(&row.product_name, &row.variant_name),
            unit_price: row.unit_price,
            quantity: row.quantity,
        })
        .collect())
}
