// Package batch is the write path that keeps the database off the hot path:
// live sessions hand records to a bounded in-memory queue and move on, and
// one background goroutine per queue writes them to the store in batches.
//
// Writer is for records nobody waits for (chat transcript, analytics
// events, attendance intervals): Add never blocks, a full queue drops and
// counts, and a failing store is retried with backoff until it recovers or
// the writer closes. Committer is group commit for writes a client is
// acknowledged for (poll answers): Submit never blocks either, and each
// item's callback runs once its batch has committed, or with an error when
// the queue was full or the store kept failing, so the client can be told
// to retry.
//
// The package knows nothing of sessions or of the store: it calls the
// function it was given, from its own goroutine, one batch at a time, in
// queue order. It does no I/O itself beyond logging.
package batch
