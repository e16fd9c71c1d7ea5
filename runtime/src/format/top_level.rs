//! The shape `plain`, `fields` and `flat` share: one object holding the code (when the
//! format has one), the message and the details, under member names each format chooses.

/// The member names of a format whose members all sit in the top-level object (`Default`
/// only so that the members read for it can start empty).
#[cfg_attr(not(feature = "utoipa"), allow(dead_code))]
pub(crate) trait TopLevel: Default {
    /// The member holding the code, written first; `None` when the body carries no code.
    const CODE: Option<&'static str>;
    /// The member holding the message.
    const MESSAGE: &'static str;
    /// The member holding the details, written after the message when present.
    const DETAILS: &'static str;
}

/// Implements [`TopLevel`] and [`Format`](super::Format) for a top-level format from its
/// name, its decode key and its member names: the format is the declaration
/// `{"<code>":"{code}","<message>":"{message}","<details>":{details?}}`.
macro_rules! top_level_format {
    (
        $format:ident {
            name: $name:literal,
            code: Some($code:literal),
            message: $message:literal,
            details: $details:literal $(,)?
        }
    ) => {
        $crate::format::top_level::top_level_format!(@impl $format, $name, Some($code), $message, $details, [
            $crate::format::declared::member!(
                $code => $crate::format::declared::part($crate::format::declared::Part::Code)
            ),
        ]);
    };
    (
        $format:ident {
            name: $name:literal,
            code: None,
            message: $message:literal,
            details: $details:literal $(,)?
        }
    ) => {
        $crate::format::top_level::top_level_format!(@impl $format, $name, None, $message, $details, []);
    };
    (@impl $format:ident, $name:literal, $code:expr, $message:literal, $details:literal, [$($code_member:expr,)?]) => {
        impl $format {
            /// The format, declared.
            const DECLARATION: $crate::format::declared::Declaration =
                $crate::format::declared::Declaration {
                    name: $name,
                    content_type: "application/json",
                    members: &[
                        $($code_member,)?
                        $crate::format::declared::member!(
                            $message => $crate::format::declared::part(
                                $crate::format::declared::Part::Message,
                            )
                        ),
                        $crate::format::declared::member!(
                            $details => $crate::format::declared::optional(
                                $crate::format::declared::Part::Details,
                            )
                        ),
                    ],
                    literals: 0,
                    extensions: None,
                };
        }

        impl $crate::format::Format for $format {
            const NAME: &'static str = $name;

            #[cfg(feature = "utoipa")]
            fn schema(
                doc: &$crate::format::schema::EnvelopeDoc<'_>,
            ) -> ::utoipa::openapi::RefOr<::utoipa::openapi::schema::Schema> {
                $crate::format::schema::top_level(
                    doc,
                    (
                        <Self as $crate::format::top_level::TopLevel>::CODE,
                        <Self as $crate::format::top_level::TopLevel>::MESSAGE,
                        <Self as $crate::format::top_level::TopLevel>::DETAILS,
                    ),
                )
            }

            $crate::format::declared::declared_methods!(Self::DECLARATION);
        }

        impl $crate::format::top_level::TopLevel for $format {
            const CODE: ::core::option::Option<&'static str> = $code;
            const MESSAGE: &'static str = $message;
            const DETAILS: &'static str = $details;
        }
    };
}
pub(crate) use top_level_format;
