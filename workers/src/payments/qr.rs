//! QRIS strings as PNG images, for the invoice photo.

use base64::Engine;
use qrcode::{Color, QrCode};

use crate::ui::message::{Keyboard, Photo, Track};
use crate::ui::{Button, Outgoing};

/// Pixels per QR module, and modules of white border (the standard quiet zone).
const SCALE: usize = 8;
const QUIET: usize = 4;

/// The QR code of `data` as a black-on-white grayscale PNG.
pub fn png(data: &str) -> Result<Vec<u8>, String> {
    let code =
        QrCode::new(data.as_bytes()).map_err(|e| format!("cannot encode the QR code: {e}"))?;
    let modules = code.width();
    let colors = code.to_colors();
    let side = (modules + 2 * QUIET) * SCALE;
    let mut pixels = vec![255_u8; side * side];
    for (index, color) in colors.iter().enumerate() {
        if *color != Color::Dark {
            continue;
        }
        let (row, column) = (index / modules + QUIET, index % modules + QUIET);
        for y in row * SCALE..(row + 1) * SCALE {
            pixels[y * side + column * SCALE..y * side + (column + 1) * SCALE].fill(0);
        }
    }
    let mut out = Vec::new();
    let side = u32::try_from(side).map_err(|_| "QR code too large".to_owned())?;
    let mut encoder = png::Encoder::new(&mut out, side, side);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder
        .write_header()
        .map_err(|e| format!("cannot write the PNG header: {e}"))?;
    writer
        .write_image_data(&pixels)
        .map_err(|e| format!("cannot write the PNG: {e}"))?;
    writer
        .finish()
        .map_err(|e| format!("cannot finish the PNG: {e}"))?;
    Ok(out)
}

/// An invoice photo: the QR `image`, its caption, the "pay in browser" button then `more`
/// rows, remembered as `track` so it can be removed when the invoice ends.
pub fn invoice_photo(
    image: &[u8],
    caption: String,
    pay: Button,
    more: Vec<Vec<Button>>,
    track: Track,
) -> Outgoing {
    let mut rows = vec![vec![pay]];
    rows.extend(more);
    Outgoing::Photo {
        photo: Photo::Png(base64::engine::general_purpose::STANDARD.encode(image)),
        caption,
        keyboard: Some(Keyboard::Inline(rows)),
        track: Some(track),
    }
}

#[cfg(test)]
mod tests {
    use super::png;

    #[test]
    fn a_qris_string_becomes_a_square_png() {
        let image = png("00020101021226610016ID.CO.SHOPEE.WWW01189360091800216005230208216005230303UME51440014ID.CO.QRIS.WWW0215ID10243639137310303UME5204792953033605405990005802ID5907Pakasir6012KAB. KEBUMEN61055439262230519SP25RZRATEQI2HQ6IWR6304A079").expect("png");
        assert_eq!(&image[1..4], b"PNG");
        let width = u32::from_be_bytes([image[16], image[17], image[18], image[19]]);
        let height = u32::from_be_bytes([image[20], image[21], image[22], image[23]]);
        assert_eq!(width, height);
        assert!(width >= 200, "{width}");
    }
}
