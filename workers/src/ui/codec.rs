//! Button data written once: [`callbacks!`] declares an enum of presses, each with a short tag
//! and typed fields, and derives its `encode` (`prefix` + `tag:field:field…`) and `parse` (the
//! exact inverse, refusing anything else). Each field type says how it is written with
//! [`Part`]. Telegram allows 64 bytes of data per button: each enum's test checks its
//! examples round-trip within them.

/// A value carried in button data: written without `:` and read back exactly.
pub trait Part: Sized {
    fn put(&self, out: &mut String);
    fn take(part: &str) -> Option<Self>;
}

macro_rules! number_part {
    ($($ty:ty),*) => {$(
        impl Part for $ty {
            fn put(&self, out: &mut String) {
                out.push_str(&self.to_string());
            }

            fn take(part: &str) -> Option<Self> {
                // No signs, no leading zeros: one spelling per value.
                let canonical = part == "0"
                    || part.starts_with(|c: char| c.is_ascii_digit() && c != '0')
                    || (part.starts_with('-') && part.len() > 1 && !part.starts_with("-0"));
                if !canonical {
                    return None;
                }
                part.parse().ok()
            }
        }
    )*};
}

number_part!(i64, i32, u32, u16, u8);

impl Part for bool {
    fn put(&self, out: &mut String) {
        out.push(if *self { '1' } else { '0' });
    }

    fn take(part: &str) -> Option<Self> {
        match part {
            "1" => Some(true),
            "0" => Some(false),
            _ => None,
        }
    }
}

/// Ids are written as their numbers.
macro_rules! id_part {
    ($($id:ident),*) => {$(
        impl Part for crate::shop::ids::$id {
            fn put(&self, out: &mut String) {
                self.get().put(out);
            }

            fn take(part: &str) -> Option<Self> {
                i64::take(part).map(crate::shop::ids::$id)
            }
        }
    )*};
}

id_part! { OrderId, UserId, TelegramUserId, ProductId, VariantId, PriceGroupId, ContentId, CategoryId, VoucherId, BroadcastId }

/// `-` for none (no number is written `-`).
impl<T: Part> Part for Option<T> {
    fn put(&self, out: &mut String) {
        match self {
            Some(value) => value.put(out),
            None => out.push('-'),
        }
    }

    fn take(part: &str) -> Option<Self> {
        if part == "-" {
            Some(None)
        } else {
            T::take(part).map(Some)
        }
    }
}

/// Letters and digits only (a job's ULID, a key).
impl Part for String {
    fn put(&self, out: &mut String) {
        out.push_str(self);
    }

    fn take(part: &str) -> Option<Self> {
        (!part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric()))
            .then(|| part.to_owned())
    }
}

/// What a press may carry beyond its fields' types (a window a screen offers, an id's
/// shape): checked after parsing. Every press is allowed unless its enum says otherwise.
pub trait Checked {
    fn allowed(&self) -> bool {
        true
    }
}

/// Declares `pub enum $name` of button presses and derives `encode` and `parse` for it; the
/// enum implements [`Checked`], which refuses values that parse but are not allowed.
macro_rules! callbacks {
    (
        $(#[$meta:meta])*
        pub enum $name:ident = $prefix:literal {
            $(
                $(#[$vmeta:meta])*
                $variant:ident $({ $($field:ident : $ty:ty),* $(,)? })? = $tag:literal,
            )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum $name {
            $(
                $(#[$vmeta])*
                $variant $({ $($field: $ty),* })?,
            )+
        }

        impl $name {
            const PREFIX: &'static str = $prefix;

            /// Whether callback data is meant for this enum's screens.
            pub fn is_data(data: &str) -> bool {
                data.starts_with(Self::PREFIX)
            }

            pub fn encode(&self) -> String {
                #[allow(unused_mut)]
                let mut out = String::from(concat!($prefix, ""));
                match self {
                    $(
                        $name::$variant $({ $($field),* })? => {
                            out.push_str($tag);
                            $($(
                                out.push(':');
                                $crate::ui::codec::Part::put($field, &mut out);
                            )*)?
                        }
                    )+
                }
                out
            }

            pub fn parse(data: &str) -> Option<Self> {
                let body = data.strip_prefix(Self::PREFIX)?;
                #[allow(unused_mut)]
                let mut parts = body.split(':');
                let parsed = match parts.next()? {
                    $(
                        $tag => $name::$variant $({ $(
                            $field: <$ty as $crate::ui::codec::Part>::take(parts.next()?)?,
                        )* })?,
                    )+
                    _ => return None,
                };
                if parts.next().is_some() || !$crate::ui::codec::Checked::allowed(&parsed) {
                    return None;
                }
                Some(parsed)
            }
        }
    };
}

pub(crate) use callbacks;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_one_spelling() {
        assert_eq!(i64::take("42"), Some(42));
        assert_eq!(i64::take("-7"), Some(-7));
        assert_eq!(i64::take("0"), Some(0));
        for refused in ["", "+1", "01", "-0", "-", "1e3", " 1", "x"] {
            assert_eq!(i64::take(refused), None, "{refused:?}");
        }
        assert_eq!(u32::take("-1"), None);
        assert_eq!(<Option<i64> as Part>::take("-"), Some(None));
        assert_eq!(String::take("a:b"), None);
    }
}
