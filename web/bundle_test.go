package web

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// buildManifest is static/build.json, written by build.mjs.
type buildManifest struct {
	Sources string            `json:"sources"`
	Version string            `json:"version"`
	Files   map[string]string `json:"files"`
}

// sourceFiles lists what the bundle is built from, exactly as build.mjs's
// sourceFiles does: app/ (without its unit tests), the client's top-level
// .js files, the build script and both lock files.
func sourceFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir("app", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		p = filepath.ToSlash(p)
		if d.IsDir() {
			if p == "app/test" {
				return filepath.SkipDir
			}
			return nil
		}
		files = append(files, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir("client")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".js") {
			files = append(files, "client/"+e.Name())
		}
	}
	files = append(files, "build.mjs", "package-lock.json", "client/package-lock.json")
	slices.Sort(files)
	return files
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// TestBundleIsFresh fails when static/ was not rebuilt after a change to
// its sources (or was edited by hand): run `make web` and commit static/.
// It needs no Node: it hashes the sources as build.mjs does.
func TestBundleIsFresh(t *testing.T) {
	raw, err := staticFS.ReadFile("static/build.json")
	if err != nil {
		t.Fatalf("static/build.json: %v (run make web)", err)
	}
	var m buildManifest
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	for _, f := range sourceFiles(t) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(h, "%s\x00%s\n", f, sha256Hex(b))
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != m.Sources {
		t.Fatalf("static/ is stale: its sources changed since the last build (hash %s, built from %s); run make web", got[:12], m.Version)
	}
	embedded, err := fs.ReadDir(staticFS, "static")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range embedded {
		if e.Name() == "build.json" {
			continue
		}
		names = append(names, e.Name())
		b, _ := staticFS.ReadFile("static/" + e.Name())
		if want, ok := m.Files[e.Name()]; !ok || want != sha256Hex(b) {
			t.Errorf("static/%s differs from what build.mjs wrote; run make web", e.Name())
		}
	}
	for name := range m.Files {
		if !slices.Contains(names, name) {
			t.Errorf("static/%s is missing; run make web", name)
		}
	}
}
