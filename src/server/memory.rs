//! Giving freed memory back after large, rare work (a request on a large document, loading or
//! building the index, writing the cache).
//!
//! mimalloc keeps freed pages in the heap of the thread that allocated them. Requests run on
//! tokio's blocking threads, which take turns, so without this every blocking thread would hold
//! on to the garbage of the last large request it ran (measured: +80 MB after twenty requests
//! on a 1 MB article). [`release`] hands the calling thread's free pages back to the OS; it is
//! only called after work proportional to a large text or to the corpus, never per keystroke
//! on an ordinary article (re-faulting the pages costs a few milliseconds).

/// Requests on documents at least this large release memory when they finish.
pub const LARGE_TEXT: usize = 256 * 1024;

/// Frees the calling thread's unused pages and returns them to the OS.
pub fn release() {
    let t = std::time::Instant::now();
    // SAFETY: `mi_collect` takes no pointers; it only walks the allocator's own structures of the
    // calling thread and its arenas, and may be called from any thread at any time.
    unsafe { libmimalloc_sys::mi_collect(true) }
    tracing::trace!("memory released in {:.2?}", t.elapsed());
}

/// [`release`] on the calling thread and on every thread of rayon's global pool (after a
/// parallel indexing run).
pub fn release_everywhere() {
    release();
    rayon::broadcast(|_| release());
}
