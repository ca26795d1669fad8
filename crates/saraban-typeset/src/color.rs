//! Ink: the colours a letter is printed in. The frames carry them, an emblem may be
//! recoloured with one; neither needs the other.

/// An RGB colour, each channel 0–1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Color(pub f32, pub f32, pub f32);

impl Color {
    /// Black ink.
    pub const BLACK: Color = Color(0.0, 0.0, 0.0);
    /// The red of urgency and secrecy marks.
    pub const RED: Color = Color(0.85, 0.0, 0.0);
}
