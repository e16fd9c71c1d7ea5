use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format(json = r#"{"error":"{code}"}"#))]
enum Error {
    #[error("channel not found")]
    #[status(200)]
    ChannelNotFound,
}

#[derive(Debug, thiserror::Error, ApiError)]
#[api_error(format(json = r#"{"ok":false,"error":"{code}"}"#))]
enum Slack {
    #[error("channel not found")]
    #[status(204)]
    ChannelNotFound,
}

fn main() {}
