//! How sure a score is: a 95% interval per actor.
//!
//! A quiz score rests on a handful of cards, so a page should not present
//! 0.70 against 0.65 as a verdict. Each score gets a Wilson score interval
//! (Wilson, 1927), chosen over the plain normal interval because it stays
//! inside `0..=1`, is never empty at a score of 0 or 1, and behaves well
//! with very few cards.
//!
//! What the interval means: if the deck had been another draw of cards of
//! the same kind, the actor's score would plausibly fall in it. It says
//! nothing about errors in the vote records.
//!
//! Two approximations, both stated here so an auditor can weigh them:
//!
//! * Wilson assumes each card is a yes/no outcome. Cards here can count
//!   0.5 (an abstention under the default rule) or any share (the
//!   member-share rule). For a quantity bounded in `0..=1` with mean `p`
//!   the variance is at most `p(1 - p)`, the Bernoulli variance Wilson
//!   uses, so the interval is, if anything, wider than needed: it errs
//!   towards "too close to call", never towards false confidence.
//! * The score is a weighted mean (important cards count double). The
//!   sample size fed to Wilson is Kish's effective number of cards,
//!   `(sum w)^2 / sum w^2`, which equals the number of covered cards when
//!   no card is marked important and is smaller otherwise: weighting one
//!   card more does not add information, it concentrates the score on
//!   fewer cards.

/// The 97.5% quantile of the standard normal distribution: two-sided 95%.
pub const Z_95: f64 = 1.959_963_984_540_054;

/// The interval of a score nothing supports: any value is possible.
pub const UNKNOWN: (f64, f64) = (0.0, 1.0);

/// Kish's effective sample size of a weighted mean, from the sum of the
/// weights and the sum of their squares; 0 when there are no weights.
pub fn effective_n(weight: f64, weight_squared: f64) -> f64 {
    if weight_squared > 0.0 {
        weight * weight / weight_squared
    } else {
        0.0
    }
}

/// The 95% Wilson score interval around `mean` (in `0..=1`) with `n`
/// (effective) cards. The result lies within `0..=1` and contains `mean`;
/// with no cards it is [`UNKNOWN`].
pub fn wilson(mean: f64, n: f64) -> (f64, f64) {
    wilson_z(mean, n, Z_95)
}

/// [`wilson`] at another confidence level, given its normal quantile `z`.
pub fn wilson_z(mean: f64, n: f64, z: f64) -> (f64, f64) {
    if n.is_nan() || n <= 0.0 || !mean.is_finite() {
        return UNKNOWN;
    }
    let p = mean.clamp(0.0, 1.0);
    let z2 = z * z;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half = z / denominator * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    // Rounding can leave the bounds a hair past `p` at 0 or 1; the
    // mathematical interval always contains `p` and stays within 0..=1.
    let low = (centre - half).min(p).max(0.0);
    let high = (centre + half).max(p).min(1.0);
    (low, high)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 5e-5
    }

    #[test]
    fn matches_published_values() {
        // p = 0.5, n = 10: 0.2366 .. 0.7634.
        let (low, high) = wilson(0.5, 10.0);
        assert!(close(low, 0.2366) && close(high, 0.7634), "{low} {high}");
        // p = 0.8, n = 10: 0.4902 .. 0.9433.
        let (low, high) = wilson(0.8, 10.0);
        assert!(close(low, 0.4902) && close(high, 0.9433), "{low} {high}");
        // p = 0, n = 10: 0 .. 0.2775.
        let (low, high) = wilson(0.0, 10.0);
        assert!(low == 0.0 && close(high, 0.2775), "{low} {high}");
    }

    #[test]
    fn contains_the_mean_stays_in_bounds_and_narrows_with_more_cards() {
        for n in 1..=40 {
            for k in 0..=(2 * n) {
                let p = f64::from(k) / f64::from(2 * n);
                let (low, high) = wilson(p, f64::from(n));
                assert!(
                    0.0 <= low && low <= p && p <= high && high <= 1.0,
                    "{p} {n}"
                );
                let (wider_low, wider_high) = wilson(p, f64::from(n) / 2.0);
                assert!(wider_low <= low && high <= wider_high, "{p} {n}");
                assert!(high - low < wider_high - wider_low, "{p} {n}");
            }
        }
    }

    #[test]
    fn no_cards_mean_anything_is_possible() {
        assert_eq!(wilson(0.5, 0.0), UNKNOWN);
        assert_eq!(wilson(f64::NAN, 3.0), UNKNOWN);
        assert_eq!(wilson(0.5, f64::NAN), UNKNOWN);
    }

    #[test]
    fn effective_n_counts_cards_and_discounts_uneven_weights() {
        assert_eq!(effective_n(0.0, 0.0), 0.0);
        assert_eq!(effective_n(5.0, 5.0), 5.0);
        // Weights 2, 1, 1: (4)^2 / 6.
        assert!(close(effective_n(4.0, 6.0), 16.0 / 6.0));
        // Every card doubled: same information as before.
        assert_eq!(effective_n(10.0, 20.0), 5.0);
    }
}
