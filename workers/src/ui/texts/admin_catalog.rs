//! The admin texts of the catalog families: products, the add-product wizard, stock and
//! categories.

texts! {
    /// An admin catalog text's key.
    pub enum CatalogText {
        Stale "admin.catalog.stale" {
            id: "Tombol itu milik langkah yang sudah selesai. Mulai lagi dari menu admin.",
            en: "That button belongs to a step that is over. Start again from the admin menu.",
        }
        SearchPrompt "admin.products.search_prompt" {
            id: "🔎 Kirim sebagian nama atau kode produk.",
            en: "🔎 Send part of a product's name or code.",
        }
        AskName "admin.products.ask_name" {
            id: "Kirim <b>nama</b> baru (maksimal 128 karakter).",
            en: "Send the new <b>name</b> (up to 128 characters).",
        }
        AskPrice "admin.products.ask_price" {
            id: "Kirim <b>harga</b> baru dalam rupiah (mis. <code>25.000</code>).",
            en: "Send the new <b>price</b> in rupiah (e.g. <code>25.000</code>).",
        }
        AskDescription "admin.products.ask_description" {
            id: "Kirim <b>deskripsi</b> baru (<code>-</code> untuk kosong).",
            en: "Send the new <b>description</b> (<code>-</code> for none).",
        }
        AskTerms "admin.products.ask_terms" {
            id: "Kirim <b>syarat &amp; ketentuan (SNK)</b> baru yang tampil setelah pengiriman (<code>-</code> untuk kosong).",
            en: "Send the new <b>terms (SNK)</b> shown after delivery (<code>-</code> for none).",
        }
        AskLowStock "admin.products.ask_low_stock" {
            id: "Kirim <b>batas stok menipis</b>: admin diberi tahu sekali saat stok turun di bawahnya (<code>-</code> untuk mati).",
            en: "Send the <b>low-stock threshold</b>: admins are alerted once when stock falls below it (<code>-</code> for none).",
        }
        ListButton "admin.products.list_button" {
            id: "{archived}{name} · {price} · stok {stock} · terjual {sold}",
            en: "{archived}{name} · {price} · stock {stock} · sold {sold}",
        }
        NewProductButton "admin.products.new_button" { id: "➕ Produk baru", en: "➕ New product" }
        SearchButton "admin.products.search_button" { id: "🔎 Cari", en: "🔎 Search" }
        ListHeader "admin.products.list_header" {
            id: "🛒 <b>Produk</b> ({total}) — stok dan jumlah terjual; 🗄 diarsipkan.",
            en: "🛒 <b>Products</b> ({total}) — stock and sold counts; 🗄 archived.",
        }
        SearchResult "admin.products.search_result" {
            id: "🔎 {count} produk cocok dengan <b>{query}</b>.",
            en: "🔎 {count} product(s) matching <b>{query}</b>.",
        }
        ProductGone "admin.products.gone" { id: "Produk itu tidak ada.", en: "That product does not exist." }
        Uncategorised "admin.products.uncategorised" { id: "tanpa kategori", en: "uncategorised" }
        Off "admin.products.off" { id: "mati", en: "off" }
        NoDescription "admin.products.no_description" { id: "<i>tanpa deskripsi</i>", en: "<i>no description</i>" }
        NoTerms "admin.products.no_terms" { id: "<i>tidak ada</i>", en: "<i>none</i>" }
        ArchivedMark "admin.products.archived_mark" { id: " — 🗄 diarsipkan", en: " — 🗄 archived" }
        Detail "admin.products.detail" {
            id: "📦 <b>{name}</b> (<code>{code}</code>){archived}\nHarga: {price}\nKategori: {category}\nStok: <b>{stock}</b> · dipesan {reserved} · terjual {sold}\nPeringatan stok di bawah: {low_stock}\n\n{description}\n\n<b>SNK:</b> {terms}",
            en: "📦 <b>{name}</b> (<code>{code}</code>){archived}\nPrice: {price}\nCategory: {category}\nStock: <b>{stock}</b> · reserved {reserved} · sold {sold}\nLow-stock alert below: {low_stock}\n\n{description}\n\n<b>Terms:</b> {terms}",
        }
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
        BadName "admin.products.bad_name" {
            id: "Nama terdiri dari 1–128 karakter. Kirim lagi.",
            en: "A name has 1–128 characters. Send it again.",
        }
        BadPrice "admin.products.bad_price" {
            id: "Harga adalah bilangan bulat rupiah di atas 0. Kirim lagi.",
            en: "A price is a whole number of rupiah above 0. Send it again.",
        }
        BadLowStock "admin.products.bad_low_stock" {
            id: "Kirim bilangan bulat (0 atau lebih), atau <code>-</code> untuk mati.",
            en: "Send a whole number (0 or more), or <code>-</code> for none.",
        }
        WizardCode "admin.wizard.code" {
            id: "➕ <b>Produk baru</b> — langkah 1/7\nKirim <b>kode</b> produk: huruf, angka, <code>-</code> dan <code>_</code>, maksimal 32 (mis. <code>NETFLIX1M</code>).",
            en: "➕ <b>New product</b> — step 1/7\nSend the product <b>code</b>: letters, digits, <code>-</code> and <code>_</code>, up to 32 (e.g. <code>NETFLIX1M</code>).",
        }
        WizardContents "admin.wizard.contents" {
            id: "Langkah 6/7: kirim <b>isi produk</b> (yang diterima tiap pembeli): tempel satu per baris, banyak sekaligus, atau unggah file <b>.txt</b>. Tekan ✅ Selesai bila sudah ({total} sejauh ini).",
            en: "Step 6/7: send the <b>contents</b> (what each buyer receives): paste them one per line, many per message, or upload a <b>.txt</b> file. Press ✅ Finish when done ({total} so far).",
        }
        FinishButton "admin.wizard.finish_button" { id: "✅ Selesai", en: "✅ Finish" }
        WizardLost "admin.wizard.lost" {
            id: "Wizard kehilangan jawabannya; mulai lagi dari menu admin.",
            en: "The wizard lost its answers; start again from the admin menu.",
        }
        CodeTakenMeanwhile "admin.wizard.code_taken_meanwhile" {
            id: "Kode <code>{code}</code> keburu dipakai; tidak ada yang dibuat. Mulai lagi dengan kode lain.",
            en: "Code <code>{code}</code> was taken meanwhile; nothing was created. Start again with another code.",
        }
        Created "admin.wizard.created" {
            id: "✅ <b>{name}</b> dibuat dengan stok <b>{stock}</b>.\nLangkah 7/7: kirim <b>SNK</b>-nya, yang tampil ke pembeli setelah pengiriman, atau tekan Lewati.",
            en: "✅ <b>{name}</b> created with stock <b>{stock}</b>.\nStep 7/7: send its <b>terms (SNK)</b>, shown to buyers after delivery, or press Skip.",
        }
        SkipButton "admin.wizard.skip_button" { id: "⏭ Lewati", en: "⏭ Skip" }
        BadCode "admin.wizard.bad_code" {
            id: "Itu bukan kode: pakai 1–32 huruf, angka, <code>-</code> atau <code>_</code>. Kirim lagi.",
            en: "That is not a code: use 1–32 letters, digits, <code>-</code> or <code>_</code>. Send it again.",
        }
        CodeTaken "admin.wizard.code_taken" {
            id: "Kode <code>{code}</code> sudah dipakai produk lain. Kirim kode lain.",
            en: "Code <code>{code}</code> is taken by another product. Send another code.",
        }
        WizardName "admin.wizard.name" {
            id: "Langkah 2/7: kirim <b>nama</b> produk (maksimal 128 karakter).",
            en: "Step 2/7: send the product <b>name</b> (up to 128 characters).",
        }
        WizardPrice "admin.wizard.price" {
            id: "Langkah 3/7: kirim <b>harga</b> dalam rupiah (mis. <code>25.000</code>).",
            en: "Step 3/7: send the <b>price</b> in rupiah (e.g. <code>25.000</code>).",
        }
        WizardBadPrice "admin.wizard.bad_price" {
            id: "Harga adalah bilangan bulat rupiah di atas 0 (mis. <code>25000</code> atau <code>25.000</code>). Kirim lagi.",
            en: "A price is a whole number of rupiah above 0 (e.g. <code>25000</code> or <code>25.000</code>). Send it again.",
        }
        WizardDescription "admin.wizard.description" {
            id: "Langkah 4/7: kirim <b>deskripsi</b> (<code>-</code> untuk kosong).",
            en: "Step 4/7: send the <b>description</b> (<code>-</code> for none).",
        }
        WizardCategory "admin.wizard.category" {
            id: "Langkah 5/7: pilih <b>kategori</b>.",
            en: "Step 5/7: pick the <b>category</b>.",
        }
        WizardPickCategory "admin.wizard.pick_category" {
            id: "Pilih kategori dengan tombol di atas, atau Batal.",
            en: "Pick the category with a button above, or Cancel.",
        }
        AddStockPrompt "admin.stock.prompt" {
            id: "📥 Kirim isi stok baru: tempel satu per baris (banyak per pesan), atau unggah file <b>.txt</b> berisi satu per baris. Duplikat dilaporkan dan dilewati. Tekan Batal atau menu apa pun bila selesai.",
            en: "📥 Send the new contents: paste them one per line (many per message), or upload a <b>.txt</b> file with one per line. Duplicates are reported and skipped. Press Cancel or any menu when done.",
        }
        Deleted "admin.stock.deleted" { id: "Dihapus.", en: "Deleted." }
        NotDeleted "admin.stock.not_deleted" {
            id: "Isi itu sudah tidak ada atau sudah terpakai (dipesan atau terjual): tidak ada yang dihapus.",
            en: "That content is gone or no longer unused (reserved or sold): nothing deleted.",
        }
        OnlyTxt "admin.stock.only_txt" {
            id: "Hanya file <b>.txt</b> berisi satu isi per baris yang bisa diimpor. Kirim satu, atau tempel isinya.",
            en: "Only a <b>.txt</b> file with one content per line can be imported. Send one, or paste the contents.",
        }
        FileTooLarge "admin.stock.file_too_large" {
            id: "File itu {size} KiB; batasnya {limit} KiB. Pecah filenya, atau tempel isinya.",
            en: "That file is {size} KiB; the limit is {limit} KiB. Split it, or paste the contents.",
        }
        FileReceived "admin.stock.file_received" { id: "📥 File diterima; sedang diimpor…", en: "📥 File received; importing…" }
        DraftAdded "admin.stock.draft_added" {
            id: "✅ Ditambah {added}; {duplicates} duplikat dilewati{too_long}. {total} isi sejauh ini. Kirim lagi, atau tekan ✅ Selesai.",
            en: "✅ Added {added}; {duplicates} duplicate(s) skipped{too_long}. {total} content(s) so far. Send more, or press ✅ Finish.",
        }
        TooLongNote "admin.stock.too_long_note" {
            id: "; {count} baris lebih dari 4.000 karakter dilewati",
            en: "; {count} line(s) over 4,000 characters skipped",
        }
        ContentsHeader "admin.stock.contents_header" {
            id: "📋 <b>Isi belum terpakai</b>: {total}. Ditampilkan tersamar; tekan salah satu untuk menghapusnya.",
            en: "📋 <b>Unused contents</b>: {total}. Shown masked; press one to delete it.",
        }
        ProductNoLonger "admin.stock.product_no_longer" { id: "Produk itu sudah tidak ada.", en: "That product no longer exists." }
        StockAdded "admin.stock.added" {
            id: "✅ Ditambah {added}; {duplicates} duplikat dilewati{too_long}. Stok sekarang: <b>{stock}</b>.\nKirim lagi, atau tekan Selesai.",
            en: "✅ Added {added}; {duplicates} duplicate(s) skipped{too_long}. Stock now: <b>{stock}</b>.\nSend more, or press Done.",
        }
        DoneButton "admin.stock.done_button" { id: "✅ Selesai", en: "✅ Done" }
        ImportNotUtf8 "admin.import.not_utf8" {
            id: "file itu bukan teks UTF-8; simpan sebagai teks biasa (UTF-8) lalu unggah lagi",
            en: "the file is not UTF-8 text; save it as plain text (UTF-8) and upload it again",
        }
        ImportTooLarge "admin.import.too_large" {
            id: "file itu {size} KiB; batasnya {limit} KiB",
            en: "the file is {size} KiB; the limit is {limit} KiB",
        }
        ImportNotGiven "admin.import.not_given" {
            id: "Telegram tidak memberikan filenya: {error}",
            en: "Telegram did not give the file: {error}",
        }
        ImportFailed "admin.import.failed" { id: "❌ Tidak ada yang diimpor: {why}.", en: "❌ Nothing imported: {why}." }
        Imported "admin.import.done" {
            id: "✅ File diimpor: ditambah {added}; {duplicates} duplikat dilewati{too_long}. Stok sekarang: <b>{stock}</b>.",
            en: "✅ File imported: added {added}; {duplicates} duplicate(s) skipped{too_long}. Stock now: <b>{stock}</b>.",
        }
        ImportProductGone "admin.import.product_gone" {
            id: "❌ Produk itu sudah tidak ada; tidak ada yang diimpor.",
            en: "❌ That product no longer exists; nothing imported.",
        }
        ImportWizardLeft "admin.import.wizard_left" {
            id: "❌ Wizard produk baru sudah ditinggalkan sebelum file tiba; tidak ada yang diimpor.",
            en: "❌ The new-product wizard was left before the file arrived; nothing imported.",
        }
        AskCategoryName "admin.categories.ask_name" {
            id: "Kirim <b>nama</b> kategori baru (maksimal 64 karakter).",
            en: "Send the new category's <b>name</b> (up to 64 characters).",
        }
        AskRename "admin.categories.ask_rename" { id: "Kirim <b>nama</b> baru kategori ini.", en: "Send the category's new <b>name</b>." }
        AskEmoji "admin.categories.ask_emoji" { id: "Kirim <b>emoji</b> baru kategori ini.", en: "Send the category's new <b>emoji</b>." }
        ConfirmDelete "admin.categories.confirm_delete" {
            id: "Hapus kategori ini? Produknya tetap ada, tanpa kategori.",
            en: "Delete this category? Its products stay, uncategorised.",
        }
        YesDelete "admin.categories.yes_delete" { id: "🗑 Ya, hapus", en: "🗑 Yes, delete" }
        NewCategoryButton "admin.categories.new_button" { id: "➕ Kategori baru", en: "➕ New category" }
        CategoriesHeader "admin.categories.header" {
            id: "🗂 <b>Kategori</b> ({count}), sesuai urutan yang dilihat pelanggan.",
            en: "🗂 <b>Categories</b> ({count}), in the order customers see them.",
        }
        CategoryGone "admin.categories.gone" { id: "Kategori itu tidak ada.", en: "That category does not exist." }
        CategoryDetail "admin.categories.detail" {
            id: "{emoji} <b>{name}</b> — {count} produk",
            en: "{emoji} <b>{name}</b> — {count} product(s)",
        }
        RenameButton "admin.categories.rename_button" { id: "✏️ Ganti nama", en: "✏️ Rename" }
        EmojiButton "admin.categories.emoji_button" { id: "😀 Emoji", en: "😀 Emoji" }
        DeleteButton "admin.categories.delete_button" { id: "🗑 Hapus", en: "🗑 Delete" }
        NoCategory "admin.categories.none_button" { id: "— Tanpa kategori", en: "— Uncategorised" }
        PickCategory "admin.categories.pick" { id: "Pilih kategori.", en: "Pick a category." }
        BadCategoryName "admin.categories.bad_name" {
            id: "Nama kategori terdiri dari 1–64 karakter. Kirim lagi.",
            en: "A category name has 1–64 characters. Send it again.",
        }
        CategoryExists "admin.categories.exists" {
            id: "Kategori dengan nama itu sudah ada. Kirim nama lain.",
            en: "A category with that name exists. Send another name.",
        }
        BadEmoji "admin.categories.bad_emoji" { id: "Kirim satu emoji (maksimal 8 karakter).", en: "Send one emoji (up to 8 characters)." }
    }
}
