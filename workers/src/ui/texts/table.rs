//! The texts customers read (and the alerts staff get from the payment pipeline), with their
//! keys and Indonesian and English defaults.

texts! {
    /// A customer text's key (stable: admins override texts by key and locale).
    pub enum Text {
        Welcome "welcome" {
            id: "Hai <b>{name}</b>! 👋\nSelamat datang di <b>{store}</b>.\n\n👥 Pelanggan: <b>{customers}</b>\n✅ Transaksi tuntas: <b>{completed}</b>\n\nPilih menu di bawah untuk mulai belanja.",
            en: "Hi <b>{name}</b>! 👋\nWelcome to <b>{store}</b>.\n\n👥 Customers: <b>{customers}</b>\n✅ Completed orders: <b>{completed}</b>\n\nPick a menu below to start shopping.",
        }
        NotUnderstood "not_understood" {
            id: "Maaf, aku belum paham pesan itu. Pilih salah satu menu di bawah ya. 🙏",
            en: "Sorry, I didn't understand that. Please pick one of the menus below. 🙏",
        }
        Blocked "blocked" {
            id: "❌ Akun kamu sedang diblokir. Hubungi admin jika menurutmu ini keliru.",
            en: "❌ Your account is blocked. Contact an admin if you think this is a mistake.",
        }
        SpamWarning "spam.warning" {
            id: "🚫 Jangan spam ya! Tunggu {seconds} detik, lalu coba lagi.",
            en: "🚫 Please slow down! Wait {seconds} seconds, then try again.",
        }
        SpamAlert "spam.admin_alert" {
            id: "🚨 <b>Spam</b> dari {name} (<code>{id}</code>): {hits} aksi dalam {seconds} detik.",
            en: "🚨 <b>Spam</b> from {name} (<code>{id}</code>): {hits} actions in {seconds} seconds.",
        }
        MissedGoods "orders.missed_goods" {
            id: "📦 Selamat datang kembali! Pesanan yang sudah dibayar menunggumu: {orders}. Buka 🧾 Riwayat Order untuk melihat isinya.",
            en: "📦 Welcome back! Paid orders are waiting for you: {orders}. Open 🧾 My Orders to see what's inside.",
        }
        StateExpired "state_expired" {
            id: "⌛ Waktu untuk mengisi sudah habis. Silakan ulangi dari menu.",
            en: "⌛ The time to answer ran out. Please start again from the menu.",
        }
        Cancelled "cancelled" {
            id: "Dibatalkan.",
            en: "Cancelled.",
        }
        MenuProducts "menu.products" { id: "🛍 Semua Produk", en: "🛍 All Products" }
        MenuStock "menu.stock" { id: "🏷 Cek Stok", en: "🏷 Stock" }
        MenuCart "menu.cart" { id: "🛒 Keranjang", en: "🛒 Cart" }
        MenuOrders "menu.orders" { id: "🧾 Riwayat Order", en: "🧾 My Orders" }
        MenuInfo "menu.info" { id: "ℹ️ Informasi", en: "ℹ️ Info" }
        MenuHowTo "menu.how_to" { id: "📘 Cara Order", en: "📘 How to Order" }
        MenuAdmin "menu.admin" { id: "⚙️ Menu Admin", en: "⚙️ Admin Menu" }
        ButtonGone "button_gone" {
            id: "Tombol ini sudah tidak berlaku. Silakan buka menu lagi.",
            en: "This button is no longer valid. Please open the menu again.",
        }
        Back "button.back" { id: "⬅️ Kembali", en: "⬅️ Back" }
        Refresh "button.refresh" { id: "🔄 Refresh", en: "🔄 Refresh" }
        Categories "catalog.categories" { id: "🗂 <b>Pilih kategori</b>", en: "🗂 <b>Pick a category</b>" }
        AllProducts "catalog.all" { id: "🛍 Semua produk", en: "🛍 All products" }
        NoProducts "catalog.empty" {
            id: "Belum ada produk yang tersedia saat ini. Cek lagi nanti ya!",
            en: "No products are available right now. Please check again later!",
        }
        ListHeader "catalog.list_header" {
            id: "<b>{shelf}</b> — halaman {page}/{pages}",
            en: "<b>{shelf}</b> — page {page}/{pages}",
        }
        ProductLine "catalog.product_line" {
            id: "{n}. <b>{name}</b> — {price} (stok {stock})",
            en: "{n}. <b>{name}</b> — {price} ({stock} in stock)",
        }
        ProductDetail "catalog.product_detail" {
            id: "<b>{name}</b>\n\n💰 Harga: <b>{price}</b>\n📦 Stok: {stock}\n🔥 Terjual: {sold}\n🗂 Kategori: {category}\n\n{description}",
            en: "<b>{name}</b>\n\n💰 Price: <b>{price}</b>\n📦 Stock: {stock}\n🔥 Sold: {sold}\n🗂 Category: {category}\n\n{description}",
        }
        ProductInCart "catalog.in_cart" {
            id: "🛒 Di keranjang: <b>{quantity}x</b> = {total}",
            en: "🛒 In your cart: <b>{quantity}x</b> = {total}",
        }
        VariantButton "catalog.variant_button" { id: "{n}. {name}", en: "{n}. {name}" }
        VariantButtonInCart "catalog.variant_button_in_cart" { id: "{n}. {name} 🛒{quantity}", en: "{n}. {name} 🛒{quantity}" }
        VariantsHeader "catalog.variants" { id: "👇 <b>Pilih varian:</b>", en: "👇 <b>Pick a variant:</b>" }
        TierLine "catalog.tier_line" {
            id: "🔻 Mulai {quantity}: <b>{price}</b>/pcs",
            en: "🔻 From {quantity}: <b>{price}</b> each",
        }
        GroupPrice "catalog.group_price" {
            id: "{price} <i>(harga {group})</i>",
            en: "{price} <i>({group} price)</i>",
        }
        PriceFrom "catalog.price_from" { id: "mulai {price}", en: "from {price}" }
        CartTierNote "cart.tier_note" {
            id: "   ↳ {price}/pcs harga grosir",
            en: "   ↳ {price} each, quantity price",
        }
        CartGroupNote "cart.group_note" {
            id: "   ↳ {price}/pcs harga {group}",
            en: "   ↳ {price} each, {group} price",
        }
        ProductGone "catalog.product_gone" {
            id: "Produk ini sudah tidak tersedia. Silakan pilih produk lain.",
            en: "This product is no longer available. Please pick another one.",
        }
        StockHeader "stock.header" {
            id: "🏷 <b>Stok produk</b> (per {time})",
            en: "🏷 <b>Product stock</b> (as of {time})",
        }
        StockLine "stock.line" { id: "— {name} ➜ <b>{stock}x</b>", en: "— {name} ➜ <b>{stock}x</b>" }
        StockCapped "cart.stock_capped" {
            id: "Stok {name} tinggal {stock}, jumlahnya disesuaikan.",
            en: "Only {stock} of {name} left; the quantity was adjusted.",
        }
        CartEmpty "cart.empty" {
            id: "🛒 Keranjangmu masih kosong. Yuk pilih produk dulu!",
            en: "🛒 Your cart is empty. Pick a product first!",
        }
        CartHeader "cart.header" { id: "🛒 <b>Keranjang</b>", en: "🛒 <b>Your cart</b>" }
        CartLine "cart.line" {
            id: "{n}. {name} ×{quantity} = {total}",
            en: "{n}. {name} ×{quantity} = {total}",
        }
        CartSubtotal "cart.subtotal" { id: "Subtotal: {amount}", en: "Subtotal: {amount}" }
        CartDiscount "cart.discount" {
            id: "🎟 Voucher <code>{code}</code>: -{amount}",
            en: "🎟 Voucher <code>{code}</code>: -{amount}",
        }
        CartVoucherInvalid "cart.voucher_invalid" {
            id: "🎟 Voucher <code>{code}</code> tidak dipakai: {reason}",
            en: "🎟 Voucher <code>{code}</code> not applied: {reason}",
        }
        CartTotal "cart.total" { id: "<b>Total: {amount}</b>", en: "<b>Total: {amount}</b>" }
        CartAdjusted "cart.adjusted" {
            id: "⚠️ Keranjang disesuaikan dengan stok terbaru:",
            en: "⚠️ Your cart was adjusted to the latest stock:",
        }
        CartRemovedLine "cart.removed_line" {
            id: "— {name}: habis, dihapus dari keranjang",
            en: "— {name}: sold out, removed from your cart",
        }
        CartCappedLine "cart.capped_line" {
            id: "— {name}: tinggal {stock}, jumlah disesuaikan",
            en: "— {name}: only {stock} left, quantity adjusted",
        }
        CartChanged "cart.changed" {
            id: "Keranjangmu berubah sejak ringkasan ini dibuat. Ini ringkasan terbarunya.",
            en: "Your cart changed since this summary was made. Here is the latest one.",
        }
        ButtonAddToCart "button.add_to_cart" { id: "🛒 Tambah ke keranjang", en: "🛒 Add to cart" }
        ButtonOpenCart "button.open_cart" { id: "🧺 Keranjang ({count})", en: "🧺 Cart ({count})" }
        ButtonCheckout "button.checkout" { id: "💳 Lanjut ke pembayaran", en: "💳 Proceed to payment" }
        ButtonEmptyCart "button.empty_cart" { id: "🗑 Kosongkan", en: "🗑 Empty cart" }
        ButtonVoucher "button.voucher" { id: "🎟 Pakai voucher", en: "🎟 Use a voucher" }
        ButtonRemoveVoucher "button.remove_voucher" { id: "❌ Lepas voucher", en: "❌ Remove voucher" }
        ButtonShop "button.shop" { id: "🛍 Lihat produk", en: "🛍 Browse products" }
        VoucherPrompt "voucher.prompt" {
            id: "🎟 Kirim kode vouchermu. Ketik <b>Batal</b> untuk membatalkan.",
            en: "🎟 Send your voucher code. Type <b>Cancel</b> to stop.",
        }
        VoucherApplied "voucher.applied" {
            id: "✅ Voucher <code>{code}</code> dipakai: hemat {amount}.",
            en: "✅ Voucher <code>{code}</code> applied: you save {amount}.",
        }
        VoucherRejected "voucher.rejected" {
            id: "❌ Voucher <code>{code}</code> tidak bisa dipakai: {reason}\nKirim kode lain, atau ketik <b>Batal</b>.",
            en: "❌ Voucher <code>{code}</code> cannot be used: {reason}\nSend another code, or type <b>Cancel</b>.",
        }
        VoucherUnknown "voucher.unknown" { id: "kode tidak dikenal.", en: "unknown code." }
        VoucherInactive "voucher.inactive" { id: "voucher sudah tidak aktif.", en: "the voucher is no longer active." }
        VoucherNotYet "voucher.not_yet" { id: "voucher belum berlaku (mulai {date}).", en: "the voucher is not valid yet (from {date})." }
        VoucherExpired "voucher.expired" { id: "masa berlaku voucher sudah habis.", en: "the voucher has expired." }
        VoucherMinOrder "voucher.min_order" { id: "minimal belanja {amount}.", en: "the minimum order is {amount}." }
        VoucherUsedUp "voucher.used_up" { id: "kuota voucher sudah habis.", en: "the voucher has been used up." }
        VoucherUsedUpForYou "voucher.used_up_for_you" {
            id: "kamu sudah memakai voucher ini {uses}x (batas per orang).",
            en: "you have used this voucher {uses} times (the limit per customer).",
        }
        CheckoutHeader "checkout.header" { id: "🧾 <b>Ringkasan pesanan</b>", en: "🧾 <b>Order summary</b>" }
        CheckoutFooter "checkout.footer" {
            id: "💼 Saldo kamu: {balance}\n\n⚠️ Pastikan pesananmu sudah benar. Pilih metode pembayaran:",
            en: "💼 Your balance: {balance}\n\n⚠️ Make sure your order is right. Choose how to pay:",
        }
        ButtonPayQris "button.pay_qris" { id: "💠 QRIS", en: "💠 QRIS" }
        ButtonPayBalance "button.pay_balance" { id: "💼 Saldo", en: "💼 Balance" }
        ButtonBackToCart "button.back_to_cart" { id: "⬅️ Ubah keranjang", en: "⬅️ Change cart" }
        PaymentUnavailable "payment.unavailable" {
            id: "⏳ Pembayaran belum bisa diproses sekarang. Keranjangmu tetap tersimpan; coba lagi nanti atau hubungi admin.",
            en: "⏳ Payments cannot be taken right now. Your cart is kept; try again later or contact an admin.",
        }
        OrdersEmpty "orders.empty" { id: "🧾 Kamu belum punya pesanan.", en: "🧾 You have no orders yet." }
        OrdersHeader "orders.header" {
            id: "🧾 <b>Riwayat pesanan</b> — halaman {page}/{pages}",
            en: "🧾 <b>Your orders</b> — page {page}/{pages}",
        }
        OrderLine "orders.line" {
            id: "{n}. <code>{id}</code> · {date} · {total} · {status}",
            en: "{n}. <code>{id}</code> · {date} · {total} · {status}",
        }
        OrderDetail "orders.detail" {
            id: "🧾 Pesanan <code>{id}</code>\nStatus: {status}\nDibuat: {date}\nPembayaran: {method}\n\n{items}\n\nSubtotal: {subtotal}\nDiskon: {discount}\n<b>Total: {total}</b>",
            en: "🧾 Order <code>{id}</code>\nStatus: {status}\nCreated: {date}\nPayment: {method}\n\n{items}\n\nSubtotal: {subtotal}\nDiscount: {discount}\n<b>Total: {total}</b>",
        }
        OrderNotFound "orders.not_found" {
            id: "Pesanan itu tidak ditemukan di akunmu.",
            en: "That order was not found in your account.",
        }
        ButtonShowContents "button.show_contents" { id: "📦 Lihat isi pesanan", en: "📦 Show purchased items" }
        OrderContentsHeader "orders.contents_header" {
            id: "📦 Isi pesanan <code>{id}</code>:",
            en: "📦 Items of order <code>{id}</code>:",
        }
        OrderContentLine "orders.content_line" {
            id: "{n}. {product}\n<code>{content}</code>",
            en: "{n}. {product}\n<code>{content}</code>",
        }
        OrderNoContents "orders.no_contents" {
            id: "Pesanan ini belum punya isi yang terkirim (status: {status}).",
            en: "This order has no delivered items (status: {status}).",
        }
        StatusAwaitingPayment "status.awaiting_payment" { id: "⏳ Menunggu pembayaran", en: "⏳ Awaiting payment" }
        StatusPaid "status.paid" { id: "💰 Dibayar", en: "💰 Paid" }
        StatusDelivered "status.delivered" { id: "✅ Selesai", en: "✅ Delivered" }
        StatusExpired "status.expired" { id: "⌛ Kedaluwarsa", en: "⌛ Expired" }
        StatusCancelled "status.cancelled" { id: "❌ Dibatalkan", en: "❌ Cancelled" }
        StatusRefunded "status.refunded" { id: "↩️ Dikembalikan ke saldo", en: "↩️ Refunded to balance" }
        MethodQris "method.qris" { id: "QRIS", en: "QRIS" }
        MethodBalance "method.balance" { id: "Saldo", en: "Balance" }
        InfoPanel "info.panel" {
            id: "👤 <b>{name}</b>\n🆔 Telegram ID: <code>{id}</code>\n🔗 Username: {username}\n💰 Saldo: <b>{balance}</b>\n🧾 Pesanan selesai: {orders}\n📅 Bergabung: {since}",
            en: "👤 <b>{name}</b>\n🆔 Telegram ID: <code>{id}</code>\n🔗 Username: {username}\n💰 Balance: <b>{balance}</b>\n🧾 Completed orders: {orders}\n📅 Joined: {since}",
        }
        ButtonEditName "button.edit_name" { id: "✏️ Ganti nama", en: "✏️ Change name" }
        ButtonSupport "button.support" { id: "👨‍💼 Customer Service", en: "👨‍💼 Customer Service" }
        ButtonOrders "button.orders" { id: "🧾 Riwayat order", en: "🧾 My orders" }
        ButtonLanguage "button.language" { id: "🌐 Bahasa", en: "🌐 Language" }
        NamePrompt "profile.name_prompt" {
            id: "✏️ Kirim nama tampilan baru (3–32 karakter). Ketik <b>Batal</b> untuk membatalkan.",
            en: "✏️ Send your new display name (3–32 characters). Type <b>Cancel</b> to stop.",
        }
        NameInvalid "profile.name_invalid" {
            id: "Nama harus 3–32 karakter. Coba lagi, atau ketik <b>Batal</b>.",
            en: "The name must be 3–32 characters. Try again, or type <b>Cancel</b>.",
        }
        NameSaved "profile.name_saved" { id: "✅ Nama diganti menjadi <b>{name}</b>.", en: "✅ Your name is now <b>{name}</b>." }
        SupportContacts "support.contacts" {
            id: "👨‍💼 <b>Customer Service</b>\nHubungi admin kami:\n{contacts}",
            en: "👨‍💼 <b>Customer Service</b>\nContact our admins:\n{contacts}",
        }
        SupportNone "support.none" {
            id: "Belum ada kontak admin yang bisa dihubungi.",
            en: "No admin contact is available yet.",
        }
        HowTo "how_to" {
            id: "📘 <b>Cara order di {store}</b>\n\n1. Buka <b>🛍 Semua Produk</b> dan pilih produk.\n2. Atur jumlah, lalu buka <b>🧺 Keranjang</b>.\n3. Pakai voucher jika punya, lalu <b>💳 Lanjut ke pembayaran</b>.\n4. Bayar dengan QRIS atau saldo.\n5. Produk dikirim otomatis setelah pembayaran masuk.\n\nAda kendala? Buka <b>ℹ️ Informasi</b> → Customer Service.",
            en: "📘 <b>How to order at {store}</b>\n\n1. Open <b>🛍 All Products</b> and pick a product.\n2. Set the quantity, then open <b>🧺 Cart</b>.\n3. Apply a voucher if you have one, then <b>💳 Proceed to payment</b>.\n4. Pay by QRIS or with your balance.\n5. Your items arrive automatically once the payment lands.\n\nA problem? Open <b>ℹ️ Info</b> → Customer Service.",
        }
        LanguagePrompt "language.prompt" { id: "🌐 Pilih bahasa / Choose a language", en: "🌐 Pilih bahasa / Choose a language" }
        LanguageSaved "language.saved" { id: "✅ Bahasa: Indonesia.", en: "✅ Language: English." }
        InvoicePreparing "payment.preparing" {
            id: "⏳ Pesanan <code>{id}</code> dibuat. Invoice QRIS sedang disiapkan…",
            en: "⏳ Order <code>{id}</code> created. Your QRIS invoice is on its way…",
        }
        InvoiceCaption "payment.invoice_caption" {
            id: "🧾 <b>Invoice</b> <code>{id}</code>\n\n{items}\n\nSubtotal: {subtotal}\nDiskon: {discount}\nBiaya layanan: {fee}\n<b>Total bayar: {total}</b>\n\n⏰ Bayar sebelum {expires}\nScan QR di atas dengan aplikasi e-wallet atau m-banking.",
            en: "🧾 <b>Invoice</b> <code>{id}</code>\n\n{items}\n\nSubtotal: {subtotal}\nDiscount: {discount}\nService fee: {fee}\n<b>Total to pay: {total}</b>\n\n⏰ Pay before {expires}\nScan the QR above with any e-wallet or banking app.",
        }
        ButtonPayInBrowser "button.pay_in_browser" { id: "🌐 Bayar di browser", en: "🌐 Pay in browser" }
        ButtonCancelOrder "button.cancel_order" { id: "❌ Batalkan pesanan", en: "❌ Cancel order" }
        InvoiceFailed "payment.invoice_failed" {
            id: "⚠️ Invoice untuk pesanan <code>{id}</code> gagal dibuat, jadi pesanan dibatalkan. Tidak ada yang ditagih; stok sudah dikembalikan. Silakan coba lagi sebentar lagi.",
            en: "⚠️ The invoice for order <code>{id}</code> could not be created, so the order was cancelled. Nothing was charged and the stock was released. Please try again in a moment.",
        }
        OpenInvoiceExists "payment.open_invoice_exists" {
            id: "Kamu masih punya pesanan yang belum dibayar (<code>{id}</code>). Bayar atau batalkan dulu ya.",
            en: "You still have an unpaid order (<code>{id}</code>). Please pay or cancel it first.",
        }
        StockChanged "payment.stock_changed" {
            id: "Stok berubah saat pesanan dibuat. Cek ringkasan terbaru ya.",
            en: "The stock changed while your order was being made. Please check the latest summary.",
        }
        InsufficientBalance "payment.insufficient_balance" {
            id: "💼 Saldo kamu {balance}, kurang untuk total {total}. Bayar dengan QRIS atau isi saldo dulu.",
            en: "💼 Your balance is {balance}, not enough for {total}. Pay by QRIS or top up first.",
        }
        PaidWithBalance "payment.paid_with_balance" {
            id: "✅ Pesanan <code>{id}</code> lunas dengan saldo ({total}). Sisa saldo: {balance}. Produk segera dikirim.",
            en: "✅ Order <code>{id}</code> paid with your balance ({total}). Balance left: {balance}. Your items are on their way.",
        }
        Delivery "order.delivery" {
            id: "🎉 <b>Pembayaran berhasil!</b>\nPesanan <code>{id}</code>\n\n{items}\n\nSimpan data ini baik-baik. Lihat lagi kapan saja di 🧾 Riwayat Order.",
            en: "🎉 <b>Payment received!</b>\nOrder <code>{id}</code>\n\n{items}\n\nKeep these safe. See them again any time in 🧾 My Orders.",
        }
        DeliveryTerms "order.terms" {
            id: "📜 <b>S&amp;K {product}</b>\n{terms}",
            en: "📜 <b>Terms for {product}</b>\n{terms}",
        }
        InvoicePaidCaption "payment.invoice_paid" { id: "✅ LUNAS — pesanan <code>{id}</code>", en: "✅ PAID — order <code>{id}</code>" }
        InvoiceClosedCaption "payment.invoice_closed" { id: "❌ Invoice <code>{id}</code> tidak berlaku lagi.", en: "❌ Invoice <code>{id}</code> is no longer valid." }
        OrderExpired "order.expired" {
            id: "⌛ Waktu bayar pesanan <code>{id}</code> habis, jadi pesanan dibatalkan. Stok sudah dikembalikan.",
            en: "⌛ The time to pay order <code>{id}</code> ran out, so it was cancelled. The stock was released.",
        }
        OrderCancelled "order.cancelled" {
            id: "❌ Pesanan <code>{id}</code> dibatalkan. Stok sudah dikembalikan.",
            en: "❌ Order <code>{id}</code> was cancelled. The stock was released.",
        }
        CancelRequested "order.cancel_requested" { id: "Membatalkan pesanan…", en: "Cancelling the order…" }
        OrderNotOpen "order.not_open" {
            id: "Pesanan ini sudah tidak menunggu pembayaran.",
            en: "This order is no longer awaiting payment.",
        }
        LateCredited "payment.late_credited" {
            id: "💰 Pembayaran untuk pesanan <code>{id}</code> masuk setelah pesanan ditutup dan stoknya sudah habis. {amount} sudah masuk ke saldo kamu.",
            en: "💰 The payment for order <code>{id}</code> arrived after it closed and its stock is gone. {amount} was added to your balance.",
        }
        NotAllowed "not_allowed" {
            id: "⛔️ Tombol ini hanya untuk admin.",
            en: "⛔️ This button is for admins only.",
        }
        Refunded "order.refunded" {
            id: "💸 Pesanan <code>{id}</code> direfund: {amount} masuk ke saldo kamu. Saldo sekarang {balance}.",
            en: "💸 Order <code>{id}</code> was refunded: {amount} went to your balance. Balance now {balance}.",
        }
        BalanceAdjusted "balance.adjusted" {
            id: "💰 Saldo kamu diubah admin: {delta} ({reason}). Saldo sekarang {balance}.",
            en: "💰 An admin changed your balance: {delta} ({reason}). Balance now {balance}.",
        }
        AdminLowStock "admin.low_stock" {
            id: "⚠️ <b>Stok menipis</b>: {product} tinggal {stock} (batas {threshold}).",
            en: "⚠️ <b>Low stock</b>: {product} has {stock} left (threshold {threshold}).",
        }
        AdminPaymentAlert "admin.payment_alert" {
            id: "⚠️ <b>Pembayaran</b> {order}: {note}",
            en: "⚠️ <b>Payment</b> {order}: {note}",
        }
        AdminLateCredited "admin.late_credited" {
            id: "💰 dibayar setelah ditutup: dikreditkan ke saldo pelanggan",
            en: "💰 paid after it closed: credited to the customer's balance",
        }
        AdminLateResold "admin.late_resold" {
            id: "💰 dibayar setelah ditutup: stok masih ada, dikirim",
            en: "💰 paid after it closed: still in stock, delivered",
        }
        AdminRejectedNotices "admin.rejected_notices" {
            id: "🛡 <b>Notifikasi pembayaran ditolak</b> sejak {since}: <b>{total}</b>\n{reasons}\n\nTerbaru:\n{latest}\n\nTidak ada uang yang masuk dari notifikasi ini. Detail: {link}",
            en: "🛡 <b>Payment notices rejected</b> since {since}: <b>{total}</b>\n{reasons}\n\nLatest:\n{latest}\n\nNo money came in through these notices. Details: {link}",
        }
        MenuDeposit "menu.deposit" { id: "💰 Deposit", en: "💰 Top Up" }
        DepositPrompt "deposit.prompt" {
            id: "💰 Kirim nominal deposit (min {min}, maks {max}), misalnya <code>50000</code>. Ketik <b>Batal</b> untuk membatalkan.",
            en: "💰 Send the amount to top up (min {min}, max {max}), e.g. <code>50000</code>. Type <b>Cancel</b> to stop.",
        }
        DepositInvalid "deposit.invalid" {
            id: "Nominal harus angka antara {min} dan {max}. Coba lagi, atau ketik <b>Batal</b>.",
            en: "The amount must be a number from {min} to {max}. Try again, or type <b>Cancel</b>.",
        }
        DepositOpenExists "deposit.open_exists" {
            id: "Kamu masih punya deposit yang belum dibayar (<code>{id}</code>). Bayar dulu, atau tunggu sampai kedaluwarsa.",
            en: "You still have an unpaid top-up (<code>{id}</code>). Pay it first, or wait until it expires.",
        }
        DepositPreparing "deposit.preparing" {
            id: "⏳ Deposit <code>{id}</code> sebesar {amount} dibuat. Invoice QRIS sedang disiapkan…",
            en: "⏳ Top-up <code>{id}</code> of {amount} created. Your QRIS invoice is on its way…",
        }
        DepositCaption "deposit.invoice_caption" {
            id: "💰 <b>Deposit</b> <code>{id}</code>\nNominal: {amount}\nBiaya layanan: {fee}\n<b>Total bayar: {total}</b>\n\n⏰ Bayar sebelum {expires}",
            en: "💰 <b>Top-up</b> <code>{id}</code>\nAmount: {amount}\nService fee: {fee}\n<b>Total to pay: {total}</b>\n\n⏰ Pay before {expires}",
        }
        DepositCredited "deposit.credited" {
            id: "✅ Deposit <code>{id}</code> sebesar {amount} masuk. Saldo kamu sekarang {balance}.",
            en: "✅ Top-up <code>{id}</code> of {amount} received. Your balance is now {balance}.",
        }
        DepositExpired "deposit.expired" {
            id: "⌛ Deposit <code>{id}</code> kedaluwarsa dan dibatalkan.",
            en: "⌛ Top-up <code>{id}</code> expired and was cancelled.",
        }
        DepositFailed "deposit.failed" {
            id: "⚠️ Invoice deposit <code>{id}</code> gagal dibuat. Tidak ada yang ditagih; coba lagi sebentar lagi.",
            en: "⚠️ The invoice for top-up <code>{id}</code> could not be created. Nothing was charged; please try again in a moment.",
        }
        AdminOrderAlert "admin.order_alert" {
            id: "🛒 <b>Pesanan</b> <code>{id}</code>\n👤 {customer}\n{items}\n💰 Total: {total} ({method})\nStatus: {status}",
            en: "🛒 <b>Order</b> <code>{id}</code>\n👤 {customer}\n{items}\n💰 Total: {total} ({method})\nStatus: {status}",
        }
        AdminDepositPaid "admin.deposit_paid" {
            id: "💰 <b>Deposit masuk</b> <code>{id}</code>: {amount} dari {customer}",
            en: "💰 <b>Top-up received</b> <code>{id}</code>: {amount} from {customer}",
        }
        ButtonTerms "button.terms" { id: "✅ Penuhi SNK", en: "✅ Meet the terms" }
        TermsPrompt "terms.prompt" {
            id: "📜 Kirim bukti SNK untuk <b>{product}</b> (pesanan <code>{id}</code>): teks atau foto. Ketik <b>Batal</b> untuk membatalkan.",
            en: "📜 Send your proof for the terms of <b>{product}</b> (order <code>{id}</code>): text or a photo. Type <b>Cancel</b> to stop.",
        }
        TermsNeedsProof "terms.needs_proof" {
            id: "Kirim teks atau foto sebagai bukti ya, atau ketik <b>Batal</b>.",
            en: "Please send text or a photo as proof, or type <b>Cancel</b>.",
        }
        TermsSaved "terms.saved" { id: "✅ Terima kasih! Bukti SNK sudah kami terima.", en: "✅ Thank you! Your proof was received." }
        TermsReplaced "terms.replaced" {
            id: "✅ Bukti SNK diperbarui: kiriman ini menggantikan bukti sebelumnya.",
            en: "✅ Proof updated: this one replaces your earlier proof.",
        }
        AdminTermsProof "admin.terms_proof" {
            id: "📜 <b>Bukti SNK</b> {product} — pesanan <code>{id}</code>\n👤 {customer}{replaced}\n{text}",
            en: "📜 <b>Terms proof</b> {product} — order <code>{id}</code>\n👤 {customer}{replaced}\n{text}",
        }
        MenuUpdated "menu.updated" { id: "Menu di bawah sudah diperbarui. 👇", en: "The menu below is updated. 👇" }
    }
}
