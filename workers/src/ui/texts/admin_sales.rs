//! The admin texts of the selling families: orders, customers, vouchers, broadcasts and
//! statistics.

texts! {
    /// An admin sales text's key.
    pub enum SalesText {
        MarkPaidPrompt "admin.orders.mark_paid_prompt" {
            id: "✍️ Kirim catatan untuk arsip (mis. <code>transfer BCA 12:30, ref 123</code>). Pesanan lalu dibayar dan dikirim seperti pembayaran QRIS yang terkonfirmasi.",
            en: "✍️ Send a note for the record (e.g. <code>transfer BCA 12:30, ref 123</code>). The order is then paid and delivered like a confirmed QRIS payment.",
        }
        OnlyAwaitingCancel "admin.orders.only_awaiting_cancel" {
            id: "Hanya pesanan yang menunggu pembayaran yang bisa dibatalkan.",
            en: "Only an order awaiting payment can be cancelled.",
        }
        Cancelling "admin.orders.cancelling" {
            id: "Membatalkan: isi kembali ke stok dan tagihan ditutup.",
            en: "Cancelling: contents go back to stock and the invoice is closed.",
        }
        ConfirmRefund "admin.orders.confirm_refund" {
            id: "Kembalikan total pesanan ini ke saldo pelanggan? Barang tetap terkirim.",
            en: "Refund this order's total to the customer's balance? The goods stay delivered.",
        }
        YesRefund "admin.orders.yes_refund" { id: "💸 Ya, kembalikan", en: "💸 Yes, refund" }
        NoteNeeded "admin.orders.note_needed" {
            id: "Kirim catatan (teks apa saja) untuk arsip.",
            en: "Send a note (any text) for the record.",
        }
        OrderGone "admin.orders.gone" { id: "Pesanan itu tidak ada.", en: "That order does not exist." }
        MarkedPaid "admin.orders.marked_paid" { id: "✅ Ditandai lunas: {outcome}.", en: "✅ Marked paid: {outcome}." }
        OnlyPaidRefund "admin.orders.only_paid_refund" {
            id: "Hanya pesanan yang sudah dibayar atau terkirim yang bisa dikembalikan.",
            en: "Only a paid or delivered order can be refunded.",
        }
        Refunded "admin.orders.refunded" {
            id: "{amount} dikembalikan ke saldo pelanggan.",
            en: "Refunded {amount} to the customer's balance.",
        }
        ListButton "admin.orders.list_button" {
            id: "{id} · {total} · {status} · {customer}",
            en: "{id} · {total} · {status} · {customer}",
        }
        FilterAll "admin.orders.filter_all" { id: "semua", en: "all" }
        AnyTime "admin.orders.any_time" { id: "kapan saja", en: "any time" }
        Today "admin.orders.today" { id: "hari ini", en: "today" }
        SevenDays "admin.orders.seven_days" { id: "7 hari", en: "7 days" }
        ThirtyDays "admin.orders.thirty_days" { id: "30 hari", en: "30 days" }
        CustomerButton "admin.orders.customer_button" { id: "👤 Pelanggan", en: "👤 Customer" }
        EveryCustomer "admin.orders.every_customer" { id: "👥 Semua pelanggan", en: "👥 Every customer" }
        PeriodToday "admin.orders.period_today" { id: ", hari ini", en: ", today" }
        PeriodDays "admin.orders.period_days" { id: ", {days} hari terakhir", en: ", last {days} days" }
        Newest "admin.orders.newest" { id: ", terbaru {at}", en: ", newest {at}" }
        OneCustomer "admin.orders.one_customer" { id: ", satu pelanggan", en: ", one customer" }
        ListHeader "admin.orders.list_header" {
            id: "📦 <b>Pesanan</b> — {filter}{period}{customer}: {count}{newest}",
            en: "📦 <b>Orders</b> — {filter}{period}{customer}: {count}{newest}",
        }
        OrderDetail "admin.orders.detail" {
            id: "🧾 <b>{id}</b> — {status}\nPelanggan: {customer} (<code>{telegram_id}</code>)\nDibayar dengan: {method}\n{items}\nSubtotal {subtotal} · diskon {discount} · <b>total {total}</b>\nDibuat {created} · dibayar {paid} · dikirim {delivered}{closed}{late}",
            en: "🧾 <b>{id}</b> — {status}\nCustomer: {customer} (<code>{telegram_id}</code>)\nPaid by: {method}\n{items}\nSubtotal {subtotal} · discount {discount} · <b>total {total}</b>\nCreated {created} · paid {paid} · delivered {delivered}{closed}{late}",
        }
        Closed "admin.orders.closed" { id: "\nDitutup: {reason}", en: "\nClosed: {reason}" }
        LatePayment "admin.orders.late_payment" { id: "\nPembayaran terlambat: {outcome}", en: "\nLate payment: {outcome}" }
        MarkPaidButton "admin.orders.mark_paid_button" { id: "✅ Tandai lunas", en: "✅ Mark paid" }
        CancelOrderButton "admin.orders.cancel_button" { id: "🚫 Batalkan pesanan", en: "🚫 Cancel order" }
        RefundButton "admin.orders.refund_button" { id: "💸 Kembalikan ke saldo", en: "💸 Refund to balance" }
        FindPrompt "admin.users.find_prompt" {
            id: "👥 Kirim id Telegram pelanggan (mis. <code>123456789</code>) atau @username.",
            en: "👥 Send a customer's Telegram id (e.g. <code>123456789</code>) or @username.",
        }
        AdjustPrompt "admin.users.adjust_prompt" {
            id: "💰 Kirim perubahan dan alasannya, mis. <code>+50000 bonus</code> atau <code>-10000 koreksi</code>. Saldo tidak pernah di bawah nol.",
            en: "💰 Send the change and the reason, e.g. <code>+50000 bonus</code> or <code>-10000 correction</code>. A balance never goes below zero.",
        }
        NotAnId "admin.users.not_an_id" {
            id: "Kirim id Telegram (angka) atau @username.",
            en: "Send a Telegram id (digits) or an @username.",
        }
        NoSuchCustomer "admin.users.no_such_customer" {
            id: "Belum ada pelanggan {query} yang memakai bot. Kirim id atau @username lain.",
            en: "No customer {query} has used the bot. Send another id or @username.",
        }
        BadAdjustment "admin.users.bad_adjustment" {
            id: "Kirim jumlah bertanda dan alasannya, mis. <code>+50000 bonus</code>.",
            en: "Send a signed amount and a reason, e.g. <code>+50000 bonus</code>.",
        }
        BelowZero "admin.users.below_zero" {
            id: "Saldo akan jadi di bawah nol (atau pelanggannya sudah tidak ada). Kirim jumlah lain.",
            en: "That would take the balance below zero (or the customer is gone). Send another amount.",
        }
        CustomerGone "admin.users.gone" { id: "Pelanggan itu tidak ada.", en: "That customer does not exist." }
        LedgerLine "admin.users.ledger_line" {
            id: "• {at} {delta} → {balance} ({reason})",
            en: "• {at} {delta} → {balance} ({reason})",
        }
        Blocked "admin.users.blocked" { id: "🚫 diblokir", en: "🚫 blocked" }
        Active "admin.users.active" { id: "✅ aktif", en: "✅ active" }
        Unreachable "admin.users.unreachable" {
            id: " · tidak terjangkau (memblokir bot)",
            en: " · unreachable (blocked the bot)",
        }
        UserDetail "admin.users.detail" {
            id: "👤 <b>{name}</b>{username} (<code>{telegram_id}</code>)\nSaldo: <b>{balance}</b> · pesanan {orders} · belanja {spent}\nBergabung {joined} · terakhir aktif {seen}\nStatus: {status}{unreachable}\n\n<b>Mutasi saldo</b> (5 terakhir):\n{ledger}",
            en: "👤 <b>{name}</b>{username} (<code>{telegram_id}</code>)\nBalance: <b>{balance}</b> · orders {orders} · spent {spent}\nJoined {joined} · last seen {seen}\nStatus: {status}{unreachable}\n\n<b>Ledger</b> (latest 5):\n{ledger}",
        }
        OrderButton "admin.users.order_button" {
            id: "🧾 {id} · {status} · {total}",
            en: "🧾 {id} · {status} · {total}",
        }
        Unblock "admin.users.unblock" { id: "✅ Buka blokir", en: "✅ Unblock" }
        Block "admin.users.block" { id: "🚫 Blokir", en: "🚫 Block" }
        AdjustButton "admin.users.adjust_button" { id: "💰 Ubah saldo", en: "💰 Adjust balance" }
        AllOrders "admin.users.all_orders" { id: "🧾 Semua pesanannya", en: "🧾 All their orders" }
        FindAnother "admin.users.find_another" { id: "🔎 Cari yang lain", en: "🔎 Find another" }
        VoucherPrompt "admin.vouchers.prompt" {
            id: "🎟 Kirim voucher dalam satu baris:\n<code>KODE | diskon | min. belanja | kuota | per pelanggan | hari berlaku</code>\nDiskon berupa persen (<code>10%</code>) atau rupiah (<code>5000</code>); sisanya boleh dikosongkan (tanpa minimum, tanpa batas, tanpa akhir).\nContoh: <code>HEMAT10 | 10% | 20000 | 100 | 1 | 30</code>",
            en: "🎟 Send the voucher on one line:\n<code>CODE | discount | min order | uses | per customer | days valid</code>\nThe discount is a percentage (<code>10%</code>) or rupiah (<code>5000</code>); the rest may be left out (no minimum, no limits, no end).\nExample: <code>HEMAT10 | 10% | 20000 | 100 | 1 | 30</code>",
        }
        BadCode "admin.vouchers.bad_code" { id: "kodenya 3–32 huruf, angka, - atau _", en: "the code has 3–32 letters, digits, - or _" }
        NoDiscount "admin.vouchers.no_discount" { id: "diskonnya belum ada", en: "the discount is missing" }
        BadPercent "admin.vouchers.bad_percent" { id: "persentase 1–100", en: "a percentage is 1–100" }
        BadDiscount "admin.vouchers.bad_discount" {
            id: "diskon berupa persen atau nominal di atas 0",
            en: "the discount is a percentage or an amount above 0",
        }
        BadMinimum "admin.vouchers.bad_minimum" { id: "min. belanja berupa nominal", en: "the minimum order is an amount" }
        BadUses "admin.vouchers.bad_uses" { id: "kuota berupa angka di atas 0", en: "uses is a number above 0" }
        BadPerUser "admin.vouchers.bad_per_user" { id: "per pelanggan berupa angka di atas 0", en: "per customer is a number above 0" }
        BadDays "admin.vouchers.bad_days" { id: "hari berupa angka di atas 0", en: "days is a number above 0" }
        NotAVoucher "admin.vouchers.not_a_voucher" {
            id: "Bukan voucher: {why}. Kirim lagi, mis. <code>HEMAT10 | 10% | 20000 | 100 | 1 | 30</code>.",
            en: "Not a voucher: {why}. Send it again, e.g. <code>HEMAT10 | 10% | 20000 | 100 | 1 | 30</code>.",
        }
        VoucherExists "admin.vouchers.exists" {
            id: "Voucher <code>{code}</code> sudah ada. Kirim kode lain.",
            en: "Voucher <code>{code}</code> exists. Send another code.",
        }
        VoucherCreated "admin.vouchers.created" {
            id: "✅ Voucher <code>{code}</code> dibuat.\n\n{list}",
            en: "✅ Voucher <code>{code}</code> created.\n\n{list}",
        }
        VoucherLine "admin.vouchers.line" {
            id: "{mark} <code>{code}</code> {discount} · min {min} · dipakai {used}{max} · sampai {until}",
            en: "{mark} <code>{code}</code> {discount} · min {min} · used {used}{max} · until {until}",
        }
        NoEnd "admin.vouchers.no_end" { id: "tanpa akhir", en: "no end" }
        DisableButton "admin.vouchers.disable_button" { id: "⛔️ Matikan {code}", en: "⛔️ Disable {code}" }
        NewVoucherButton "admin.vouchers.new_button" { id: "➕ Voucher baru", en: "➕ New voucher" }
        VouchersHeader "admin.vouchers.header" { id: "🎟 <b>Voucher</b> ({count})\n{lines}", en: "🎟 <b>Vouchers</b> ({count})\n{lines}" }
        NoneYet "admin.vouchers.none_yet" { id: "Belum ada.", en: "None yet." }
        BroadcastPrompt "admin.broadcast.prompt" {
            id: "📣 Kirim pesan siaran: teks, atau foto dengan keterangan (boleh HTML: <code>&lt;b&gt;</code>, <code>&lt;i&gt;</code>, tautan). Kamu melihat pratinjau sebelum apa pun terkirim.",
            en: "📣 Send the broadcast: a text, or a photo with a caption (HTML allowed: <code>&lt;b&gt;</code>, <code>&lt;i&gt;</code>, links). You see a preview before anything goes out.",
        }
        AlreadyStarted "admin.broadcast.already_started" {
            id: "Siaran itu sudah dimulai atau dibatalkan.",
            en: "That broadcast was already started or cancelled.",
        }
        Started "admin.broadcast.started" {
            id: "📣 Siaran #{id} dimulai untuk {count} pelanggan.",
            en: "📣 Broadcast #{id} started for {count} customer(s).",
        }
        Over "admin.broadcast.over" { id: "Siaran itu sudah selesai.", en: "That broadcast is over." }
        Cancelled "admin.broadcast.cancelled" {
            id: "Siaran dibatalkan; tidak ada lagi yang dikirim.",
            en: "Broadcast cancelled; nothing more is sent.",
        }
        NeedContent "admin.broadcast.need_content" { id: "Kirim teks, atau foto dengan keterangan.", en: "Send a text, or a photo with a caption." }
        TooLong "admin.broadcast.too_long" {
            id: "Itu lebih dari {limit} karakter batas Telegram. Kirim yang lebih pendek.",
            en: "That is over Telegram's {limit} characters. Send a shorter one.",
        }
        BadHtml "admin.broadcast.bad_html" {
            id: "Telegram akan menolak HTML itu: {why}. Perbaiki lalu kirim lagi.",
            en: "Telegram would refuse that HTML: {why}. Fix it and send it again.",
        }
        Preview "admin.broadcast.preview" { id: "👀 Pratinjau:", en: "👀 Preview:" }
        ConfirmSend "admin.broadcast.confirm_send" {
            id: "Kirim ini ke <b>{count}</b> pelanggan?",
            en: "Send this to <b>{count}</b> customer(s)?",
        }
        SendButton "admin.broadcast.send_button" { id: "📣 Kirim", en: "📣 Send" }
        BroadcastGone "admin.broadcast.gone" { id: "Siaran itu tidak ada.", en: "That broadcast does not exist." }
        Progress "admin.broadcast.progress" {
            id: "📣 Siaran #{id} — {status}: terkirim {sent} · gagal {failed} · menunggu {pending}",
            en: "📣 Broadcast #{id} — {status}: sent {sent} · failed {failed} · pending {pending}",
        }
        StatusDraft "admin.broadcast.status_draft" { id: "draf", en: "draft" }
        StatusRunning "admin.broadcast.status_running" { id: "berjalan", en: "running" }
        StatusDone "admin.broadcast.status_done" { id: "selesai", en: "done" }
        StatusStopped "admin.broadcast.status_stopped" { id: "dihentikan", en: "stopped" }
        StatusButton "admin.broadcast.status_button" { id: "🔄 Status", en: "🔄 Status" }
        StopButton "admin.broadcast.stop_button" { id: "⛔️ Hentikan", en: "⛔️ Stop" }
        StatsToday "admin.stats.today" { id: "Hari ini", en: "Today" }
        StatsDays "admin.stats.days" { id: "{days} hari terakhir", en: "Last {days} days" }
        StatsSevenButton "admin.stats.seven_button" { id: "7 hari", en: "7 days" }
        StatsThirtyButton "admin.stats.thirty_button" { id: "30 hari", en: "30 days" }
        Conversion "admin.stats.conversion" { id: "{percent}% ({paid} dari {invoiced})", en: "{percent}% ({paid} of {invoiced})" }
        Stats "admin.stats.screen" {
            id: "📊 <b>{label}</b>\nPendapatan: <b>{revenue}</b> dari {sales} penjualan\nPesanan: {statuses}\nPelanggan baru: {customers}\nTagihan → dibayar: {conversion}\nDeposit: {deposits} = {deposited}\n\n<b>Produk terlaris</b>\n{top}",
            en: "📊 <b>{label}</b>\nRevenue: <b>{revenue}</b> from {sales} sale(s)\nOrders: {statuses}\nNew customers: {customers}\nInvoice → paid: {conversion}\nDeposits: {deposits} = {deposited}\n\n<b>Top products</b>\n{top}",
        }
    }
}
