//! How generated code describes a details type: `(&&&SchemaProbe::<T>::new()).doc()`
//! is [`DetailsDoc::FieldErrors`] for `FieldErrors` (and `Option<FieldErrors>`), the
//! type's schema when it implements `ToSchema`, and [`DetailsDoc::Opaque`] otherwise.
//! Autoref picks the first that applies, in that order.

use std::marker::PhantomData;

use utoipa::ToSchema;

use super::DetailsDoc;
use crate::field_errors::FieldErrors;

/// Stands for a details type `T`.
pub struct SchemaProbe<T>(PhantomData<fn() -> T>);

impl<T> SchemaProbe<T> {
    /// The probe for `T`.
    pub const fn new() -> Self {
        SchemaProbe(PhantomData)
    }
}

impl<T> Default for SchemaProbe<T> {
    fn default() -> Self {
        SchemaProbe::new()
    }
}

/// `FieldErrors`, which formats know by name.
pub trait ViaFieldErrors {
    /// [`DetailsDoc::FieldErrors`].
    fn doc(&self) -> DetailsDoc {
        DetailsDoc::FieldErrors
    }
}

impl ViaFieldErrors for &&SchemaProbe<FieldErrors> {}
impl ViaFieldErrors for &&SchemaProbe<Option<FieldErrors>> {}

/// A type with a schema.
pub trait ViaSchema {
    /// The type's schema.
    fn doc(&self) -> DetailsDoc;
}

impl<T: ToSchema> ViaSchema for &SchemaProbe<T> {
    fn doc(&self) -> DetailsDoc {
        DetailsDoc::Schema(Box::new(T::schema()))
    }
}

/// Any other type.
pub trait ViaOpaque {
    /// [`DetailsDoc::Opaque`].
    fn doc(&self) -> DetailsDoc {
        DetailsDoc::Opaque
    }
}

impl<T> ViaOpaque for SchemaProbe<T> {}

#[cfg(test)]
// The borrows are the dispatch under test.
#[allow(clippy::needless_borrow)]
mod tests {
    use utoipa::PartialSchema;

    use super::*;

    struct NoSchema;

    #[test]
    fn picks_field_errors_then_a_schema_then_any_json() {
        assert_eq!(
            (&&&SchemaProbe::<FieldErrors>::new()).doc(),
            DetailsDoc::FieldErrors
        );
        assert_eq!(
            (&&&SchemaProbe::<Option<FieldErrors>>::new()).doc(),
            DetailsDoc::FieldErrors
        );
        assert_eq!(
            (&&&SchemaProbe::<String>::new()).doc(),
            DetailsDoc::Schema(Box::new(String::schema()))
        );
        assert_eq!(
            (&&&SchemaProbe::<NoSchema>::new()).doc(),
            DetailsDoc::Opaque
        );
    }
}
