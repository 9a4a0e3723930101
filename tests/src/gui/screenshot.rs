//! Screenshots: the X screen (`xwd`) as PNG, written under `<target dir>/screenshots/`.

use std::path::PathBuf;
use std::process::Command;

use super::{Gui, GuiResult};

/// Set to `1` to also write each screenshot into the tracked docs/screenshots/ (what
/// `scripts/screenshots` does after a run).
pub const UPDATE_SCREENSHOTS: &str = "OAUTHDESK_UPDATE_SCREENSHOTS";

/// Where the GUI tests save their screenshots: `<target dir>/screenshots/` (see
/// [`crate::target_dir`]), so a test run leaves the git tree clean.
pub fn screenshots_dir() -> PathBuf {
    crate::target_dir().join("screenshots")
}

impl Gui {
    /// Saves `<target dir>/screenshots/<name>.png` (the window at its current size) after two
    /// frames, and docs/screenshots/<name>.png too when `OAUTHDESK_UPDATE_SCREENSHOTS=1`.
    /// Returns the path under the target dir.
    ///
    /// The picture comes from the X server ([`capture_window`]), not from WebDriver's
    /// screenshot command: that one hangs, blocking the session, when WebKit's compositing mode
    /// is off (`WEBKIT_DISABLE_COMPOSITING_MODE=1`, which the app sets for itself on Linux). The
    /// window sits at (0, 0) of the screen ([`Gui::ready`] and [`Gui::resize`] check it), so the
    /// top-left of the screen is the window.
    pub async fn screenshot(&self, name: &str) -> GuiResult<PathBuf> {
        // Moves the caret out of the way of a stable picture.
        self.js("document.activeElement && document.activeElement.blur && document.activeElement.blur();", vec![]).await?;
        self.settle().await?;
        let (w, h) = self.size();
        let png = capture_window(w, h)?;
        let size = png_size(&png).ok_or("the screenshot is not a PNG")?;
        if size != (w, h) {
            return Err(format!("screenshot {name} is {}×{}, not {w}×{h}", size.0, size.1).into());
        }
        let file = format!("{name}.png");
        if std::env::var_os(UPDATE_SCREENSHOTS).is_some_and(|v| v == "1") {
            let docs = crate::workspace_root().join("docs/screenshots");
            std::fs::create_dir_all(&docs)?;
            std::fs::write(docs.join(&file), &png)?;
        }
        let dir = screenshots_dir();
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(file);
        std::fs::write(&path, png)?;
        Ok(path)
    }
}

/// The whole X screen (`$DISPLAY`) as a PNG: `xwd -root` (x11-apps), converted here.
pub fn capture_screen() -> GuiResult<Vec<u8>> {
    capture(None)
}

/// The top-left `w`×`h` of the X screen: the app's window, placed at (0, 0) by [`Gui::ready`].
pub fn capture_window(w: u32, h: u32) -> GuiResult<Vec<u8>> {
    capture(Some((w, h)))
}

fn capture(crop: Option<(u32, u32)>) -> GuiResult<Vec<u8>> {
    let out = Command::new("xwd")
        .args(["-root", "-silent"])
        .output()
        .map_err(|e| format!("xwd (apt-get install x11-apps): {e}"))?;
    if !out.status.success() {
        return Err(format!("xwd failed: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    xwd_to_png_cropped(&out.stdout, crop)
}

/// An XWD dump (big-endian header; 24/32-bit TrueColor pixels as xwd writes them for Xvfb's
/// default visual) as an RGB PNG.
pub fn xwd_to_png(xwd: &[u8]) -> GuiResult<Vec<u8>> {
    xwd_to_png_cropped(xwd, None)
}

/// [`xwd_to_png`] of the top-left `crop` (width, height) of the dump: the window, which the
/// tests place at (0, 0).
pub fn xwd_to_png_cropped(xwd: &[u8], crop: Option<(u32, u32)>) -> GuiResult<Vec<u8>> {
    let field = |i: usize| {
        xwd.get(i * 4..i * 4 + 4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
            .ok_or("short XWD header")
    };
    let (header_size, width, height, byte_order, bits_per_pixel, bytes_per_line, ncolors) = (
        field(0)?,
        field(4)?,
        field(5)?,
        field(7)?,
        field(11)?,
        field(12)?,
        field(19)?,
    );
    let (red_mask, green_mask, blue_mask) = (field(14)?, field(15)?, field(16)?);
    // Xvfb writes 32 bits per pixel for a 24-bit visual at some screen sizes and 24 at others.
    if bits_per_pixel != 32 && bits_per_pixel != 24 {
        return Err(format!(
            "XWD with {bits_per_pixel} bits per pixel: use a 24-bit screen (-screen 0 1440x900x24)"
        )
        .into());
    }
    let bpp = (bits_per_pixel / 8) as usize;
    let start = header_size as usize + ncolors as usize * 12;
    let image = xwd
        .get(start..start + (bytes_per_line * height) as usize)
        .ok_or("short XWD image")?;
    let channel = |p: u32, mask: u32| ((p & mask) >> mask.trailing_zeros()) as u8;
    let (out_w, out_h) = match crop {
        Some((w, h)) if w <= width && h <= height => (w, h),
        Some((w, h)) => {
            return Err(format!("cannot crop {w}×{h} from a {width}×{height} screen").into());
        }
        None => (width, height),
    };
    let mut rgb = Vec::with_capacity((out_w * out_h * 3) as usize);
    for row in image
        .chunks_exact(bytes_per_line as usize)
        .take(out_h as usize)
    {
        for px in row[..out_w as usize * bpp].chunks_exact(bpp) {
            let mut b = [0u8; 4];
            let p = if byte_order == 0 {
                b[..bpp].copy_from_slice(px);
                u32::from_le_bytes(b)
            } else {
                b[4 - bpp..].copy_from_slice(px);
                u32::from_be_bytes(b)
            };
            rgb.extend_from_slice(&[
                channel(p, red_mask),
                channel(p, green_mask),
                channel(p, blue_mask),
            ]);
        }
    }
    let mut png = Vec::new();
    let mut encoder = png::Encoder::new(&mut png, out_w, out_h);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&rgb)?;
    writer.finish()?;
    Ok(png)
}

/// Width and height from a PNG's IHDR chunk.
pub fn png_size(png: &[u8]) -> Option<(u32, u32)> {
    if png.len() < 24 || &png[..8] != b"\x89PNG\r\n\x1a\n" {
        return None;
    }
    let n = |i: usize| u32::from_be_bytes([png[i], png[i + 1], png[i + 2], png[i + 3]]);
    Some((n(16), n(20)))
}
