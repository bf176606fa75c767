//! The web dashboard's words: page titles, navigation, cards, column heads and notes, in the
//! signed-in admin's language. Values are HTML-escaped by the dashboard; a table's column
//! heads are one text, `|` between them.

texts! {
    /// A dashboard text's key.
    pub enum DashText {
        NavOverview "admin.dashboard.nav_overview" { id: "Ringkasan", en: "Overview" }
        NavJobs "admin.dashboard.nav_jobs" { id: "Job", en: "Jobs" }
        NavFailed "admin.dashboard.nav_failed" { id: "Job gagal", en: "Failed jobs" }
        NavOrders "admin.dashboard.nav_orders" { id: "Pesanan", en: "Orders" }
        NavProducts "admin.dashboard.nav_products" { id: "Produk", en: "Products" }
        NavNotices "admin.dashboard.nav_notices" { id: "Pembayaran &amp; Telegram", en: "Payments &amp; Telegram" }
        NavAudit "admin.dashboard.nav_audit" { id: "Log audit", en: "Audit log" }
        SignOut "admin.dashboard.sign_out" { id: "Keluar ({actor})", en: "Sign out ({actor})" }
        SignIn "admin.dashboard.sign_in" { id: "Masuk", en: "Sign in" }
        SignInHelp "admin.dashboard.sign_in_help" {
            id: "Buka tautan yang dikirim bot (⚙️ Admin → 🖥 Dasbor), atau masukkan token dasbor.",
            en: "Open the link the bot sends you (⚙️ Admin → 🖥 Dashboard), or enter the dashboard token.",
        }
        TitleOverview "admin.dashboard.title_overview" { id: "Ringkasan", en: "Overview" }
        TitleJobs "admin.dashboard.title_jobs" { id: "Job", en: "Jobs" }
        TitleJob "admin.dashboard.title_job" { id: "Job", en: "Job" }
        TitleOrders "admin.dashboard.title_orders" { id: "Pesanan", en: "Orders" }
        TitleProducts "admin.dashboard.title_products" { id: "Produk dan stok", en: "Products and stock" }
        TitleAudit "admin.dashboard.title_audit" { id: "Log audit", en: "Audit log" }
        TitleNotices "admin.dashboard.title_notices" { id: "Notifikasi pembayaran dan Telegram", en: "Payment notices and Telegram" }
        CardOrdersDay "admin.dashboard.card_orders_day" { id: "Pesanan (24 jam)", en: "Orders (24 h)" }
        CardOrders "admin.dashboard.card_orders" { id: "Pesanan (semua)", en: "Orders (all)" }
        CardRevenueDay "admin.dashboard.card_revenue_day" { id: "Pendapatan (24 jam)", en: "Revenue (24 h)" }
        CardRevenue "admin.dashboard.card_revenue" { id: "Pendapatan (semua)", en: "Revenue (all)" }
        CardStock "admin.dashboard.card_stock" { id: "Stok (isi)", en: "Stock (contents)" }
        CardCustomers "admin.dashboard.card_customers" { id: "Pelanggan", en: "Customers" }
        CardDepth "admin.dashboard.card_depth" { id: "Antrean menunggu", en: "Queue depth" }
        CardFailed "admin.dashboard.card_failed" { id: "Job gagal", en: "Failed jobs" }
        Queues "admin.dashboard.queues" { id: "Antrean", en: "Queues" }
        QueueColumns "admin.dashboard.queue_columns" {
            id: "antrean|menunggu|terjadwal|berjalan|diulang|gagal|selesai|tertua menunggu",
            en: "queue|pending|scheduled|running|retrying|failed|done|oldest pending",
        }
        RevenueChart "admin.dashboard.revenue_chart" { id: "Pendapatan per hari (14 hari, {zone})", en: "Revenue per day (14 days, {zone})" }
        JobsChart "admin.dashboard.jobs_chart" { id: "Job selesai per menit (satu jam terakhir, {zone})", en: "Jobs finished per minute (last hour, {zone})" }
        JobsUnit "admin.dashboard.jobs_unit" { id: "job", en: "jobs" }
        Queue "admin.dashboard.queue" { id: "Antrean", en: "Queue" }
        State "admin.dashboard.state" { id: "Status", en: "State" }
        All "admin.dashboard.all" { id: "semua", en: "all" }
        Filter "admin.dashboard.filter" { id: "Saring", en: "Filter" }
        JobsCount "admin.dashboard.jobs_count" { id: "{count} job, terbaru dulu.", en: "{count} job(s), newest first." }
        RetrySelected "admin.dashboard.retry_selected" { id: "Ulangi yang dipilih", en: "Retry selected" }
        DiscardSelected "admin.dashboard.discard_selected" { id: "Buang yang dipilih", en: "Discard selected" }
        JobColumns "admin.dashboard.job_columns" {
            id: "id|antrean|jenis|status|percobaan|jalan pada|error",
            en: "id|queue|kind|state|attempts|run at|error",
        }
        JobSummary "admin.dashboard.job_summary" {
            id: "antrean {queue}, status {state}, percobaan {attempts}/{max}, jalan pada {run_at}",
            en: "queue {queue}, state {state}, attempts {attempts}/{max}, run at {run_at}",
        }
        Retry "admin.dashboard.retry" { id: "Ulangi", en: "Retry" }
        Discard "admin.dashboard.discard" { id: "Buang", en: "Discard" }
        LastResult "admin.dashboard.last_result" { id: "Hasil terakhir", en: "Last result" }
        Payload "admin.dashboard.payload" { id: "Payload", en: "Payload" }
        Status "admin.dashboard.status" { id: "Status", en: "Status" }
        OrderColumns "admin.dashboard.order_columns" {
            id: "pesanan|pelanggan|status|dibayar dengan|total|dibuat|dibayar",
            en: "order|customer|status|paid by|total|created|paid",
        }
        ProductColumns "admin.dashboard.product_columns" {
            id: "kode|nama|harga|status|stok|dipesan|terjual",
            en: "code|name|price|status|stock|reserved|sold",
        }
        StockFromBot "admin.dashboard.stock_from_bot" {
            id: "Stok ditambahkan dari bot: ⚙️ Admin → 🛒 Produk.",
            en: "Stock is added from the bot: ⚙️ Admin → 🛒 Products.",
        }
        AuditColumns "admin.dashboard.audit_columns" {
            id: "waktu|pelaku|aksi|entitas|sebelum|sesudah",
            en: "at|actor|action|entity|before|after",
        }
        Flood "admin.dashboard.flood" { id: "Flood control Telegram", en: "Telegram flood control" }
        BotHeld "admin.dashboard.bot_held" { id: "Bot ditahan selama", en: "Bot held for" }
        ChatsHeld "admin.dashboard.chats_held" { id: "Chat ditahan sekarang", en: "Chats held now" }
        Floods "admin.dashboard.floods" { id: "429 (chat kena flood dalam 24 jam)", en: "429s (chats flooded in 24 h)" }
        HeldColumns "admin.dashboard.held_columns" {
            id: "chat|ditahan selama|429",
            en: "chat|held for|429s",
        }
        Notices "admin.dashboard.notices" { id: "Notifikasi pembayaran", en: "Payment notices" }
        NoticesHelp "admin.dashboard.notices_help" {
            id: "50 terakhir, terbaru dulu. Yang ditolak tidak mengkredit apa pun; banyak penolakan dari satu alamat berarti ada yang mengirim notifikasi palsu ke webhook (pasang <code>PAKASIR_WEBHOOK_SECRET</code> dan proxy penanda tangan, atau batasi URL-nya).",
            en: "The latest 50, newest first. Rejected ones credit nothing; many of them from one address mean someone is posting made-up notices to the webhook (set <code>PAKASIR_WEBHOOK_SECRET</code> and a signing proxy, or restrict the URL).",
        }
        WrongToken "admin.dashboard.wrong_token" {
            id: "Itu bukan token dasbor (DASHBOARD_TOKEN). Atau minta tautan ke bot: ⚙️ Admin → 🖥 Dasbor.",
            en: "That is not the dashboard token (DASHBOARD_TOKEN). Or ask the bot for a link: ⚙️ Admin → 🖥 Dashboard.",
        }
        LinkUsed "admin.dashboard.link_used" {
            id: "Tautan itu sudah dipakai atau lebih dari 10 menit. Minta yang baru ke bot: ⚙️ Admin → 🖥 Dasbor.",
            en: "That link was used already or is older than 10 minutes. Ask the bot for a new one: ⚙️ Admin → 🖥 Dashboard.",
        }
        ErrorTitle "admin.dashboard.error_title" { id: "Galat", en: "Error" }
        BackToOverview "admin.dashboard.back_to_overview" { id: "Kembali ke ringkasan", en: "Back to the overview" }
        NoticeColumns "admin.dashboard.notice_columns" {
            id: "diterima|pesanan|jumlah|putusan|catatan|dari",
            en: "received|order|amount|verdict|note|from",
        }
    }
}
