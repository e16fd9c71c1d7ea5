use apierror::ApiError;

#[derive(ApiError)]
union Error {
    code: u32,
    other: f32,
}

fn main() {}
