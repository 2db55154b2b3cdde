package crdt

import (
	"encoding/xml"
	"strings"
	"testing"
)

func TestWriteSVG(t *testing.T) {
	board := map[string]Stroke{
		"a": {ID: "a", Tool: ToolPen, Color: "#ff0000", Width: 2, Points: []float64{0, 0, 10, 10, 20, 5}, Created: 1},
		"b": {ID: "b", Tool: ToolRect, Color: "#00ff00", Width: 1, Points: []float64{30, 30, 10, 50}, Created: 2},
		"c": {ID: "c", Tool: ToolText, Color: "#000000", Width: 2, Points: []float64{5, 60}, Text: "x<y & z", Created: 3},
		"d": {ID: "d", Tool: ToolHighlighter, Color: "#ffff00", Width: 8, Points: []float64{1, 1, 2, 2}, Created: 4},
	}
	var b strings.Builder
	if err := WriteSVG(&b, board); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	// It must be well-formed XML (the text is escaped).
	d := xml.NewDecoder(strings.NewReader(out))
	for {
		if _, err := d.Token(); err != nil {
			if err.Error() != "EOF" {
				t.Fatalf("not well-formed: %v\n%s", err, out)
			}
			break
		}
	}
	for _, want := range []string{
		`viewBox="-20 -20 70 100"`,
		`<polyline id="a" fill="none" stroke="#ff0000" stroke-width="2"`, `points="0,0 10,10 20,5"`,
		`<rect id="b" x="10" y="30" width="20" height="20"`,
		`>x&lt;y &amp; z</text>`,
		`stroke-opacity="0.4"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("SVG lacks %s:\n%s", want, out)
		}
	}
	if strings.Index(out, `id="a"`) > strings.Index(out, `id="d"`) {
		t.Error("strokes not drawn oldest first")
	}
}
