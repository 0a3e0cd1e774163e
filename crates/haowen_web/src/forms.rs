//! A generic form page: labelled fields with hints and errors next to them, a CSRF token, and
//! links. Sign-up, sign-in, password, setup and 申请入驻 all render through it, so every form has
//! the same accessible markup (label for every control, aria-invalid and aria-describedby on
//! errors, an alert for the whole form).

use askama::Template;

use crate::{error::AppError, ui::Ui};
use haowen_app::page_data::Chrome;

/// One control.
#[derive(Debug, Clone, Default)]
pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    /// `text`, `password`, `email`, `url`, `file`, `textarea` or `select`.
    pub kind: &'static str,
    pub value: String,
    pub hint: String,
    pub error: Option<String>,
    pub required: bool,
    pub autocomplete: &'static str,
    /// For selects: (value, label).
    pub options: Vec<(String, String)>,
}

impl Field {
    pub fn new(name: &'static str, label: &'static str, kind: &'static str) -> Field {
        Field {
            name,
            label,
            kind,
            required: true,
            ..Field::default()
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Field {
        self.hint = hint.into();
        self
    }

    pub fn value(mut self, value: impl Into<String>) -> Field {
        self.value = value.into();
        self
    }

    pub fn options(mut self, options: Vec<(String, String)>) -> Field {
        self.options = options;
        self
    }

    pub fn autocomplete(mut self, v: &'static str) -> Field {
        self.autocomplete = v;
        self
    }
}

/// What a form page shows.
#[derive(Debug, Clone, Default)]
pub struct Form {
    pub heading: &'static str,
    pub intro: Vec<String>,
    pub action: String,
    pub csrf: String,
    pub fields: Vec<Field>,
    pub submit: &'static str,
    pub error: Option<String>,
    pub notice: Option<String>,
    pub links: Vec<(String, String)>,
    /// Set for forms with a file field.
    pub multipart: bool,
}

impl Form {
    /// Puts `message` next to the field called `name`.
    pub fn field_error(&mut self, name: &str, message: impl Into<String>) {
        if let Some(f) = self.fields.iter_mut().find(|f| f.name == name) {
            f.error = Some(message.into());
        }
    }
}

#[derive(Template)]
#[template(path = "pages/form.html")]
struct FormPage<'a> {
    chrome: &'a Chrome,
    ui: Ui,
    page_title: String,
    description: String,
    form: &'a Form,
}

/// Renders the form page.
pub fn render(chrome: &Chrome, ui: &Ui, form: &Form) -> Result<String, AppError> {
    Ok(FormPage {
        chrome,
        ui: ui.clone(),
        page_title: format!("{} - {}", form.heading, chrome.site_name),
        description: form.intro.first().cloned().unwrap_or_default(),
        form,
    }
    .render()?)
}
