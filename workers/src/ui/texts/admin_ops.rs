//! The admin texts of the admin menu and the running families: jobs, texts, settings,
//! admins and the audit log.

texts! {
    /// An admin operations text's key.
    pub enum OpsText {
        HomeButton "admin.common.home_button" { id: "🏠 Admin", en: "🏠 Admin" }
        BackButton "admin.common.back_button" { id: "⬅️ Kembali", en: "⬅️ Back" }
        CancelButton "admin.common.cancel_button" { id: "❌ Batal", en: "❌ Cancel" }
        Cancelled "admin.common.cancelled" { id: "Dibatalkan.", en: "Cancelled." }
        Home "admin.menu.home" {
            id: "⚙️ <b>Admin — {store}</b>\nPilih yang ingin dikelola.",
            en: "⚙️ <b>Admin — {store}</b>\nPick what to manage.",
        }
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
        DashboardNeedsUrl "admin.menu.dashboard_needs_url" {
            id: "Dasbor butuh PUBLIC_URL (alamat publik toko) di konfigurasi.",
            en: "The dashboard needs PUBLIC_URL (the shop's public address) in the configuration.",
        }
        DashboardLink "admin.menu.dashboard_link" {
            id: "🖥 Tautan dasbor kamu, berlaku 10 menit dan sekali pakai:\n{url}",
            en: "🖥 Your dashboard link, valid 10 minutes and once:\n{url}",
        }
        DashboardOpen "admin.menu.dashboard_open" { id: "🖥 Buka dasbor", en: "🖥 Open the dashboard" }
        Requeued "admin.jobs.requeued" { id: "Diantrekan lagi; sebentar lagi berjalan.", en: "Queued again; it runs in a moment." }
        NotRetried "admin.jobs.not_retried" {
            id: "Hanya job gagal yang bisa diulang (mungkin sudah diulang).",
            en: "Only a failed job can be retried (it may have been retried already).",
        }
        RetriedAll "admin.jobs.retried_all" { id: "{count} job gagal diantrekan lagi.", en: "{count} failed job(s) queued again." }
        Discarded "admin.jobs.discarded" { id: "Dibuang.", en: "Discarded." }
        NotDiscarded "admin.jobs.not_discarded" {
            id: "Tidak dibuang: job-nya sudah tidak ada atau sedang berjalan.",
            en: "Not discarded: the job is gone or running.",
        }
        QueueLine "admin.jobs.queue_line" {
            id: "<b>{queue}</b>: menunggu {pending} · terjadwal {scheduled} · berjalan {running} · diulang {retrying} · <b>gagal {failed}</b>{oldest}",
            en: "<b>{queue}</b>: pending {pending} · scheduled {scheduled} · running {running} · retrying {retrying} · <b>failed {failed}</b>{oldest}",
        }
        Oldest "admin.jobs.oldest" { id: " · tertua {seconds} dtk", en: " · oldest {seconds}s" }
        FailedButton "admin.jobs.failed_button" { id: "❗️ Job gagal ({count})", en: "❗️ Failed jobs ({count})" }
        RetryAllButton "admin.jobs.retry_all_button" { id: "🔁 Ulang semua yang gagal", en: "🔁 Retry all failed" }
        RefreshButton "admin.jobs.refresh_button" { id: "🔄 Refresh", en: "🔄 Refresh" }
        JobsHeader "admin.jobs.header" { id: "🧰 <b>Antrean job</b>\n{lines}", en: "🧰 <b>Jobs</b>\n{lines}" }
        NoFailed "admin.jobs.no_failed" { id: "✅ Tidak ada job gagal.", en: "✅ No failed jobs." }
        FailedHeader "admin.jobs.failed_header" {
            id: "❗️ <b>Job gagal</b>, terbaru dulu. Buka satu untuk melihat error-nya dan mengulanginya.",
            en: "❗️ <b>Failed jobs</b>, newest first. Open one to see its error and retry it.",
        }
        JobGone "admin.jobs.gone" { id: "Job itu sudah tidak ada.", en: "That job no longer exists." }
        JobDetail "admin.jobs.detail" {
            id: "🧾 <b>{kind}</b> <code>{id}</code>\nAntrean {queue} · status <b>{state}</b> · percobaan {attempts}/{max}\n\n<b>Error:</b> {error}\n\n<b>Payload:</b> <code>{payload}</code>",
            en: "🧾 <b>{kind}</b> <code>{id}</code>\nQueue {queue} · state <b>{state}</b> · attempts {attempts}/{max}\n\n<b>Error:</b> {error}\n\n<b>Payload:</b> <code>{payload}</code>",
        }
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
        ExpectZone "admin.settings.expect_zone" {
            id: "zona waktu IANA seperti Asia/Jakarta atau Asia/Makassar",
            en: "an IANA time zone such as Asia/Jakarta or Asia/Makassar",
        }
        SettingRefused "admin.settings.refused" {
            id: "Tidak disimpan: {setting} harus {expected}. Kirim lagi.",
            en: "Not saved: {setting} needs {expected}. Send it again.",
        }
        MinAboveMax "admin.settings.min_above_max" {
            id: "top-up terkecil akan di atas yang terbesar ({amount})",
            en: "the smallest top-up would be above the largest ({amount})",
        }
        MaxBelowMin "admin.settings.max_below_min" {
            id: "top-up terbesar akan di bawah yang terkecil ({amount})",
            en: "the largest top-up would be below the smallest ({amount})",
        }
        SettingClash "admin.settings.clash" { id: "Tidak disimpan: {why}. Kirim nilai lain.", en: "Not saved: {why}. Send another value." }
        SettingSaved "admin.settings.saved" { id: "✅ Tersimpan.\n\n{screen}", en: "✅ Saved.\n\n{screen}" }
        PakasirLifetime "admin.settings.pakasir_lifetime" { id: "bawaan Pakasir", en: "Pakasir's" }
        Minutes "admin.settings.minutes" { id: "{count} menit", en: "{count} min" }
        SettingOff "admin.settings.off" { id: "mati", en: "off" }
        SettingLine "admin.settings.line" { id: "{setting}: <b>{value}</b>{here}", en: "{setting}: <b>{value}</b>{here}" }
        SetHere "admin.settings.set_here" { id: " (diatur di sini)", en: " (set here)" }
        DefaultButton "admin.settings.default_button" { id: "↩️ Bawaan", en: "↩️ Default" }
        SettingsHeader "admin.settings.header" {
            id: "⚙️ <b>Pengaturan</b> (di atas bawaan konfigurasi; langsung berlaku di semua replika)\n{lines}",
            en: "⚙️ <b>Settings</b> (over the configured defaults; live at once on every replica)\n{lines}",
        }
        TextPrompt "admin.texts.prompt" {
            id: "✏️ Kirim teks <b>{locale}</b> baru untuk <code>{key}</code>. Placeholder: {placeholders}. HTML: &lt;b&gt;, &lt;i&gt;, &lt;code&gt;, &lt;a href=\"…\"&gt;; tulis &amp;amp; untuk &amp;.",
            en: "✏️ Send the new <b>{locale}</b> text for <code>{key}</code>. Placeholders: {placeholders}. HTML: &lt;b&gt;, &lt;i&gt;, &lt;code&gt;, &lt;a href=\"…\"&gt;; write &amp;amp; for &amp;.",
        }
        BackToBuiltIn "admin.texts.back_to_built_in" { id: "Kembali ke teks bawaan.", en: "Back to the built-in text." }
        NoPlaceholders "admin.texts.no_placeholders" { id: "tidak ada", en: "none" }
        TextEmpty "admin.texts.empty" { id: "teksnya kosong", en: "the text is empty" }
        TextTooLong "admin.texts.too_long" { id: "teksnya lebih dari 4.096 karakter batas Telegram", en: "the text is over Telegram's 4,096 characters" }
        UnknownPlaceholders "admin.texts.unknown_placeholders" {
            id: "placeholder tak dikenal {unknown}; teks ini punya {allowed}",
            en: "unknown placeholder(s) {unknown}; this text has {allowed}",
        }
        TextGone "admin.texts.gone" { id: "Teks itu sudah tidak ada.", en: "That text no longer exists." }
        TextRefused "admin.texts.refused" { id: "Tidak disimpan: {why}. Kirim lagi.", en: "Not saved: {why}. Send it again." }
        TextSaved "admin.texts.saved" { id: "✅ Tersimpan. Tampilannya begini:", en: "✅ Saved. It reads like this:" }
        TextsHeader "admin.texts.header" {
            id: "📝 <b>Teks</b>: {count} kunci (pelanggan dulu, lalu layar admin <code>admin.*</code>), ✏️ = diubah. Pilih satu untuk melihat dan mengubahnya.",
            en: "📝 <b>Texts</b>: {count} keys (customers' first, then the admin screens' <code>admin.*</code>), ✏️ = edited. Pick one to see and edit it.",
        }
        TextPlaceholders "admin.texts.placeholders" { id: "Placeholder: {placeholders}", en: "Placeholders: {placeholders}" }
        Edited "admin.texts.edited" { id: " (diubah)", en: " (edited)" }
        EditLocale "admin.texts.edit_locale" { id: "✏️ Ubah {locale}", en: "✏️ Edit {locale}" }
        ResetLocale "admin.texts.reset_locale" { id: "↩️ Reset {locale}", en: "↩️ Reset {locale}" }
        OwnersOnly "admin.staff.owners_only" { id: "Hanya owner yang mengelola admin.", en: "Only an owner manages admins." }
        AuditPrompt "admin.audit.prompt" {
            id: "🔎 Kirim <code>actor tg:123456</code> atau <code>action product.update</code>.",
            en: "🔎 Send <code>actor tg:123456</code> or <code>action product.update</code>.",
        }
        NewAdminPrompt "admin.staff.new_prompt" {
            id: "👑 Kirim id Telegram admin baru (mereka bisa melihatnya lewat @userinfobot).",
            en: "👑 Send the new admin's Telegram id (they find it with @userinfobot).",
        }
        IdDigits "admin.staff.id_digits" { id: "Id Telegram hanya angka. Kirim lagi.", en: "A Telegram id is digits only. Send it again." }
        IdPositive "admin.staff.id_positive" { id: "Id Telegram adalah angka positif. Kirim lagi.", en: "A Telegram id is a positive number. Send it again." }
        RemoveButton "admin.staff.remove_button" { id: "➖ Hapus {id}", en: "➖ Remove {id}" }
        AddAdminButton "admin.staff.add_button" { id: "➕ Tambah admin", en: "➕ Add admin" }
        AddedBy "admin.staff.added_by" { id: " (oleh {by})", en: " (by {by})" }
        AdminsScreen "admin.staff.screen" {
            id: "👑 <b>Admin</b>\nOwner (konfigurasi): {owners}\nAdmin (konfigurasi): {admins}\nDitambahkan di bot:\n{added}",
            en: "👑 <b>Admins</b>\nOwners (configuration): {owners}\nAdmins (configuration): {admins}\nAdded in the bot:\n{added}",
        }
        AuditSearchHelp "admin.audit.search_help" {
            id: "Kirim <code>actor tg:123456</code> atau <code>action product.update</code> (awal sebuah action juga bisa: <code>action product.</code>).",
            en: "Send <code>actor tg:123456</code> or <code>action product.update</code> (an action's start works too: <code>action product.</code>).",
        }
        Newer "admin.audit.newer" { id: "◀️ Lebih baru", en: "◀️ Newer" }
        Older "admin.audit.older" { id: "Lebih lama ▶️", en: "Older ▶️" }
        FilterButton "admin.audit.filter_button" { id: "🔎 Saring", en: "🔎 Filter" }
        ByActor "admin.audit.by_actor" { id: " oleh {actor}", en: " by {actor}" }
        ForAction "admin.audit.for_action" { id: " untuk {action}…", en: " for {action}…" }
        AuditHeader "admin.audit.header" {
            id: "📜 <b>Log audit</b>{heading} (terbaru dulu)\n{lines}",
            en: "📜 <b>Audit log</b>{heading} (newest first)\n{lines}",
        }
        NothingYet "admin.audit.nothing_yet" { id: "Belum ada.", en: "Nothing yet." }
        AlertFailedJobs "admin.alert.failed_jobs" {
            id: "❗️ <b>{count} job gagal</b>. Terbaru: <code>{kind}</code> — {error}\nBuka ⚙️ Admin → 🧰 Antrean job untuk mengulang atau membuangnya.",
            en: "❗️ <b>{count} failed job(s)</b>. Newest: <code>{kind}</code> — {error}\nSee ⚙️ Admin → 🧰 Jobs to retry or discard.",
        }
        AlertFailedJobsOver "admin.alert.failed_jobs_over" { id: "✅ Tidak ada lagi job gagal.", en: "✅ No failed jobs are left." }
        AlertBacklog "admin.alert.backlog" {
            id: "⏳ <b>Antrean {queue} macet</b>: job tertuanya sudah menunggu {seconds} dtk. Apakah worker berjalan (<code>bot-auto-order jobs stats</code>)?",
            en: "⏳ <b>Queue {queue} is stuck</b>: its oldest pending job has waited {seconds} s. Are the workers running (<code>bot-auto-order jobs stats</code>)?",
        }
        AlertBacklogOver "admin.alert.backlog_over" { id: "✅ Antrean bergerak lagi.", en: "✅ The queues are moving again." }
        AlertErrors "admin.alert.errors" {
            id: "🔥 <b>{count} error tercatat hari ini</b>. Rinciannya ada di log (LOG_DIR/main, level ERROR).",
            en: "🔥 <b>{count} error(s) logged today</b>. Details are in the logs (LOG_DIR/main, level ERROR).",
        }
        AlertErrorsOver "admin.alert.errors_over" { id: "✅ Hari baru tanpa error sejauh ini.", en: "✅ A new day without errors so far." }
        AlertBackupFailed "admin.alert.backup_failed" {
            id: "💾❌ <b>Backup gagal</b>: {error}\nJalankan <code>bot-auto-order doctor</code> dan <code>bot-auto-order backup create</code> di server.",
            en: "💾❌ <b>Backup failed</b>: {error}\nRun <code>bot-auto-order doctor</code> and <code>bot-auto-order backup create</code> on the server.",
        }
        AlertBackupOver "admin.alert.backup_over" { id: "💾✅ Backup berjalan lagi.", en: "💾✅ Backups work again." }
    }
}
