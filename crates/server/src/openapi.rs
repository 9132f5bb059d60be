//! The OpenAPI document, generated from the handlers' annotations and the request/response
//! types (utoipa). Served at `/openapi.json`; no Swagger UI is bundled (it would download at
//! build time, and the service must build offline).

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "raqib screening API",
        description = "Sanctions screening with explanations, a yente-compatible /match endpoint, decisions and audit. Every /v1 and /match route needs `Authorization: Bearer <key>`. Errors are `{code, message, field?}`. Request bodies are limited (default 1 MiB; 413 above)."
    ),
    paths(
        crate::routes::screen::screen,
        crate::routes::matching::match_entities,
        crate::routes::lists::lists,
        crate::routes::lists::entity,
        crate::routes::lists::reload,
        crate::routes::hits::decide,
        crate::routes::hits::hit,
        crate::routes::hits::screening,
        crate::routes::hits::audit,
        crate::routes::hits::audit_verify,
        crate::routes::session::sign_in,
        crate::routes::session::current,
        crate::routes::session::end,
        crate::routes::dashboard::dashboard,
        crate::routes::queue::queue,
        crate::routes::cases::create,
        crate::routes::cases::list,
        crate::routes::cases::get_case,
        crate::routes::cases::add_item,
        crate::routes::cases::add_note,
        crate::routes::cases::set_status,
        crate::routes::cases::set_assignee,
        crate::routes::cases::report,
        crate::routes::transactions::post_transactions,
        crate::routes::alerts::list,
        crate::routes::alerts::detail,
        crate::routes::alerts::graph_svg,
        crate::routes::alerts::decide,
        crate::routes::ops::healthz,
        crate::routes::ops::metrics,
        crate::routes::ops::openapi,
    ),
    components(schemas(
        crate::error::ErrorBody,
        crate::routes::session::SignInRequest,
        crate::routes::session::SessionResponse,
        crate::routes::session::MemberRef,
        crate::routes::dashboard::DashboardResponse,
        crate::routes::dashboard::CaseCounts,
        crate::routes::queue::QueueResponse,
        crate::routes::queue::QueueItemJson,
        crate::routes::cases::ItemRef,
        crate::routes::cases::CreateCaseRequest,
        crate::routes::cases::NoteRequest,
        crate::routes::cases::StatusRequest,
        crate::routes::cases::AssigneeRequest,
        crate::routes::cases::CaseJson,
        crate::routes::cases::CaseList,
        crate::routes::cases::CaseItemJson,
        crate::routes::cases::NoteJson,
        crate::routes::cases::HistoryJson,
        crate::routes::cases::CaseDetailJson,
        crate::routes::hits::AuditEntryJson,
        crate::routes::hits::AuditResponse,
        crate::routes::hits::ChainResponse,
        crate::routes::transactions::TransactionsResponse,
        crate::routes::transactions::RejectedRecord,
        crate::routes::alerts::AlertList,
        crate::routes::alerts::AlertSummary,
        crate::routes::alerts::AlertDetail,
        crate::routes::alerts::AlertTransactionJson,
        crate::routes::alerts::AlertDecisionJson,
        crate::graph::AlertGraph,
        crate::graph::GraphNode,
        crate::graph::GraphEdge,
        crate::routes::screen::ScreenQuery,
        crate::routes::screen::ScreenBatch,
        crate::routes::screen::ScreenRequest,
        crate::routes::screen::ScreenResult,
        crate::routes::screen::MatchItem,
        crate::routes::screen::BatchItem,
        crate::routes::screen::BatchResponse,
        crate::routes::common::Suppression,
        crate::routes::matching::EntityMatchQuery,
        crate::routes::matching::EntityMatchResponse,
        crate::routes::lists::ListsResponse,
        crate::routes::hits::DecisionRequest,
        crate::routes::hits::DecisionResponse,
        crate::lists::ListVersion,
    )),
    modifiers(&ApiKeyAuth)
)]
struct ApiDoc;

struct ApiKeyAuth;

impl Modify for ApiKeyAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A member API key from `raqib keys create`"))
                    .build(),
            ),
        );
        // The analyst workspace's browser session (`POST /v1/session`); non-GET requests with
        // it also need the header `X-Raqib-Request: 1`.
        components.add_security_scheme(
            "session_cookie",
            SecurityScheme::ApiKey(utoipa::openapi::security::ApiKey::Cookie(
                utoipa::openapi::security::ApiKeyValue::with_description(
                    "raqib_session",
                    "Session cookie from `POST /v1/session`; writes also need `X-Raqib-Request: 1`",
                ),
            )),
        );
    }
}

pub(crate) fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
