package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// labelAngle is how far crowded axis labels are turned (counter-clockwise).
const labelAngle = -40.0

// A chart is laid out once, as shapes in its own coordinate space (y down, text
// positioned by its baseline), and drawn by both the HTML renderer (as inline SVG)
// and the PDF renderer (scaled into millimetres), so the two show the same picture.
type chart struct {
	ID     string // unique within a document
	Title  string // what the chart shows; the SVG <title>
	Desc   string // the data in words, for readers who cannot see the chart
	W, H   float64
	Shapes []shape
}

// shapeKind is what a shape draws.
type shapeKind int

const (
	rectShape shapeKind = iota
	lineShape
	textShape
)

// shape is one primitive of a chart. Class names a colour role (chartColours).
type shape struct {
	Kind       shapeKind
	X, Y, W, H float64 // rect: corner and size; line: from (X, Y) to (X+W, Y+H); text: baseline
	Text       string
	Anchor     string // text: start, middle or end
	Size       float64
	Rotate     float64 // text: degrees about its anchor, clockwise in the chart's y-down space
	Class      string
}

// chartColours are the colour roles of chart shapes (fill for rectangles and text,
// stroke for lines), shared by the SVG stylesheet and the PDF renderer.
var chartColours = map[string][3]int{
	"axis":          {0x44, 0x44, 0x44},
	"grid":          {0xdd, 0xdd, 0xdd},
	"bar":           {0x3b, 0x6e, 0xa5},
	"muted":         {0x9a, 0xa5, 0xb1},
	"tier-critical": {0xb3, 0x26, 0x1e},
	"tier-high":     {0xe8, 0x71, 0x0a},
	"tier-medium":   {0xe0, 0xa8, 0x1e},
	"tier-low":      {0x4c, 0x9a, 0x2a},
	"heat0":         {0xf4, 0xf6, 0xf8},
	"heat1":         {0xcf, 0xe0, 0xf3},
	"heat2":         {0x9c, 0xc3, 0xe6},
	"heat3":         {0x5b, 0x9b, 0xd5},
	"heat4":         {0x2f, 0x6e, 0xaa},
	"label":         {0x33, 0x33, 0x33},
	"value":         {0x11, 0x11, 0x11},
	"inv":           {0xff, 0xff, 0xff},
	"note":          {0x66, 0x66, 0x66},
}

// chartCSS is the SVG stylesheet for chartColours, in a fixed order.
func chartCSS() string {
	var b strings.Builder
	for _, c := range []string{"axis", "grid"} {
		rgb := chartColours[c]
		fmt.Fprintf(&b, "svg .%s{stroke:#%02x%02x%02x;stroke-width:1}\n", c, rgb[0], rgb[1], rgb[2])
	}
	for _, c := range []string{"bar", "muted", "tier-critical", "tier-high", "tier-medium", "tier-low",
		"heat0", "heat1", "heat2", "heat3", "heat4", "label", "value", "inv", "note"} {
		rgb := chartColours[c]
		fmt.Fprintf(&b, "svg .%s{fill:#%02x%02x%02x}\n", c, rgb[0], rgb[1], rgb[2])
	}
	return b.String()
}

func (c *chart) rect(x, y, w, h float64, class string) {
	c.Shapes = append(c.Shapes, shape{Kind: rectShape, X: x, Y: y, W: w, H: h, Class: class})
}

func (c *chart) line(x1, y1, x2, y2 float64, class string) {
	c.Shapes = append(c.Shapes, shape{Kind: lineShape, X: x1, Y: y1, W: x2 - x1, H: y2 - y1, Class: class})
}

func (c *chart) text(x, y float64, s, anchor string, size float64, class string) {
	c.Shapes = append(c.Shapes, shape{Kind: textShape, X: x, Y: y, Text: s, Anchor: anchor, Size: size, Class: class})
}

// The common frame of the charts.
const (
	chartW     = 360.0
	chartH     = 220.0
	plotLeft   = 40.0
	plotRight  = 350.0
	plotTop    = 18.0
	plotBottom = 178.0
)

// niceStep is a tick step (1, 2 or 5 times a power of ten) giving at most five
// steps up to peak.
func niceStep(peak int) int {
	if peak <= 5 {
		return 1
	}
	for p := 1; ; p *= 10 {
		for _, m := range []int{1, 2, 5} {
			if peak <= 5*m*p {
				return m * p
			}
		}
	}
}

// barChart draws counts as vertical bars with their values, on a scale from zero.
func barChart(id, title, xTitle, empty string, counts []Count, class func(key string) string) chart {
	c := chart{ID: id, Title: title, W: chartW, H: chartH}
	descs := make([]string, len(counts))
	peak := 0
	for i, k := range counts {
		peak = max(peak, k.Count)
		descs[i] = fmt.Sprintf("%s: %d", k.Key, k.Count)
	}
	c.Desc = strings.Join(descs, ", ")
	step := niceStep(peak)
	top := max(step, (peak+step-1)/step*step)
	scale := (plotBottom - plotTop) / float64(top)
	for v := 0; v <= top; v += step {
		y := plotBottom - float64(v)*scale
		class := "grid"
		if v == 0 {
			class = "axis"
		}
		c.line(plotLeft, y, plotRight, y, class)
		c.text(plotLeft-4, y+3, strconv.Itoa(v), "end", 9, "label")
	}
	c.line(plotLeft, plotTop, plotLeft, plotBottom, "axis")
	if len(counts) == 0 {
		c.Desc = empty
		c.text((plotLeft+plotRight)/2, (plotTop+plotBottom)/2, empty, "middle", 10, "note")
	}
	size := 9.0
	if len(counts) > 6 {
		size = 8
	}
	slot := (plotRight - plotLeft) / float64(max(1, len(counts)))
	// Labels wider than their slot are turned so that they cannot run into each
	// other, and the chart grows downwards to hold the longest of them.
	longest := 0.0
	for _, k := range counts {
		longest = max(longest, textWidth(k.Key, size))
	}
	rotate := longest > slot*0.9
	if rotate {
		rad := -labelAngle * math.Pi / 180
		c.H = math.Ceil(plotBottom + 8 + longest*math.Sin(rad) + size*math.Cos(rad) + 18)
	}
	for i, k := range counts {
		x := plotLeft + float64(i)*slot
		h := float64(k.Count) * scale
		bw := slot * 0.7
		c.rect(x+(slot-bw)/2, plotBottom-h, bw, h, class(k.Key))
		c.text(x+slot/2, plotBottom-h-3, strconv.Itoa(k.Count), "middle", size, "value")
		if rotate {
			// Anchored at its end just below the bar's centre, reading up to it.
			c.Shapes = append(c.Shapes, shape{Kind: textShape, X: x + slot/2 + size*0.35, Y: plotBottom + 9,
				Text: k.Key, Anchor: "end", Size: size, Rotate: labelAngle, Class: "label"})
			continue
		}
		c.text(x+slot/2, plotBottom+12, k.Key, "middle", size, "label")
	}
	c.text((plotLeft+plotRight)/2, c.H-6, xTitle, "middle", 9, "note")
	return c
}

// textWidth estimates the width of s at font size size, erring wide: digits and
// lower-case letters of the sans-serif faces the charts use run to about 0.56 em.
func textWidth(s string, size float64) float64 {
	n := 0
	for range s {
		n++
	}
	return float64(n) * size * 0.6
}

// tierClass colours a tier bar by the tier.
func tierClass(key string) string {
	switch key {
	case "critical", "high", "medium", "low":
		return "tier-" + key
	}
	return "bar"
}

// postureClass greys out the unassessed bucket of the posture histogram.
func postureClass(key string) string {
	if key == "unassessed" {
		return "muted"
	}
	return "bar"
}

func plainClass(string) string { return "bar" }

// heatBands are the labels of the heat map's bands, lowest first.
var heatBands = [5]string{"0–19", "20–39", "40–59", "60–79", "80–100"}

// heatmapChart draws Summary.Heatmap: inherent-risk bands as rows with the worst on
// top, posture bands as columns with unassessed last; darker cells hold more suppliers.
func heatmapChart(h [5][6]int) chart {
	c := chart{ID: "chart-heatmap", Title: "Inherent risk versus posture", W: chartW, H: chartH}
	const (
		x0, y0       = 74.0, 36.0
		colW, rowH   = (plotRight - x0) / 6, 28.0
		labelSize    = 8.0
		valueSize    = 10.0
		headerOffset = 6.0
	)
	peak := 0
	for _, row := range h {
		for _, n := range row {
			peak = max(peak, n)
		}
	}
	cols := [6]string{heatBands[0], heatBands[1], heatBands[2], heatBands[3], heatBands[4], "unassessed"}
	c.text(x0+3*colW, 14, "Posture", "middle", 9, "note")
	c.text(4, y0-headerOffset, "Inherent risk", "start", labelSize, "note")
	for j, name := range cols {
		c.text(x0+float64(j)*colW+colW/2, y0-headerOffset, name, "middle", labelSize, "label")
	}
	var descs []string
	for r := 0; r < 5; r++ {
		band := 4 - r // worst on top
		y := y0 + float64(r)*rowH
		c.text(x0-6, y+rowH/2+3, heatBands[band], "end", labelSize, "label")
		for j := 0; j < 6; j++ {
			n := h[band][j]
			level := 0
			if n > 0 {
				level = min(4, 1+(n*4-1)/peak)
			}
			x := x0 + float64(j)*colW
			c.rect(x+1, y+1, colW-2, rowH-2, "heat"+strconv.Itoa(level))
			text := "label"
			if level >= 3 {
				text = "inv"
			}
			c.text(x+colW/2, y+rowH/2+3.5, strconv.Itoa(n), "middle", valueSize, text)
			if n > 0 {
				descs = append(descs, fmt.Sprintf("inherent %s, posture %s: %d", heatBands[band], cols[j], n))
			}
		}
	}
	c.text(x0+3*colW, y0+5*rowH+16, "Suppliers per cell; the top row holds the highest inherent risk.", "middle", 8, "note")
	c.Desc = "Suppliers by inherent risk and posture band. " + strings.Join(descs, "; ")
	if len(descs) == 0 {
		c.Desc = "No suppliers to place by inherent risk and posture."
	}
	return c
}

// reportCharts are the four charts of a report, in the order they are shown.
func reportCharts(s Snapshot) []chart {
	trend := make([]Count, len(s.Trend))
	for i, p := range s.Trend {
		trend[i] = Count{Key: p.Quarter, Count: p.FlaggedSuppliers}
	}
	return []chart{
		barChart("chart-tiers", "Suppliers by risk tier", "Risk tier", "No suppliers are tiered.", s.Summary.ByTier, tierClass),
		barChart("chart-posture", "Posture histogram", "Security posture score (unassessed last)", "No suppliers to place by posture.",
			s.Summary.PostureHistogram, postureClass),
		heatmapChart(s.Summary.Heatmap),
		barChart("chart-trend", "Flagged suppliers by quarter", "Stored quarter", "No stored quarters to compare yet.", trend, plainClass),
	}
}

// svgNum formats a coordinate compactly and deterministically.
func svgNum(v float64) string {
	return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
}
