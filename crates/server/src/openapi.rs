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
        crate::routes::ops::healthz,
        crate::routes::ops::metrics,
        crate::routes::ops::openapi,
    ),
    components(schemas(
        crate::error::ErrorBody,
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
    }
}

pub(crate) fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
