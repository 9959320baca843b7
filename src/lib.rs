//! newsls: recognises organisations, places, people and figures in news articles, indexes a
//! folder of articles, and serves both to editors over the Language Server Protocol.
//!
//! Layers, each knowing nothing of the one above it:
//! - [`recognize`]: pure text in, entities out;
//! - [`corpus`]: a folder of articles and its entity index (no LSP);
//! - [`server`]: the LSP layer translating between the protocol and the two above;
//! - [`cli`]: the `newsls` subcommands.

pub mod annotations;
pub mod cli;
pub mod corpus;
pub mod eval;
pub mod export;
pub mod facts;
pub mod recognize;
pub mod server;
