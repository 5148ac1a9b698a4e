//! Sorting the short lists the quiz ranks: actors, a deck's cards.
//!
//! The standard library's sorts are built for long slices; each element
//! type and comparison gets its own copy of a few kilobytes of code, which
//! the WASM module pays for before the first question. The lists sorted
//! here hold one entry per actor or per card of a deck (tens, at most a
//! few hundred), where an insertion sort is as fast and a few dozen bytes.

use std::cmp::Ordering;

/// Sorts `items` in place by `compare`, stably (equal items keep their
/// order). Quadratic: for lists of actors or of a deck's cards only.
pub fn sort_short_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    for i in 1..items.len() {
        let mut j = i;
        while j > 0 && compare(&items[j - 1], &items[j]) == Ordering::Greater {
            items.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// Sorts `items` in place in their natural order.
pub fn sort_short<T: Ord>(items: &mut [T]) {
    sort_short_by(items, T::cmp);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn sorts_like_the_standard_stable_sort(items in proptest::collection::vec((0u8..5, any::<u16>()), 0..60)) {
            let mut ours = items.clone();
            sort_short_by(&mut ours, |a, b| a.0.cmp(&b.0));
            let mut theirs = items;
            theirs.sort_by_key(|a| a.0);
            prop_assert_eq!(ours, theirs);
        }
    }
}
