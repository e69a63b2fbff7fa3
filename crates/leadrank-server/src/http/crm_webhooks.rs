//! `POST /v1/crm/hubspot/webhooks`: the intake of HubSpot's webhook notifications for the
//! scheduled HubSpot sync (`webhooks = true` in the sync file). No API key: HubSpot signs
//! each request with the app's client secret (signature v3, checked in constant time, at
//! most 5 minutes old). The changed ids are stored before the 2xx answer (HubSpot retries
//! anything else) and a sync run is asked for; nothing of a notification is logged.

use axum::extract::{OriginalUri, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::Response;
use leadrank_sync::webhooks::{SIGNATURE_HEADER, TIMESTAMP_HEADER, WebhookError};
use serde::Serialize;
use utoipa::ToSchema;

use super::body::JsonBytes;
use super::problem::Problem;
use super::problem::responses::*;
use super::{AppState, view};

/// Largest request, in bytes: 100 notifications of a few hundred bytes each fit many times.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// One notification as HubSpot's Webhooks API sends it (members not listed are accepted and
/// not read).
#[derive(serde::Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct HubSpotNotification {
    event_id: Option<u64>,
    subscription_id: Option<u64>,
    portal_id: Option<u64>,
    app_id: Option<u64>,
    /// When the change happened (epoch ms).
    occurred_at: Option<i64>,
    /// `contact.creation`, `contact.propertyChange`, `contact.deletion`, `contact.merge`,
    /// `company.*`, `deal.*`, `deal.associationChange`; others are accepted and ignored.
    #[schema(example = "contact.propertyChange")]
    subscription_type: String,
    attempt_number: Option<u32>,
    /// The record's id.
    object_id: Option<u64>,
    /// `propertyChange`: the property and its new value.
    property_name: Option<String>,
    property_value: Option<String>,
    change_source: Option<String>,
    /// `merge`: the records merged into `objectId`.
    merged_object_ids: Option<Vec<u64>>,
    /// `associationChange`: e.g. `DEAL_TO_CONTACT`, with `fromObjectId` and `toObjectId`.
    association_type: Option<String>,
    from_object_id: Option<u64>,
    to_object_id: Option<u64>,
}

/// What became of a request's notifications.
#[derive(Serialize, ToSchema)]
pub struct WebhookAnswer {
    /// Notifications in the request.
    pub received: usize,
    /// Changes and deletions stored for the next sync run.
    pub stored: usize,
    /// Of objects or properties the sync does not read (leadrank's own properties included).
    pub ignored: usize,
}

/// `POST /v1/crm/hubspot/webhooks`: HubSpot's webhook notifications (up to 100 a request),
/// signed with the app's client secret.
#[utoipa::path(
    post,
    path = "/v1/crm/hubspot/webhooks",
    tag = "sync",
    operation_id = "hubspotWebhooks",
    request_body(content = Vec<HubSpotNotification>, content_type = "application/json"),
    responses(
        (status = 200, description = "The changed ids are stored (committed) and a sync run is asked for.", body = WebhookAnswer),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
        (status = 429, response = TooManyRequests),
        (status = 500, response = InternalError),
        (status = 503, response = ServiceUnavailable)
    ),
    security(("hubspotSignature" = []))
)]
pub async fn hubspot_webhooks(
    State(state): State<AppState>,
    method: Method,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    JsonBytes(bytes): JsonBytes,
) -> Result<Response, Problem> {
    let Some(intake) = state.hubspot_webhooks.as_ref() else {
        return Err(Problem::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "HubSpot webhooks are not set up on this server (webhooks = true in the sync file of --sync-config)",
        ));
    };
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let path = uri.path_and_query().map_or_else(|| uri.path().to_string(), |p| p.as_str().to_string());
    match intake.receive(&state.service, method.as_str(), &path, header(TIMESTAMP_HEADER), header(SIGNATURE_HEADER), &bytes).await {
        Ok(r) => Ok(view(WebhookAnswer { received: r.notifications, stored: r.stored, ignored: r.ignored })),
        Err(WebhookError::Unauthorized(why)) => {
            let mut p = Problem::new(StatusCode::UNAUTHORIZED, "unauthorized", why);
            p.pointer = Some("/headers/x-hubspot-signature-v3".into());
            Err(p)
        }
        Err(WebhookError::Malformed { pointer, detail }) => Err(Problem::field("invalid_body", pointer, detail)),
        Err(WebhookError::Service(e)) => Err(e.into()),
    }
}
