package wire

import (
	"bytes"
	"errors"
	"testing"
)

func TestSplitRoundTrip(t *testing.T) {
	var msg []byte
	msg = AppendFrame(msg, TypeHello, []byte(`{"protocol":1}`))
	msg = AppendChanges(msg, 7, []byte{0x85, 0x6f, 0x4a, 0x83})
	msg = AppendFrame(msg, TypeSynced, nil)
	big := bytes.Repeat([]byte{'x'}, 300)
	msg = AppendFrame(msg, TypeSnapshot, big)

	frames, err := Split(msg, 16)
	if err != nil {
		t.Fatal(err)
	}
	if len(frames) != 4 {
		t.Fatalf("got %d frames, want 4", len(frames))
	}
	if frames[0].Type != TypeHello || string(frames[0].Payload) != `{"protocol":1}` {
		t.Fatalf("frame 0 = %v %q", frames[0].Type, frames[0].Payload)
	}
	ref, chunks, err := ParseChanges(frames[1].Payload)
	if err != nil || ref != 7 || !bytes.Equal(chunks, []byte{0x85, 0x6f, 0x4a, 0x83}) {
		t.Fatalf("changes = %d %x %v", ref, chunks, err)
	}
	if frames[2].Type != TypeSynced || len(frames[2].Payload) != 0 {
		t.Fatalf("frame 2 = %v %q", frames[2].Type, frames[2].Payload)
	}
	if !bytes.Equal(frames[3].Payload, big) {
		t.Fatal("snapshot payload differs")
	}
}

func TestSplitRejectsMalformed(t *testing.T) {
	tests := []struct {
		name string
		msg  []byte
		want error
	}{
		{"empty", nil, ErrEmpty},
		{"type only", []byte{0x04}, ErrTruncated},
		{"length past end", []byte{0x04, 0x05, 1, 2}, ErrTruncated},
		{"overlong varint", append([]byte{0x04}, bytes.Repeat([]byte{0xff}, 11)...), ErrBadLength},
		{"second frame truncated", append(EncodeFrame(TypeSynced, nil), 0x06, 0x80), ErrTruncated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Split(tt.msg, 16)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestSplitBoundsFrameCount(t *testing.T) {
	var msg []byte
	for range 5 {
		msg = AppendFrame(msg, TypePresence, []byte("{}"))
	}
	if _, err := Split(msg, 4); err == nil {
		t.Fatal("want error for too many frames")
	}
	if f, err := Split(msg, 5); err != nil || len(f) != 5 {
		t.Fatalf("got %d frames, %v", len(f), err)
	}
}

func TestParseChangesRejectsBadRef(t *testing.T) {
	if _, _, err := ParseChanges(nil); !errors.Is(err, ErrBadLength) {
		t.Fatalf("err = %v", err)
	}
	if _, _, err := ParseChanges([]byte{0x80}); !errors.Is(err, ErrBadLength) {
		t.Fatalf("err = %v", err)
	}
}

func TestErrorTable(t *testing.T) {
	e := NewError(CodeRateLimited, 3, "slow down")
	if !e.Temporary || e.Ref != 3 {
		t.Fatalf("rate_limited: %+v", e)
	}
	if NewError(CodeBadChange, 0, "").Temporary {
		t.Fatal("bad_change must not be temporary")
	}
	f, _, err := Next(e.Frame())
	if err != nil || f.Type != TypeError {
		t.Fatalf("frame: %v %v", f.Type, err)
	}
	var back Error
	if err := DecodeJSON(f.Type, f.Payload, &back); err != nil || back != e {
		t.Fatalf("round trip: %+v %v", back, err)
	}
}

func TestRetryable(t *testing.T) {
	for _, c := range []struct {
		code  int
		retry bool
	}{{1000, false}, {1009, false}, {4000, false}, {1012, true}, {4008, true}, {4029, true}} {
		if got := Retryable(statusCode(c.code)); got != c.retry {
			t.Errorf("Retryable(%d) = %v", c.code, got)
		}
	}
}

func FuzzSplit(f *testing.F) {
	f.Add(AppendFrame(AppendChanges(nil, 1, []byte("abc")), TypeSynced, nil))
	f.Add([]byte{0x04, 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Add([]byte{0x01})
	f.Fuzz(func(t *testing.T, msg []byte) {
		frames, err := Split(msg, 64)
		if err != nil {
			return
		}
		// Re-encoding what was decoded must give the same bytes back when
		// every length was minimally encoded.
		var out []byte
		for _, fr := range frames {
			out = AppendFrame(out, fr.Type, fr.Payload)
			if fr.Type == TypeChanges {
				_, _, _ = ParseChanges(fr.Payload)
			}
		}
		if len(out) > len(msg) {
			t.Fatalf("re-encoded %d bytes from a %d-byte message", len(out), len(msg))
		}
	})
}
