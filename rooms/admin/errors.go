package admin

import (
	"errors"
	"net/http"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
)

// Error codes of the admin API, each with one HTTP status. A client
// switches on the code; the message is for people.
const (
	CodeNotFound         = "not_found"          // 404
	CodeInvalid          = "invalid"            // 400: body too large, malformed JSON, unknown field, failed validation, bad query parameter
	CodeConflict         = "conflict"           // 409: id exists, record changed concurrently, missing parent, forbidden state change
	CodeUnauthorized     = "unauthorized"       // 401: missing or wrong API key
	CodeMethodNotAllowed = "method_not_allowed" // 405
	CodeInternal         = "internal"           // 500: the store failed; safe to retry
)

// errorBody is the one shape of every error response:
// {"error": {"code": "not_found", "message": "..."}}.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// apiError is an error with its code and status, made by the handlers.
type apiError struct {
	status  int
	code    string
	message string
}

func (e *apiError) Error() string { return e.message }

func errInvalid(msg string) error { return &apiError{http.StatusBadRequest, CodeInvalid, msg} }

func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, errorBody{errorDetail{Code: code, Message: msg}})
}

// fail answers err: an *apiError as it is, catalog sentinels by their
// code with the catalog's message, anything else as internal (logged here,
// not shown to the client).
func (h *handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	var ae *apiError
	switch {
	case errors.As(err, &ae):
		writeError(w, ae.status, ae.code, ae.message)
	case errors.Is(err, catalog.ErrInvalid):
		writeError(w, http.StatusBadRequest, CodeInvalid, err.Error())
	case errors.Is(err, catalog.ErrNotFound), errors.Is(err, catalog.ErrNotEnrolled):
		writeError(w, http.StatusNotFound, CodeNotFound, err.Error())
	case errors.Is(err, catalog.ErrConflict):
		writeError(w, http.StatusConflict, CodeConflict, err.Error())
	default:
		h.log.ErrorContext(r.Context(), "admin request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		writeError(w, http.StatusInternalServerError, CodeInternal, "internal error; the request may be retried")
	}
}
