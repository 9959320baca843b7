//! The corpus: a folder of articles and the index of the entities they mention.
