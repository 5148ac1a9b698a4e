//! The order of ids: natural, so that "2" comes before "10".
//!
//! Sources name initiatives and votes with numbers (`44059`), with numbers
//! inside text (`PL/9/XV`, `A9-0012/2023`) or with text alone. Sorted as
//! plain text, "PL/10/XV" would come before "PL/9/XV" and proposal 10
//! before proposal 2 on every listing. Every place that orders proposals
//! or votes by id (the merge's output, the listing pages, the quiz bundle,
//! the votes of a proposal) uses [`compare_ids`], so the order is the same
//! everywhere and what a reader expects.

use std::cmp::Ordering;

/// Compares two ids in natural order: runs of ASCII digits compare by
/// their value ("9" < "10", any length), everything else byte by byte
/// (so as text). Ids that differ only in leading zeros ("7" and "007")
/// then compare as text, so the order is total: `Equal` only for equal
/// ids, which keeps sorting deterministic.
pub fn compare_ids(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    loop {
        match (x.first(), y.first()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let (n, rest_x) = digit_run(x);
                let (m, rest_y) = digit_run(y);
                let order = n.len().cmp(&m.len()).then_with(|| n.cmp(m));
                if order != Ordering::Equal {
                    return order;
                }
                (x, y) = (rest_x, rest_y);
            }
            (Some(c), Some(d)) => {
                if c != d {
                    return c.cmp(d);
                }
                (x, y) = (&x[1..], &y[1..]);
            }
        }
    }
}

/// The digits at the start of `bytes` without their leading zeros, and
/// what follows them.
fn digit_run(bytes: &[u8]) -> (&[u8], &[u8]) {
    let end = bytes
        .iter()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(bytes.len());
    let (digits, rest) = bytes.split_at(end);
    let zeros = digits.iter().take_while(|&&b| b == b'0').count();
    (&digits[zeros..], rest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sorted(ids: &[&str]) -> Vec<String> {
        let mut ids: Vec<String> = ids.iter().map(|s| (*s).to_owned()).collect();
        ids.sort_by(|a, b| compare_ids(a, b));
        ids
    }

    #[test]
    fn numbers_sort_by_value() {
        assert_eq!(
            sorted(&["10", "2", "1", "100", "20"]),
            ["1", "2", "10", "20", "100"]
        );
        assert_eq!(
            compare_ids("99999999999999999999999", "100000000000000000000000"),
            Ordering::Less,
            "longer than any integer type"
        );
    }

    #[test]
    fn numbers_inside_text_sort_by_value() {
        assert_eq!(compare_ids("PL/9/XV", "PL/10/XV"), Ordering::Less);
        assert_eq!(
            sorted(&["PL/10/XV", "PL/9/XV", "PJR/1/XV", "PL/9/XIV", "PL/100/XV"]),
            ["PJR/1/XV", "PL/9/XIV", "PL/9/XV", "PL/10/XV", "PL/100/XV"]
        );
        assert_eq!(
            sorted(&["A9-0012/2023", "A9-0003/2023", "A9-0012/2022"]),
            ["A9-0003/2023", "A9-0012/2022", "A9-0012/2023"]
        );
        assert_eq!(
            sorted(&[
                "V1/2023-03-14/B/10",
                "V1/2023-03-14/B/9",
                "V1/2023-03-14/B/1"
            ]),
            [
                "V1/2023-03-14/B/1",
                "V1/2023-03-14/B/9",
                "V1/2023-03-14/B/10"
            ]
        );
    }

    #[test]
    fn text_sorts_as_text_and_a_prefix_first() {
        assert_eq!(sorted(&["b", "a", "ab", ""]), ["", "a", "ab", "b"]);
        assert_eq!(compare_ids("a", "a1"), Ordering::Less);
        assert_eq!(compare_ids("Ábaco", "Zebra"), "Ábaco".cmp("Zebra"));
    }

    #[test]
    fn leading_zeros_tie_break_as_text_so_only_equal_ids_are_equal() {
        assert_eq!(compare_ids("007", "7"), Ordering::Less);
        assert_eq!(compare_ids("7", "007"), Ordering::Greater);
        assert_eq!(compare_ids("007", "8"), Ordering::Less);
        assert_eq!(compare_ids("x7", "x7"), Ordering::Equal);
    }

    proptest! {
        #[test]
        fn it_is_a_total_order(
            a in "[0a/.]{0,3}[0-9]{0,3}[a-b/]{0,2}[0-9]{0,2}",
            b in "[0a/.]{0,3}[0-9]{0,3}[a-b/]{0,2}[0-9]{0,2}",
            c in "[0a/.]{0,3}[0-9]{0,3}[a-b/]{0,2}[0-9]{0,2}",
        ) {
            prop_assert_eq!(compare_ids(&a, &b), compare_ids(&b, &a).reverse());
            prop_assert_eq!(compare_ids(&a, &b) == Ordering::Equal, a == b);
            if compare_ids(&a, &b) != Ordering::Greater && compare_ids(&b, &c) != Ordering::Greater {
                prop_assert_ne!(compare_ids(&a, &c), Ordering::Greater);
            }
        }

        #[test]
        fn pure_numbers_sort_as_their_values(x in any::<u64>(), y in any::<u64>()) {
            prop_assert_eq!(compare_ids(&x.to_string(), &y.to_string()), x.cmp(&y));
        }
    }
}
