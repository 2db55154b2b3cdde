package admin

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/crdt"
	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/store"
	"github.com/homeroom-edu/homeroom/store/export"
)

func TestExportRoutes(t *testing.T) {
	ctx := context.Background()
	cat := catalog.NewMemory()
	docs := store.NewMemory()
	cat.PutInstitution(ctx, catalog.Institution{ID: "i", Name: "I"})
	cat.PutCourse(ctx, catalog.Course{ID: "c", InstitutionID: "i", Name: "C"})
	cat.PutSession(ctx, catalog.Session{ID: "s", CourseID: "c", Title: "S", StartsAt: time.Now(), EndsAt: time.Now().Add(time.Hour), State: catalog.StateLive})
	doc, _ := crdt.New("s")
	doc.AddStroke(crdt.Stroke{ID: "st", Author: "ada", Tool: "pen", Color: "#123456", Width: 2, Points: []float64{1, 2, 3, 4}, Created: 7})
	doc.Commit("")
	docs.SaveDoc(ctx, "s", doc.Save())

	mux := http.NewServeMux()
	mux.Handle("/admin/", New(Config{APIKey: testKey}, cat, cat, nil, WithDocs(docs)))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	get := func(path string) (*http.Response, []byte) {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+testKey)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}
	resp, body := get("/admin/sessions/s/export")
	var e export.Session
	if resp.StatusCode != 200 || json.Unmarshal(body, &e) != nil || len(e.Board.Strokes) != 1 || e.Board.Strokes[0].Author != "ada" {
		t.Fatalf("export: %d %s", resp.StatusCode, body)
	}
	resp, body = get("/admin/sessions/s/board.svg")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/svg+xml" || !strings.Contains(string(body), `<polyline id="st"`) {
		t.Fatalf("board.svg: %d %s", resp.StatusCode, body)
	}
	if resp, _ := get("/admin/sessions/nope/export"); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown session: %d", resp.StatusCode)
	}
}
