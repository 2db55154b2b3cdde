package identity

import "testing"

func TestTokenFromSubprotocols(t *testing.T) {
	const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln-_"
	tests := []struct {
		name   string
		values []string
		want   string
		ok     bool
	}{
		{"none", nil, "", false},
		{"only homeroom.v1", []string{"homeroom.v1"}, "", false},
		{"one list", []string{"homeroom.v1, homeroom.token." + jwt}, jwt, true},
		{"no spaces", []string{"homeroom.v1,homeroom.token." + jwt}, jwt, true},
		{"tabs", []string{"homeroom.v1,\thomeroom.token." + jwt + "\t"}, jwt, true},
		{"token first", []string{"homeroom.token." + jwt + ", homeroom.v1"}, jwt, true},
		{"separate header lines", []string{"homeroom.v1", "homeroom.token." + jwt}, jwt, true},
		{"empty token", []string{"homeroom.v1, homeroom.token."}, "", false},
		{"two tokens", []string{"homeroom.v1, homeroom.token.a.b.c, homeroom.token.d.e.f"}, "", false},
		{"two tokens on two lines", []string{"homeroom.token.a.b.c", "homeroom.token.a.b.c"}, "", false},
		{"prefix without dot", []string{"homeroom.token" + jwt}, "", false},
		{"other case", []string{"Homeroom.Token." + jwt}, "", false},
		{"inner space kept for Verify to refuse", []string{"homeroom.token. x"}, " x", true},
		{"empty entries", []string{",,homeroom.v1,, homeroom.token." + jwt + ",,"}, jwt, true},
	}
	for _, tt := range tests {
		got, ok := TokenFromSubprotocols(tt.values)
		if got != tt.want || ok != tt.ok {
			t.Errorf("%s: TokenFromSubprotocols(%q) = %q, %v; want %q, %v", tt.name, tt.values, got, ok, tt.want, tt.ok)
		}
	}
}

func TestSubprotocolForRoundTrip(t *testing.T) {
	const jwt = "a.b.c"
	got, ok := TokenFromSubprotocols([]string{"homeroom.v1, " + SubprotocolFor(jwt)})
	if !ok || got != jwt {
		t.Errorf("round trip = %q, %v", got, ok)
	}
}
