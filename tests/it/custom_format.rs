//! The `custom_format` example: a seventh format built from public items prints exactly
//! what `examples/examples/custom_format.stdout` holds (CI also diffs the example's own
//! output against it).

#[test]
fn the_custom_format_example_prints_its_recorded_output() {
    let mut out = String::new();
    apierror_examples::oauth2::demo(&mut out).unwrap();
    assert_eq!(
        out,
        include_str!("../../examples/examples/custom_format.stdout")
    );
}

mod one_read {
    //! A format of your own is read once, by the crate's reader, and as leniently as the
    //! declared ones: values `serde_json` would reject before a visitor sees them are
    //! dropped like any mistyped value, with no second read.

    use std::borrow::Cow;
    use std::cell::Cell;

    use apierror::format::object::{self, Members};
    use apierror::format::{Envelope, Format, RawDetails, RawEnvelope};
    use apierror::{ApiError, Unknown};
    use http::{HeaderMap, StatusCode};
    use serde::de::MapAccess;
    use serde::ser::SerializeMap;
    use serde::{Deserializer, Serialize, Serializer};

    thread_local! {
        /// How many times `Counted::deserialize` ran on this thread.
        static READS: Cell<usize> = const { Cell::new(0) };
    }

    fn reads() -> usize {
        READS.with(|r| r.replace(0))
    }

    /// `{"kind":"…","text":"…","status":409,"extra":{…}}`, counting its reads.
    #[derive(Debug, Clone, Copy, Default)]
    struct Counted;

    #[derive(Default)]
    struct Body<'de> {
        kind: Option<Cow<'de, str>>,
        text: Option<Cow<'de, str>>,
        status: Option<u16>,
        extra: Option<RawDetails<'de>>,
        nested: Option<Cow<'de, str>>,
    }

    #[derive(Default)]
    struct Inner<'de>(Option<Cow<'de, str>>);

    impl<'de> Members<'de> for Inner<'de> {
        fn member<A: MapAccess<'de>>(
            &mut self,
            name: Cow<'de, str>,
            map: &mut A,
        ) -> Result<(), A::Error> {
            match &*name {
                "kind" => object::string(map, &mut self.0),
                _ => object::skip(map),
            }
        }
    }

    impl<'de> Members<'de> for Body<'de> {
        fn member<A: MapAccess<'de>>(
            &mut self,
            name: Cow<'de, str>,
            map: &mut A,
        ) -> Result<(), A::Error> {
            match &*name {
                "kind" => object::string(map, &mut self.kind),
                "text" => object::string(map, &mut self.text),
                "status" => object::status(map, &mut self.status),
                "extra" => object::details(map, &mut self.extra),
                "inner" => {
                    let inner = map.next_value::<object::MaybeObject<Inner<'de>>>()?;
                    self.nested = inner.0.and_then(|i| i.0);
                    Ok(())
                }
                _ => object::skip(map),
            }
        }
    }

    impl Format for Counted {
        const NAME: &'static str = "counted";

        fn serialize<S, D>(envelope: &Envelope<'_, D>, serializer: S) -> Result<S::Ok, S::Error>
        where
            S: Serializer,
            D: Serialize + ?Sized,
        {
            let mut map = serializer.serialize_map(None)?;
            map.serialize_entry("kind", envelope.code)?;
            map.serialize_entry("text", &envelope.message)?;
            if let Some(details) = envelope.present_details() {
                map.serialize_entry("extra", details)?;
            }
            map.end()
        }

        fn deserialize<'de, De>(deserializer: De) -> Result<RawEnvelope<'de>, De::Error>
        where
            De: Deserializer<'de>,
        {
            READS.with(|r| r.set(r.get() + 1));
            let body: Body<'de> = object::read_object(deserializer)?;
            let mut raw = RawEnvelope::default();
            raw.code = body.kind.or(body.nested);
            raw.message = body.text;
            raw.status = body.status;
            raw.details = body.extra;
            Ok(raw)
        }
    }

    #[derive(Debug, PartialEq, serde::Deserialize, Serialize)]
    struct Clash {
        id: u32,
    }

    #[derive(Debug, PartialEq, thiserror::Error, ApiError)]
    #[api_error(format = Counted)]
    enum CountedError {
        #[error("taken")]
        #[status(409)]
        Taken {
            #[api_error(details)]
            clash: Option<Clash>,
        },
        #[error("{text}")]
        #[status(400)]
        Bad {
            #[api_error(message)]
            text: String,
        },
        #[api_error(unknown)]
        #[error("{0}")]
        Other(Unknown),
    }

    fn decode(status: u16, body: &str) -> CountedError {
        let status = StatusCode::from_u16(status).unwrap();
        CountedError::from_response(status, &HeaderMap::new(), body.as_bytes()).unwrap()
    }

    #[test]
    fn values_the_parser_rejects_are_dropped_in_the_one_read() {
        let body = r#"{"text":"\ud800","status":1e400,"kind":"bad","junk":[1e400,"\udc00"]}"#;
        let raw = Counted::decode(body.as_bytes()).unwrap();
        assert_eq!(reads(), 1);
        assert_eq!(raw.code.as_deref(), Some("bad"));
        assert_eq!((raw.message, raw.status), (None, None));

        let body = r#"{"inner":1e400,"kind":"taken","extra":{"id":7},"\ud800":"x"}"#;
        assert_eq!(
            decode(409, body),
            CountedError::Taken {
                clash: Some(Clash { id: 7 })
            }
        );
        assert_eq!(reads(), 1);
        let body = r#"{"inner":{"kind":"bad","x":"\ud800"},"text":"lone \ud800 kept out"}"#;
        let raw = Counted::decode(body.as_bytes()).unwrap();
        assert_eq!(reads(), 1);
        assert_eq!(raw.code.as_deref(), Some("bad"));
        assert_eq!(raw.message, None);
    }

    #[test]
    fn details_that_do_not_fit_are_dropped_as_in_a_declared_format() {
        let body = r#"{"kind":"taken","extra":{"id":"seven"}}"#;
        assert_eq!(decode(409, body), CountedError::Taken { clash: None });
        assert_eq!(reads(), 1);
    }

    #[test]
    fn input_that_is_not_json_is_the_parsers_error_with_its_position() {
        for body in [r#"{"kind":"bad","#, r#"{"kind" "bad"}"#, "{} x", "\u{ff}"] {
            let error = Counted::decode(body.as_bytes()).unwrap_err();
            assert!(error.is_syntax() || error.is_eof(), "{body}: {error}");
            assert!(error.column() > 0, "{body}: {error}");
        }
        // JSON, but not an object: the format's own word.
        let error = Counted::decode(b"[1]").unwrap_err();
        assert!(error.is_data(), "{error}");
        let error = Counted::decode(b"\xff").unwrap_err();
        assert!(error.is_syntax(), "{error}");
    }

    #[test]
    fn deserialize_reads_the_same_way_from_serde_json_and_its_value() {
        let body = r#"{"kind":"bad","text":"\ud800","junk":1e400}"#;
        let from_text: CountedError = serde_json::from_str(body).unwrap();
        assert!(
            matches!(from_text, CountedError::Bad { .. }),
            "{from_text:?}"
        );
        let value = serde_json::json!({"kind": "taken", "extra": {"id": 3}});
        let from_value: CountedError = serde_json::from_value(value).unwrap();
        assert_eq!(
            from_value,
            CountedError::Taken {
                clash: Some(Clash { id: 3 })
            }
        );
    }
}
