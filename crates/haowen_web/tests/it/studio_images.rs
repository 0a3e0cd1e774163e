//! Images in the studio: uploads with alt text, resized and re-encoded; bad files refused.

use reqwest::StatusCode;

use crate::support::{Browser, TestApp, creator_browser, seed};

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .expect("png");
    out
}

#[tokio::test]
async fn images_upload_with_alt_text_and_bad_files_are_refused() {
    let app = TestApp::sqlite().await;
    seed(&app).await;
    let c = creator_browser(&app, "writer_img", "图片作者").await;
    let token = c.csrf("/studio/new").await;
    let post = |alt: &str, bytes: Vec<u8>| {
        let form = reqwest::multipart::Form::new()
            .text("_csrf", token.clone())
            .text("alt", alt.to_string())
            .part(
                "file",
                reqwest::multipart::Part::bytes(bytes).file_name("photo.png"),
            );
        c.client
            .post(format!("{}/studio/upload", app.base))
            .header("accept", "application/json")
            .multipart(form)
            .send()
    };
    let res = post("江边的晨雾", png(1800, 900)).await.expect("upload");
    assert_eq!(res.status(), StatusCode::OK);
    let json: serde_json::Value = res.json().await.expect("json");
    let url = json["url"].as_str().expect("url").to_string();
    assert!(
        url.starts_with("/media/") && url.ends_with("-1600.jpg"),
        "{json}"
    );
    // 1800 × 900 stored 1600 wide: the size rides in the fragment for the page's width/height.
    assert_eq!(
        json["markdown"],
        format!("![江边的晨雾]({url}#1600x800 \"江边的晨雾\")")
    );
    let img = app
        .client
        .get(format!("{}{url}", app.base))
        .send()
        .await
        .expect("image");
    assert_eq!(img.headers()["content-type"], "image/jpeg");
    assert!(
        img.headers()["cache-control"]
            .to_str()
            .expect("cc")
            .contains("immutable")
    );
    let phone = app
        .client
        .get(format!(
            "{}{}",
            app.base,
            json["phone_url"].as_str().expect("phone")
        ))
        .send()
        .await
        .expect("phone");
    assert_eq!(phone.status(), StatusCode::OK);

    let res = post("", png(10, 10)).await.expect("upload");
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.expect("body").contains("请先填写图片说明"));
    let res = post("假图片", b"<?php echo 1; ?> not an image".to_vec())
        .await
        .expect("upload");
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .expect("body")
            .contains("不是支持的图片格式")
    );
    // An article using the image gets the phone-size variant in srcset.
    let body = format!(
        "第一段正文，足够长的内容。\n\n{}",
        json["markdown"].as_str().expect("md")
    );
    let fields = [
        ("title", "带图的文章"),
        ("body", body.as_str()),
        ("channel", "tech"),
        ("tags", ""),
        ("declaration", "original"),
        ("cover", url.as_str()),
        ("action", "publish"),
    ];
    let (_, location, _) = c.post("/studio/new", "/studio/new", &fields).await;
    let (_, html) = app.get(&location).await;
    assert!(
        html.contains("800w") && html.contains("alt=\"江边的晨雾\""),
        "responsive image with alt text"
    );
    assert!(
        html.contains("width=\"1600\" height=\"800\""),
        "the body picture carries its size"
    );
    assert!(
        html.contains(&format!(
            "<meta property=\"og:image\" content=\"{}{url}\">",
            app.base
        )),
        "cover in the metadata"
    );
    let (_, channel) = app.get("/channel/tech").await;
    let thumb = url.replace("-1600.", "-800.");
    assert!(
        channel.contains(&format!("<img class=\"cover\" src=\"{thumb}\"")),
        "lists show the cover, phone size"
    );
    let mut bad = fields.to_vec();
    bad.retain(|(k, _)| *k != "cover");
    bad.push(("cover", "https://elsewhere.example/x.jpg"));
    let (status, _, html) = c.post("/studio/new", "/studio/new", &bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("封面图须是在本站上传的图片"));
    // Readers cannot upload.
    let reader = Browser::new(&app);
    reader.sign_up("no_uploads", "读者", "江城好文2026").await;
    let token = reader.csrf("/me").await;
    let form = reqwest::multipart::Form::new()
        .text("_csrf", token)
        .text("alt", "x")
        .part("file", reqwest::multipart::Part::bytes(png(5, 5)));
    let res = reader
        .client
        .post(format!("{}/studio/upload", app.base))
        .multipart(form)
        .send()
        .await
        .expect("upload");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}
