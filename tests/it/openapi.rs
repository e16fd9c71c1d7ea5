//! The OpenAPI responses the derive writes (feature `utoipa`): one per status, each
//! variant's exact body as its example, the codes, the details' schema, `Retry-After`,
//! the retry class, and every example valid against its own schema.

use std::time::Duration;

use apierror::ApiError;
use apierror::FieldErrors;
use apierror::http::StatusCode;
use serde_json::{Value, json};
use utoipa::IntoResponses;

/// What a quota answer carries.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
struct Quota {
    /// Requests allowed per window.
    limit: u32,
    /// Requests left.
    remaining: u32,
}

/// Details without a schema.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Opaque {
    hint: String,
}

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "nested", rename_all = "SCREAMING_SNAKE_CASE")]
enum Shop {
    /// The request is malformed.
    #[error("bad request")]
    #[status(400)]
    BadRequest,
    /// The order id is unknown.
    #[error("order {id} not found")]
    #[status(404)]
    OrderNotFound { id: u64 },
    /// The order was deleted.
    #[error("order deleted")]
    #[status(404)]
    OrderGone,
    /// Fields failed validation.
    #[error("validation failed")]
    #[status(422)]
    Invalid {
        #[api_error(details)]
        fields: FieldErrors,
    },
    /// Over the quota.
    #[error("slow down")]
    #[status(429)]
    Throttled {
        #[api_error(retry_after)]
        retry_after: Duration,
        #[api_error(details)]
        quota: Quota,
    },
    /// The database is down; clients see the reason phrase.
    #[error("database unreachable: {0}")]
    #[status(503)]
    Unavailable(String),
    /// The upstream timed out.
    #[error("upstream timeout")]
    #[status(503)]
    #[retryable(false)]
    UpstreamTimeout {
        #[api_error(details)]
        hint: Opaque,
    },
    /// Not modified.
    #[error("not modified")]
    #[status(304)]
    NotModified,
    #[error("{0}")]
    #[api_error(unknown)]
    Other(apierror::Unknown),
}

fn responses<T: IntoResponses>() -> Value {
    serde_json::to_value(T::responses()).unwrap()
}

fn body<T: ApiError>(error: &T) -> Value {
    serde_json::from_slice(error.to_response().body()).unwrap()
}

fn example(responses: &Value, status: &str, content_type: &str, name: &str) -> Value {
    responses[status]["content"][content_type]["examples"][name]["value"].clone()
}

#[test]
fn one_response_per_status_and_a_default_for_the_unknown_variant() {
    let responses = responses::<Shop>();
    let statuses: Vec<&str> = responses
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        statuses,
        ["304", "400", "404", "422", "429", "503", "default"]
    );
    let default = &responses["default"]["content"]["application/json"]["schema"];
    assert_eq!(
        default["properties"]["error"]["properties"]["code"],
        json!({"type": "string"})
    );
}

#[test]
fn each_example_is_the_body_the_server_sends() {
    let responses = responses::<Shop>();
    let ct = "application/json";
    assert_eq!(
        example(&responses, "400", ct, "BadRequest"),
        body(&Shop::BadRequest)
    );
    assert_eq!(
        example(&responses, "404", ct, "OrderGone"),
        body(&Shop::OrderGone)
    );
    // A masked 5xx shows the masked body, whatever its field says.
    let down = Shop::Unavailable("postgres://secret@10.0.0.7 refused".to_owned());
    assert_eq!(example(&responses, "503", ct, "Unavailable"), body(&down));
    assert_eq!(
        body(&down),
        json!({"error": {"code": "UNAVAILABLE", "message": "Service Unavailable"}})
    );
    // A template shows its placeholders; the body fills them in.
    assert_eq!(
        example(&responses, "404", ct, "OrderNotFound"),
        json!({"error": {"code": "ORDER_NOT_FOUND", "message": "order {id} not found"}})
    );
    assert_eq!(
        body(&Shop::OrderNotFound { id: 7 }),
        json!({"error": {"code": "ORDER_NOT_FOUND", "message": "order 7 not found"}})
    );
    // Details exist only at run time: the example is the body without them.
    let mut invalid = body(&Shop::Invalid {
        fields: FieldErrors::new().with_field("qty", "must be positive"),
    });
    invalid["error"].as_object_mut().unwrap().remove("details");
    assert_eq!(example(&responses, "422", ct, "Invalid"), invalid);
    // A 304 has no body, so its response has no content.
    assert!(responses["304"].get("content").is_none());
    assert!(Shop::NotModified.to_response().body().is_empty());
}

#[test]
fn descriptions_come_from_the_doc_comments() {
    let responses = responses::<Shop>();
    assert_eq!(responses["400"]["description"], "The request is malformed.");
    assert_eq!(
        responses["404"]["description"],
        "One of:\n\n- `ORDER_NOT_FOUND`: The order id is unknown.\n- `ORDER_GONE`: The order was deleted."
    );
    let example = &responses["404"]["content"]["application/json"]["examples"]["OrderGone"];
    assert_eq!(example["summary"], "ORDER_GONE");
    assert_eq!(example["description"], "The order was deleted.");
}

#[test]
fn the_schema_enumerates_the_codes_of_its_status_and_holds_the_details() {
    let responses = responses::<Shop>();
    let schema = |status: &str| responses[status]["content"]["application/json"]["schema"].clone();
    let error = |status: &str| schema(status)["properties"]["error"].clone();
    assert_eq!(
        error("404")["properties"]["code"]["enum"],
        json!(["ORDER_NOT_FOUND", "ORDER_GONE"])
    );
    assert_eq!(error("404")["required"], json!(["code", "message"]));
    assert!(error("404")["properties"].get("details").is_none());
    // FieldErrors: field name to messages.
    assert_eq!(
        error("422")["properties"]["details"]["additionalProperties"],
        json!({"type": "array", "items": {"type": "string"}})
    );
    // A details type with ToSchema brings its schema; one without allows any JSON.
    let quota = &error("429")["properties"]["details"];
    assert_eq!(quota["required"], json!(["limit", "remaining"]));
    assert_eq!(quota["properties"]["limit"]["type"], "integer");
    assert_eq!(error("503")["properties"]["details"], json!({}));
}

#[test]
fn retry_after_and_the_retry_class() {
    let responses = responses::<Shop>();
    let header = &responses["429"]["headers"]["Retry-After"];
    assert_eq!(header["schema"], json!({"type": "integer", "minimum": 0}));
    assert!(
        header["description"]
            .as_str()
            .unwrap()
            .contains("`THROTTLED`")
    );
    for status in ["400", "404", "422", "503"] {
        assert!(responses[status].get("headers").is_none(), "{status}");
    }
    assert_eq!(responses["400"]["x-retry"], "never");
    assert_eq!(responses["429"]["x-retry"], "throttled");
    // Variants of one status that disagree: code to class.
    assert_eq!(
        responses["503"]["x-retry"],
        json!({"UNAVAILABLE": "backoff", "UPSTREAM_TIMEOUT": "never"})
    );
}

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format = "problem")]
enum Billing {
    /// The card was declined.
    #[error("card declined")]
    #[status(402)]
    CardDeclined,
    /// Fields failed validation.
    #[error("invalid")]
    #[status(422)]
    Invalid {
        #[api_error(details)]
        fields: FieldErrors,
    },
    /// Over the quota.
    #[error("slow down")]
    #[status(429)]
    Throttled {
        #[api_error(details)]
        quota: Quota,
    },
}

#[test]
fn problem_json_has_its_content_type_and_its_members() {
    let responses = responses::<Billing>();
    let ct = "application/problem+json";
    assert_eq!(
        example(&responses, "402", ct, "CardDeclined"),
        body(&Billing::CardDeclined)
    );
    let schema = &responses["402"]["content"][ct]["schema"];
    assert_eq!(
        schema["required"],
        json!(["type", "title", "status", "detail", "code"])
    );
    assert_eq!(schema["properties"]["status"]["enum"], json!([402]));
    assert_eq!(
        schema["properties"]["title"]["enum"],
        json!(["Payment Required"])
    );
    // FieldErrors travel under one `errors` member; other details beside the members.
    let invalid = &responses["422"]["content"][ct]["schema"];
    assert!(invalid["properties"]["errors"]["additionalProperties"].is_object());
    let throttled = &responses["429"]["content"][ct]["schema"]["allOf"];
    assert_eq!(throttled[1]["required"], json!(["limit", "remaining"]));
}

#[test]
fn every_format_documents_its_envelope_and_its_examples_fit_it() {
    macro_rules! check {
        ($($format:literal => [$($path:tt)*]),*) => {$({
            #[derive(Debug, thiserror::Error, ApiError)]
            #[api_error(format = $($path)*)]
            enum E {
                /// Bad.
                #[error("bad")]
                #[status(400)]
                Bad,
                /// Gone, with details.
                #[error("gone")]
                #[status(404)]
                Gone {
                    #[api_error(details)]
                    fields: FieldErrors,
                },
                /// Masked.
                #[error("secret")]
                #[status(500)]
                Internal,
            }
            let responses = responses::<E>();
            for (status, response) in responses.as_object().unwrap() {
                for (ct, content) in response["content"].as_object().unwrap() {
                    assert_eq!(ct, <E as ApiError>::Format::CONTENT_TYPE, $format);
                    let schema = &content["schema"];
                    for (name, example) in content["examples"].as_object().unwrap() {
                        if let Err(why) = conforms(&example["value"], schema) {
                            panic!("{} {status} {name}: {why}\n{schema:#}", $format);
                        }
                    }
                }
            }
            assert_eq!(example(&responses, "400", <E as ApiError>::Format::CONTENT_TYPE, "Bad"), body(&E::Bad));
            assert_eq!(example(&responses, "500", <E as ApiError>::Format::CONTENT_TYPE, "Internal"), body(&E::Internal));
            // A body with details fits the schema too.
            let gone = body(&E::Gone { fields: FieldErrors::new().with_field("id", "unknown") });
            conforms(&gone, &responses["404"]["content"][<E as ApiError>::Format::CONTENT_TYPE]["schema"]).unwrap();
        })*};
    }
    use apierror::format::Format as _;
    check!(
        "plain" => ["plain"],
        "nested" => ["nested"],
        "fields" => ["fields"],
        "reason" => ["reason"],
        "flat" => ["flat"],
        "problem" => ["problem"],
        "auto" => [apierror::format::Auto]
    );
}

#[test]
fn the_envelopes_and_field_errors_have_schemas() {
    use apierror::format::{Nested, Problem};
    use utoipa::{PartialSchema, ToSchema};
    assert_eq!(FieldErrors::name(), "FieldErrors");
    assert_eq!(apierror::Unknown::name(), "UnknownError");
    assert_eq!(Nested::name(), "NestedEnvelope");
    let problem = serde_json::to_value(Problem::schema()).unwrap();
    assert_eq!(problem["properties"]["status"]["minimum"], 400);
    let nested = serde_json::to_value(Nested::schema()).unwrap();
    let server_body = serde_json::from_slice(
        Shop::OrderGone
            .to_response_with(
                &apierror::Context::new()
                    .with_request_id("req_1")
                    .with_timestamp("2024-05-01T12:00:00Z"),
            )
            .body(),
    )
    .unwrap();
    conforms(&server_body, &nested).unwrap();
    assert_eq!(StatusCode::NOT_FOUND, Shop::OrderGone.status());
}

/// Whether `value` fits `schema`, for the JSON Schema keywords the envelopes use; any
/// other keyword fails the check, so that it never passes by ignoring one.
pub(crate) fn conforms(value: &Value, schema: &Value) -> Result<(), String> {
    let Some(schema) = schema.as_object() else {
        return Err(format!("not a schema: {schema}"));
    };
    // Annotations constrain nothing.
    let annotation = |keyword: &str| matches!(keyword, "description" | "default" | "title");
    for (keyword, rule) in schema.iter().filter(|(keyword, _)| !annotation(keyword)) {
        match keyword.as_str() {
            "type" => {
                let fits = match rule.as_str().unwrap_or("") {
                    "object" => value.is_object(),
                    "string" => value.is_string(),
                    "integer" => value.is_u64() || value.is_i64(),
                    "array" => value.is_array(),
                    other => return Err(format!("type {other}")),
                };
                if !fits {
                    return Err(format!("{value} is not of type {rule}"));
                }
            }
            "enum" => {
                if !rule.as_array().unwrap().contains(value) {
                    return Err(format!("{value} is not one of {rule}"));
                }
            }
            "minimum" | "maximum" => {
                let (low, high) = if keyword == "minimum" {
                    (rule.as_f64(), value.as_f64())
                } else {
                    (value.as_f64(), rule.as_f64())
                };
                if high < low {
                    return Err(format!("{value} is out of {keyword} {rule}"));
                }
            }
            "required" => {
                for member in rule.as_array().unwrap() {
                    if value.get(member.as_str().unwrap()).is_none() {
                        return Err(format!("{value} lacks {member}"));
                    }
                }
            }
            "properties" => {
                for (name, property) in rule.as_object().unwrap() {
                    if let Some(member) = value.get(name) {
                        conforms(member, property).map_err(|why| format!("{name}: {why}"))?;
                    }
                }
            }
            "additionalProperties" => {
                let declared = schema.get("properties").and_then(Value::as_object);
                for (name, member) in value.as_object().into_iter().flatten() {
                    if declared.is_none_or(|d| !d.contains_key(name)) {
                        conforms(member, rule)?;
                    }
                }
            }
            "items" => {
                for item in value.as_array().into_iter().flatten() {
                    conforms(item, rule)?;
                }
            }
            "allOf" => {
                for part in rule.as_array().unwrap() {
                    conforms(value, part)?;
                }
            }
            "anyOf" => {
                if !rule
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|p| conforms(value, p).is_ok())
                {
                    return Err(format!("{value} fits none of {rule}"));
                }
            }
            other => return Err(format!("keyword {other} is not checked")),
        }
    }
    Ok(())
}

#[test]
fn the_checker_rejects_what_does_not_fit() {
    let schema = json!({
        "type": "object",
        "required": ["error"],
        "properties": {"error": {"type": "string", "enum": ["a"]}},
        "additionalProperties": {"type": "integer"}
    });
    conforms(&json!({"error": "a", "n": 1}), &schema).unwrap();
    assert!(conforms(&json!({"error": "b"}), &schema).is_err());
    assert!(conforms(&json!({}), &schema).is_err());
    assert!(conforms(&json!({"error": "a", "n": "x"}), &schema).is_err());
    assert!(conforms(&json!(1), &json!({"pattern": "x"})).is_err());
}
