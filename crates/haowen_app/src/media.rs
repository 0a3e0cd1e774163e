//! Uploaded images: checked by their content (never by name), limited in bytes and pixels,
//! decoded and re-encoded (which drops EXIF and any other metadata, such as GPS positions),
//! and stored in two widths — desktop (1600 px) and phone (800 px) — under `DATA_DIR/media`.
//! Files are named by the SHA-256 of the upload, so the same image is stored once.

use std::{
    io::Cursor,
    path::{Path, PathBuf},
};

use image::{
    DynamicImage, GenericImageView, ImageFormat, ImageReader, Limits, imageops::FilterType,
};
use sha2::{Digest, Sha256};

/// Largest upload accepted.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// Largest decoded image (width × height): a decompression bomb stops here.
pub const MAX_PIXELS: u64 = 40_000_000;
/// Widths stored: desktop, phone.
pub const WIDTHS: [u32; 2] = [1600, 800];

/// Why an upload was refused, in words for the creator.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ImageError {
    #[error("文件太大：{0} 字节，最大 10 MB")]
    TooLarge(usize),
    #[error("这不是支持的图片格式（支持 JPEG、PNG、WebP、GIF）")]
    NotAnImage,
    #[error("图片尺寸过大：{0} × {1} 像素，最多 4000 万像素")]
    TooManyPixels(u32, u32),
    #[error("图片已损坏，无法读取")]
    Corrupt,
    #[error("图片保存失败，请稍后再试")]
    Storage,
    #[error("现在上传图片的人很多，请稍等片刻再试")]
    Busy,
}

/// Images decoded at once: a 40-megapixel image takes ~160 MB while it is decoded and resized,
/// so one at a time bounds the server's memory whatever many people upload.
pub const DECODE_SLOTS: usize = 1;
/// Longest wait for the decoder before an upload is refused as busy.
pub const DECODE_WAIT: std::time::Duration = std::time::Duration::from_secs(30);
static DECODER: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(DECODE_SLOTS);

/// A stored image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredImage {
    /// Desktop-size URL (what Markdown points at).
    pub url: String,
    /// Phone-size URL.
    pub phone_url: String,
    pub width: u32,
    pub height: u32,
}

/// Where images live.
#[derive(Debug, Clone)]
pub struct MediaStore {
    dir: PathBuf,
}

impl MediaStore {
    pub fn new(dir: impl Into<PathBuf>) -> MediaStore {
        MediaStore { dir: dir.into() }
    }

    /// Checks, re-encodes and stores an upload (CPU work runs off the async threads, one
    /// image at a time: [`DECODE_SLOTS`]).
    pub async fn save(&self, bytes: Vec<u8>) -> Result<StoredImage, ImageError> {
        let _slot = tokio::time::timeout(DECODE_WAIT, DECODER.acquire())
            .await
            .map_err(|_| ImageError::Busy)?
            .map_err(|_| ImageError::Busy)?;
        let dir = self.dir.clone();
        tokio::task::spawn_blocking(move || save_blocking(&dir, &bytes))
            .await
            .map_err(|_| ImageError::Storage)?
    }

    /// The file for a `/media/{dir}/{file}` request, if the name is one we could have written.
    pub fn path_for(&self, dir: &str, file: &str) -> Option<PathBuf> {
        let ok_dir = dir.len() == 2 && dir.bytes().all(|b| b.is_ascii_hexdigit());
        let ok_file = file.len() <= 64
            && file
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
            && (file.ends_with(".jpg") || file.ends_with(".png"))
            && !file.contains("..");
        (ok_dir && ok_file).then(|| self.dir.join(dir).join(file))
    }
}

fn save_blocking(dir: &Path, bytes: &[u8]) -> Result<StoredImage, ImageError> {
    let image = decode(bytes)?;
    let (width, height) = image.dimensions();
    let digest = Sha256::digest(bytes);
    let hash: String = digest.iter().take(12).map(|b| format!("{b:02x}")).collect();
    let sub = &hash[..2];
    let folder = dir.join(sub);
    std::fs::create_dir_all(&folder).map_err(|_| ImageError::Storage)?;
    let alpha = image.color().has_alpha();
    let ext = if alpha { "png" } else { "jpg" };
    let mut urls = Vec::new();
    for target in WIDTHS {
        let variant = if width > target {
            image.resize(target, u32::MAX, FilterType::Lanczos3)
        } else {
            image.clone()
        };
        let name = format!("{hash}-{target}.{ext}");
        let path = folder.join(&name);
        if !path.exists() {
            let encoded = encode(&variant, alpha)?;
            // Write then rename, so a crash never leaves half a file under the final name.
            let tmp = folder.join(format!("{name}.tmp"));
            std::fs::write(&tmp, &encoded).map_err(|_| ImageError::Storage)?;
            std::fs::rename(&tmp, &path).map_err(|_| ImageError::Storage)?;
        }
        urls.push(format!("/media/{sub}/{name}"));
    }
    Ok(StoredImage {
        url: urls[0].clone(),
        phone_url: urls[1].clone(),
        width,
        height,
    })
}

/// Decodes an upload after checking its size, its format (by content) and its pixel count.
pub fn decode(bytes: &[u8]) -> Result<DynamicImage, ImageError> {
    if bytes.len() > MAX_BYTES {
        return Err(ImageError::TooLarge(bytes.len()));
    }
    let format = image::guess_format(bytes).map_err(|_| ImageError::NotAnImage)?;
    if !matches!(
        format,
        ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP | ImageFormat::Gif
    ) {
        return Err(ImageError::NotAnImage);
    }
    let reader = ImageReader::with_format(Cursor::new(bytes), format);
    let (w, h) = reader.into_dimensions().map_err(|_| ImageError::Corrupt)?;
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(ImageError::TooManyPixels(w, h));
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(w);
    limits.max_image_height = Some(h);
    limits.max_alloc = Some(MAX_PIXELS * 4 + 64 * 1024 * 1024);
    reader.limits(limits);
    reader.decode().map_err(|_| ImageError::Corrupt)
}

fn encode(image: &DynamicImage, alpha: bool) -> Result<Vec<u8>, ImageError> {
    let mut out = Vec::new();
    if alpha {
        image
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .map_err(|_| ImageError::Storage)?;
    } else {
        let rgb = image.to_rgb8();
        let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 82);
        rgb.write_with_encoder(encoder)
            .map_err(|_| ImageError::Storage)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        });
        let mut out = Vec::new();
        DynamicImage::ImageRgb8(img)
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .expect("png");
        out
    }

    #[tokio::test]
    async fn stores_two_widths_as_jpeg_once() {
        let dir = tempfile::tempdir().expect("dir");
        let store = MediaStore::new(dir.path());
        let bytes = png(2000, 1000);
        let saved = store.save(bytes.clone()).await.expect("saved");
        assert!(
            saved.url.ends_with("-1600.jpg") && saved.phone_url.ends_with("-800.jpg"),
            "{saved:?}"
        );
        assert_eq!((saved.width, saved.height), (2000, 1000));
        let parts: Vec<&str> = saved.url.trim_start_matches("/media/").split('/').collect();
        let path = store.path_for(parts[0], parts[1]).expect("valid name");
        let stored = image::open(&path).expect("readable");
        assert_eq!(stored.dimensions(), (1600, 800));
        assert_eq!(
            store.save(bytes).await.expect("again"),
            saved,
            "same upload, same files"
        );
    }

    #[test]
    fn refuses_what_is_not_an_image_or_too_big() {
        assert_eq!(
            decode(b"<script>alert(1)</script>").err(),
            Some(ImageError::NotAnImage)
        );
        assert_eq!(
            decode(&vec![0u8; MAX_BYTES + 1]).err(),
            Some(ImageError::TooLarge(MAX_BYTES + 1))
        );
        let mut truncated = png(50, 50);
        truncated.truncate(60);
        assert!(decode(&truncated).is_err());
    }

    #[test]
    fn a_decompression_bomb_is_refused_before_decoding() {
        // A tiny PNG that claims 20000 × 20000 pixels.
        let mut bomb = png(1, 1);
        bomb[16..20].copy_from_slice(&20000u32.to_be_bytes());
        bomb[20..24].copy_from_slice(&20000u32.to_be_bytes());
        assert!(matches!(
            decode(&bomb),
            Err(ImageError::TooManyPixels(20000, 20000)) | Err(ImageError::Corrupt)
        ));
    }

    #[test]
    fn media_paths_cannot_escape() {
        let store = MediaStore::new("/tmp/m");
        assert!(store.path_for("ab", "0123-800.jpg").is_some());
        assert!(store.path_for("..", "x.jpg").is_none());
        assert!(store.path_for("ab", "../../etc/passwd").is_none());
        assert!(store.path_for("ab", "x.svg").is_none());
    }
}
