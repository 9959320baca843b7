//! newsls: recognises organisations, places, people and figures in news articles, indexes a
//! folder of articles, and serves both to editors over the Language Server Protocol.
//!
//! Layers, each knowing nothing of the one above it:
//! - [`recognize`]: pure text in, entities out;
//! - [`corpus`]: a folder of articles and its entity index (no LSP);
//! - [`server`]: the LSP layer translating between the protocol and the two above;
//! - [`cli`]: the `newsls` subcommands ([`export`] for export formats, [`batch`] for running
//!   many documents on all cores in order).

pub mod annotations;
pub mod batch;
pub mod cli;
pub mod corpus;
pub mod eval;
pub mod export;
pub mod facts;
pub mod recognize;
pub mod server;
pub mod train;
