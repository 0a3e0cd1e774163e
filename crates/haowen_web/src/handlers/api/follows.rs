//! `PUT` / `DELETE /api/v1/creators/{slug}/follow`: the follow use case, as the pages use it.

use axum::{Json, extract::State};
use haowen_app::engagement;
use serde::Serialize;

use super::{ApiCaller, ApiPath};
use crate::{AppState, error::ApiError};

#[derive(Serialize)]
pub struct FollowJson {
    pub creator: String,
    pub following: bool,
    pub followers: i64,
}

pub async fn follow(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiPath(slug): ApiPath<String>,
) -> Result<Json<FollowJson>, ApiError> {
    change(&state, caller, &slug, true).await
}

pub async fn unfollow(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiPath(slug): ApiPath<String>,
) -> Result<Json<FollowJson>, ApiError> {
    change(&state, caller, &slug, false).await
}

async fn change(
    state: &AppState,
    ApiCaller(user): ApiCaller,
    slug: &str,
    on: bool,
) -> Result<Json<FollowJson>, ApiError> {
    let creator = state.db.creator_by_slug(slug).await?;
    if on {
        engagement::follow(&state.db, &user, creator.id, None).await?;
    } else {
        engagement::unfollow(&state.db, &user, creator.id).await?;
    }
    let followers = state.db.creator(creator.id).await?.followers;
    Ok(Json(FollowJson {
        creator: creator.slug,
        following: on,
        followers,
    }))
}
