package main

import "time"

// gatewayDefault mirrors the defaults documented on gateway.Config and
// rooms.Config so --help shows them.
var gatewayDefault = struct {
	WriteTimeout, IdleTimeout, SessionIdle, Roster, Shutdown time.Duration
}{
	WriteTimeout: 10 * time.Second,
	IdleTimeout:  60 * time.Second,
	SessionIdle:  60 * time.Second,
	Roster:       250 * time.Millisecond,
	Shutdown:     15 * time.Second,
}
