package pulse

import (
	"bytes"
	"flag"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden chart in testdata/")

// monthOfPoints is 30 days ending today, a wave through every band, today
// final unless soFar.
func monthOfPoints(today time.Time, soFar bool) []Point {
	pts := make([]Point, 0, ChartDays)
	for i := range ChartDays {
		pts = append(pts, Point{
			Date:  today.AddDate(0, 0, i-(ChartDays-1)).Add(13 * time.Hour),
			Score: math.Round((5+4.6*math.Sin(float64(i)/4.5))*10) / 10,
			Final: !(soFar && i == ChartDays-1),
		})
	}
	return pts
}

// decodePNG decodes b into RGBA so tests can read pixels directly (At
// through the image.Image interface is slow under -race).
func decodePNG(t *testing.T, b []byte) *image.RGBA {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("decode PNG: %v", err)
	}
	rgba := image.NewRGBA(img.Bounds())
	draw.Draw(rgba, rgba.Bounds(), img, img.Bounds().Min, draw.Src)
	return rgba
}

// rgbAt is the opaque colour at (x, y).
func rgbAt(img *image.RGBA, x, y int) [3]uint8 {
	i := img.PixOffset(x, y)
	return [3]uint8{img.Pix[i], img.Pix[i+1], img.Pix[i+2]}
}

func rgbOf(c color.Color) [3]uint8 {
	r, g, b, _ := c.RGBA()
	return [3]uint8{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8)}
}

func TestChart(t *testing.T) {
	today := testDay
	pts := monthOfPoints(today, false)
	b, layout, err := renderChart(pts, today, "Market Pulse — BTC")
	if err != nil {
		t.Fatal(err)
	}
	img := decodePNG(t, b)
	if got := img.Bounds().Size(); got != (image.Point{chartWidth, chartHeight}) {
		t.Errorf("size: got %v, want %dx%d", got, chartWidth, chartHeight)
	}
	if len(b) > 200<<10 {
		t.Errorf("PNG is %d bytes, want ≤ 200 KB", len(b))
	}
	if layout.plotted != ChartDays {
		t.Errorf("plotted %d days, want %d", layout.plotted, ChartDays)
	}

	// Today is marked: a large dot in its band's colour at the last day.
	if !layout.today.drawn {
		t.Fatal("today's marker was not drawn")
	}
	wantInk := bandColors()[bandIndex(pts[len(pts)-1].Score)].ink
	if got := rgbAt(img, layout.today.x, layout.today.y); got != rgbOf(wantInk) {
		t.Errorf("pixel at today's marker: got %v, want band ink %v", got, wantInk)
	}
	if layout.today.x < layout.canvas.Right-30 {
		t.Errorf("today's marker at x=%d, want near the right edge of the canvas (%d)", layout.today.x, layout.canvas.Right)
	}

	// All five band colours fill a good part of the canvas.
	for i, c := range bandColors() {
		n, fill := 0, rgbOf(c.fill)
		for y := layout.canvas.Top; y < layout.canvas.Bottom; y++ {
			for x := layout.canvas.Left; x < layout.canvas.Right; x++ {
				if rgbAt(img, x, y) == fill {
					n++
				}
			}
		}
		if min := layout.canvas.Width() * layout.canvas.Height() / 5 / 2; n < min {
			t.Errorf("band %s: %d pixels of its colour, want ≥ %d", bands()[i].Name, n, min)
		}
	}

	golden := filepath.Join("testdata", "chart.golden.png")
	if *update {
		if err := os.WriteFile(golden, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("read golden (run with -update to create it): %v", err)
	}
	// Compare pixels, not bytes, with a small tolerance so an encoder or
	// anti-aliasing change does not fail the test but a layout change does.
	wimg := decodePNG(t, want)
	if wimg.Bounds() != img.Bounds() {
		t.Fatalf("golden size %v, got %v", wimg.Bounds(), img.Bounds())
	}
	diff := 0
	for y := 0; y < chartHeight; y++ {
		for x := 0; x < chartWidth; x++ {
			if rgbAt(img, x, y) != rgbAt(wimg, x, y) {
				diff++
			}
		}
	}
	if frac := float64(diff) / (chartWidth * chartHeight); frac > 0.005 {
		t.Errorf("%.2f%% of pixels differ from %s (run go test -update and look at it)", 100*frac, golden)
	}
}

func TestChartWindowAndGaps(t *testing.T) {
	today := testDay
	// 45 days of points, a duplicate of one day and a NaN: only the last 30
	// days count, the later duplicate wins.
	pts := monthOfPoints(today.AddDate(0, 0, -15), false)
	pts = append(pts, monthOfPoints(today, false)[15:]...)
	pts = append(pts, Point{Date: today.AddDate(0, 0, -3), Score: math.NaN()})
	_, layout, err := renderChart(pts, today, "Market Pulse")
	if err != nil {
		t.Fatal(err)
	}
	if layout.plotted != ChartDays {
		t.Errorf("plotted %d days, want %d", layout.plotted, ChartDays)
	}

	// A day still in progress is drawn hollow; a day without a pulse has no marker.
	b, layout, err := renderChart(monthOfPoints(today, true), today, "Market Pulse — ETH")
	if err != nil {
		t.Fatal(err)
	}
	if got := rgbAt(decodePNG(t, b), layout.today.x, layout.today.y); !layout.today.drawn || got != rgbOf(color.White) {
		t.Errorf("today so far: drawn %v, centre %v; want a hollow (white) marker", layout.today.drawn, got)
	}
	gappy := monthOfPoints(today, false)
	gappy = append(gappy[:10], gappy[14:ChartDays-1]...)
	_, layout, err = renderChart(gappy, today, "Market Pulse — ETH")
	if err != nil {
		t.Fatal(err)
	}
	if layout.today.drawn || layout.plotted != ChartDays-5 {
		t.Errorf("gappy month: today drawn %v, plotted %d; want false, %d", layout.today.drawn, layout.plotted, ChartDays-5)
	}
	if _, err := Chart(nil, today, "Market Pulse — new coin"); err != nil {
		t.Errorf("no points: %v, want an empty chart", err)
	}
	if _, err := Chart(gappy, time.Time{}, "x"); err == nil {
		t.Error("zero today: got no error")
	}
}

// TestChartLabelLeavesTheLineVisible draws a week that zigzags around
// today's score, so the label's first place (just above today's marker)
// would hide three days, and checks that every day's dot is still visible
// in its band's colour and that the label box stays clear of them.
func TestChartLabelLeavesTheLineVisible(t *testing.T) {
	today := testDay
	scores := []float64{6.0, 5.9, 5.7, 4.1, 6.2, 3.5, 6.5, 3.6, 5.0}
	var pts []Point
	for i, sc := range scores {
		pts = append(pts, Point{Date: today.AddDate(0, 0, i-len(scores)+1), Score: sc, Final: i < len(scores)-1})
	}
	b, layout, err := renderChart(pts, today, "Market Pulse")
	if err != nil {
		t.Fatal(err)
	}
	img := decodePNG(t, b)
	lb := layout.label
	if lb.Width() == 0 || lb.Top < layout.canvas.Top || lb.Bottom > layout.canvas.Bottom {
		t.Fatalf("label box %+v, want one inside the canvas %+v", lb, layout.canvas)
	}
	for i, p := range pts[:len(pts)-1] {
		x, y := layout.at.x(float64(ChartDays-len(pts)+i)), layout.at.y(p.Score)
		if x >= lb.Left-4 && x <= lb.Right+4 && y >= lb.Top-4 && y <= lb.Bottom+4 {
			t.Errorf("day %d (%.1f) at (%d,%d) is under the label %+v", i, p.Score, x, y, lb)
		}
		if got, want := rgbAt(img, x, y), rgbOf(bandColors()[bandIndex(p.Score)].ink); got != want {
			t.Errorf("day %d (%.1f): pixel %v at its dot, want band ink %v", i, p.Score, got, want)
		}
	}
}
