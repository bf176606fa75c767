//! The texts of variants, quantity tiers and price groups on the admin screens, one entry a
//! line: key, Indonesian, English. Keys start `admin.variants.` and `admin.prices.`.

texts! {
    /// An admin text about variants and prices.
    pub enum PriceText {
        VariantsHeader "admin.variants.header" { id: "<b>Varian</b> ({count}) — tekan satu untuk harga, stok dan grosirnya.", en: "<b>Variants</b> ({count}) — press one for its price, stock and tiers." }
        VariantButton "admin.variants.button" { id: "{archived}{name} · {price} · stok {stock} · terjual {sold}", en: "{archived}{name} · {price} · stock {stock} · sold {sold}" }
        VariantDetail "admin.variants.detail" { id: "🔹 <b>{product}</b> · <b>{name}</b> (<code>{code}</code>){archived}\nHarga: <b>{price}</b>\nHarga grosir: {tiers}\nHarga grup: {groups}\nStok: <b>{stock}</b> · dipesan {reserved} · terjual {sold}\nPeringatan stok di bawah: {low_stock}", en: "🔹 <b>{product}</b> · <b>{name}</b> (<code>{code}</code>){archived}\nPrice: <b>{price}</b>\nQuantity tiers: {tiers}\nGroup prices: {groups}\nStock: <b>{stock}</b> · reserved {reserved} · sold {sold}\nLow-stock alert below: {low_stock}" }
        Nothing "admin.variants.none" { id: "<i>tidak ada</i>", en: "<i>none</i>" }
        TierItem "admin.variants.tier_item" { id: "mulai {quantity}: {price}", en: "from {quantity}: {price}" }
        GroupItem "admin.variants.group_item" { id: "{group} {price}", en: "{group} {price}" }
        VariantGone "admin.variants.gone" { id: "Varian itu tidak ada.", en: "That variant does not exist." }
        AddVariantButton "admin.variants.add_button" { id: "➕ Varian", en: "➕ Variant" }
        AddVariantsPrompt "admin.variants.add_prompt" { id: "➕ Kirim varian baru, satu per baris: <code>KODE | nama | harga</code>, mis.\n<code>NF3M | 3 bulan | 95.000</code>\n<code>NF12M | 12 bulan | 350.000</code>", en: "➕ Send the new variants, one per line: <code>CODE | name | price</code>, e.g.\n<code>NF3M | 3 months | 95.000</code>\n<code>NF12M | 12 months | 350.000</code>" }
        BadVariantLine "admin.variants.bad_line" { id: "Baris {n} ditolak: {why}. Tidak ada yang dibuat; kirim lagi.", en: "Line {n} refused: {why}. Nothing was created; send them again." }
        LineShape "admin.variants.line_shape" { id: "tulis <code>KODE | nama | harga</code>", en: "write <code>CODE | name | price</code>" }
        LineCode "admin.variants.line_code" { id: "kode memakai 1–32 huruf, angka, <code>-</code> atau <code>_</code>", en: "a code has 1–32 letters, digits, <code>-</code> or <code>_</code>" }
        LineCodeTaken "admin.variants.line_code_taken" { id: "kode <code>{code}</code> sudah dipakai", en: "code <code>{code}</code> is taken" }
        LineName "admin.variants.line_name" { id: "nama varian terdiri dari 1–64 karakter", en: "a variant name has 1–64 characters" }
        LinePrice "admin.variants.line_price" { id: "harga adalah bilangan bulat rupiah di atas 0", en: "a price is a whole number of rupiah above 0" }
        VariantsAdded "admin.variants.added" { id: "✅ {count} varian ditambahkan. Tambah stoknya dari layar tiap varian.", en: "✅ {count} variant(s) added. Add their stock from each variant's screen." }
        EditCode "admin.variants.edit_code" { id: "🏷 Kode", en: "🏷 Code" }
        EditTiers "admin.variants.edit_tiers" { id: "🔻 Harga grosir", en: "🔻 Quantity tiers" }
        AskCode "admin.variants.ask_code" { id: "Kirim <b>kode</b> baru varian ini (1–32 huruf, angka, <code>-</code>, <code>_</code>).", en: "Send the variant's new <b>code</b> (1–32 letters, digits, <code>-</code>, <code>_</code>)." }
        AskName "admin.variants.ask_name" { id: "Kirim <b>nama</b> varian (maksimal 64 karakter, mis. <code>1 bulan</code>).", en: "Send the variant's <b>name</b> (up to 64 characters, e.g. <code>1 month</code>)." }
        AskTiers "admin.variants.ask_tiers" { id: "Kirim harga grosir sebagai <code>jumlah=harga</code> dipisah koma, mis. <code>10=8.500, 50=8.000</code>: harganya di bawah harga normal dan turun seiring jumlah. <code>-</code> menghapus semuanya.", en: "Send the tiers as <code>quantity=price</code> separated by commas, e.g. <code>10=8.500, 50=8.000</code>: below the list price and falling as the quantity rises. <code>-</code> removes them all." }
        BadTiers "admin.variants.bad_tiers" { id: "Harga grosir ditolak: {why}. Kirim lagi.", en: "Tiers refused: {why}. Send them again." }
        EditGroupPrices "admin.variants.edit_group_prices" { id: "🏷 Harga grup", en: "🏷 Group prices" }
        AskGroupPrices "admin.variants.ask_group_prices" { id: "Kirim harga khusus varian ini per grup: <code>Reseller=30.000, Member=28.000</code>; <code>Reseller=-</code> menghapus harga khusus grup itu (anggotanya lalu membayar harga normal dikurangi potongan grup).", en: "Send this variant's own price per group: <code>Reseller=30.000, Member=28.000</code>; <code>Reseller=-</code> removes that group's own price (its members then pay the list price less the group's percentage)." }
        BadGroupPrices "admin.variants.bad_group_prices" { id: "Harga grup ditolak: {why}. Kirim lagi.", en: "Group prices refused: {why}. Send them again." }
        CodeTaken "admin.variants.code_taken" { id: "Kode <code>{code}</code> sudah dipakai varian lain. Kirim kode lain.", en: "Code <code>{code}</code> is taken by another variant. Send another code." }
        MoveUp "admin.variants.move_up" { id: "⬆️ Naik", en: "⬆️ Up" }
        MoveDown "admin.variants.move_down" { id: "⬇️ Turun", en: "⬇️ Down" }
        BackToProduct "admin.variants.back_to_product" { id: "📦 Produk", en: "📦 Product" }
        WizardPrice "admin.wizard.price_or_variants" { id: "Langkah 3/7: kirim <b>harga</b> dalam rupiah (mis. <code>25.000</code>) untuk satu varian, atau beberapa varian satu per baris: <code>KODE | nama | harga</code>.", en: "Step 3/7: send the <b>price</b> in rupiah (e.g. <code>25.000</code>) for one variant, or several variants one per line: <code>CODE | name | price</code>." }
        CreatedVariants "admin.wizard.created_variants" { id: "✅ <b>{name}</b> dibuat dengan {count} varian. Tambah stok tiap varian dari layar produk.\nLangkah 7/7: kirim <b>SNK</b>-nya, yang tampil ke pembeli setelah pengiriman, atau tekan Lewati.", en: "✅ <b>{name}</b> created with {count} variants. Add each variant's stock from the product's screen.\nStep 7/7: send its <b>terms (SNK)</b>, shown to buyers after delivery, or press Skip." }
        MenuGroups "admin.prices.menu" { id: "🏷 Grup harga", en: "🏷 Price groups" }
        GroupsHeader "admin.prices.header" { id: "🏷 <b>Grup harga</b> ({count}). Anggota grup melihat harga grupnya di katalog (ditandai) dan membayarnya; pelanggan lain tidak pernah melihatnya. Daftar harga bisa diekspor dan diimpor sebagai CSV.", en: "🏷 <b>Price groups</b> ({count}). A group's members see its prices in the catalog (marked) and pay them; other customers never see them. The price list exports and imports as CSV." }
        GroupButton "admin.prices.group_button" { id: "{name} · {members} anggota{percent}", en: "{name} · {members} member(s){percent}" }
        PercentNote "admin.prices.percent_note" { id: " · -{percent}%", en: " · -{percent}%" }
        NewGroupButton "admin.prices.new_button" { id: "➕ Grup baru", en: "➕ New group" }
        AskGroup "admin.prices.ask_group" { id: "Kirim nama grup dan, bila mau, potongan persennya dari harga normal: <code>Reseller 10</code> (nama maksimal 32 karakter, potongan 1–90).", en: "Send the group's name and, if you like, its percentage off the list price: <code>Reseller 10</code> (a name up to 32 characters, 1–90 percent)." }
        BadGroup "admin.prices.bad_group" { id: "Tulis nama (1–32 karakter) lalu, bila mau, potongan 1–90. Kirim lagi.", en: "Write a name (1–32 characters), then, if you like, a percentage from 1 to 90. Send it again." }
        GroupExists "admin.prices.group_exists" { id: "Grup bernama itu sudah ada. Kirim nama lain.", en: "A group with that name exists. Send another name." }
        GroupGone "admin.prices.group_gone" { id: "Grup itu tidak ada.", en: "That group does not exist." }
        GroupDetail "admin.prices.group_detail" { id: "🏷 <b>{name}</b>\nPotongan dari harga normal: {percent}\nHarga khusus: {prices} varian\nAnggota ({members}): {list}\n\nPerubahan grup berlaku untuk keranjang baru pelanggan.", en: "🏷 <b>{name}</b>\nPercentage off the list price: {percent}\nOwn prices: {prices} variant(s)\nMembers ({members}): {list}\n\nA group change applies to the customer's next cart." }
        MemberItem "admin.prices.member_item" { id: "{customer} (<code>{id}</code>)", en: "{customer} (<code>{id}</code>)" }
        Chosen "admin.prices.chosen" { id: "✅ {name}", en: "✅ {name}" }
        AddMemberButton "admin.prices.add_member_button" { id: "➕ Anggota", en: "➕ Member" }
        RemoveMemberButton "admin.prices.remove_member_button" { id: "❌ {customer}", en: "❌ {customer}" }
        SetPercentButton "admin.prices.set_percent_button" { id: "％ Potongan", en: "％ Percentage" }
        DeleteGroupButton "admin.prices.delete_button" { id: "🗑 Hapus grup", en: "🗑 Delete group" }
        AskMember "admin.prices.ask_member" { id: "Kirim id Telegram atau @username pelanggan yang masuk grup <b>{group}</b>.", en: "Send the Telegram id or @username of the customer joining <b>{group}</b>." }
        AskPercent "admin.prices.ask_percent" { id: "Kirim potongan persen 1–90, atau <code>-</code> untuk tanpa potongan (hanya harga khusus).", en: "Send a percentage from 1 to 90, or <code>-</code> for none (own prices only)." }
        BadPercent "admin.prices.bad_percent" { id: "Potongan adalah bilangan 1–90, atau <code>-</code>. Kirim lagi.", en: "A percentage is a number from 1 to 90, or <code>-</code>. Send it again." }
        MemberSet "admin.prices.member_set" { id: "✅ {customer}: {group}. Berlaku mulai keranjang berikutnya.", en: "✅ {customer}: {group}. It applies from their next cart." }
        NormalPrices "admin.prices.normal" { id: "harga normal", en: "list prices" }
        UserGroupButton "admin.prices.user_group_button" { id: "🏷 Grup harga: {group}", en: "🏷 Price group: {group}" }
        PickGroup "admin.prices.pick_group" { id: "Pilih grup harga untuk {customer}. Berlaku untuk keranjang berikutnya.", en: "Pick the price group for {customer}. It applies to their next cart." }
        ExportButton "admin.prices.export_button" { id: "📤 Ekspor CSV", en: "📤 Export CSV" }
        ImportButton "admin.prices.import_button" { id: "📥 Impor CSV", en: "📥 Import CSV" }
        Export "admin.prices.export" { id: "📤 <b>Daftar harga</b> ({count} varian). Salin, ubah, lalu kirim lewat 📥 Impor CSV:", en: "📤 <b>Price list</b> ({count} variants). Copy it, change it, then send it with 📥 Import CSV:" }
        ImportPrompt "admin.prices.import_prompt" { id: "📥 Tempel daftar harga CSV atau unggah file <b>.csv</b>: <code>kode varian,harga[,harga grup…]</code>, baris pertama judul kolom seperti hasil ekspor (kolom grup memakai nama grup). Sel grup kosong menghapus harga khusus grup itu. Pratinjau tampil sebelum apa pun berubah.", en: "📥 Paste a CSV price list or upload a <b>.csv</b> file: <code>variant code,price[,group price…]</code>, the first line the column titles as exported (group columns by group name). An empty group cell removes that group's own price. A preview shows before anything changes." }
        Preview "admin.prices.preview" { id: "🔍 <b>Pratinjau</b>: {changes} perubahan, {refused} baris ditolak, {same} baris tanpa perubahan.\n{lines}\n\nTerapkan perubahannya? Baris yang ditolak tidak diubah.", en: "🔍 <b>Preview</b>: {changes} change(s), {refused} line(s) refused, {same} line(s) unchanged.\n{lines}\n\nApply the changes? Refused lines change nothing." }
        PreviewChange "admin.prices.preview_change" { id: "• <code>{code}</code> {column}: {before} → {after}", en: "• <code>{code}</code> {column}: {before} → {after}" }
        PreviewRefused "admin.prices.preview_refused" { id: "• ❌ baris {n}: {why}", en: "• ❌ line {n}: {why}" }
        PreviewMore "admin.prices.preview_more" { id: "• … dan {count} lagi", en: "• … and {count} more" }
        ApplyButton "admin.prices.apply_button" { id: "✅ Terapkan", en: "✅ Apply" }
        Applied "admin.prices.applied" { id: "✅ Diterapkan: {changes} harga berubah; {refused} baris ditolak tidak diubah.", en: "✅ Applied: {changes} price(s) changed; {refused} refused line(s) left unchanged." }
        NothingToApply "admin.prices.nothing" { id: "Tidak ada yang berubah ({refused} baris ditolak). Perbaiki lalu kirim lagi.", en: "Nothing would change ({refused} line(s) refused). Fix them and send it again." }
        RefusedColumns "admin.prices.refused_columns" { id: "ada {got} kolom, judulnya {want}", en: "{got} column(s) where the titles have {want}" }
        RefusedCode "admin.prices.refused_code" { id: "kode varian <code>{code}</code> tidak dikenal", en: "variant code <code>{code}</code> is unknown" }
        RefusedPrice "admin.prices.refused_price" { id: "<code>{value}</code> bukan harga rupiah di atas 0", en: "<code>{value}</code> is not a price in rupiah above 0" }
        RefusedTwice "admin.prices.refused_twice" { id: "kode <code>{code}</code> sudah ada di baris sebelumnya", en: "code <code>{code}</code> was on an earlier line" }
        RefusedGroup "admin.prices.refused_group" { id: "kolom <code>{group}</code> bukan grup harga; tidak ada yang dibaca", en: "column <code>{group}</code> is not a price group; nothing was read" }
        ListPrice "admin.prices.list_price" { id: "harga", en: "price" }
        Empty "admin.prices.empty" { id: "—", en: "—" }
    }
}
