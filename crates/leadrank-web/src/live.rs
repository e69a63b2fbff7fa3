//! `GET /live`: server-sent events telling an open screen that scores or lead states
//! changed, at most twice a second; the page then fetches its fresh rows.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use tokio_stream::StreamExt;
use tokio_stream::wrappers::WatchStream;

use crate::Web;
use crate::auth::Signed;

/// Shortest gap between two change events to one screen.
pub const MIN_GAP: Duration = Duration::from_millis(500);

pub async fn stream(State(web): State<Web>, _signed: Signed) -> Sse<impl tokio_stream::Stream<Item = Result<Event, Infallible>>> {
    let changes = WatchStream::from_changes(web.service.changed.subscribe())
        .throttle(MIN_GAP)
        .map(|n| Ok(Event::default().event("change").data(n.to_string())));
    Sse::new(changes).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}
