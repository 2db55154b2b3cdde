// Package identity verifies the signed join tokens that say who a
// participant is and which sessions they may join, and mints them for
// development and tests. It is pure: it reads the clock, and touches the
// filesystem only in LoadOrCreateDevSecret; it knows nothing of sockets or
// sessions.
//
// # Tokens
//
// A join token is a JWT (compact JWS) signed either HS256 with a secret
// shared with this server, or EdDSA (Ed25519) with a private key whose
// public half the server is configured with, so an institution's own
// backend can mint tokens with any JWT library. No other algorithm is
// accepted, and each key serves only its own algorithm. Claims:
//
//	sub     required  user id (Claims.UserID)
//	name    required  display name, 1–64 characters
//	role    required  teacher | moderator | student | observer
//	aud     required  "homeroom" (a string or an array containing it)
//	exp     required  expiry, Unix seconds
//	iat     optional  issued at, Unix seconds; refused if in the future
//	nbf     optional  not before, Unix seconds
//	jti     optional  token id
//	inst    optional  institution the token is limited to
//	course  scope     course the token is limited to
//	sid     scope     the one session the token is limited to
//
// A token with sid admits its holder to that session only. A token with
// course and no sid admits them to any session of that course. At least
// one of the two is required; inst, when present, narrows either further.
// Verify checks signature, times (with a leeway, default 30 s) and claims;
// CheckScope then checks the session being joined.
//
// # Transport
//
// A client presents its token in the WebSocket handshake, as one more
// Sec-WebSocket-Protocol entry beside homeroom.v1 (see SubprotocolFor and
// TokenFromSubprotocols), or in the token field of its hello frame. Never
// in the URL, where proxies and access logs would keep it. Tokens are
// bearer credentials: nothing here logs one or puts one in an error, and
// Claims logs through LogValue as user, role and scope only.
package identity
