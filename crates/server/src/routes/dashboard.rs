//! `GET /v1/dashboard`: what an analyst sees first. The lists loaded (with their publication
//! dates), the member's open hits and alerts, its cases by status and today's screenings.

use super::session::MemberRef;
use crate::auth::Auth;
use crate::error::{ApiError, ErrorBody};
use crate::{AppState, ListVersion};
use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use store::Role;
use utoipa::ToSchema;

/// The member's cases by status.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CaseCounts {
    pub open: i64,
    pub escalated: i64,
    pub closed: i64,
}

/// Answer of `GET /v1/dashboard`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DashboardResponse {
    pub member: MemberRef,
    /// The loaded lists, as in `GET /v1/lists`.
    pub lists: Vec<ListVersion>,
    /// Version digest of the loaded lists and when they were loaded.
    pub lists_version: String,
    pub lists_loaded_at: DateTime<Utc>,
    /// Stored hits with `match: true`, not suppressed, without a decision.
    pub open_hits: i64,
    /// Alerts (latest revision) without a decision.
    pub open_alerts: i64,
    pub cases: CaseCounts,
    /// Screenings stored since midnight UTC.
    pub screenings_today: i64,
}

/// The member's dashboard (screener role or above).
#[utoipa::path(get, path = "/v1/dashboard", tag = "review",
    responses((status = 200, body = DashboardResponse), (status = 401, body = ErrorBody)),
    security(("api_key" = []), ("session_cookie" = [])))]
pub(crate) async fn dashboard(
    State(state): State<AppState>,
    auth: Auth,
) -> Result<Json<DashboardResponse>, ApiError> {
    let who = auth.require(Role::Screener)?;
    let now = Utc::now();
    let midnight = now
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc())
        .unwrap_or(now);
    let c = state
        .store()
        .dashboard_counts(&who.member_id, midnight)
        .await?;
    let live = state.lists();
    Ok(Json(DashboardResponse {
        member: MemberRef {
            id: who.member_id.clone(),
            name: who.member_name.clone(),
        },
        lists: live.lists.clone(),
        lists_version: live.version.clone(),
        lists_loaded_at: live.loaded_at,
        open_hits: c.open_hits,
        open_alerts: c.open_alerts,
        cases: CaseCounts {
            open: c.cases_open,
            escalated: c.cases_escalated,
            closed: c.cases_closed,
        },
        screenings_today: c.screenings_today,
    }))
}
