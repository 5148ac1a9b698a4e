//! Calendar dates as the sources give them, validated once at ingest.
//!
//! A plain year-month-day triple is all the product needs: votes happen on
//! a day, never at an instant, so there is no time zone to get wrong.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A valid Gregorian date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// 1 January of year 1: a placeholder where no date is known.
    pub const UNKNOWN: Date = Date {
        year: 1,
        month: 1,
        day: 1,
    };

    /// Builds a date, refusing impossible ones (2023-02-29, month 13, ...).
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let leap =
            (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let days_in_month = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days_in_month)
            .contains(&day)
            .then_some(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD`, the ISO 8601 form the AR data uses.
    pub fn parse_iso(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        // Digits only, read from bytes: slicing the `str` would pull its
        // panic message (and char formatting) into the WASM module.
        let number = |range: std::ops::Range<usize>| -> Option<u16> {
            bytes.get(range)?.iter().try_fold(0u16, |n, &b| {
                b.is_ascii_digit().then(|| n * 10 + u16::from(b - b'0'))
            })
        };
        let month = u8::try_from(number(5..7)?).ok()?;
        let day = u8::try_from(number(8..10)?).ok()?;
        Date::new(number(0..4)?, month, day)
    }

    pub fn year(self) -> u16 {
        self.year
    }

    /// 1 to 12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// 1 to 31.
    pub fn day(self) -> u8 {
        self.day
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        let text = String::deserialize(deserializer)?;
        Date::parse_iso(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("invalid date {text:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_iso_dates() {
        let date = Date::parse_iso("2019-11-15").unwrap();
        assert_eq!(date.to_string(), "2019-11-15");
        assert_eq!(date.year(), 2019);
    }

    #[test]
    fn refuses_impossible_dates() {
        for text in [
            "2023-02-29",
            "2019-13-01",
            "2019-04-31",
            "2019-00-10",
            "19-11-15",
            "2019/11/15",
            "2019-1a-15",
            "+019-11-15",
        ] {
            assert_eq!(Date::parse_iso(text), None, "{text}");
        }
        assert!(Date::parse_iso("2024-02-29").is_some());
    }

    #[test]
    fn orders_chronologically() {
        assert!(Date::parse_iso("2019-12-31") < Date::parse_iso("2020-01-01"));
    }
}
