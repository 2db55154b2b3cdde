package polls_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/homeroom-edu/homeroom/activities"
	"github.com/homeroom-edu/homeroom/activities/polls"
)

// A quiz from poll_open to poll_results, as the session goroutine drives
// it; storing the submissions is left out.
func Example() {
	at := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)

	var open polls.OpenRequest
	_ = json.Unmarshal([]byte(`{"kind":"single","question":"2 + 2?","options":["3","4"],"correct":[1]}`), &open)
	p, err := open.Poll("p-1", "ses_1", "u-teacher", at)
	if err != nil {
		fmt.Println(err) // to the teacher
		return
	}
	fmt.Printf("%s\n", polls.Started(p))

	tally := polls.NewTally(p)
	var stored []activities.Submission
	for user, choice := range map[string]int{"u-ada": 1, "u-bob": 0, "u-cy": 1} {
		a := polls.AnswerRequest{Poll: p.ID, AttemptID: "a-" + user, Choices: []int{choice}}
		if err := polls.Check(p, a); err != nil {
			fmt.Println(err)
			continue
		}
		s := polls.Submission(p, user, a, false, at)
		stored = append(stored, s) // Store.SubmitAnswers, then polls.Ack
		tally.Add(s.Voter, s.Choices, s.Text)
	}
	fmt.Printf("%s\n", polls.TallyFrame(p, tally, 4))

	err = polls.Check(p, polls.AnswerRequest{Poll: p.ID, AttemptID: "a-2", Choices: []int{2}})
	fmt.Println(err)

	p.ClosedAt = at.Add(time.Minute)
	r := polls.Aggregate(p, stored, rand.New(rand.NewPCG(1, 2)), p.ClosedAt)
	fmt.Printf("%s\n", polls.ResultsFrame(r))
	// Output:
	// {"type":"poll_started","poll":{"id":"p-1","created_by":"u-teacher","kind":"single","question":"2 + 2?","options":["3","4"],"anonymous":false,"changeable":false,"opened_at":"2026-11-29T10:00:00Z"}}
	// {"type":"poll_tally","poll":"p-1","counts":[1,2],"answered":3,"present":4}
	// bad_answer: no option 2: options are numbered 0 to 1
	// {"type":"poll_results","poll":"p-1","results":{"counts":[1,2],"total":3,"correct":[1],"correct_count":2}}
}
