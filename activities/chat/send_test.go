package chat

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/homeroom-edu/homeroom/sync/wire"
)

func TestSendRequestCheck(t *testing.T) {
	for _, tc := range []struct {
		name string
		req  SendRequest
		err  error
		text string // Text after a successful Check
	}{
		{"plain", SendRequest{ID: "c-1", Text: "hello"}, nil, "hello"},
		{"to staff", SendRequest{ID: "c-1", Text: "help", To: "staff"}, nil, "help"},
		{"trailing space trimmed", SendRequest{ID: "c-1", Text: "  hi \n\t "}, nil, "  hi"},
		{"2000 characters", SendRequest{ID: "c-1", Text: strings.Repeat("é", 2000)}, nil, strings.Repeat("é", 2000)},
		{"2000 characters and spaces", SendRequest{ID: "c-1", Text: strings.Repeat("a", 2000) + "   "}, nil, strings.Repeat("a", 2000)},
		{"2001 characters", SendRequest{ID: "c-1", Text: strings.Repeat("a", 2001)}, ErrTextTooLong, ""},
		{"2001 wide characters", SendRequest{ID: "c-1", Text: strings.Repeat("語", 2001)}, ErrTextTooLong, ""},
		{"empty", SendRequest{ID: "c-1"}, ErrEmptyText, ""},
		{"only white space", SendRequest{ID: "c-1", Text: " \n\u3000"}, ErrEmptyText, ""},
		{"invalid UTF-8", SendRequest{ID: "c-1", Text: "a\xffb"}, ErrBadText, ""},
		{"NUL", SendRequest{ID: "c-1", Text: "a\x00b"}, ErrControlText, ""},
		{"escape", SendRequest{ID: "c-1", Text: "a\x1b[2Jb"}, ErrControlText, ""},
		{"lines and tabs", SendRequest{ID: "c-1", Text: "a\n\tb"}, nil, "a\n\tb"},
		{"no id", SendRequest{Text: "hi"}, ErrBadID, ""},
		{"64-byte id", SendRequest{ID: strings.Repeat("x", 64), Text: "hi"}, nil, "hi"},
		{"65-byte id", SendRequest{ID: strings.Repeat("x", 65), Text: "hi"}, ErrBadID, ""},
		{"id with a control byte", SendRequest{ID: "c\n1", Text: "hi"}, ErrBadID, ""},
		{"id not ASCII", SendRequest{ID: "c-é", Text: "hi"}, ErrBadID, ""},
		{"unknown audience", SendRequest{ID: "c-1", Text: "hi", To: "teachers"}, ErrBadAudience, ""},
		{"bad id reported first", SendRequest{ID: "", Text: "", To: "x"}, ErrBadID, ""},
	} {
		req := tc.req
		err := req.Check()
		if !errors.Is(err, tc.err) {
			t.Errorf("%s: Check() = %v, want %v", tc.name, err, tc.err)
			continue
		}
		if err == nil && req.Text != tc.text {
			t.Errorf("%s: text %q, want %q", tc.name, req.Text, tc.text)
		}
	}
}

func TestCheckCodes(t *testing.T) {
	for err, code := range map[error]wire.Code{
		ErrTextTooLong: wire.CodeTooLarge,
		ErrEmptyText:   wire.CodeBadFrame,
		ErrBadID:       wire.CodeBadFrame,
		ErrBadAudience: wire.CodeBadFrame,
		ErrBadText:     wire.CodeBadFrame,
	} {
		var ce *Error
		if !errors.As(err, &ce) || ce.Code != code {
			t.Errorf("%v: code %v, want %v", err, ce, code)
		}
	}
}

func TestSendRequestJSON(t *testing.T) {
	var req SendRequest
	frame := `{"type": "chat_send", "id": "c-8f2", "text": "hello", "to": ""}`
	if err := json.Unmarshal([]byte(frame), &req); err != nil {
		t.Fatal(err)
	}
	if req != (SendRequest{ID: "c-8f2", Text: "hello"}) || req.Check() != nil {
		t.Fatalf("decoded %+v", req)
	}
}

// FuzzSendRequest: whatever a client sends, decoding and Check never
// panic, and a request Check accepts is within the documented limits and
// stays accepted.
func FuzzSendRequest(f *testing.F) {
	f.Add([]byte(`{"type": "chat_send", "id": "c-8f2", "text": "hello", "to": ""}`))
	f.Add([]byte(`{"id": "c-1", "text": "help  \n", "to": "staff"}`))
	f.Add([]byte(`{"id": "", "text": "", "to": "everyone"}`))
	f.Add([]byte(`{"id": "c-1", "text": "\u00e9\u8a9e\ud83d\ude00", "to": null}`))
	f.Add([]byte(`{"id": 1, "text": ["a"]}`))
	f.Add([]byte(`{"id": "c-1", "text": "a\ufffd\u0000"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var req SendRequest
		if json.Unmarshal(data, &req) != nil {
			return
		}
		err := req.Check()
		if err != nil {
			var ce *Error
			if !errors.As(err, &ce) || ce.Code == "" {
				t.Fatalf("Check error without a code: %v", err)
			}
			return
		}
		if n := len(req.ID); n < 1 || n > MaxIDBytes {
			t.Fatalf("accepted id of %d bytes", n)
		}
		if n := utf8.RuneCountInString(req.Text); n < 1 || n > MaxTextRunes {
			t.Fatalf("accepted text of %d characters", n)
		}
		if !utf8.ValidString(req.Text) || strings.TrimSpace(req.Text) == "" {
			t.Fatalf("accepted text %q", req.Text)
		}
		if req.To != "" && req.To != "staff" {
			t.Fatalf("accepted audience %q", req.To)
		}
		again := req
		if err := again.Check(); err != nil || again != req {
			t.Fatalf("Check not idempotent: %v, %+v then %+v", err, req, again)
		}
	})
}
