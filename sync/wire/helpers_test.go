package wire

import "github.com/coder/websocket"

func statusCode(c int) websocket.StatusCode { return websocket.StatusCode(c) }
