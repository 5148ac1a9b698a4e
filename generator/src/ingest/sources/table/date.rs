//! The `date-format` setting (`%Y`, `%m`, `%d`, `%-m`, `%-d`, `%%`; see
//! [`TableConfig::date_format`]): parsed once, then applied to each date
//! cell, telling a cell written another way from one that names no day of
//! the calendar.
//!
//! [`TableConfig::date_format`]: super::TableConfig::date_format

use hemiciclo_core::Date;

/// A `date-format`, parsed once.
#[derive(Debug)]
pub(super) struct DateFormat {
    /// The format as configured, for messages.
    pub(super) text: String,
    pieces: Vec<DatePiece>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum DatePiece {
    Year,
    Month { padded: bool },
    Day { padded: bool },
    Literal(char),
}

/// Why a date cell was refused.
#[derive(Debug, PartialEq)]
pub(super) enum DateError {
    /// Not written as the format says.
    Format,
    /// Written right, but no such day (2023-02-30).
    NoSuchDay,
}

impl DateFormat {
    pub(super) fn compile(text: &str) -> Result<DateFormat, String> {
        let mut pieces = Vec::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            if c != '%' {
                pieces.push(DatePiece::Literal(c));
                continue;
            }
            let piece = match (chars.next(), chars.clone().next()) {
                (Some('Y'), _) => DatePiece::Year,
                (Some('m'), _) => DatePiece::Month { padded: true },
                (Some('d'), _) => DatePiece::Day { padded: true },
                (Some('%'), _) => DatePiece::Literal('%'),
                (Some('-'), Some('m')) => DatePiece::Month { padded: false },
                (Some('-'), Some('d')) => DatePiece::Day { padded: false },
                _ => return Err("only %Y, %m, %d, %-m, %-d and %% are understood".into()),
            };
            if matches!(
                piece,
                DatePiece::Month { padded: false } | DatePiece::Day { padded: false }
            ) {
                chars.next();
            }
            pieces.push(piece);
        }
        let count = |wanted: fn(&DatePiece) -> bool| pieces.iter().filter(|p| wanted(p)).count();
        if count(|p| *p == DatePiece::Year) != 1
            || count(|p| matches!(p, DatePiece::Month { .. })) != 1
            || count(|p| matches!(p, DatePiece::Day { .. })) != 1
        {
            return Err("it must hold the year, the month and the day once each".into());
        }
        Ok(DateFormat {
            text: text.to_owned(),
            pieces,
        })
    }

    pub(super) fn parse(&self, text: &str) -> Result<Date, DateError> {
        let (mut year, mut month, mut day) = (0, 0, 0);
        let mut rest = text;
        for piece in &self.pieces {
            match *piece {
                DatePiece::Year => year = take_digits(&mut rest, 4, 4)?,
                DatePiece::Month { padded } => {
                    month = take_digits(&mut rest, fewest_digits(padded), 2)?
                }
                DatePiece::Day { padded } => {
                    day = take_digits(&mut rest, fewest_digits(padded), 2)?
                }
                DatePiece::Literal(c) => rest = rest.strip_prefix(c).ok_or(DateError::Format)?,
            }
        }
        if !rest.is_empty() {
            return Err(DateError::Format);
        }
        let narrow = |n: u16| u8::try_from(n).map_err(|_| DateError::NoSuchDay);
        Date::new(year, narrow(month)?, narrow(day)?).ok_or(DateError::NoSuchDay)
    }
}

/// The fewest digits a month or day takes.
fn fewest_digits(padded: bool) -> usize {
    if padded {
        2
    } else {
        1
    }
}

/// Reads `min..=max` ASCII digits off the front of `rest`.
fn take_digits(rest: &mut &str, min: usize, max: usize) -> Result<u16, DateError> {
    let n = rest
        .bytes()
        .take(max)
        .take_while(u8::is_ascii_digit)
        .count();
    if n < min {
        return Err(DateError::Format);
    }
    let (digits, tail) = rest.split_at(n);
    *rest = tail;
    digits.parse().map_err(|_| DateError::Format)
}
