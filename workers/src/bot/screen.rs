//! What every screen is made of, and how money is written.

use crate::telegram::Button;

/// A screen: HTML text and the buttons under it.
pub struct Screen {
    pub text: String,
    pub buttons: Vec<Vec<Button>>,
}

/// `Rp 1.250.000`: whole rupiah with dots between thousands.
pub fn rupiah(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(c);
    }
    format!("{}Rp {grouped}", if amount < 0 { "-" } else { "" })
}

#[cfg(test)]
mod tests {
    use super::rupiah;

    #[test]
    fn rupiah_groups_thousands_with_dots() {
        assert_eq!(rupiah(0), "Rp 0");
        assert_eq!(rupiah(999), "Rp 999");
        assert_eq!(rupiah(10_000), "Rp 10.000");
        assert_eq!(rupiah(1_250_000), "Rp 1.250.000");
        assert_eq!(rupiah(-5_000), "-Rp 5.000");
    }
}
