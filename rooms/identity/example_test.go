package identity_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/homeroom-edu/homeroom/rooms/identity"
)

func Example() {
	secret := []byte(strings.Repeat("k", 32)) // use LoadOrCreateDevSecret or a real secret
	minter, err := identity.NewHS256Minter(secret)
	if err != nil {
		panic(err)
	}
	token, err := minter.Mint(identity.Claims{
		UserID: "u-ada", Name: "Ada", Role: identity.RoleStudent, Session: "algebra-1",
	}, 8*time.Hour)
	if err != nil {
		panic(err)
	}

	// The client offers ["homeroom.v1", identity.SubprotocolFor(token)];
	// the gateway reads it back from r.Header.Values("Sec-WebSocket-Protocol").
	header := []string{"homeroom.v1, " + identity.SubprotocolFor(token)}
	got, _ := identity.TokenFromSubprotocols(header)

	verifier, err := identity.NewVerifier(identity.VerifierConfig{HS256Secret: secret})
	if err != nil {
		panic(err)
	}
	claims, err := verifier.Verify(got)
	if err != nil {
		panic(err)
	}
	fmt.Println(claims.UserID, claims.Role)
	fmt.Println(identity.CheckScope(claims, "", "", "algebra-1"))
	fmt.Println(identity.CheckScope(claims, "", "", "algebra-2"))
	// Output:
	// u-ada student
	// <nil>
	// token is not valid for this session: token is for session "algebra-1", not "algebra-2"
}
