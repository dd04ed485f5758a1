//! Domain values parsed at the edge: after these, code holds only valid values.
//! They compile to the browser too, so the form checks there match the server's.

/// A state stored by its name: the enum, `ALL` in order, `as_str`, `parse` (spaces around
/// the name ignored), its JSON form (the name), and on the server its column type
/// (sea-orm's `DeriveActiveEnum`: a row holding a name the enum lacks fails to load).
macro_rules! stored_enum {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $value:literal,)* }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[cfg_attr(
            feature = "ssr",
            derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum),
            sea_orm(rs_type = "String", db_type = "Text")
        )]
        pub enum $name {
            $(
                $(#[$vmeta])*
                #[cfg_attr(feature = "ssr", sea_orm(string_value = $value))]
                $variant,
            )*
        }

        impl $name {
            pub const ALL: [Self; [$($value),*].len()] = [$(Self::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $value,)*
                }
            }

            pub fn parse(s: &str) -> Option<Self> {
                match s.trim() {
                    $($value => Some(Self::$variant),)*
                    _ => None,
                }
            }
        }

        // By its stored name, as the database holds it. Written out rather than derived:
        // serde's derive adds a visitor per enum that the browser's bundle would carry.
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::domain::named(deserializer, Self::parse, stringify!($name))
            }
        }
    };
}

/// A stored enum read back from its name: `parse` says which, `what` names the enum in
/// the refusal.
pub(crate) fn named<'de, D: serde::Deserializer<'de>, T>(
    deserializer: D,
    parse: fn(&str) -> Option<T>,
    what: &'static str,
) -> Result<T, D::Error> {
    let name = <String as serde::Deserialize>::deserialize(deserializer)?;
    parse(&name).ok_or_else(|| serde::de::Error::custom(format_args!("{name:?} is no {what}")))
}

mod countries;
mod kinds;
mod progress;
pub mod questions;
mod status;
mod values;

pub use countries::COUNTRIES;
pub use kinds::*;
pub use progress::*;
pub use status::*;
pub use values::*;

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::error::Reason;
use crate::i18n::texts_of;

/// Trimmed text of at most `max` characters; empty is refused when `required`.
pub fn text(value: &str, required: bool, max: usize) -> Result<String, Reason> {
    let value = value.trim();
    if required && value.is_empty() {
        return Err(Reason::Required);
    }
    if value.chars().count() > max {
        return Err(Reason::TooLong { max });
    }
    Ok(value.to_string())
}

/// A whole number within `min..=max`.
pub fn integer(value: &str, min: i64, max: i64) -> Result<i64, Reason> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Reason::Required);
    }
    let n: i64 = value.parse().map_err(|_| Reason::NotANumber)?;
    if n < min || n > max {
        return Err(Reason::OutOfRange { min, max });
    }
    Ok(n)
}

/// A local date and time as `<input type="datetime-local">` posts it.
pub fn local_datetime(value: &str) -> Result<NaiveDateTime, Reason> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Reason::Required);
    }
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(value, f).ok())
        .ok_or(Reason::InvalidDateTime)
}

pub fn optional_local_datetime(value: &str) -> Result<Option<NaiveDateTime>, Reason> {
    if value.trim().is_empty() { Ok(None) } else { local_datetime(value).map(Some) }
}

/// An email address, lower-cased; a pragmatic check, the real test is delivery.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub fn parse(value: &str) -> Result<Email, Reason> {
        let value = value.trim().to_lowercase();
        if value.is_empty() {
            return Err(Reason::Required);
        }
        if value.len() > 254 {
            return Err(Reason::TooLong { max: 254 });
        }
        let (local, domain) = value.rsplit_once('@').ok_or(Reason::InvalidEmail)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && domain.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        let local_ok = !local.is_empty() && !local.chars().any(|c| c.is_whitespace() || c == '@');
        if domain_ok && local_ok { Ok(Email(value)) } else { Err(Reason::InvalidEmail) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The readable part of a public URL: `/e/2023-frankfurt-equipment`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slug(String);

impl Slug {
    pub fn parse(value: &str) -> Result<Slug, Reason> {
        let value = value.trim();
        let ok = (3..=80).contains(&value.len())
            && value.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !value.starts_with('-')
            && !value.ends_with('-');
        if ok { Ok(Slug(value.to_string())) } else { Err(Reason::InvalidSlug) }
    }

    /// Builds a slug from free text: ASCII letters and digits kept, the rest joined by `-`.
    pub fn from_text(text: &str) -> Option<Slug> {
        let mut out = String::new();
        for c in text.chars().flat_map(char::to_lowercase) {
            if c.is_ascii_alphanumeric() {
                out.push(c);
            } else if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
            if out.len() >= 72 {
                break;
            }
        }
        Slug::parse(out.trim_end_matches('-')).ok()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The industry chains the bureau promotes (from the 2023 work report).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum IndustryChain {
    Petrochemicals,
    GreenFood,
    PowerNewEnergy,
    Textiles,
    AdvancedEquipment,
    ElectronicInformation,
    ArtificialIntelligence,
    AdvancedMaterials,
    ModernLogistics,
    CultureTourism,
}

texts_of! {
    /// The name of each `IndustryChain`, in both languages.
    impl IndustryChain, fn label;
    Petrochemicals: "现代石化", "Modern petrochemicals";
    GreenFood: "绿色食品", "Green food";
    PowerNewEnergy: "电力新能源", "Power and new energy";
    Textiles: "纺织", "Textiles";
    AdvancedEquipment: "先进装备制造", "Advanced equipment manufacturing";
    ElectronicInformation: "电子信息", "Electronic information";
    ArtificialIntelligence: "人工智能", "Artificial intelligence";
    AdvancedMaterials: "先进材料", "Advanced materials";
    ModernLogistics: "现代物流", "Modern logistics";
    CultureTourism: "文化旅游", "Culture and tourism";
}

impl IndustryChain {
    pub const ALL: [IndustryChain; 10] = [
        Self::Petrochemicals,
        Self::GreenFood,
        Self::PowerNewEnergy,
        Self::Textiles,
        Self::AdvancedEquipment,
        Self::ElectronicInformation,
        Self::ArtificialIntelligence,
        Self::AdvancedMaterials,
        Self::ModernLogistics,
        Self::CultureTourism,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Self::Petrochemicals => "petrochemicals",
            Self::GreenFood => "green-food",
            Self::PowerNewEnergy => "power-new-energy",
            Self::Textiles => "textiles",
            Self::AdvancedEquipment => "advanced-equipment",
            Self::ElectronicInformation => "electronic-information",
            Self::ArtificialIntelligence => "artificial-intelligence",
            Self::AdvancedMaterials => "advanced-materials",
            Self::ModernLogistics => "modern-logistics",
            Self::CultureTourism => "culture-tourism",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.slug() == slug)
    }

    /// The chains ticked in a form (`form[industry_chains][slug]=on`); an unknown slug is refused.
    pub fn from_checked(checked: &std::collections::BTreeMap<String, String>) -> Result<Vec<IndustryChain>, Reason> {
        checked.keys().map(|slug| Self::from_slug(slug).ok_or(Reason::UnknownChoice)).collect()
    }

    /// Stored as a comma-separated list of slugs.
    pub fn join(chains: &[IndustryChain]) -> String {
        chains.iter().map(|c| c.slug()).collect::<Vec<_>>().join(",")
    }

    pub fn split(stored: &str) -> Vec<IndustryChain> {
        stored.split(',').filter_map(Self::from_slug).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_and_bounded() {
        assert_eq!(text("  岳阳 ", true, 10), Ok("岳阳".into()));
        assert_eq!(text("   ", true, 10), Err(Reason::Required));
        assert_eq!(text("", false, 10), Ok(String::new()));
        assert_eq!(text("招商引资推介会", true, 3), Err(Reason::TooLong { max: 3 }));
    }

    #[test]
    fn integers_refuse_negatives_and_words() {
        assert_eq!(integer("120", 1, 100_000), Ok(120));
        assert_eq!(integer("-5", 1, 100_000), Err(Reason::OutOfRange { min: 1, max: 100_000 }));
        assert_eq!(integer("many", 1, 10), Err(Reason::NotANumber));
        assert_eq!(integer("", 1, 10), Err(Reason::Required));
    }

    #[test]
    fn local_datetimes_accept_browser_formats() {
        assert!(local_datetime("2023-03-15T14:00").is_ok());
        assert!(local_datetime("2023-03-15 14:00").is_ok());
        assert_eq!(local_datetime("15/03/2023"), Err(Reason::InvalidDateTime));
        assert_eq!(optional_local_datetime(" "), Ok(None));
    }

    #[test]
    fn emails_are_normalized() {
        assert_eq!(Email::parse(" Li.Wei@Example.COM ").unwrap().as_str(), "li.wei@example.com");
        assert_eq!(Email::parse("no-at-sign"), Err(Reason::InvalidEmail));
        assert_eq!(Email::parse("a@localhost"), Err(Reason::InvalidEmail));
        assert_eq!(Email::parse("a b@example.com"), Err(Reason::InvalidEmail));
    }

    #[test]
    fn slugs_are_readable_ascii() {
        assert!(Slug::parse("2023-frankfurt-equipment").is_ok());
        assert_eq!(Slug::parse("Frankfurt"), Err(Reason::InvalidSlug));
        assert_eq!(Slug::parse("-a-"), Err(Reason::InvalidSlug));
        assert_eq!(
            Slug::from_text("Yueyang Forum — Frankfurt 2023!").unwrap().as_str(),
            "yueyang-forum-frankfurt-2023"
        );
        assert_eq!(Slug::from_text("岳阳"), None);
    }
}
