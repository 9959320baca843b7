//! Batch runs over many documents: work on all cores, results in input order, memory bounded.
//!
//! [`run_ordered`] takes documents from an input in chunks (a few hundred documents or a few
//! MB, see [`Chunking`]), maps each chunk on the rayon pool and hands the results to a sink on
//! the calling thread in input order. Reading the next chunk and writing the previous results
//! overlap with the work on the current chunk, so at most three chunks are held at once
//! whatever the size of the input. Used by `newsls annotate` and `newsls export`; it knows
//! nothing of documents, recognition or formats.

use std::sync::mpsc;

use rayon::prelude::*;

/// When a chunk is full: whichever limit is reached first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chunking {
    /// Documents per chunk (at least 1).
    pub max_docs: usize,
    /// Bytes per chunk, as the size function passed to [`run_ordered`] counts them; a chunk
    /// holds at least one document however large.
    pub max_bytes: usize,
}

impl Default for Chunking {
    /// 512 documents or 2 MiB: enough work per chunk for the hand-over between threads to cost
    /// nothing measurable, small enough that an uneven last document leaves a core idle only
    /// briefly and memory stays at a few MB.
    fn default() -> Self {
        Chunking {
            max_docs: 512,
            max_bytes: 2 << 20,
        }
    }
}

impl Chunking {
    /// The default limits, or `NEWSLS_BATCH_DOCS` documents per chunk when that variable is
    /// set to a positive number (for tests that need many chunks from little input).
    pub fn from_env() -> Self {
        Self::with_docs_from(std::env::var("NEWSLS_BATCH_DOCS").ok().as_deref())
    }

    fn with_docs_from(var: Option<&str>) -> Self {
        let mut res = Chunking::default();
        if let Some(n) = var
            .and_then(|v| v.trim().parse::<usize>().ok())
            .filter(|n| *n > 0)
        {
            res.max_docs = n;
        }
        res
    }
}

/// Maps every item of `input` with `work` on the rayon pool and passes the results to `sink`,
/// on the calling thread, in the order of `input`.
///
/// Stops at the first error: an error of `input` is returned after the results of the items
/// before it were given to `sink`; an error of `sink` is returned at once (work already started
/// on later items is finished and dropped).
pub fn run_ordered<T, R, E>(
    input: impl Iterator<Item = Result<T, E>>,
    size: impl Fn(&T) -> usize,
    chunking: Chunking,
    work: impl Fn(T) -> R + Sync,
    mut sink: impl FnMut(R) -> Result<(), E>,
) -> Result<(), E>
where
    T: Send,
    R: Send,
{
    let max_docs = chunking.max_docs.max(1);
    let mut input = input;
    std::thread::scope(|scope| {
        // Capacity 1 each way: the worker holds one chunk, one more waits for it, and one
        // chunk of results waits for the sink.
        let (chunk_tx, chunk_rx) = mpsc::sync_channel::<Vec<T>>(1);
        let (result_tx, result_rx) = mpsc::sync_channel::<Vec<R>>(1);
        let work = &work;
        scope.spawn(move || {
            for chunk in chunk_rx {
                let results: Vec<R> = chunk.into_par_iter().map(work).collect();
                if result_tx.send(results).is_err() {
                    break; // The sink failed; nobody wants more.
                }
            }
        });
        let mut in_flight = 0usize;
        let mut input_error = None;
        let mut finished = false;
        while !finished {
            let mut chunk = Vec::new();
            let mut bytes = 0usize;
            while chunk.len() < max_docs && bytes < chunking.max_bytes {
                match input.next() {
                    Some(Ok(item)) => {
                        bytes = bytes.saturating_add(size(&item));
                        chunk.push(item);
                    }
                    Some(Err(err)) => {
                        input_error = Some(err);
                        finished = true;
                        break;
                    }
                    None => {
                        finished = true;
                        break;
                    }
                }
            }
            if !chunk.is_empty() {
                if chunk_tx.send(chunk).is_err() {
                    break; // The worker is gone (it panicked): the scope reports it.
                }
                in_flight += 1;
            }
            // Keep one chunk in the worker while this thread reads the next one, except at
            // the end, when everything left is delivered.
            while in_flight > usize::from(!finished) {
                let Ok(results) = result_rx.recv() else {
                    return input_error.map_or(Ok(()), Err);
                };
                in_flight -= 1;
                for r in results {
                    sink(r)?;
                }
            }
        }
        input_error.map_or(Ok(()), Err)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunking(max_docs: usize, max_bytes: usize) -> Chunking {
        Chunking { max_docs, max_bytes }
    }

    #[test]
    fn results_come_in_input_order_across_chunks() {
        for (docs, bytes) in [
            (1, usize::MAX),
            (3, usize::MAX),
            (7, 10),
            (1000, 1),
            (1000, usize::MAX),
        ] {
            let mut got = Vec::new();
            let res: Result<(), String> = run_ordered(
                (0..250u64).map(Ok),
                |n| *n as usize,
                chunking(docs, bytes),
                |n| {
                    // Uneven work, so later items often finish first.
                    if n % 5 == 0 {
                        std::thread::sleep(std::time::Duration::from_micros(200));
                    }
                    n * 2
                },
                |r| {
                    got.push(r);
                    Ok(())
                },
            );
            assert_eq!(res, Ok(()));
            assert_eq!(
                got,
                (0..250u64).map(|n| n * 2).collect::<Vec<_>>(),
                "{docs} {bytes}"
            );
        }
    }

    #[test]
    fn empty_input_gives_nothing() {
        let mut n = 0;
        let res: Result<(), String> = run_ordered(
            std::iter::empty::<Result<u8, String>>(),
            |_| 1,
            Chunking::default(),
            |x| x,
            |_| {
                n += 1;
                Ok(())
            },
        );
        assert_eq!((res, n), (Ok(()), 0));
    }

    #[test]
    fn input_error_comes_after_the_results_before_it() {
        let input = (0..100u32).map(|n| if n == 42 { Err(format!("bad {n}")) } else { Ok(n) });
        let mut got = Vec::new();
        let res = run_ordered(
            input,
            |_| 1,
            chunking(5, usize::MAX),
            |n| n,
            |r| {
                got.push(r);
                Ok(())
            },
        );
        assert_eq!(res, Err("bad 42".to_string()));
        assert_eq!(got, (0..42).collect::<Vec<_>>());
    }

    #[test]
    fn sink_error_stops_the_run() {
        let mut got = Vec::new();
        let res = run_ordered(
            (0..10_000u32).map(Ok::<_, String>),
            |_| 1,
            chunking(16, usize::MAX),
            |n| n,
            |r| {
                if r == 37 {
                    return Err("closed".to_string());
                }
                got.push(r);
                Ok(())
            },
        );
        assert_eq!(res, Err("closed".to_string()));
        assert_eq!(got, (0..37).collect::<Vec<_>>());
    }

    #[test]
    fn the_environment_sets_the_documents_per_chunk_only_when_positive() {
        let default = Chunking::default();
        assert_eq!(Chunking::with_docs_from(None), default);
        assert_eq!(Chunking::with_docs_from(Some(" 3 ")).max_docs, 3);
        assert_eq!(Chunking::with_docs_from(Some("3")).max_bytes, default.max_bytes);
        assert_eq!(Chunking::with_docs_from(Some("0")), default);
        assert_eq!(Chunking::with_docs_from(Some("many")), default);
    }
}
