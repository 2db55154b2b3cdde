package admin

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
)

// List limits: ?limit= defaults to DefaultLimit; larger than MaxLimit is
// capped.
const (
	DefaultLimit = 100
	MaxLimit     = 1000
)

// list is the shape of every list response. Next, when set, is the
// ?after= value of the next page.
type list[T any] struct {
	Items []T    `json:"items"`
	Next  string `json:"next,omitempty"`
}

// limitParam reads ?limit=: default DefaultLimit, at least 1, capped at
// MaxLimit.
func limitParam(r *http.Request) (int, error) {
	s := r.URL.Query().Get("limit")
	if s == "" {
		return DefaultLimit, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, errInvalid(fmt.Sprintf("limit %q must be a whole number from 1 to %d", s, MaxLimit))
	}
	return min(n, MaxLimit), nil
}

// pageParams reads ?limit= and ?after= and asks the catalog for one record
// more than the limit, so that paged can tell whether there is a next page.
func pageParams(r *http.Request) (catalog.Page, error) {
	n, err := limitParam(r)
	if err != nil {
		return catalog.Page{}, err
	}
	return catalog.Page{After: r.URL.Query().Get("after"), Limit: n + 1}, nil
}

// paged trims items fetched with pageParams to the page and sets Next.
func paged[T any](items []T, p catalog.Page, id func(T) string) list[T] {
	if items == nil {
		items = []T{}
	}
	if limit := p.Limit - 1; len(items) > limit {
		items = items[:limit]
		return list[T]{Items: items, Next: id(items[limit-1])}
	}
	return list[T]{Items: items}
}
