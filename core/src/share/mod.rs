//! Share links: a quiz result packed into a URL fragment.
//!
//! A citizen's result travels in the `#fragment` of a link, which browsers
//! never send to a server, so sharing a result tells nobody but the person
//! it is shared with. The fragment is a short code that holds everything
//! needed to recompute the result on the same data: which dataset, which
//! cards, the answers and which cards were marked important. Scores are not
//! stored; `hemiciclo explain LINK` and the page recompute them, so a
//! published result can be checked offline.
//!
//! # Why the format is what it is
//!
//! * **Short.** Links are pasted into chats and posts. A 10-card result
//!   with a random 64-bit seed, on 3,500 cards, takes 24 characters when
//!   the deck is the one the seed draws, 33 when three cards were swapped,
//!   44 when the cards have to be listed (one or two more when cards are
//!   marked important); no code is longer than 459. Fields are packed bit
//!   by bit, numbers take the bits they need, and the deck is not spelled
//!   out when the site's sampler ([`crate::sampler::DeckSampler`])
//!   reproduces it from the seed.
//! * **Safe in a URL.** The alphabet is base64url (`A–Z a–z 0–9 - _`, no
//!   padding): nothing a browser, a chat app or a URL parser escapes.
//! * **Versioned.** The first character is the format version alone, so any
//!   later format can change everything after it, and this code refuses a
//!   version it does not know instead of misreading it.
//! * **Checked.** The last two characters are a CRC-12 of the others. Any
//!   change of one character, or of two neighbouring ones, is always caught
//!   (a CRC of degree 12 catches every error burst up to 12 bits); other
//!   damage slips through once in 4,096. A damaged link gives an error, not
//!   a result the citizen never had.
//! * **Canonical.** Every [`Share`] has exactly one code and decoding
//!   refuses anything [`encode`] would not write (set padding bits, a seed
//!   or card numbers written wider than needed, …): `encode(decode(s)) == s`
//!   whenever decoding succeeds.
//! * **Safe to decode.** Any string gives a [`Share`] or a [`ShareError`],
//!   never a panic. Decoding reads the string in place and allocates at
//!   most [`MAX_CARDS`] entries, whatever the string's length.
//! * **The dataset is named, not required.** The link carries a 24-bit tag
//!   of the manifest's `dataset_id` ([`DatasetTag`]). A link made on other
//!   data still decodes; [`Share::matches_dataset`] tells the caller so it
//!   can explain it (card numbers, and the deck a seed draws, only mean
//!   something on the data they were made on).
//!
//! # Layout (version 2)
//!
//! The code is a string of bits, most significant bit first, cut into
//! 6-bit characters of the alphabet above. `n` is the number of cards.
//!
//! | Bits             | Field                                                                    |
//! |------------------|--------------------------------------------------------------------------|
//! | 6                | format version, `2` (so version 2 links start with `C`)                  |
//! | 24               | dataset tag ([`DatasetTag`])                                             |
//! | 2                | deck kind: 0 drawn, 1 drawn with swaps, 2 listed, 3 reserved             |
//! | 7                | `n`, the number of cards, `0..=64`                                       |
//! | 3                | `k - 1`, where `k` in `1..=8` is the number of bytes of the seed         |
//! | 8·k              | seed, without leading zero bytes                                         |
//! | *deck*           | nothing when drawn; see below for swaps and lists                        |
//! | 2·n              | answers in deck order: 0 For, 1 Against, 2 Abstain, 3 Skip               |
//! | 1                | 1 when at least one card is marked important                             |
//! | n, if that bit   | important flags in deck order                                            |
//! | 0–5              | zero bits up to a whole character                                        |
//! | 12 (2 chars)     | CRC-12 (polynomial `0x80F`, initial value 0) of the characters above     |
//!
//! A *drawn* deck is the deck of `n` cards the site's sampler draws from
//! the seed: [`crate::sampler::Stratified`] over the manifest's sampling
//! table, so a link is read with the [`crate::sampler::DeckSampler`] it was made with
//! (version 1 meant the uniform [`crate::sampler::draw_deck`]). A deck *with swaps*
//! is that deck with some places holding another card (the citizen swapped
//! them); with `p = bits(n - 1)`:
//!
//! | Bits             | Field                                                                    |
//! |------------------|--------------------------------------------------------------------------|
//! | p                | `s - 1`, where `s` in `1..=n` is the number of swapped places            |
//! | 5                | `w - 1`, where `w` in `1..=32` is the width of a card number             |
//! | s·(p + w)        | each swap: its place in the deck (increasing), then its card number      |
//!
//! A *listed* deck spells its cards out:
//!
//! | Bits             | Field                                                                    |
//! |------------------|--------------------------------------------------------------------------|
//! | 5                | `w - 1`, where `w` in `1..=32` is the width of a card number             |
//! | n·w              | card numbers in deck order                                               |
//!
//! The width `w` is the fewest bits that hold the largest card number of
//! the link (at least 1). Carrying it means decoding never needs the
//! dataset's `card_count`, and a deck of low-numbered cards is shorter.
//! [`Share::new`] picks the shortest of the three deck kinds.
//!
//! A drawn deck (and the cards a swap leaves in place) is only as stable
//! as the sampler: if it ever draws other cards from the same seed and
//! cards, links already shared would name other cards. That change needs
//! a new [`VERSION`], and a test pins the sampler's output
//! (`test_vectors::PINNED_STRATIFIED`).
//!
//! A 10-card result with a random 64-bit seed is 127 bits (137 with
//! important cards), hence 22 (23) characters plus 2 for the check.
//!
//! # Where each part lives
//!
//! * [`Share`] and [`SharedDeck`] (module `link`): what a link holds, and
//!   the rules every share obeys.
//! * [`encode`] and [`decode`] (module `codec`): the layout above.
//! * Module `bits`: the alphabet and reading and writing bit fields.
//! * Module `check`: the CRC-12 of the last two characters.
//! * [`ShareError`]: why a code cannot be read.

mod bits;
mod check;
mod codec;
mod error;
mod link;

pub use codec::{decode, encode};
pub use error::ShareError;
pub use link::{DatasetTag, Share, SharedDeck, Swap};

/// The format version this code writes and reads.
pub const VERSION: u8 = 2;

/// The most cards a shared deck may hold.
pub const MAX_CARDS: usize = 64;
