//! Alert routes: rules that send lead events to Slack, Teams or email, and their deliveries.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use leadrank_alerts::{AlertRuleInput, Scope};
use leadrank_service::alerts::{AlertRuleError, StoredAlertRule};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::body::{PathParam, Strict};
use super::problem::Problem;
use super::problem::responses::*;
use super::views::{DeliveryView, Items};
use super::{AppState, Caller, need, view};

/// An alert rule to create.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AlertRuleBody {
    /// A name for people (at most 100 characters).
    #[schema(example = "EMEA quality leads")]
    name: String,
    /// `slack`, `teams` or `email`.
    #[schema(example = "slack")]
    channel: String,
    /// The Slack or Teams incoming-webhook URL, or the email address.
    #[schema(example = "https://hooks.slack.com/services/T000/B000/XXXX")]
    destination: String,
    /// Some of lead.quality, lead.assigned, sla.breached, sla.warning.
    #[schema(example = json!(["lead.quality", "sla.breached"]))]
    events: Vec<String>,
    /// Only leads assigned to this team.
    #[serde(default)]
    team: Option<String>,
    /// Only leads assigned to this rep (not with `team`).
    #[serde(default)]
    rep: Option<String>,
    /// For `sla.warning`: minutes before a milestone's deadline (1 to 1440, default 2).
    #[serde(default)]
    #[schema(example = 5)]
    warn_minutes: Option<i64>,
    /// `hourly` or `daily`: one message per period (UTC hours, UTC midnight) with every
    /// alert of the period; leave it out to send each alert at once.
    #[serde(default)]
    #[schema(example = "hourly")]
    digest: Option<String>,
}

/// An alert rule; the destination is masked for Slack and Teams (the URL is a secret).
#[derive(Debug, Serialize, ToSchema)]
pub struct AlertRuleView {
    pub id: String,
    pub name: String,
    pub channel: String,
    pub destination: String,
    pub events: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rep: Option<String>,
    /// For rules on `sla.warning`: minutes before the deadline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warn_minutes: Option<u32>,
    /// `hourly` or `daily`, for digest rules.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    pub created_at: String,
}

impl From<StoredAlertRule> for AlertRuleView {
    fn from(s: StoredAlertRule) -> Self {
        let (team, rep) = match &s.rule.scope {
            Scope::All => (None, None),
            Scope::Team(t) => (Some(t.clone()), None),
            Scope::Rep(r) => (None, Some(r.clone())),
        };
        let warn_minutes = s.rule.events.iter().any(|e| e == "sla.warning").then_some(s.rule.warn_minutes);
        AlertRuleView {
            warn_minutes,
            digest: s.rule.digest.map(|d| d.as_str().to_owned()),
            destination: s.rule.masked_destination(),
            id: s.id,
            name: s.rule.name,
            channel: s.rule.channel.as_str().to_owned(),
            events: s.rule.events,
            team,
            rep,
            created_at: s.created_at.to_string(),
        }
    }
}

/// `POST /v1/alerts`: creates an alert rule.
#[utoipa::path(
    post,
    path = "/v1/alerts",
    tag = "alerts",
    operation_id = "addAlertRule",
    request_body(content = AlertRuleBody, content_type = "application/json"),
    responses(
        (status = 201, description = "Created.", body = AlertRuleView),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
        (status = 429, response = TooManyRequests),
        (status = 500, response = InternalError),
        (status = 503, response = ServiceUnavailable)
    ),
    security(("apiKey" = ["admin"]))
)]
pub async fn add_alert_rule(
    State(state): State<AppState>,
    caller: Caller<need::Admin>,
    Strict(body): Strict<AlertRuleBody>,
) -> Result<Response, Problem> {
    let input = AlertRuleInput {
        name: body.name,
        channel: body.channel,
        destination: body.destination,
        events: body.events,
        team: body.team,
        rep: body.rep,
        warn_minutes: body.warn_minutes,
        digest: body.digest,
    };
    let rule = state.service.create_alert_rule(input, state.allow_private_webhooks, &caller.actor()).await?.map_err(|e| match e {
        AlertRuleError::Invalid(e) => Problem::field("invalid_alert_rule", e.pointer, e.message),
        AlertRuleError::PrivateTarget(_) => Problem::field("invalid_url", "/destination", e.to_string()),
        AlertRuleError::TooMany => Problem::field("too_many_alert_rules", "", e.to_string()),
    })?;
    Ok((StatusCode::CREATED, axum::Json(AlertRuleView::from(rule))).into_response())
}

/// `GET /v1/alerts`: alert rules, destinations masked.
#[utoipa::path(
    get,
    path = "/v1/alerts",
    tag = "alerts",
    operation_id = "listAlertRules",
    responses(
        (status = 200, description = "Alert rules, oldest first.", body = Items<AlertRuleView>),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 429, response = TooManyRequests),
        (status = 500, response = InternalError),
        (status = 503, response = ServiceUnavailable)
    ),
    security(("apiKey" = ["admin"]))
)]
pub async fn list_alert_rules(State(state): State<AppState>, _: Caller<need::Admin>) -> Result<Response, Problem> {
    Ok(view(Items::of(state.service.alert_rules().await?, AlertRuleView::from)))
}

/// `DELETE /v1/alerts/{id}`.
#[utoipa::path(
    delete,
    path = "/v1/alerts/{id}",
    tag = "alerts",
    operation_id = "deleteAlertRule",
    params(("id" = String, Path, description = "The id.")),
    responses(
        (status = 204, description = "Deleted; its queued deliveries stop."),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 429, response = TooManyRequests),
        (status = 500, response = InternalError),
        (status = 503, response = ServiceUnavailable)
    ),
    security(("apiKey" = ["admin"]))
)]
pub async fn delete_alert_rule(
    State(state): State<AppState>,
    caller: Caller<need::Admin>,
    PathParam(id): PathParam<String>,
) -> Result<Response, Problem> {
    state.service.delete_alert_rule(&id, &caller.actor()).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET /v1/alerts/{id}/deliveries`: the latest deliveries with their last attempt.
#[utoipa::path(
    get,
    path = "/v1/alerts/{id}/deliveries",
    tag = "alerts",
    operation_id = "listAlertDeliveries",
    params(("id" = String, Path, description = "The id.")),
    responses(
        (status = 200, description = "The latest 100 deliveries, newest first.", body = Items<DeliveryView>),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 429, response = TooManyRequests),
        (status = 500, response = InternalError),
        (status = 503, response = ServiceUnavailable)
    ),
    security(("apiKey" = ["admin"]))
)]
pub async fn alert_deliveries(
    State(state): State<AppState>,
    _: Caller<need::Admin>,
    PathParam(id): PathParam<String>,
) -> Result<Response, Problem> {
    Ok(view(Items::of(state.service.alert_deliveries(&id, 100).await?, DeliveryView::from)))
}
