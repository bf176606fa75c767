//! The texts the staff read — the admin screens in Telegram by family (catalog, sales,
//! operations), owner alerts, and the web dashboard — one entry a line: key, Indonesian,
//! English. Keys start `admin.`.

texts! {
    /// An admin catalog text's key.
    pub enum CatalogText {
        Stale "admin.catalog.stale" { id: "Tombol itu milik langkah yang sudah selesai. Mulai lagi dari menu admin.", en: "That button belongs to a step that is over. Start again from the admin menu." }
        SearchPrompt "admin.products.search_prompt" { id: "🔎 Kirim sebagian nama atau kode produk.", en: "🔎 Send part of a product's name or code." }
        AskName "admin.products.ask_name" { id: "Kirim <b>nama</b> baru (maksimal 128 karakter).", en: "Send the new <b>name</b> (up to 128 characters)." }
        AskPrice "admin.products.ask_price" { id: "Kirim <b>harga</b> baru dalam rupiah (mis. <code>25.000</code>).", en: "Send the new <b>price</b> in rupiah (e.g. <code>25.000</code>)." }
        AskDescription "admin.products.ask_description" { id: "Kirim <b>deskripsi</b> baru (<code>-</code> untuk kosong).", en: "Send the new <b>description</b> (<code>-</code> for none)." }
        AskTerms "admin.products.ask_terms" { id: "Kirim <b>syarat &amp; ketentuan (SNK)</b> baru yang tampil setelah pengiriman (<code>-</code> untuk kosong).", en: "Send the new <b>terms (SNK)</b> shown after delivery (<code>-</code> for none)." }
        AskLowStock "admin.products.ask_low_stock" { id: "Kirim <b>batas stok menipis</b>: admin diberi tahu sekali saat stok turun di bawahnya (<code>-</code> untuk mati).", en: "Send the <b>low-stock threshold</b>: admins are alerted once when stock falls below it (<code>-</code> for none)." }
        ListButton "admin.products.list_button" { id: "{archived}{name} · {price} · stok {stock} · terjual {sold}", en: "{archived}{name} · {price} · stock {stock} · sold {sold}" }
        NewProductButton "admin.products.new_button" { id: "➕ Produk baru", en: "➕ New product" }
        SearchButton "admin.products.search_button" { id: "🔎 Cari", en: "🔎 Search" }
        ListHeader "admin.products.list_header" { id: "🛒 <b>Produk</b> ({total}) — stok dan jumlah terjual; 🗄 diarsipkan.", en: "🛒 <b>Products</b> ({total}) — stock and sold counts; 🗄 archived." }
        SearchResult "admin.products.search_result" { id: "🔎 {count} produk cocok dengan <b>{query}</b>.", en: "🔎 {count} product(s) matching <b>{query}</b>." }
        ProductGone "admin.products.gone" { id: "Produk itu tidak ada.", en: "That product does not exist." }
        Uncategorised "admin.products.uncategorised" { id: "tanpa kategori", en: "uncategorised" }
        Off "admin.products.off" { id: "mati", en: "off" }
        NoDescription "admin.products.no_description" { id: "<i>tanpa deskripsi</i>", en: "<i>no description</i>" }
        NoTerms "admin.products.no_terms" { id: "<i>tidak ada</i>", en: "<i>none</i>" }
        ArchivedMark "admin.products.archived_mark" { id: " — 🗄 diarsipkan", en: " — 🗄 archived" }
        Detail "admin.products.detail" { id: "📦 <b>{name}</b> (<code>{code}</code>){archived}\nKategori: {category}\nStok semua varian: <b>{stock}</b> · dipesan {reserved} · terjual {sold}\n\n{description}\n\n<b>SNK:</b> {terms}", en: "📦 <b>{name}</b> (<code>{code}</code>){archived}\nCategory: {category}\nStock of all variants: <b>{stock}</b> · reserved {reserved} · sold {sold}\n\n{description}\n\n<b>Terms:</b> {terms}" }
        EditName "admin.products.edit_name" { id: "✏️ Nama", en: "✏️ Name" }
        EditPrice "admin.products.edit_price" { id: "💰 Harga", en: "💰 Price" }
        EditDescription "admin.products.edit_description" { id: "📄 Deskripsi", en: "📄 Description" }
        EditTerms "admin.products.edit_terms" { id: "📜 SNK", en: "📜 Terms" }
        EditCategory "admin.products.edit_category" { id: "🗂 Kategori", en: "🗂 Category" }
        EditLowStock "admin.products.edit_low_stock" { id: "⚠️ Stok menipis", en: "⚠️ Low stock" }
        AddStockButton "admin.products.add_stock_button" { id: "📥 Tambah stok", en: "📥 Add stock" }
        ContentsButton "admin.products.contents_button" { id: "📋 Isi stok", en: "📋 Contents" }
        Unarchive "admin.products.unarchive" { id: "♻️ Aktifkan lagi", en: "♻️ Unarchive" }
        Archive "admin.products.archive" { id: "🗄 Arsipkan", en: "🗄 Archive" }
        BadName "admin.products.bad_name" { id: "Nama terdiri dari 1–128 karakter. Kirim lagi.", en: "A name has 1–128 characters. Send it again." }
        BadPrice "admin.products.bad_price" { id: "Harga adalah bilangan bulat rupiah di atas 0. Kirim lagi.", en: "A price is a whole number of rupiah above 0. Send it again." }
        BadLowStock "admin.products.bad_low_stock" { id: "Kirim bilangan bulat (0 atau lebih), atau <code>-</code> untuk mati.", en: "Send a whole number (0 or more), or <code>-</code> for none." }
        WizardCode "admin.wizard.code" { id: "➕ <b>Produk baru</b> — langkah 1/7\nKirim <b>kode</b> produk: huruf, angka, <code>-</code> dan <code>_</code>, maksimal 32 (mis. <code>NETFLIX1M</code>).", en: "➕ <b>New product</b> — step 1/7\nSend the product <b>code</b>: letters, digits, <code>-</code> and <code>_</code>, up to 32 (e.g. <code>NETFLIX1M</code>)." }
        WizardContents "admin.wizard.contents" { id: "Langkah 6/7: kirim <b>isi produk</b> (yang diterima tiap pembeli): tempel satu per baris, banyak sekaligus, atau unggah file <b>.txt</b>. Tekan ✅ Selesai bila sudah ({total} sejauh ini).", en: "Step 6/7: send the <b>contents</b> (what each buyer receives): paste them one per line, many per message, or upload a <b>.txt</b> file. Press ✅ Finish when done ({total} so far)." }
        FinishButton "admin.wizard.finish_button" { id: "✅ Selesai", en: "✅ Finish" }
        WizardLost "admin.wizard.lost" { id: "Wizard kehilangan jawabannya; mulai lagi dari menu admin.", en: "The wizard lost its answers; start again from the admin menu." }
        CodeTakenMeanwhile "admin.wizard.code_taken_meanwhile" { id: "Kode <code>{code}</code> keburu dipakai; tidak ada yang dibuat. Mulai lagi dengan kode lain.", en: "Code <code>{code}</code> was taken meanwhile; nothing was created. Start again with another code." }
        Created "admin.wizard.created" { id: "✅ <b>{name}</b> dibuat dengan stok <b>{stock}</b>.\nLangkah 7/7: kirim <b>SNK</b>-nya, yang tampil ke pembeli setelah pengiriman, atau tekan Lewati.", en: "✅ <b>{name}</b> created with stock <b>{stock}</b>.\nStep 7/7: send its <b>terms (SNK)</b>, shown to buyers after delivery, or press Skip." }
        SkipButton "admin.wizard.skip_button" { id: "⏭ Lewati", en: "⏭ Skip" }
        BadCode "admin.wizard.bad_code" { id: "Itu bukan kode: pakai 1–32 huruf, angka, <code>-</code> atau <code>_</code>. Kirim lagi.", en: "That is not a code: use 1–32 letters, digits, <code>-</code> or <code>_</code>. Send it again." }
        CodeTaken "admin.wizard.code_taken" { id: "Kode <code>{code}</code> sudah dipakai produk lain. Kirim kode lain.", en: "Code <code>{code}</code> is taken by another product. Send another code." }
        WizardName "admin.wizard.name" { id: "Langkah 2/7: kirim <b>nama</b> produk (maksimal 128 karakter).", en: "Step 2/7: send the product <b>name</b> (up to 128 characters)." }
        WizardBadPrice "admin.wizard.bad_price" { id: "Harga adalah bilangan bulat rupiah di atas 0 (mis. <code>25000</code> atau <code>25.000</code>). Kirim lagi.", en: "A price is a whole number of rupiah above 0 (e.g. <code>25000</code> or <code>25.000</code>). Send it again." }
        WizardDescription "admin.wizard.description" { id: "Langkah 4/7: kirim <b>deskripsi</b> (<code>-</code> untuk kosong).", en: "Step 4/7: send the <b>description</b> (<code>-</code> for none)." }
        WizardCategory "admin.wizard.category" { id: "Langkah 5/7: pilih <b>kategori</b>.", en: "Step 5/7: pick the <b>category</b>." }
        WizardPickCategory "admin.wizard.pick_category" { id: "Pilih kategori dengan tombol di atas, atau Batal.", en: "Pick the category with a button above, or Cancel." }
        AddStockPrompt "admin.stock.prompt" { id: "📥 Kirim isi stok baru: tempel satu per baris (banyak per pesan), atau unggah file <b>.txt</b> berisi satu per baris. Duplikat dilaporkan dan dilewati. Tekan Batal atau menu apa pun bila selesai.", en: "📥 Send the new contents: paste them one per line (many per message), or upload a <b>.txt</b> file with one per line. Duplicates are reported and skipped. Press Cancel or any menu when done." }
        Deleted "admin.stock.deleted" { id: "Dihapus.", en: "Deleted." }
        NotDeleted "admin.stock.not_deleted" { id: "Isi itu sudah tidak ada atau sudah terpakai (dipesan atau terjual): tidak ada yang dihapus.", en: "That content is gone or no longer unused (reserved or sold): nothing deleted." }
        OnlyTxt "admin.stock.only_txt" { id: "Hanya file <b>.txt</b> berisi satu isi per baris yang bisa diimpor. Kirim satu, atau tempel isinya.", en: "Only a <b>.txt</b> file with one content per line can be imported. Send one, or paste the contents." }
        FileTooLarge "admin.stock.file_too_large" { id: "File itu {size} KiB; batasnya {limit} KiB. Pecah filenya, atau tempel isinya.", en: "That file is {size} KiB; the limit is {limit} KiB. Split it, or paste the contents." }
        FileReceived "admin.stock.file_received" { id: "📥 File diterima; sedang diimpor…", en: "📥 File received; importing…" }
        DraftAdded "admin.stock.draft_added" { id: "✅ Ditambah {added}; {duplicates} duplikat dilewati{too_long}. {total} isi sejauh ini. Kirim lagi, atau tekan ✅ Selesai.", en: "✅ Added {added}; {duplicates} duplicate(s) skipped{too_long}. {total} content(s) so far. Send more, or press ✅ Finish." }
        TooLongNote "admin.stock.too_long_note" { id: "; {count} baris lebih dari 4.000 karakter dilewati", en: "; {count} line(s) over 4,000 characters skipped" }
        ContentsHeader "admin.stock.contents_header" { id: "📋 <b>Isi belum terpakai</b>: {total}. Ditampilkan tersamar; tekan salah satu untuk menghapusnya.", en: "📋 <b>Unused contents</b>: {total}. Shown masked; press one to delete it." }
        ProductNoLonger "admin.stock.product_no_longer" { id: "Produk itu sudah tidak ada.", en: "That product no longer exists." }
        StockAdded "admin.stock.added" { id: "✅ Ditambah {added}; {duplicates} duplikat dilewati{too_long}. Stok sekarang: <b>{stock}</b>.\nKirim lagi, atau tekan Selesai.", en: "✅ Added {added}; {duplicates} duplicate(s) skipped{too_long}. Stock now: <b>{stock}</b>.\nSend more, or press Done." }
        DoneButton "admin.stock.done_button" { id: "✅ Selesai", en: "✅ Done" }
        ImportNotUtf8 "admin.import.not_utf8" { id: "file itu bukan teks UTF-8; simpan sebagai teks biasa (UTF-8) lalu unggah lagi", en: "the file is not UTF-8 text; save it as plain text (UTF-8) and upload it again" }
        ImportTooLarge "admin.import.too_large" { id: "file itu {size} KiB; batasnya {limit} KiB", en: "the file is {size} KiB; the limit is {limit} KiB" }
        ImportNotGiven "admin.import.not_given" { id: "Telegram tidak memberikan filenya: {error}", en: "Telegram did not give the file: {error}" }
        ImportFailed "admin.import.failed" { id: "❌ Tidak ada yang diimpor: {why}.", en: "❌ Nothing imported: {why}." }
        Imported "admin.import.done" { id: "✅ File diimpor: ditambah {added}; {duplicates} duplikat dilewati{too_long}. Stok sekarang: <b>{stock}</b>.", en: "✅ File imported: added {added}; {duplicates} duplicate(s) skipped{too_long}. Stock now: <b>{stock}</b>." }
        ImportProductGone "admin.import.product_gone" { id: "❌ Produk itu sudah tidak ada; tidak ada yang diimpor.", en: "❌ That product no longer exists; nothing imported." }
        ImportWizardLeft "admin.import.wizard_left" { id: "❌ Wizard produk baru sudah ditinggalkan sebelum file tiba; tidak ada yang diimpor.", en: "❌ The new-product wizard was left before the file arrived; nothing imported." }
        AskCategoryName "admin.categories.ask_name" { id: "Kirim <b>nama</b> kategori baru (maksimal 64 karakter).", en: "Send the new category's <b>name</b> (up to 64 characters)." }
        AskRename "admin.categories.ask_rename" { id: "Kirim <b>nama</b> baru kategori ini.", en: "Send the category's new <b>name</b>." }
        AskEmoji "admin.categories.ask_emoji" { id: "Kirim <b>emoji</b> baru kategori ini.", en: "Send the category's new <b>emoji</b>." }
        ConfirmDelete "admin.categories.confirm_delete" { id: "Hapus kategori ini? Produknya tetap ada, tanpa kategori.", en: "Delete this category? Its products stay, uncategorised." }
        YesDelete "admin.categories.yes_delete" { id: "🗑 Ya, hapus", en: "🗑 Yes, delete" }
        NewCategoryButton "admin.categories.new_button" { id: "➕ Kategori baru", en: "➕ New category" }
        CategoriesHeader "admin.categories.header" { id: "🗂 <b>Kategori</b> ({count}), sesuai urutan yang dilihat pelanggan.", en: "🗂 <b>Categories</b> ({count}), in the order customers see them." }
        CategoryGone "admin.categories.gone" { id: "Kategori itu tidak ada.", en: "That category does not exist." }
        CategoryDetail "admin.categories.detail" { id: "{emoji} <b>{name}</b> — {count} produk", en: "{emoji} <b>{name}</b> — {count} product(s)" }
        RenameButton "admin.categories.rename_button" { id: "✏️ Ganti nama", en: "✏️ Rename" }
        EmojiButton "admin.categories.emoji_button" { id: "😀 Emoji", en: "😀 Emoji" }
        DeleteButton "admin.categories.delete_button" { id: "🗑 Hapus", en: "🗑 Delete" }
        NoCategory "admin.categories.none_button" { id: "— Tanpa kategori", en: "— Uncategorised" }
        PickCategory "admin.categories.pick" { id: "Pilih kategori.", en: "Pick a category." }
        BadCategoryName "admin.categories.bad_name" { id: "Nama kategori terdiri dari 1–64 karakter. Kirim lagi.", en: "A category name has 1–64 characters. Send it again." }
        CategoryExists "admin.categories.exists" { id: "Kategori dengan nama itu sudah ada. Kirim nama lain.", en: "A category with that name exists. Send another name." }
        BadEmoji "admin.categories.bad_emoji" { id: "Kirim satu emoji (maksimal 8 karakter).", en: "Send one emoji (up to 8 characters)." }
    }
}

texts! {
    /// An admin sales text's key.
    pub enum SalesText {
        MarkPaidPrompt "admin.orders.mark_paid_prompt" { id: "✍️ Kirim catatan untuk arsip (mis. <code>transfer BCA 12:30, ref 123</code>). Pesanan lalu dibayar dan dikirim seperti pembayaran QRIS yang terkonfirmasi.", en: "✍️ Send a note for the record (e.g. <code>transfer BCA 12:30, ref 123</code>). The order is then paid and delivered like a confirmed QRIS payment." }
        OnlyAwaitingCancel "admin.orders.only_awaiting_cancel" { id: "Hanya pesanan yang menunggu pembayaran yang bisa dibatalkan.", en: "Only an order awaiting payment can be cancelled." }
        Cancelling "admin.orders.cancelling" { id: "Membatalkan: isi kembali ke stok dan tagihan ditutup.", en: "Cancelling: contents go back to stock and the invoice is closed." }
        ConfirmRefund "admin.orders.confirm_refund" { id: "Kembalikan total pesanan ini ke saldo pelanggan? Barang tetap terkirim.", en: "Refund this order's total to the customer's balance? The goods stay delivered." }
        YesRefund "admin.orders.yes_refund" { id: "💸 Ya, kembalikan", en: "💸 Yes, refund" }
        NoteNeeded "admin.orders.note_needed" { id: "Kirim catatan (teks apa saja) untuk arsip.", en: "Send a note (any text) for the record." }
        OrderGone "admin.orders.gone" { id: "Pesanan itu tidak ada.", en: "That order does not exist." }
        MarkedPaid "admin.orders.marked_paid" { id: "✅ Ditandai lunas: {outcome}.", en: "✅ Marked paid: {outcome}." }
        OnlyPaidRefund "admin.orders.only_paid_refund" { id: "Hanya pesanan yang sudah dibayar atau terkirim yang bisa dikembalikan.", en: "Only a paid or delivered order can be refunded." }
        Refunded "admin.orders.refunded" { id: "{amount} dikembalikan ke saldo pelanggan.", en: "Refunded {amount} to the customer's balance." }
        ListButton "admin.orders.list_button" { id: "{id} · {total} · {status} · {customer}", en: "{id} · {total} · {status} · {customer}" }
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
        ListHeader "admin.orders.list_header" { id: "📦 <b>Pesanan</b> — {filter}{period}{customer}: {count}{newest}", en: "📦 <b>Orders</b> — {filter}{period}{customer}: {count}{newest}" }
        OrderDetail "admin.orders.detail" { id: "🧾 <b>{id}</b> — {status}\nPelanggan: {customer} (<code>{telegram_id}</code>)\nDibayar dengan: {method}\n{items}\nSubtotal {subtotal} · diskon {discount} · <b>total {total}</b>\nDibuat {created} · dibayar {paid} · dikirim {delivered}{closed}{late}", en: "🧾 <b>{id}</b> — {status}\nCustomer: {customer} (<code>{telegram_id}</code>)\nPaid by: {method}\n{items}\nSubtotal {subtotal} · discount {discount} · <b>total {total}</b>\nCreated {created} · paid {paid} · delivered {delivered}{closed}{late}" }
        Closed "admin.orders.closed" { id: "\nDitutup: {reason}", en: "\nClosed: {reason}" }
        LatePayment "admin.orders.late_payment" { id: "\nPembayaran terlambat: {outcome}", en: "\nLate payment: {outcome}" }
        MarkPaidButton "admin.orders.mark_paid_button" { id: "✅ Tandai lunas", en: "✅ Mark paid" }
        CancelOrderButton "admin.orders.cancel_button" { id: "🚫 Batalkan pesanan", en: "🚫 Cancel order" }
        RefundButton "admin.orders.refund_button" { id: "💸 Kembalikan ke saldo", en: "💸 Refund to balance" }
        FindPrompt "admin.users.find_prompt" { id: "👥 Kirim id Telegram pelanggan (mis. <code>123456789</code>) atau @username.", en: "👥 Send a customer's Telegram id (e.g. <code>123456789</code>) or @username." }
        AdjustPrompt "admin.users.adjust_prompt" { id: "💰 Kirim perubahan dan alasannya, mis. <code>+50000 bonus</code> atau <code>-10000 koreksi</code>. Saldo tidak pernah di bawah nol.", en: "💰 Send the change and the reason, e.g. <code>+50000 bonus</code> or <code>-10000 correction</code>. A balance never goes below zero." }
        NotAnId "admin.users.not_an_id" { id: "Kirim id Telegram (angka) atau @username.", en: "Send a Telegram id (digits) or an @username." }
        NoSuchCustomer "admin.users.no_such_customer" { id: "Belum ada pelanggan {query} yang memakai bot. Kirim id atau @username lain.", en: "No customer {query} has used the bot. Send another id or @username." }
        BadAdjustment "admin.users.bad_adjustment" { id: "Kirim jumlah bertanda dan alasannya, mis. <code>+50000 bonus</code>.", en: "Send a signed amount and a reason, e.g. <code>+50000 bonus</code>." }
        BelowZero "admin.users.below_zero" { id: "Saldo akan jadi di bawah nol (atau pelanggannya sudah tidak ada). Kirim jumlah lain.", en: "That would take the balance below zero (or the customer is gone). Send another amount." }
        CustomerGone "admin.users.gone" { id: "Pelanggan itu tidak ada.", en: "That customer does not exist." }
        LedgerLine "admin.users.ledger_line" { id: "• {at} {delta} → {balance} ({reason})", en: "• {at} {delta} → {balance} ({reason})" }
        Blocked "admin.users.blocked" { id: "🚫 diblokir", en: "🚫 blocked" }
        Active "admin.users.active" { id: "✅ aktif", en: "✅ active" }
        Unreachable "admin.users.unreachable" { id: " · tidak terjangkau (memblokir bot)", en: " · unreachable (blocked the bot)" }
        UserDetail "admin.users.detail" { id: "👤 <b>{name}</b>{username} (<code>{telegram_id}</code>)\nSaldo: <b>{balance}</b> · pesanan {orders} · belanja {spent}\nBergabung {joined} · terakhir aktif {seen}\nStatus: {status}{unreachable}\n\n<b>Mutasi saldo</b> (5 terakhir):\n{ledger}", en: "👤 <b>{name}</b>{username} (<code>{telegram_id}</code>)\nBalance: <b>{balance}</b> · orders {orders} · spent {spent}\nJoined {joined} · last seen {seen}\nStatus: {status}{unreachable}\n\n<b>Ledger</b> (latest 5):\n{ledger}" }
        OrderButton "admin.users.order_button" { id: "🧾 {id} · {status} · {total}", en: "🧾 {id} · {status} · {total}" }
        Unblock "admin.users.unblock" { id: "✅ Buka blokir", en: "✅ Unblock" }
        Block "admin.users.block" { id: "🚫 Blokir", en: "🚫 Block" }
        AdjustButton "admin.users.adjust_button" { id: "💰 Ubah saldo", en: "💰 Adjust balance" }
        AllOrders "admin.users.all_orders" { id: "🧾 Semua pesanannya", en: "🧾 All their orders" }
        FindAnother "admin.users.find_another" { id: "🔎 Cari yang lain", en: "🔎 Find another" }
        VoucherPrompt "admin.vouchers.prompt" { id: "🎟 Kirim voucher dalam satu baris:\n<code>KODE | diskon | min. belanja | kuota | per pelanggan | hari berlaku</code>\nDiskon berupa persen (<code>10%</code>) atau rupiah (<code>5000</code>); sisanya boleh dikosongkan (tanpa minimum, tanpa batas, tanpa akhir).\nContoh: <code>HEMAT10 | 10% | 20000 | 100 | 1 | 30</code>", en: "🎟 Send the voucher on one line:\n<code>CODE | discount | min order | uses | per customer | days valid</code>\nThe discount is a percentage (<code>10%</code>) or rupiah (<code>5000</code>); the rest may be left out (no minimum, no limits, no end).\nExample: <code>HEMAT10 | 10% | 20000 | 100 | 1 | 30</code>" }
        BadCode "admin.vouchers.bad_code" { id: "kodenya 3–32 huruf, angka, - atau _", en: "the code has 3–32 letters, digits, - or _" }
        NoDiscount "admin.vouchers.no_discount" { id: "diskonnya belum ada", en: "the discount is missing" }
        BadPercent "admin.vouchers.bad_percent" { id: "persentase 1–100", en: "a percentage is 1–100" }
        BadDiscount "admin.vouchers.bad_discount" { id: "diskon berupa persen atau nominal di atas 0", en: "the discount is a percentage or an amount above 0" }
        BadMinimum "admin.vouchers.bad_minimum" { id: "min. belanja berupa nominal", en: "the minimum order is an amount" }
        BadUses "admin.vouchers.bad_uses" { id: "kuota berupa angka di atas 0", en: "uses is a number above 0" }
        BadPerUser "admin.vouchers.bad_per_user" { id: "per pelanggan berupa angka di atas 0", en: "per customer is a number above 0" }
        BadDays "admin.vouchers.bad_days" { id: "hari berupa angka di atas 0", en: "days is a number above 0" }
        NotAVoucher "admin.vouchers.not_a_voucher" { id: "Bukan voucher: {why}. Kirim lagi, mis. <code>HEMAT10 | 10% | 20000 | 100 | 1 | 30</code>.", en: "Not a voucher: {why}. Send it again, e.g. <code>HEMAT10 | 10% | 20000 | 100 | 1 | 30</code>." }
        VoucherExists "admin.vouchers.exists" { id: "Voucher <code>{code}</code> sudah ada. Kirim kode lain.", en: "Voucher <code>{code}</code> exists. Send another code." }
        VoucherCreated "admin.vouchers.created" { id: "✅ Voucher <code>{code}</code> dibuat.\n\n{list}", en: "✅ Voucher <code>{code}</code> created.\n\n{list}" }
        VoucherLine "admin.vouchers.line" { id: "{mark} <code>{code}</code> {discount} · min {min} · dipakai {used}{max} · sampai {until}", en: "{mark} <code>{code}</code> {discount} · min {min} · used {used}{max} · until {until}" }
        NoEnd "admin.vouchers.no_end" { id: "tanpa akhir", en: "no end" }
        DisableButton "admin.vouchers.disable_button" { id: "⛔️ Matikan {code}", en: "⛔️ Disable {code}" }
        NewVoucherButton "admin.vouchers.new_button" { id: "➕ Voucher baru", en: "➕ New voucher" }
        VouchersHeader "admin.vouchers.header" { id: "🎟 <b>Voucher</b> ({count})\n{lines}", en: "🎟 <b>Vouchers</b> ({count})\n{lines}" }
        NoneYet "admin.vouchers.none_yet" { id: "Belum ada.", en: "None yet." }
        BroadcastPrompt "admin.broadcast.prompt" { id: "📣 Kirim pesan siaran: teks, atau foto dengan keterangan (boleh HTML: <code>&lt;b&gt;</code>, <code>&lt;i&gt;</code>, tautan). Kamu melihat pratinjau sebelum apa pun terkirim.", en: "📣 Send the broadcast: a text, or a photo with a caption (HTML allowed: <code>&lt;b&gt;</code>, <code>&lt;i&gt;</code>, links). You see a preview before anything goes out." }
        AlreadyStarted "admin.broadcast.already_started" { id: "Siaran itu sudah dimulai atau dibatalkan.", en: "That broadcast was already started or cancelled." }
        Started "admin.broadcast.started" { id: "📣 Siaran #{id} dimulai untuk {count} pelanggan.", en: "📣 Broadcast #{id} started for {count} customer(s)." }
        Over "admin.broadcast.over" { id: "Siaran itu sudah selesai.", en: "That broadcast is over." }
        Cancelled "admin.broadcast.cancelled" { id: "Siaran dibatalkan; tidak ada lagi yang dikirim.", en: "Broadcast cancelled; nothing more is sent." }
        NeedContent "admin.broadcast.need_content" { id: "Kirim teks, atau foto dengan keterangan.", en: "Send a text, or a photo with a caption." }
        TooLong "admin.broadcast.too_long" { id: "Itu lebih dari {limit} karakter batas Telegram. Kirim yang lebih pendek.", en: "That is over Telegram's {limit} characters. Send a shorter one." }
        BadHtml "admin.broadcast.bad_html" { id: "Telegram akan menolak HTML itu: {why}. Perbaiki lalu kirim lagi.", en: "Telegram would refuse that HTML: {why}. Fix it and send it again." }
        Preview "admin.broadcast.preview" { id: "👀 Pratinjau:", en: "👀 Preview:" }
        ConfirmSend "admin.broadcast.confirm_send" { id: "Kirim ini ke <b>{count}</b> pelanggan?", en: "Send this to <b>{count}</b> customer(s)?" }
        SendButton "admin.broadcast.send_button" { id: "📣 Kirim", en: "📣 Send" }
        BroadcastGone "admin.broadcast.gone" { id: "Siaran itu tidak ada.", en: "That broadcast does not exist." }
        Progress "admin.broadcast.progress" { id: "📣 Siaran #{id} — {status}: terkirim {sent} · gagal {failed} · menunggu {pending}", en: "📣 Broadcast #{id} — {status}: sent {sent} · failed {failed} · pending {pending}" }
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
        Stats "admin.stats.screen" { id: "📊 <b>{label}</b>\nPendapatan: <b>{revenue}</b> dari {sales} penjualan\nPesanan: {statuses}\nPelanggan baru: {customers}\nTagihan → dibayar: {conversion}\nDeposit: {deposits} = {deposited}\n\n<b>Produk terlaris</b>\n{top}", en: "📊 <b>{label}</b>\nRevenue: <b>{revenue}</b> from {sales} sale(s)\nOrders: {statuses}\nNew customers: {customers}\nInvoice → paid: {conversion}\nDeposits: {deposits} = {deposited}\n\n<b>Top products</b>\n{top}" }
    }
}

texts! {
    /// An admin operations text's key.
    pub enum OpsText {
        HomeButton "admin.common.home_button" { id: "🏠 Admin", en: "🏠 Admin" }
        BackButton "admin.common.back_button" { id: "⬅️ Kembali", en: "⬅️ Back" }
        CancelButton "admin.common.cancel_button" { id: "❌ Batal", en: "❌ Cancel" }
        Cancelled "admin.common.cancelled" { id: "Dibatalkan.", en: "Cancelled." }
        Home "admin.menu.home" { id: "⚙️ <b>Admin — {store}</b>\nPilih yang ingin dikelola.", en: "⚙️ <b>Admin — {store}</b>\nPick what to manage." }
        MenuProducts "admin.menu.products" { id: "🛒 Produk", en: "🛒 Products" }
        MenuCategories "admin.menu.categories" { id: "🗂 Kategori", en: "🗂 Categories" }
        MenuOrders "admin.menu.orders" { id: "📦 Pesanan", en: "📦 Orders" }
        MenuUsers "admin.menu.users" { id: "👥 Pelanggan", en: "👥 Users" }
        MenuVouchers "admin.menu.vouchers" { id: "🎟 Voucher", en: "🎟 Vouchers" }
        MenuBroadcast "admin.menu.broadcast" { id: "📣 Siaran", en: "📣 Broadcast" }
        MenuStats "admin.menu.stats" { id: "📊 Statistik", en: "📊 Statistics" }
        MenuJobs "admin.menu.jobs" { id: "🧰 Antrean job", en: "🧰 Jobs" }
        MenuTexts "admin.menu.texts" { id: "📝 Teks", en: "📝 Texts" }
        MenuSettings "admin.menu.settings" { id: "⚙️ Pengaturan", en: "⚙️ Settings" }
        MenuAudit "admin.menu.audit" { id: "📜 Log audit", en: "📜 Audit log" }
        MenuDashboard "admin.menu.dashboard" { id: "🖥 Dasbor", en: "🖥 Dashboard" }
        MenuAdmins "admin.menu.admins" { id: "👑 Admin", en: "👑 Admins" }
        DashboardNeedsUrl "admin.menu.dashboard_needs_url" { id: "Dasbor butuh PUBLIC_URL (alamat publik toko) di konfigurasi.", en: "The dashboard needs PUBLIC_URL (the shop's public address) in the configuration." }
        DashboardLink "admin.menu.dashboard_link" { id: "🖥 Tautan dasbor kamu, berlaku 10 menit dan sekali pakai:\n{url}", en: "🖥 Your dashboard link, valid 10 minutes and once:\n{url}" }
        DashboardOpen "admin.menu.dashboard_open" { id: "🖥 Buka dasbor", en: "🖥 Open the dashboard" }
        Requeued "admin.jobs.requeued" { id: "Diantrekan lagi; sebentar lagi berjalan.", en: "Queued again; it runs in a moment." }
        NotRetried "admin.jobs.not_retried" { id: "Hanya job gagal yang bisa diulang (mungkin sudah diulang).", en: "Only a failed job can be retried (it may have been retried already)." }
        RetriedAll "admin.jobs.retried_all" { id: "{count} job gagal diantrekan lagi.", en: "{count} failed job(s) queued again." }
        Discarded "admin.jobs.discarded" { id: "Dibuang.", en: "Discarded." }
        NotDiscarded "admin.jobs.not_discarded" { id: "Tidak dibuang: job-nya sudah tidak ada atau sedang berjalan.", en: "Not discarded: the job is gone or running." }
        QueueLine "admin.jobs.queue_line" { id: "<b>{queue}</b>: menunggu {pending} · terjadwal {scheduled} · berjalan {running} · diulang {retrying} · <b>gagal {failed}</b>{oldest}", en: "<b>{queue}</b>: pending {pending} · scheduled {scheduled} · running {running} · retrying {retrying} · <b>failed {failed}</b>{oldest}" }
        Oldest "admin.jobs.oldest" { id: " · tertua {seconds} dtk", en: " · oldest {seconds}s" }
        FailedButton "admin.jobs.failed_button" { id: "❗️ Job gagal ({count})", en: "❗️ Failed jobs ({count})" }
        RetryAllButton "admin.jobs.retry_all_button" { id: "🔁 Ulang semua yang gagal", en: "🔁 Retry all failed" }
        RefreshButton "admin.jobs.refresh_button" { id: "🔄 Refresh", en: "🔄 Refresh" }
        JobsHeader "admin.jobs.header" { id: "🧰 <b>Antrean job</b>\n{lines}", en: "🧰 <b>Jobs</b>\n{lines}" }
        NoFailed "admin.jobs.no_failed" { id: "✅ Tidak ada job gagal.", en: "✅ No failed jobs." }
        FailedHeader "admin.jobs.failed_header" { id: "❗️ <b>Job gagal</b>, terbaru dulu. Buka satu untuk melihat error-nya dan mengulanginya.", en: "❗️ <b>Failed jobs</b>, newest first. Open one to see its error and retry it." }
        JobGone "admin.jobs.gone" { id: "Job itu sudah tidak ada.", en: "That job no longer exists." }
        JobDetail "admin.jobs.detail" { id: "🧾 <b>{kind}</b> <code>{id}</code>\nAntrean {queue} · status <b>{state}</b> · percobaan {attempts}/{max}\n\n<b>Error:</b> {error}\n\n<b>Payload:</b> <code>{payload}</code>", en: "🧾 <b>{kind}</b> <code>{id}</code>\nQueue {queue} · state <b>{state}</b> · attempts {attempts}/{max}\n\n<b>Error:</b> {error}\n\n<b>Payload:</b> <code>{payload}</code>" }
        RetryButton "admin.jobs.retry_button" { id: "🔁 Ulangi", en: "🔁 Retry" }
        DiscardButton "admin.jobs.discard_button" { id: "🗑 Buang", en: "🗑 Discard" }
        SettingStoreName "admin.settings.store_name" { id: "Nama toko", en: "Store name" }
        SettingTimezone "admin.settings.timezone" { id: "Zona waktu", en: "Time zone" }
        SettingInvoiceLifetime "admin.settings.invoice_lifetime" { id: "Umur tagihan (menit)", en: "Invoice lifetime (minutes)" }
        SettingDepositMin "admin.settings.deposit_min" { id: "Top-up terkecil (Rp)", en: "Smallest top-up (Rp)" }
        SettingDepositMax "admin.settings.deposit_max" { id: "Top-up terbesar (Rp)", en: "Largest top-up (Rp)" }
        SettingPageSize "admin.settings.page_size" { id: "Produk per halaman katalog", en: "Products per catalog page" }
        SettingLowStock "admin.settings.low_stock" { id: "Batas stok menipis bawaan", en: "Default low-stock threshold" }
        AskSetting "admin.settings.ask" { id: "⚙️ Kirim nilai baru <b>{setting}</b>.", en: "⚙️ Send the new value of <b>{setting}</b>." }
        ExpectNumber "admin.settings.expect_number" { id: "bilangan bulat dari {min} sampai {max}", en: "a whole number from {min} to {max}" }
        ExpectName "admin.settings.expect_name" { id: "1–64 karakter", en: "1–64 characters" }
        ExpectZone "admin.settings.expect_zone" { id: "zona waktu IANA seperti Asia/Jakarta atau Asia/Makassar", en: "an IANA time zone such as Asia/Jakarta or Asia/Makassar" }
        SettingRefused "admin.settings.refused" { id: "Tidak disimpan: {setting} harus {expected}. Kirim lagi.", en: "Not saved: {setting} needs {expected}. Send it again." }
        MinAboveMax "admin.settings.min_above_max" { id: "top-up terkecil akan di atas yang terbesar ({amount})", en: "the smallest top-up would be above the largest ({amount})" }
        MaxBelowMin "admin.settings.max_below_min" { id: "top-up terbesar akan di bawah yang terkecil ({amount})", en: "the largest top-up would be below the smallest ({amount})" }
        SettingClash "admin.settings.clash" { id: "Tidak disimpan: {why}. Kirim nilai lain.", en: "Not saved: {why}. Send another value." }
        SettingSaved "admin.settings.saved" { id: "✅ Tersimpan.\n\n{screen}", en: "✅ Saved.\n\n{screen}" }
        PakasirLifetime "admin.settings.pakasir_lifetime" { id: "bawaan Pakasir", en: "Pakasir's" }
        Minutes "admin.settings.minutes" { id: "{count} menit", en: "{count} min" }
        SettingOff "admin.settings.off" { id: "mati", en: "off" }
        SettingLine "admin.settings.line" { id: "{setting}: <b>{value}</b>{here}", en: "{setting}: <b>{value}</b>{here}" }
        SetHere "admin.settings.set_here" { id: " (diatur di sini)", en: " (set here)" }
        DefaultButton "admin.settings.default_button" { id: "↩️ Bawaan", en: "↩️ Default" }
        SettingsHeader "admin.settings.header" { id: "⚙️ <b>Pengaturan</b> (di atas bawaan konfigurasi; langsung berlaku di semua replika)\n{lines}", en: "⚙️ <b>Settings</b> (over the configured defaults; live at once on every replica)\n{lines}" }
        TextPrompt "admin.texts.prompt" { id: "✏️ Kirim teks <b>{locale}</b> baru untuk <code>{key}</code>. Placeholder: {placeholders}. HTML: &lt;b&gt;, &lt;i&gt;, &lt;code&gt;, &lt;a href=\"…\"&gt;; tulis &amp;amp; untuk &amp;.", en: "✏️ Send the new <b>{locale}</b> text for <code>{key}</code>. Placeholders: {placeholders}. HTML: &lt;b&gt;, &lt;i&gt;, &lt;code&gt;, &lt;a href=\"…\"&gt;; write &amp;amp; for &amp;." }
        BackToBuiltIn "admin.texts.back_to_built_in" { id: "Kembali ke teks bawaan.", en: "Back to the built-in text." }
        NoPlaceholders "admin.texts.no_placeholders" { id: "tidak ada", en: "none" }
        TextEmpty "admin.texts.empty" { id: "teksnya kosong", en: "the text is empty" }
        TextTooLong "admin.texts.too_long" { id: "teksnya lebih dari 4.096 karakter batas Telegram", en: "the text is over Telegram's 4,096 characters" }
        UnknownPlaceholders "admin.texts.unknown_placeholders" { id: "placeholder tak dikenal {unknown}; teks ini punya {allowed}", en: "unknown placeholder(s) {unknown}; this text has {allowed}" }
        TextGone "admin.texts.gone" { id: "Teks itu sudah tidak ada.", en: "That text no longer exists." }
        TextRefused "admin.texts.refused" { id: "Tidak disimpan: {why}. Kirim lagi.", en: "Not saved: {why}. Send it again." }
        TextSaved "admin.texts.saved" { id: "✅ Tersimpan. Tampilannya begini:", en: "✅ Saved. It reads like this:" }
        TextsHeader "admin.texts.header" { id: "📝 <b>Teks</b>: {count} kunci (pelanggan dulu, lalu layar admin <code>admin.*</code>), ✏️ = diubah. Pilih satu untuk melihat dan mengubahnya.", en: "📝 <b>Texts</b>: {count} keys (customers' first, then the admin screens' <code>admin.*</code>), ✏️ = edited. Pick one to see and edit it." }
        TextSearchButton "admin.texts.search_button" { id: "🔎 Cari teks", en: "🔎 Find a text" }
        TextSearchPrompt "admin.texts.search_prompt" { id: "🔎 Kirim sebagian kunci atau isi teks (mis. <code>voucher</code> atau <code>keranjang</code>).", en: "🔎 Send part of a text's key or words (e.g. <code>voucher</code> or <code>cart</code>)." }
        TextSearchResult "admin.texts.search_result" { id: "🔎 {count} teks memuat <b>{query}</b> (paling banyak 20). Pilih satu untuk melihat dan mengubahnya.", en: "🔎 {count} text(s) with <b>{query}</b> (at most 20). Pick one to see and edit it." }
        TextPlaceholders "admin.texts.placeholders" { id: "Placeholder: {placeholders}", en: "Placeholders: {placeholders}" }
        Edited "admin.texts.edited" { id: " (diubah)", en: " (edited)" }
        EditLocale "admin.texts.edit_locale" { id: "✏️ Ubah {locale}", en: "✏️ Edit {locale}" }
        ResetLocale "admin.texts.reset_locale" { id: "↩️ Reset {locale}", en: "↩️ Reset {locale}" }
        OwnersOnly "admin.staff.owners_only" { id: "Hanya owner yang mengelola admin.", en: "Only an owner manages admins." }
        AuditPrompt "admin.audit.prompt" { id: "🔎 Kirim <code>actor tg:123456</code> atau <code>action product.update</code>.", en: "🔎 Send <code>actor tg:123456</code> or <code>action product.update</code>." }
        NewAdminPrompt "admin.staff.new_prompt" { id: "👑 Kirim id Telegram admin baru (mereka bisa melihatnya lewat @userinfobot).", en: "👑 Send the new admin's Telegram id (they find it with @userinfobot)." }
        IdDigits "admin.staff.id_digits" { id: "Id Telegram hanya angka. Kirim lagi.", en: "A Telegram id is digits only. Send it again." }
        IdPositive "admin.staff.id_positive" { id: "Id Telegram adalah angka positif. Kirim lagi.", en: "A Telegram id is a positive number. Send it again." }
        RemoveButton "admin.staff.remove_button" { id: "➖ Hapus {id}", en: "➖ Remove {id}" }
        AddAdminButton "admin.staff.add_button" { id: "➕ Tambah admin", en: "➕ Add admin" }
        AddedBy "admin.staff.added_by" { id: " (oleh {by})", en: " (by {by})" }
        AdminsScreen "admin.staff.screen" { id: "👑 <b>Admin</b>\nOwner (konfigurasi): {owners}\nAdmin (konfigurasi): {admins}\nDitambahkan di bot:\n{added}", en: "👑 <b>Admins</b>\nOwners (configuration): {owners}\nAdmins (configuration): {admins}\nAdded in the bot:\n{added}" }
        AuditSearchHelp "admin.audit.search_help" { id: "Kirim <code>actor tg:123456</code> atau <code>action product.update</code> (awal sebuah action juga bisa: <code>action product.</code>).", en: "Send <code>actor tg:123456</code> or <code>action product.update</code> (an action's start works too: <code>action product.</code>)." }
        Newer "admin.audit.newer" { id: "◀️ Lebih baru", en: "◀️ Newer" }
        Older "admin.audit.older" { id: "Lebih lama ▶️", en: "Older ▶️" }
        FilterButton "admin.audit.filter_button" { id: "🔎 Saring", en: "🔎 Filter" }
        ByActor "admin.audit.by_actor" { id: " oleh {actor}", en: " by {actor}" }
        ForAction "admin.audit.for_action" { id: " untuk {action}…", en: " for {action}…" }
        AuditHeader "admin.audit.header" { id: "📜 <b>Log audit</b>{heading} (terbaru dulu)\n{lines}", en: "📜 <b>Audit log</b>{heading} (newest first)\n{lines}" }
        NothingYet "admin.audit.nothing_yet" { id: "Belum ada.", en: "Nothing yet." }
        AlertFailedJobs "admin.alert.failed_jobs" { id: "❗️ <b>{count} job gagal</b>. Terbaru: <code>{kind}</code> — {error}\nBuka ⚙️ Admin → 🧰 Antrean job untuk mengulang atau membuangnya.", en: "❗️ <b>{count} failed job(s)</b>. Newest: <code>{kind}</code> — {error}\nSee ⚙️ Admin → 🧰 Jobs to retry or discard." }
        AlertFailedJobsOver "admin.alert.failed_jobs_over" { id: "✅ Tidak ada lagi job gagal.", en: "✅ No failed jobs are left." }
        AlertBacklog "admin.alert.backlog" { id: "⏳ <b>Antrean {queue} macet</b>: job tertuanya sudah menunggu {seconds} dtk. Apakah worker berjalan (<code>bot-auto-order jobs stats</code>)?", en: "⏳ <b>Queue {queue} is stuck</b>: its oldest pending job has waited {seconds} s. Are the workers running (<code>bot-auto-order jobs stats</code>)?" }
        AlertBacklogOver "admin.alert.backlog_over" { id: "✅ Antrean bergerak lagi.", en: "✅ The queues are moving again." }
        AlertErrors "admin.alert.errors" { id: "🔥 <b>{count} error tercatat hari ini</b>. Rinciannya ada di log (LOG_DIR/main, level ERROR).", en: "🔥 <b>{count} error(s) logged today</b>. Details are in the logs (LOG_DIR/main, level ERROR)." }
        AlertErrorsOver "admin.alert.errors_over" { id: "✅ Hari baru tanpa error sejauh ini.", en: "✅ A new day without errors so far." }
        AlertBackupFailed "admin.alert.backup_failed" { id: "💾❌ <b>Backup gagal</b>: {error}\nJalankan <code>bot-auto-order doctor</code> dan <code>bot-auto-order backup create</code> di server.", en: "💾❌ <b>Backup failed</b>: {error}\nRun <code>bot-auto-order doctor</code> and <code>bot-auto-order backup create</code> on the server." }
        AlertBackupOver "admin.alert.backup_over" { id: "💾✅ Backup berjalan lagi.", en: "💾✅ Backups work again." }
    }
}

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
        SignInHelp "admin.dashboard.sign_in_help" { id: "Buka tautan yang dikirim bot (⚙️ Admin → 🖥 Dasbor), atau masukkan token dasbor.", en: "Open the link the bot sends you (⚙️ Admin → 🖥 Dashboard), or enter the dashboard token." }
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
        QueueColumns "admin.dashboard.queue_columns" { id: "antrean|menunggu|terjadwal|berjalan|diulang|gagal|selesai|tertua menunggu", en: "queue|pending|scheduled|running|retrying|failed|done|oldest pending" }
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
        JobColumns "admin.dashboard.job_columns" { id: "id|antrean|jenis|status|percobaan|jalan pada|error", en: "id|queue|kind|state|attempts|run at|error" }
        JobSummary "admin.dashboard.job_summary" { id: "antrean {queue}, status {state}, percobaan {attempts}/{max}, jalan pada {run_at}", en: "queue {queue}, state {state}, attempts {attempts}/{max}, run at {run_at}" }
        Retry "admin.dashboard.retry" { id: "Ulangi", en: "Retry" }
        Discard "admin.dashboard.discard" { id: "Buang", en: "Discard" }
        LastResult "admin.dashboard.last_result" { id: "Hasil terakhir", en: "Last result" }
        Payload "admin.dashboard.payload" { id: "Payload", en: "Payload" }
        Status "admin.dashboard.status" { id: "Status", en: "Status" }
        OrderColumns "admin.dashboard.order_columns" { id: "pesanan|pelanggan|status|dibayar dengan|total|dibuat|dibayar", en: "order|customer|status|paid by|total|created|paid" }
        ProductColumns "admin.dashboard.product_columns" { id: "kode|nama|harga|status|stok|dipesan|terjual", en: "code|name|price|status|stock|reserved|sold" }
        StockFromBot "admin.dashboard.stock_from_bot" { id: "Stok ditambahkan dari bot: ⚙️ Admin → 🛒 Produk.", en: "Stock is added from the bot: ⚙️ Admin → 🛒 Products." }
        AuditColumns "admin.dashboard.audit_columns" { id: "waktu|pelaku|aksi|entitas|sebelum|sesudah", en: "at|actor|action|entity|before|after" }
        Flood "admin.dashboard.flood" { id: "Flood control Telegram", en: "Telegram flood control" }
        BotHeld "admin.dashboard.bot_held" { id: "Bot ditahan selama", en: "Bot held for" }
        ChatsHeld "admin.dashboard.chats_held" { id: "Chat ditahan sekarang", en: "Chats held now" }
        Floods "admin.dashboard.floods" { id: "429 (chat kena flood dalam 24 jam)", en: "429s (chats flooded in 24 h)" }
        HeldColumns "admin.dashboard.held_columns" { id: "chat|ditahan selama|429", en: "chat|held for|429s" }
        Notices "admin.dashboard.notices" { id: "Notifikasi pembayaran", en: "Payment notices" }
        NoticesHelp "admin.dashboard.notices_help" { id: "50 terakhir, terbaru dulu. Yang ditolak tidak mengkredit apa pun; banyak penolakan dari satu alamat berarti ada yang mengirim notifikasi palsu ke webhook (pasang <code>PAKASIR_WEBHOOK_SECRET</code> dan proxy penanda tangan, atau batasi URL-nya).", en: "The latest 50, newest first. Rejected ones credit nothing; many of them from one address mean someone is posting made-up notices to the webhook (set <code>PAKASIR_WEBHOOK_SECRET</code> and a signing proxy, or restrict the URL)." }
        WrongToken "admin.dashboard.wrong_token" { id: "Itu bukan token dasbor (DASHBOARD_TOKEN). Atau minta tautan ke bot: ⚙️ Admin → 🖥 Dasbor.", en: "That is not the dashboard token (DASHBOARD_TOKEN). Or ask the bot for a link: ⚙️ Admin → 🖥 Dashboard." }
        LinkUsed "admin.dashboard.link_used" { id: "Tautan itu sudah dipakai atau lebih dari 10 menit. Minta yang baru ke bot: ⚙️ Admin → 🖥 Dasbor.", en: "That link was used already or is older than 10 minutes. Ask the bot for a new one: ⚙️ Admin → 🖥 Dashboard." }
        ErrorTitle "admin.dashboard.error_title" { id: "Galat", en: "Error" }
        BackToOverview "admin.dashboard.back_to_overview" { id: "Kembali ke ringkasan", en: "Back to the overview" }
        NoticeColumns "admin.dashboard.notice_columns" { id: "diterima|pesanan|jumlah|putusan|catatan|dari", en: "received|order|amount|verdict|note|from" }
    }
}
