package admin

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"time"
)

func writeJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store") // responses hold invite tokens
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v) // the client went away; nothing to do
}

// decode reads exactly one JSON value of at most limit bytes into v,
// refusing unknown fields. Its errors are *apiError (400 invalid).
func decode(w http.ResponseWriter, r *http.Request, limit int64, v any) error {
	body := http.MaxBytesReader(w, r.Body, limit)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err, limit)
	}
	if err := dec.Decode(&json.RawMessage{}); err != io.EOF {
		if err == nil {
			return errInvalid("request body must hold a single JSON value")
		}
		return decodeError(err, limit)
	}
	return nil
}

func decodeError(err error, limit int64) error {
	var (
		maxErr    *http.MaxBytesError
		syntaxErr *json.SyntaxError
		typeErr   *json.UnmarshalTypeError
		timeErr   *time.ParseError
	)
	switch {
	case errors.As(err, &maxErr):
		return errInvalid(fmt.Sprintf("request body is larger than %s", size(limit)))
	case errors.Is(err, io.EOF):
		return errInvalid("request body is empty")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errInvalid("malformed JSON: unexpected end of body")
	case errors.As(err, &syntaxErr):
		return errInvalid(fmt.Sprintf("malformed JSON at byte %d: %v", syntaxErr.Offset, err))
	case errors.As(err, &typeErr):
		if typeErr.Field == "" {
			return errInvalid(fmt.Sprintf("request body must be %s, not %s", describe(typeErr.Type), typeErr.Value))
		}
		return errInvalid(fmt.Sprintf("field %q must be %s, not %s", typeErr.Field, describe(typeErr.Type), typeErr.Value))
	case errors.As(err, &timeErr):
		return errInvalid(fmt.Sprintf("malformed time %q: use RFC 3339, e.g. 2031-09-01T08:30:00-05:00", timeErr.Value))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return errInvalid("unknown field " + strings.TrimPrefix(err.Error(), "json: unknown field "))
	}
	return errInvalid("malformed JSON: " + err.Error())
}

// describe names a Go type the way a JSON writer thinks of it.
func describe(t reflect.Type) string {
	if t == reflect.TypeFor[time.Time]() {
		return "an RFC 3339 time string"
	}
	switch t.Kind() {
	case reflect.Pointer:
		return describe(t.Elem())
	case reflect.Bool:
		return "true or false"
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a JSON array"
	}
	return "a JSON object"
}

func size(n int64) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}
