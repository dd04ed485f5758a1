//! The values forms carry, each a type of its own: once parsed, a `Country` is a country
//! code and a `Yuan` an amount, wherever they travel (`as_str`/`get` give them back to a
//! database column or a page).

use serde::{Deserialize, Serialize};

use crate::error::Reason;

/// A phone number as people type it: 6–20 digits with an optional leading `+`, spaces,
/// dashes, dots and parentheses. The field is optional: `Phone::none()` is no number.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phone(String);

impl Phone {
    pub fn parse(value: &str) -> Result<Phone, Reason> {
        let value = value.trim();
        if value.is_empty() {
            return Ok(Phone::none());
        }
        let digits = value.chars().filter(char::is_ascii_digit).count();
        let allowed = value
            .char_indices()
            .all(|(i, c)| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')') || (c == '+' && i == 0));
        if allowed && (6..=20).contains(&digits) { Ok(Phone(value.to_string())) } else { Err(Reason::InvalidPhone) }
    }

    pub fn none() -> Phone {
        Phone(String::new())
    }

    /// The number as typed (empty for none).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A country or territory of ISO 3166-1, held as its alpha-2 code (upper-cased).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Country(String);

impl Country {
    /// Its code (`de`, `DE`) or its name in Chinese or English (`德国`, `germany`).
    pub fn parse(value: &str) -> Result<Country, Reason> {
        let value = value.trim();
        if value.is_empty() {
            return Err(Reason::Required);
        }
        let code = value.to_ascii_uppercase();
        if let Ok(i) = super::COUNTRIES.binary_search_by(|c| c.0.cmp(code.as_str())) {
            return Ok(Country(super::COUNTRIES[i].0.to_string()));
        }
        super::COUNTRIES
            .iter()
            .find(|(_, zh, en)| *zh == value || en.eq_ignore_ascii_case(value))
            .map(|(code, _, _)| Country(code.to_string()))
            .ok_or(Reason::InvalidCountry)
    }

    /// Its name in `lang` (the code itself when it is not in the list).
    pub fn name_of(code: &str, lang: crate::i18n::Lang) -> &str {
        match super::COUNTRIES.binary_search_by(|c| c.0.cmp(code)) {
            Ok(i) => lang.pick(super::COUNTRIES[i].1, super::COUNTRIES[i].2),
            Err(_) => code,
        }
    }

    /// The choices of a country list in `lang`: China and its regions first, then the rest by
    /// their English names (an order both languages' readers can scan).
    pub fn choices(lang: crate::i18n::Lang) -> Vec<(&'static str, &'static str)> {
        const FIRST: [&str; 4] = ["CN", "HK", "MO", "TW"];
        let mut all: Vec<&(&str, &str, &str)> = super::COUNTRIES.iter().collect();
        all.sort_by_key(|(code, _, en)| (FIRST.iter().position(|f| f == code).unwrap_or(FIRST.len()), *en));
        all.into_iter().map(|(code, zh, en)| (*code, lang.pick(zh, en))).collect()
    }

    /// For a field that may be left empty.
    pub fn optional(value: &str) -> Result<Option<Country>, Reason> {
        if value.trim().is_empty() { Ok(None) } else { Country::parse(value).map(Some) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// An optional country as its column stores it (empty for none).
    pub fn stored(country: &Option<Country>) -> String {
        country.as_ref().map(|c| c.0.clone()).unwrap_or_default()
    }
}

/// An IANA time zone name from the accepted list (`time_zones`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeZone(String);

impl TimeZone {
    pub fn parse(value: &str) -> Result<TimeZone, Reason> {
        let value = value.trim();
        if value.is_empty() {
            return Err(Reason::Required);
        }
        if crate::time_zones::is_known(value) { Ok(TimeZone(value.to_string())) } else { Err(Reason::UnknownTimeZone) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An amount of money in yuan, typed by organizers in 亿元 (CNY 100 million).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Yuan(i64);

impl Yuan {
    /// An amount typed in 亿元, up to two decimals (empty is zero), below one million 亿元.
    pub fn parse_yi(value: &str) -> Result<Yuan, Reason> {
        Self::parse_in(value, 100_000_000, 1_000_000)
    }

    /// An amount typed in 万元 (CNY 10,000), up to two decimals (empty is zero), below
    /// one hundred million 万元.
    pub fn parse_wan(value: &str) -> Result<Yuan, Reason> {
        Self::parse_in(value, 10_000, 100_000_000)
    }

    /// `value` in units of `unit` yuan with up to two decimals, the whole part below `max`.
    fn parse_in(value: &str, unit: i64, max: i64) -> Result<Yuan, Reason> {
        let value = value.trim().replace(',', "");
        if value.is_empty() {
            return Ok(Yuan(0));
        }
        let (whole, frac) = value.split_once('.').unwrap_or((&value, ""));
        let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
        if !digits(whole) || (!frac.is_empty() && !digits(frac)) || frac.len() > 2 {
            return Err(Reason::NotANumber);
        }
        let whole: i64 = whole.parse().map_err(|_| Reason::NotANumber)?;
        if whole >= max {
            return Err(Reason::OutOfRange { min: 0, max });
        }
        let cents: i64 = format!("{frac:0<2}").parse().map_err(|_| Reason::NotANumber)?;
        Ok(Yuan(whole * unit + cents * (unit / 100)))
    }

    /// The amount in yuan, as its column stores it.
    pub fn get(self) -> i64 {
        self.0
    }

    /// `yuan` written in 亿元 as `parse_yi` reads it back (two decimals at most).
    pub fn yi_text(yuan: i64) -> String {
        Self::text_in(yuan, 100_000_000)
    }

    /// `yuan` written in 万元 as `parse_wan` reads it back (two decimals at most).
    pub fn wan_text(yuan: i64) -> String {
        Self::text_in(yuan, 10_000)
    }

    fn text_in(yuan: i64, unit: i64) -> String {
        let (whole, cents) = (yuan / unit, (yuan % unit) / (unit / 100));
        match cents {
            0 => whole.to_string(),
            c if c % 10 == 0 => format!("{whole}.{}", c / 10),
            c => format!("{whole}.{c:02}"),
        }
    }
}

/// A unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from
/// `0-9` and the capitals but I, O, S, V and Z, the last a check character over the
/// other 17. Typed with spaces or dashes, or in small letters, it is kept without them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditCode(String);

impl CreditCode {
    const CHARACTERS: &'static str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    /// `None` for an empty field (a company may have none).
    pub fn optional(value: &str) -> Result<Option<CreditCode>, Reason> {
        let code: String = value.chars().filter(|c| !matches!(c, ' ' | '-')).collect::<String>().to_ascii_uppercase();
        if code.is_empty() {
            return Ok(None);
        }
        let values: Option<Vec<u32>> = code.chars().map(|c| Self::CHARACTERS.find(c).map(|i| i as u32)).collect();
        let Some(values) = values.filter(|v| v.len() == 18) else { return Err(Reason::InvalidCreditCode) };
        let sum: u32 = values[..17].iter().zip(Self::WEIGHTS).map(|(v, w)| v * w).sum();
        if (31 - sum % 31) % 31 == values[17] { Ok(Some(CreditCode(code))) } else { Err(Reason::InvalidCreditCode) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_amount_written_in_yi_reads_back_the_same() {
        for typed in ["0", "1", "2250.15", "491.4", "0.05", "999999.99"] {
            let yuan = Yuan::parse_yi(typed).unwrap().get();
            assert_eq!(Yuan::yi_text(yuan), typed);
        }
    }

    #[test]
    fn credit_codes_carry_their_check_character() {
        let code = |s: &str| CreditCode::optional(s).map(|c| c.map(|c| c.as_str().to_string()));
        assert_eq!(code("91350100M000100Y43"), Ok(Some("91350100M000100Y43".into())));
        assert_eq!(code(" 9135 0100-m000 100y43 "), Ok(Some("91350100M000100Y43".into())), "as people type it");
        assert_eq!(code(""), Ok(None));
        assert_eq!(code("91350100M000100Y44"), Err(Reason::InvalidCreditCode), "a wrong check character");
        assert_eq!(code("91350100M000100Y4"), Err(Reason::InvalidCreditCode), "17 characters");
        assert_eq!(code("91350100M000100Y433"), Err(Reason::InvalidCreditCode), "19 characters");
        assert_eq!(code("9135O100M000100Y43"), Err(Reason::InvalidCreditCode), "the letter O is never used");
        // A check value of 0 is written 0, not 31: exactly one 17th character gives it.
        let with_zero = CreditCode::CHARACTERS
            .chars()
            .filter(|d| CreditCode::optional(&format!("9143060000000000{d}0")).is_ok())
            .count();
        assert_eq!(with_zero, 1);
    }

    /// Which phones are refused is the registration form's test; here, what a valid one holds.
    #[test]
    fn phones_keep_what_was_typed_and_a_country_may_be_left_out() {
        assert_eq!(Phone::parse(" +49 (69) 123-4567 ").unwrap().as_str(), "+49 (69) 123-4567");
        assert_eq!(Phone::parse(""), Ok(Phone::none()));
        assert_eq!(Country::optional(" "), Ok(None));
        assert_eq!(Country::optional("cn").map(|c| Country::stored(&c)), Ok("CN".into()));
        assert_eq!(Country::stored(&None), "");
    }

    #[test]
    fn countries_and_time_zones() {
        assert_eq!(Country::parse("de").map(|c| c.as_str().to_string()), Ok("DE".into()));
        assert_eq!(Country::parse("Germany").map(|c| c.as_str().to_string()), Ok("DE".into()));
        assert_eq!(Country::parse("德国").map(|c| c.as_str().to_string()), Ok("DE".into()));
        assert_eq!(Country::parse("XX"), Err(Reason::InvalidCountry));
        assert_eq!(Country::parse("Atlantis"), Err(Reason::InvalidCountry));
        assert_eq!(Country::name_of("KE", crate::i18n::Lang::Zh), "肯尼亚");
        assert_eq!(Country::choices(crate::i18n::Lang::En)[..2], [("CN", "China"), ("HK", "Hong Kong, China")]);
        assert!(crate::domain::COUNTRIES.windows(2).all(|w| w[0].0 < w[1].0), "sorted by code");
        assert_eq!(TimeZone::parse("Europe/Berlin").map(|z| z.as_str().to_string()), Ok("Europe/Berlin".into()));
        assert_eq!(TimeZone::parse("Europe/Atlantis"), Err(Reason::UnknownTimeZone));
    }

    #[test]
    fn amounts_in_yi_yuan() {
        assert_eq!(Yuan::parse_yi("2250.15").map(Yuan::get), Ok(225_015_000_000));
        assert_eq!(Yuan::parse_yi("1,002.07").map(Yuan::get), Ok(100_207_000_000));
        assert_eq!(Yuan::parse_yi("").map(Yuan::get), Ok(0));
        assert_eq!(Yuan::parse_yi("-1"), Err(Reason::NotANumber));
        assert_eq!(Yuan::parse_yi("1.234"), Err(Reason::NotANumber));
    }

    #[test]
    fn amounts_in_wan_yuan() {
        assert_eq!(Yuan::parse_wan("85.5").map(Yuan::get), Ok(855_000));
        assert_eq!(Yuan::parse_wan("1,200.05").map(Yuan::get), Ok(12_000_500));
        assert_eq!(Yuan::wan_text(12_000_500), "1200.05");
        assert_eq!(Yuan::wan_text(855_000), "85.5");
        assert_eq!(Yuan::parse_wan("100000000"), Err(Reason::OutOfRange { min: 0, max: 100_000_000 }));
        assert_eq!(Yuan::parse_wan("-3"), Err(Reason::NotANumber));
    }
}
