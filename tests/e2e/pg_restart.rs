//! PostgreSQL crashes and comes back in the middle of purchases: while it is down the shop
//! answers webhooks and /ready with 503 (so Pakasir resends, a load balancer looks elsewhere)
//! and keeps Telegram's updates where they are; once it is back every paid order is delivered
//! exactly once, the update sent during the outage is answered, and `reconcile` finds nothing.

use crate::chat::{Customer, WAIT};
use crate::payments::{qris_shop, with_cart};
use crate::private_pg::PrivatePg;
use crate::reconcile::assert_reconciled;
use crate::seed::{product, settled};
use crate::support::{TestDb, eventually};

const CUSTOMERS: i64 = 6;

#[tokio::test]
async fn purchases_survive_a_postgres_crash() {
    let server = PrivatePg::start();
    let url = server.create_database("shop").await;
    let pool = sqlx::PgPool::connect(&url).await.expect("connect");
    let canva = product(&pool, "CANVA", "Canva", 5_000, 10).await;
    // TestDb only lends its folder and process helpers; the shop runs on the private server.
    let db = TestDb::new().await;
    let shop = qris_shop(
        &db,
        &[("DATABASE_URL", url.as_str()), ("JOB_RESCUE_AFTER", "2s")],
    )
    .await;
    let mut customers = Vec::new();
    for n in 0..CUSTOMERS {
        let mut customer = Customer::new(&shop.api, 8000 + n, "Crash", "id");
        with_cart(&pool, &mut customer, canva, 1).await;
        customer.press("pay:qris:7");
        customer.next("sendphoto").await;
        customers.push(customer);
    }
    let orders: Vec<String> = shop
        .pakasir
        .transactions()
        .into_iter()
        .map(|(order, _)| order)
        .collect();
    assert_eq!(orders.len(), CUSTOMERS as usize);
    let (before, during) = orders.split_at(orders.len() / 2);
    for order in before {
        assert_eq!(shop.pakasir.pay(order).await, Ok(200));
    }
    pool.close().await;

    server.crash();
    let http = reqwest::Client::new();
    let ready = http
        .get(format!("{}/ready", shop.url))
        .send()
        .await
        .expect("ready answered")
        .status();
    assert_eq!(ready.as_u16(), 503, "not ready without its database");
    for order in during {
        assert_eq!(
            shop.pakasir.pay(order).await,
            Ok(503),
            "a webhook is refused, not swallowed, while the database is down"
        );
    }
    // A customer writes while the database is down: the update stays with Telegram.
    customers[0].say("/start");

    server.start_again();
    // Pakasir resends what was refused until it is accepted.
    for order in during {
        let what = format!("the resent webhook for {order} to be accepted");
        eventually(&what, WAIT, || async {
            (shop.pakasir.pay(order).await == Ok(200)).then_some(())
        })
        .await;
    }
    let pool = sqlx::PgPool::connect(&url).await.expect("reconnect");
    eventually("every order delivered", WAIT, || async {
        let delivered: i64 =
            sqlx::query_scalar("SELECT count(*) FROM orders WHERE status = 'delivered'")
                .fetch_one(&pool)
                .await
                .ok()?;
        (delivered == CUSTOMERS).then_some(())
    })
    .await;
    settled(&pool).await;
    for customer in &customers {
        let goods = customer
            .delivered()
            .iter()
            .filter(|c| c.text().is_some_and(|t| t.contains("CANVA-secret")))
            .count();
        assert_eq!(goods, 1, "customer {} got the goods once", customer.id);
    }
    // The poller takes the update up again once it can store it.
    eventually(
        "the /start sent during the outage answered",
        WAIT,
        || async {
            let welcomes = customers[0]
                .delivered()
                .iter()
                .filter(|c| c.text().is_some_and(|t| t.contains("Hai <b>Crash</b>")))
                .count();
            (welcomes == 2).then_some(())
        },
    )
    .await;
    assert_reconciled(&pool).await;
}
