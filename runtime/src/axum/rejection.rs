//! axum's extractor rejections as [`Rejection`]s.

use std::error::Error;

use ::axum::extract::path::ErrorKind;
use ::axum::extract::rejection::{
    BytesRejection, FormRejection, JsonRejection, PathRejection, QueryRejection, StringRejection,
};

use crate::server::rejection::{Rejection, RejectionKind, RequestPart};

impl From<JsonRejection> for Rejection {
    fn from(rejection: JsonRejection) -> Self {
        let status = rejection.status();
        let text = rejection.body_text();
        let kind = match &rejection {
            JsonRejection::JsonDataError(_) => {
                return Rejection::located(status, RequestPart::Body, &text, rejection.source());
            }
            JsonRejection::JsonSyntaxError(_) => RejectionKind::Syntax,
            JsonRejection::MissingJsonContentType(_) => RejectionKind::UnsupportedMediaType,
            _ => RejectionKind::BodyUnreadable,
        };
        Rejection::whole_of(kind, status, RequestPart::Body, &text, rejection.source())
    }
}

impl From<QueryRejection> for Rejection {
    fn from(rejection: QueryRejection) -> Self {
        let status = rejection.status();
        let text = rejection.body_text();
        match rejection {
            QueryRejection::FailedToDeserializeQueryString(_) => {
                Rejection::located(status, RequestPart::Query, &text, rejection.source())
            }
            _ => Rejection::whole(status, RequestPart::Query, &text, rejection.source()),
        }
    }
}

impl From<FormRejection> for Rejection {
    /// Like a JSON body's: a field that does not deserialize is located; a wrong
    /// `Content-Type` is 415. (`Form` on a `GET` reads the query string, and is filed
    /// under the body all the same.)
    fn from(rejection: FormRejection) -> Self {
        let status = rejection.status();
        let text = rejection.body_text();
        let kind = match &rejection {
            FormRejection::FailedToDeserializeForm(_)
            | FormRejection::FailedToDeserializeFormBody(_) => {
                return Rejection::located(status, RequestPart::Body, &text, rejection.source());
            }
            FormRejection::InvalidFormContentType(_) => RejectionKind::UnsupportedMediaType,
            _ => RejectionKind::BodyUnreadable,
        };
        Rejection::whole_of(kind, status, RequestPart::Body, &text, rejection.source())
    }
}

impl From<PathRejection> for Rejection {
    fn from(rejection: PathRejection) -> Self {
        let status = rejection.status();
        let PathRejection::FailedToDeserializePathParams(failed) = &rejection else {
            return Rejection::whole(status, RequestPart::Path, &rejection.body_text(), None)
                .with_kind(RejectionKind::ServerMisconfigured);
        };
        let kind = failed.kind();
        let rejection_kind = match kind {
            ErrorKind::InvalidUtf8InPathParam { .. } => RejectionKind::InvalidUtf8,
            _ if status.is_server_error() => RejectionKind::ServerMisconfigured,
            _ => RejectionKind::WrongType,
        };
        let field = match kind {
            ErrorKind::ParseErrorAtKey { key, .. }
            | ErrorKind::InvalidUtf8InPathParam { key }
            | ErrorKind::DeserializeError { key, .. } => key.as_str(),
            _ => RequestPart::Path.as_str(),
        };
        let summary = if status.is_server_error() {
            "Failed to extract the path parameters"
        } else {
            "Invalid URL"
        };
        Rejection::new(status, RequestPart::Path, summary)
            .with_field(field, kind.to_string())
            .with_kind(rejection_kind)
    }
}

impl From<BytesRejection> for Rejection {
    fn from(rejection: BytesRejection) -> Self {
        Rejection::whole_of(
            RejectionKind::BodyUnreadable,
            rejection.status(),
            RequestPart::Body,
            &rejection.body_text(),
            rejection.source(),
        )
    }
}

impl From<StringRejection> for Rejection {
    fn from(rejection: StringRejection) -> Self {
        let kind = match &rejection {
            StringRejection::InvalidUtf8(_) => RejectionKind::InvalidUtf8,
            _ => RejectionKind::BodyUnreadable,
        };
        Rejection::whole_of(
            kind,
            rejection.status(),
            RequestPart::Body,
            &rejection.body_text(),
            rejection.source(),
        )
    }
}

#[cfg(test)]
mod tests {
    use http::StatusCode;

    use std::collections::HashMap;

    use ::axum::Json;
    use ::axum::extract::Query;
    use ::axum::extract::rejection::MissingJsonContentType;

    use super::*;

    type Tags = HashMap<String, Vec<u8>>;

    fn json(body: &str) -> Rejection {
        Json::<Tags>::from_bytes(body.as_bytes())
            .unwrap_err()
            .into()
    }

    fn fields(rejection: &Rejection) -> Vec<(String, Vec<String>)> {
        rejection
            .fields()
            .iter()
            .map(|(field, messages)| (field.to_owned(), messages.to_vec()))
            .collect()
    }

    fn one(field: &str, message: &str) -> Vec<(String, Vec<String>)> {
        vec![(field.to_owned(), vec![message.to_owned()])]
    }

    #[test]
    fn each_rejection_has_a_kind() {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Strict {
            email: String,
        }

        assert_eq!(json(r#"{"tags":[1,"a"]}"#).kind(), RejectionKind::WrongType);
        assert_eq!(json(r#"{"tags":"#).kind(), RejectionKind::Syntax);
        let missing = Rejection::from(JsonRejection::from(MissingJsonContentType::default()));
        assert_eq!(missing.kind(), RejectionKind::UnsupportedMediaType);
        let strict = |body: &str| -> Rejection {
            Json::<Strict>::from_bytes(body.as_bytes())
                .unwrap_err()
                .into()
        };
        assert_eq!(strict("{}").kind(), RejectionKind::MissingField);
        assert_eq!(
            strict(r#"{"email":"a","admin":true}"#).kind(),
            RejectionKind::UnknownField
        );
        assert_eq!(
            strict(r#"{"email":"a","email":"b"}"#).kind(),
            RejectionKind::DuplicateField
        );
        assert_eq!(
            Rejection::new(StatusCode::PAYLOAD_TOO_LARGE, RequestPart::Body, "too big").kind(),
            RejectionKind::BodyTooLarge
        );
    }

    #[test]
    fn json_data_errors_name_the_field() {
        let rejection = json(r#"{"tags":[1,"a"]}"#);
        assert_eq!(rejection.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(rejection.part(), RequestPart::Body);
        assert_eq!(
            rejection.message(),
            "Failed to deserialize the JSON body into the target type"
        );
        assert_eq!(
            fields(&rejection),
            one("tags[1]", "invalid type: string \"a\", expected u8")
        );
        assert_eq!(
            fields(&json(r#"{"ages":[300]}"#)),
            one("ages[0]", "invalid value: integer `300`, expected u8")
        );
        assert_eq!(
            fields(&json("[1]")),
            one("body", "invalid type: sequence, expected a map")
        );
    }

    #[test]
    fn json_syntax_and_content_type_errors_name_the_body() {
        let rejection = json(r#"{"tags":"#);
        assert_eq!(rejection.status(), StatusCode::BAD_REQUEST);
        assert_eq!(
            rejection.message(),
            "Failed to parse the request body as JSON"
        );
        assert_eq!(
            fields(&rejection),
            one("body", "tags: EOF while parsing a value at line 1 column 8")
        );
        assert_eq!(
            fields(&json(r#"{"tags":[]} x"#)),
            one("body", "trailing characters at line 1 column 13")
        );

        let missing = Rejection::from(JsonRejection::from(MissingJsonContentType::default()));
        assert_eq!(missing.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let text = "Expected request with `Content-Type: application/json`";
        assert_eq!(missing.message(), text);
        assert_eq!(fields(&missing), one("body", text));
    }

    #[test]
    fn query_errors_name_the_parameter() {
        let uri = "/items?limit=lots".parse().unwrap();
        let rejection =
            Rejection::from(Query::<HashMap<String, u32>>::try_from_uri(&uri).unwrap_err());
        assert_eq!(rejection.status(), StatusCode::BAD_REQUEST);
        assert_eq!(rejection.part(), RequestPart::Query);
        assert_eq!(rejection.message(), "Failed to deserialize query string");
        assert_eq!(
            fields(&rejection),
            one("limit", "invalid digit found in string")
        );
    }

    #[test]
    fn hand_built_rejections_keep_their_fields() {
        let rejection = Rejection::new(StatusCode::BAD_REQUEST, RequestPart::Other, "bad")
            .with_field("x-api-key", "is required");
        assert_eq!(rejection.to_string(), "bad");
        assert_eq!(fields(&rejection), one("x-api-key", "is required"));
        assert_eq!(rejection.into_fields().len(), 1);
    }
}
