//! Link-preview images: one PNG per party (and non-attached member) for
//! "the party that voted most like me" links. A citizen who shares a clear
//! verdict shares `v/<party>/`, whose Open Graph image is the party's; chat
//! apps and social networks show it beside the link. They do not read SVG,
//! so the image is drawn as SVG and rasterised here, in the font the
//! repository ships (never the machine's), which keeps builds identical.

use crate::error::{Error, Result};
use crate::site::discovery::xml_escape;
use crate::site::render::truncate;
use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg::{self, fontdb};
use std::sync::Arc;

/// Folder of the images, at the site's root: `og/<party>.png`.
pub const PREVIEW_DIR: &str = "og/";

/// The size link previews ask for (1.91:1).
const WIDTH: u32 = 1200;
const HEIGHT: u32 = 630;

/// DejaVu Sans Bold (its licence is beside it): Latin, Greek and Cyrillic.
const FONT: &[u8] = include_bytes!("../../assets/DejaVuSans-Bold.ttf");

/// Characters per line of the party's name.
const LINE: usize = 26;

/// Draws the previews, sharing one font database.
pub struct Painter {
    options: usvg::Options<'static>,
}

impl std::fmt::Debug for Painter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Painter")
    }
}

impl Default for Painter {
    fn default() -> Self {
        let mut fonts = fontdb::Database::new();
        fonts.load_font_data(FONT.to_vec());
        Painter {
            options: usvg::Options {
                font_family: "DejaVu Sans".to_owned(),
                fontdb: Arc::new(fonts),
                ..usvg::Options::default()
            },
        }
    }
}

impl Painter {
    /// The PNG for the party `id` named `name`, on the site `site_title`.
    pub fn party(&self, id: &str, name: &str, site_title: &str) -> Result<Vec<u8>> {
        let svg = svg(id, name, site_title);
        let failed = |what: String| Error::Output(format!("the preview image of {id}: {what}"));
        let tree = usvg::Tree::from_str(&svg, &self.options).map_err(|e| failed(e.to_string()))?;
        let mut pixmap = Pixmap::new(WIDTH, HEIGHT).ok_or_else(|| failed("no canvas".into()))?;
        resvg::render(&tree, Transform::identity(), &mut pixmap.as_mut());
        pixmap.encode_png().map_err(|e| failed(e.to_string()))
    }
}

/// Every actor's image, by path in the site (`og/PS.png`): `actors` are
/// (path, id, name).
pub fn paint_all(
    actors: Vec<(String, String, String)>,
    site_title: &str,
) -> Result<Vec<(String, Vec<u8>)>> {
    let painter = Painter::default();
    actors
        .into_iter()
        .map(|(path, id, name)| Ok((path, painter.party(&id, &name, site_title)?)))
        .collect()
}

/// The image as SVG: the site's name, the party's short name large when it
/// has one, its full name, and a hemicycle.
fn svg(id: &str, name: &str, site_title: &str) -> String {
    let short = id.chars().count() <= 8;
    let mut text = String::new();
    if short {
        let size = 170.min(700 * 10 / (7 * id.chars().count().max(1) as u32));
        text.push_str(&format!(
            "<text x=\"80\" y=\"330\" font-size=\"{size}\" fill=\"#0b5cad\">{}</text>",
            xml_escape(id)
        ));
    }
    // The full name under the short one, or alone, higher.
    let mut y = if short { 420 } else { 260 };
    let full = if name.trim().is_empty() { id } else { name };
    for line in lines(full, if short { 2 } else { 3 }) {
        text.push_str(&format!(
            "<text x=\"80\" y=\"{y}\" font-size=\"44\" fill=\"#1d1d1f\">{}</text>",
            xml_escape(&line)
        ));
        y += 58;
    }
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{HEIGHT}\" \
         viewBox=\"0 0 {WIDTH} {HEIGHT}\" font-family=\"DejaVu Sans\" font-weight=\"bold\">\
         <rect width=\"{WIDTH}\" height=\"{HEIGHT}\" fill=\"#fff\"/>\
         <rect width=\"{WIDTH}\" height=\"18\" fill=\"#0b5cad\"/>\
         <text x=\"80\" y=\"120\" font-size=\"40\" fill=\"#5c5c66\">{}</text>{text}{}</svg>",
        xml_escape(&truncate(site_title, 40)),
        hemicycle()
    )
}

/// `text` in lines of at most [`LINE`] characters, broken between words,
/// at most `max`; what does not fit ends the last line with "…".
fn lines(text: &str, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= LINE => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(truncate(word, LINE)),
        }
    }
    if lines.len() > max {
        lines.truncate(max);
        let last = lines.last_mut().expect("max is at least one");
        *last = format!("{}…", truncate(last, LINE - 1).trim_end_matches('…'));
    }
    lines
}

/// Seats in rows of a half circle, bottom right, the middle ones in the
/// site's accent.
fn hemicycle() -> String {
    let (cx, cy) = (975.0_f64, 590.0_f64);
    let mut seats = String::new();
    for row in 0..5 {
        let radius = 80.0 + 28.0 * f64::from(row);
        let count = (std::f64::consts::PI * radius / 26.0).round() as u32;
        for seat in 0..count {
            let angle = std::f64::consts::PI * f64::from(seat) / f64::from(count - 1);
            let (x, y) = (cx - radius * angle.cos(), cy - radius * angle.sin());
            let middle = (0.8..=2.3).contains(&angle);
            let fill = if middle { "#0b5cad" } else { "#d9d9e0" };
            seats.push_str(&format!(
                "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"9\" fill=\"{fill}\"/>"
            ));
        }
    }
    seats
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_image_is_a_png_of_the_preview_size_and_the_same_twice() {
        let painter = Painter::default();
        let png = painter
            .party("PS", "Partido Socialista", "hemiciclo")
            .unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        // IHDR: width and height, big-endian, after the chunk's length and name.
        assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), WIDTH);
        assert_eq!(u32::from_be_bytes(png[20..24].try_into().unwrap()), HEIGHT);
        assert_eq!(
            png,
            painter
                .party("PS", "Partido Socialista", "hemiciclo")
                .unwrap()
        );
        assert_ne!(
            png,
            painter
                .party("PSD", "Partido Social Democrata", "hemiciclo")
                .unwrap()
        );
    }

    #[test]
    fn names_are_escaped_and_wrapped() {
        let svg = svg("<b>", "A & B", "t");
        assert!(svg.contains(">&lt;b&gt;</text>") && svg.contains(">A &amp; B</text>"));
        assert_eq!(
            lines(
                "Partido Ecologista «Os Verdes» e muito mais palavras ainda",
                2
            ),
            ["Partido Ecologista «Os", "Verdes» e muito mais…"]
        );
        assert_eq!(lines("Chega", 2), ["Chega"]);
    }
}
