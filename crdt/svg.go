package crdt

import (
	"fmt"
	"html"
	"io"
	"math"
	"slices"
	"strings"
)

// WriteSVG draws the board's strokes as an SVG picture, oldest first, with
// a viewBox fitted to them (plus a margin). Pens and erasers are polylines
// (an eraser stroke drawn in white), highlighters half-transparent, lines
// from first to last point, rectangles and ellipses in the box of their
// first and last points, text at its first point.
func WriteSVG(w io.Writer, board map[string]Stroke) error {
	strokes := make([]Stroke, 0, len(board))
	for _, s := range board {
		strokes = append(strokes, s)
	}
	slices.SortFunc(strokes, func(a, b Stroke) int {
		if a.Created != b.Created {
			return int(a.Created - b.Created)
		}
		return strings.Compare(a.ID, b.ID)
	})
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, s := range strokes {
		for i := 0; i+1 < len(s.Points); i += 2 {
			minX, maxX = math.Min(minX, s.Points[i]), math.Max(maxX, s.Points[i])
			minY, maxY = math.Min(minY, s.Points[i+1]), math.Max(maxY, s.Points[i+1])
		}
	}
	if math.IsInf(minX, 1) {
		minX, minY, maxX, maxY = 0, 0, 800, 600
	}
	const margin = 20
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="%g %g %g %g">`+"\n",
		minX-margin, minY-margin, maxX-minX+2*margin, maxY-minY+2*margin)
	for _, s := range strokes {
		writeStroke(&b, s)
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func writeStroke(b *strings.Builder, s Stroke) {
	color := html.EscapeString(s.Color)
	if s.Tool == ToolEraser {
		color = "#ffffff"
	}
	width := s.Width
	if width <= 0 {
		width = 1
	}
	id := html.EscapeString(s.ID)
	p := s.Points
	n := len(p) / 2
	if n == 0 {
		return
	}
	x0, y0, x1, y1 := p[0], p[1], p[2*n-2], p[2*n-1]
	switch s.Tool {
	case ToolLine:
		fmt.Fprintf(b, `<line id="%s" x1="%g" y1="%g" x2="%g" y2="%g" stroke="%s" stroke-width="%g"/>`+"\n", id, x0, y0, x1, y1, color, width)
	case ToolRect:
		fmt.Fprintf(b, `<rect id="%s" x="%g" y="%g" width="%g" height="%g" fill="none" stroke="%s" stroke-width="%g"/>`+"\n",
			id, math.Min(x0, x1), math.Min(y0, y1), math.Abs(x1-x0), math.Abs(y1-y0), color, width)
	case ToolEllipse:
		fmt.Fprintf(b, `<ellipse id="%s" cx="%g" cy="%g" rx="%g" ry="%g" fill="none" stroke="%s" stroke-width="%g"/>`+"\n",
			id, (x0+x1)/2, (y0+y1)/2, math.Abs(x1-x0)/2, math.Abs(y1-y0)/2, color, width)
	case ToolText:
		fmt.Fprintf(b, `<text id="%s" x="%g" y="%g" fill="%s" font-size="%g">%s</text>`+"\n", id, x0, y0, color, math.Max(12, width*6), html.EscapeString(s.Text))
	default: // pen, highlighter, eraser
		opacity := ""
		if s.Tool == ToolHighlighter {
			opacity = ` stroke-opacity="0.4"`
		}
		fmt.Fprintf(b, `<polyline id="%s" fill="none" stroke="%s" stroke-width="%g" stroke-linecap="round" stroke-linejoin="round"%s points="`, id, color, width, opacity)
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(b, "%g,%g", p[2*i], p[2*i+1])
		}
		b.WriteString(`"/>` + "\n")
	}
}
