//! What can go wrong in a service operation. Each kind has one meaning for every front end:
//! the HTTP adapter maps each to one status (see its `problem` module).

use leadrank_core::ModelError;
use leadrank_store::StoreError;

/// A failure of a service operation.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The database failed or returned something it should not (500; `NotFound` is 404).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A model file that does not compile, with every issue located (422).
    #[error(transparent)]
    InvalidModel(ModelError),
    /// A request the rules refuse: an invalid team, rep or routing file (422).
    #[error("{0}")]
    Invalid(String),
    #[error("{0} not found")]
    NotFound(String),
    /// The caller may not do this (403).
    #[error("{0}")]
    Forbidden(String),
    /// The request conflicts with the current state (409).
    #[error("{0}")]
    Conflict(String),
    /// A lifecycle move the rules do not allow.
    #[error(transparent)]
    Lifecycle(#[from] leadrank_lifecycle::LifecycleError),
    /// A failure that is not the caller's: a bug or broken state (500, logged).
    #[error("internal: {0}")]
    Internal(String),
}
