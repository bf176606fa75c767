//! The status enums of `domain` against the schema: each enum's words are exactly its
//! column's CHECK list, so neither can gain a status the other does not know.

use workers::shop::status::{
    BroadcastStatus, DepositStatus, InvoiceStatus, OrderStatus, ProductStatus,
};

use crate::support::TestDb;

/// The words of `table.status`'s `CHECK (status IN (…))`, sorted.
async fn check_list(pool: &sqlx::PgPool, table: &str) -> Vec<String> {
    let definition: String = sqlx::query_scalar(
        r#"SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c
           JOIN pg_class t ON t.oid = c.conrelid
           WHERE t.relname = $1 AND c.contype = 'c'
             AND pg_get_constraintdef(c.oid) LIKE 'CHECK ((status = ANY%'"#,
    )
    .bind(table)
    .fetch_one(pool)
    .await
    .expect("the status CHECK");
    let mut words: Vec<String> = definition
        .split('\'')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect();
    words.sort();
    words
}

fn sorted(words: impl Iterator<Item = &'static str>) -> Vec<String> {
    let mut words: Vec<String> = words.map(str::to_owned).collect();
    words.sort();
    words
}

#[tokio::test]
async fn every_status_enum_is_its_columns_check_list() {
    let db = TestDb::new().await;
    let pool = &db.pool;
    let expected = [
        (
            "orders",
            sorted(OrderStatus::ALL.iter().map(|s| s.as_str())),
        ),
        (
            "deposits",
            sorted(DepositStatus::ALL.iter().map(|s| s.as_str())),
        ),
        (
            "invoices",
            sorted(InvoiceStatus::ALL.iter().map(|s| s.as_str())),
        ),
        (
            "broadcasts",
            sorted(BroadcastStatus::ALL.iter().map(|s| s.as_str())),
        ),
        (
            "products",
            sorted(ProductStatus::ALL.iter().map(|s| s.as_str())),
        ),
        (
            "product_variants",
            sorted(ProductStatus::ALL.iter().map(|s| s.as_str())),
        ),
    ];
    for (table, words) in expected {
        assert_eq!(check_list(pool, table).await, words, "{table}.status");
    }
}
