package batch_test

import (
	"context"
	"fmt"

	"github.com/homeroom-edu/homeroom/store/batch"
)

// A writer for records nobody waits for: Add returns at once and the
// records reach the store in batches.
func ExampleWriter() {
	w, err := batch.NewWriter(batch.Config{Name: "events"}, func(ctx context.Context, events []string) error {
		fmt.Println("stored", events) // one INSERT … VALUES (…), (…) in real life
		return nil
	})
	if err != nil {
		panic(err)
	}
	w.Add("join u-1") // before Start: kept until the writer runs
	w.Add("join u-2")
	w.Start()
	lost, err := w.Close(context.Background())
	fmt.Println("lost", lost, err)
	// Output:
	// stored [join u-1 join u-2]
	// lost 0 <nil>
}

// A committer for writes a client is acknowledged for: each callback runs
// after its batch committed.
func ExampleCommitter() {
	c, err := batch.NewCommitter(batch.Config{Name: "answers"}, func(ctx context.Context, answers []string) ([]int, error) {
		ids := make([]int, len(answers))
		for i := range answers {
			ids[i] = 100 + i // e.g. the rows' ids from INSERT … RETURNING id
		}
		return ids, nil
	})
	if err != nil {
		panic(err)
	}
	c.Start()
	defer c.Close(context.Background())
	id, err := c.SubmitWait(context.Background(), "poll p-1: B")
	fmt.Println(id, err)
	// Output: 100 <nil>
}
