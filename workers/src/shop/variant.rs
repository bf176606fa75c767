//! Variants as a customer meets them: what each costs them (list price, tiers, their price
//! group), how much is in stock and sold, and how a line names it.

use sqlx::PgConnection;

use super::Rupiah;
use super::ids::{ProductId, UserId, VariantId};
use super::pricing::{self, GroupPrice, Tier, UnitPrice};
use crate::JobError;

/// How a line names a variant: the product's name alone when the variant carries it (a
/// product with one variant reads as before variants), else "product · variant".
pub fn label(product: &str, variant: &str) -> String {
    if variant.trim().eq_ignore_ascii_case(product.trim()) {
        product.to_owned()
    } else {
        format!("{product} · {variant}")
    }
}

/// One active variant of a product, priced for one customer.
#[derive(Debug, Clone)]
pub struct Offer {
    pub id: VariantId,
    pub product_id: ProductId,
    pub name: String,
    pub list: Rupiah,
    /// What the customer's price group does for this variant, if they have one.
    pub group: Option<GroupPrice>,
    /// The customer's price group's name, shown beside a price it set.
    pub group_name: Option<String>,
    pub tiers: Vec<Tier>,
    pub stock: i64,
    pub sold: i64,
    pub in_cart: i32,
}

impl Offer {
    /// The unit price of `quantity` units for this customer.
    pub fn price(&self, quantity: i32) -> UnitPrice {
        pricing::unit_price(self.list, &self.tiers, self.group, quantity.max(1))
    }
}

/// The active variants of `products`, priced for `user_id`, in each product's order.
pub async fn offers(
    tx: &mut PgConnection,
    user_id: UserId,
    products: &[i64],
) -> Result<Vec<Offer>, JobError> {
    let rows = sqlx::query!(
        r#"
        SELECT v.id, v.product_id, v.name, v.price,
               (SELECT count(*) FROM product_contents pc
                WHERE pc.variant_id = v.id AND pc.state = 'available') AS "stock!",
               (SELECT count(*) FROM product_contents pc
                WHERE pc.variant_id = v.id AND pc.state = 'sold') AS "sold!",
               (SELECT quantity FROM cart_items WHERE user_id = $2 AND variant_id = v.id) AS in_cart,
               g.name AS "group_name?", g.percent_off AS "percent_off?", gp.price AS "group_price?",
               array(SELECT min_quantity FROM variant_tiers WHERE variant_id = v.id
                     ORDER BY min_quantity) AS "tier_quantities!",
               array(SELECT unit_price FROM variant_tiers WHERE variant_id = v.id
                     ORDER BY min_quantity) AS "tier_prices!"
        FROM product_variants v
        LEFT JOIN price_groups g ON g.id = customer_price_group($2::bigint)
        LEFT JOIN price_group_prices gp ON gp.group_id = g.id AND gp.variant_id = v.id
        WHERE v.product_id = ANY($1) AND v.status = 'active'
        ORDER BY v.product_id, v.sort_order, v.id
        "#,
        products,
        user_id.get(),
    )
    .fetch_all(&mut *tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| Offer {
            id: VariantId(row.id),
            product_id: ProductId(row.product_id),
            tiers: row
                .tier_quantities
                .iter()
                .zip(&row.tier_prices)
                .map(|(&min_quantity, &price)| Tier {
                    min_quantity,
                    unit_price: Rupiah(price),
                })
                .collect(),
            group: row
                .group_name
                .as_ref()
                .and(GroupPrice::from_columns(row.group_price, row.percent_off)),
            group_name: row.group_name,
            name: row.name,
            list: Rupiah(row.price),
            stock: row.stock,
            sold: row.sold,
            in_cart: row.in_cart.unwrap_or(0),
        })
        .collect())
}

/// The tiers of `variants`, smallest quantity first.
pub async fn tiers_of(
    tx: &mut PgConnection,
    variants: &[i64],
) -> Result<Vec<(i64, Tier)>, JobError> {
    let rows = sqlx::query!(
        r#"SELECT variant_id, min_quantity, unit_price FROM variant_tiers
           WHERE variant_id = ANY($1) ORDER BY variant_id, min_quantity"#,
        variants
    )
    .fetch_all(&mut *tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            (
                row.variant_id,
                Tier {
                    min_quantity: row.min_quantity,
                    unit_price: Rupiah(row.unit_price),
                },
            )
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_variant_named_as_its_product_reads_as_the_product() {
        assert_eq!(label("Netflix", "Netflix"), "Netflix");
        assert_eq!(label("Netflix", "1 bulan"), "Netflix · 1 bulan");
    }
}
