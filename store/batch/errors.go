package batch

import "errors"

var (
	// ErrQueueFull is given to a Committer's done when its queue was full;
	// the item was not queued. Temporary: the client may send it again.
	ErrQueueFull = errors.New("batch: queue full")

	// ErrClosed is given to a Committer's done for an item submitted after
	// Close, or still queued when Close gave up on flushing.
	ErrClosed = errors.New("batch: closed")

	// ErrGaveUp wraps the last error of a commit that kept failing for
	// Config.RetryFor; the batch's items were not committed.
	ErrGaveUp = errors.New("batch: gave up retrying")

	// ErrResultCount is given to every item of a batch whose commit
	// returned a number of results other than the number of items: a bug
	// in the commit function, not retried.
	ErrResultCount = errors.New("batch: commit returned the wrong number of results")
)
