package pulse

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/golang/freetype/truetype"
	chart "github.com/wcharczuk/go-chart/v2"
	"github.com/wcharczuk/go-chart/v2/drawing"
	"github.com/wcharczuk/go-chart/v2/roboto"
)

// Point is one day on the chart. Final is false for a day still in progress
// (today's pulse so far), which the chart draws as provisional.
type Point struct {
	Date  time.Time
	Score float64
	Final bool
}

// ChartDays is how many days Chart shows, today included.
const ChartDays = 30

// Chart geometry. 960×480 stays readable when Discord scales an embed image
// down to about half its width.
const (
	chartWidth  = 960
	chartHeight = 480
	// bandLabelMargin leaves room left of the canvas for "Extreme Greed".
	bandLabelMargin = 120
)

// bandColors are the fill (light, behind the line) and ink (strong, for dots,
// labels and the today marker) of each band, bottom to top: red through amber
// to green, as on Fear & Greed gauges.
func bandColors() [5]struct{ fill, ink drawing.Color } {
	return [5]struct{ fill, ink drawing.Color }{
		{drawing.ColorFromHex("F6C4BE"), drawing.ColorFromHex("B71C1C")},
		{drawing.ColorFromHex("FBDDC0"), drawing.ColorFromHex("D35400")},
		{drawing.ColorFromHex("F8EFC6"), drawing.ColorFromHex("8D7A00")},
		{drawing.ColorFromHex("DDEFC8"), drawing.ColorFromHex("4E8A1E")},
		{drawing.ColorFromHex("BCE2BF"), drawing.ColorFromHex("1B6E2E")},
	}
}

var errChartNoToday = errors.New("pulse: chart: today is not set")

// Chart renders the last 30 days up to and including today as a PNG: the
// daily score as a line over the five coloured bands, y fixed at 0–10,
// dates along the x axis, today as a large dot with its score and band, and
// the Disclaimer in the footer. Points outside the window are dropped; when
// two points share a day the later one in the slice wins. Days without a
// point leave a gap in the line. A day that is not Final is drawn hollow
// with a dashed line into it.
func Chart(points []Point, today time.Time, title string) ([]byte, error) {
	png, _, err := renderChart(points, today, title)
	return png, err
}

// chartLayout records where things were drawn, for tests.
type chartLayout struct {
	canvas  chart.Box
	plotted int       // days with a point
	label   chart.Box // today's label
	at      coords    // day and score to pixels
	today   struct {
		drawn bool
		x, y  int
		fill  drawing.Color
	}
}

func renderChart(points []Point, today time.Time, title string) ([]byte, *chartLayout, error) {
	if today.IsZero() {
		return nil, nil, errChartNoToday
	}
	// Parse the font per call rather than through chart.GetDefaultFont,
	// whose lazy package-level cache is racy under concurrent first use.
	font, err := truetype.Parse(roboto.Roboto)
	if err != nil {
		return nil, nil, fmt.Errorf("pulse: chart: parse font: %w", err)
	}

	end := dayOf(today)
	start := end.AddDate(0, 0, -(ChartDays - 1))
	var days [ChartDays]*Point
	for i := range points {
		p := points[i]
		idx := daysBetween(start, dayOf(p.Date))
		if idx < 0 || idx >= ChartDays || math.IsNaN(p.Score) {
			continue
		}
		p.Score = clamp(p.Score, 0, 10)
		days[idx] = &p
	}

	layout := &chartLayout{}
	for _, d := range days {
		if d != nil {
			layout.plotted++
		}
	}

	xTicks := []chart.Tick{{Value: -0.6}, {Value: ChartDays - 0.4}}
	for i := ChartDays - 1; i >= 0; i -= 7 {
		xTicks = append(xTicks, chart.Tick{Value: float64(i), Label: start.AddDate(0, 0, i).Format("2 Jan")})
	}
	var yTicks []chart.Tick
	for v := 0; v <= 10; v += 2 {
		yTicks = append(yTicks, chart.Tick{Value: float64(v), Label: fmt.Sprint(v)})
	}

	text := drawing.ColorFromHex("1F2933")
	muted := drawing.ColorFromHex("616E7C")
	c := chart.Chart{
		Title:      title,
		TitleStyle: chart.Style{FontSize: 17, FontColor: text, Padding: chart.Box{Top: 14}},
		Width:      chartWidth,
		Height:     chartHeight,
		Font:       font,
		Background: chart.Style{
			FillColor: drawing.ColorWhite,
			Padding:   chart.Box{Top: 70, Left: bandLabelMargin, Right: 16, Bottom: 40},
		},
		Canvas: chart.Style{FillColor: drawing.ColorWhite},
		XAxis: chart.XAxis{
			Style: chart.Style{FontSize: 10, FontColor: muted, StrokeColor: muted, StrokeWidth: 1},
			Ticks: xTicks,
		},
		YAxis: chart.YAxis{
			Style: chart.Style{FontSize: 10, FontColor: muted, StrokeColor: muted, StrokeWidth: 1},
			Range: &chart.ContinuousRange{Min: 0, Max: 10},
			Ticks: yTicks,
		},
		Series: []chart.Series{
			bandsSeries{xTicks: xTicks},
			lineSeries{days: days, ink: text},
			todaySeries{days: days, ink: text, layout: layout},
		},
		Elements: []chart.Renderable{
			func(r chart.Renderer, canvas chart.Box, defaults chart.Style) {
				layout.canvas = canvas
				sub := fmt.Sprintf("Daily score of crypto-news sentiment, %s – %s (UTC) · 0 = extreme fear, 5 = neutral, 10 = extreme greed",
					start.Format("2 Jan"), end.Format("2 Jan 2006"))
				st := chart.Style{Font: font, FontSize: 10, FontColor: muted}
				w := chart.Draw.MeasureText(r, sub, st).Width()
				chart.Draw.Text(r, sub, (chartWidth-w)/2, 56, st)

				foot := chart.Style{Font: font, FontSize: 10, FontColor: text}
				w = chart.Draw.MeasureText(r, Disclaimer, foot).Width()
				chart.Draw.Text(r, Disclaimer, chartWidth-16-w, chartHeight-12, foot)
			},
		},
	}
	var buf bytes.Buffer
	if err := c.Render(chart.PNG, &buf); err != nil {
		return nil, nil, fmt.Errorf("pulse: chart: render: %w", err)
	}
	return buf.Bytes(), layout, nil
}

// bandIndex is the position of BandOf(score) in bands().
func bandIndex(score float64) int {
	name := BandOf(score)
	for i, b := range bands() {
		if b.Name == name {
			return i
		}
	}
	return 2
}

// coords maps a day index and a score to pixels.
type coords struct {
	canvas         chart.Box
	xrange, yrange chart.Range
}

func (c coords) x(day float64) int   { return c.canvas.Left + c.xrange.Translate(day) }
func (c coords) y(score float64) int { return c.canvas.Bottom - c.yrange.Translate(score) }

// series is the part of chart.Series that our three layers share.
type series struct{}

func (series) GetName() string           { return "" }
func (series) GetYAxis() chart.YAxisType { return chart.YAxisPrimary }
func (series) GetStyle() chart.Style     { return chart.Style{} }
func (series) Validate() error           { return nil }

// bandsSeries paints the five bands across the canvas with their names, and
// faint vertical lines at the dated ticks. It is drawn first, over the axes'
// own grid, so it draws its own.
type bandsSeries struct {
	series
	xTicks []chart.Tick
}

func (s bandsSeries) Render(r chart.Renderer, canvas chart.Box, xr, yr chart.Range, defaults chart.Style) {
	at := coords{canvas, xr, yr}
	colors := bandColors()
	for i, b := range bands() {
		chart.Draw.Box(r, chart.Box{Left: canvas.Left, Right: canvas.Right, Top: at.y(b.High), Bottom: at.y(b.Low)},
			chart.Style{FillColor: colors[i].fill, StrokeColor: colors[i].fill, StrokeWidth: 0.5})
	}
	grid := chart.Style{StrokeColor: drawing.ColorWhite.WithAlpha(200), StrokeWidth: 1}
	for _, t := range s.xTicks {
		if t.Label == "" {
			continue
		}
		grid.WriteDrawingOptionsToRenderer(r)
		r.MoveTo(at.x(t.Value), canvas.Top)
		r.LineTo(at.x(t.Value), canvas.Bottom)
		r.Stroke()
		r.ResetStyle()
	}
	// Band names go in the left margin, right-aligned against the canvas,
	// where the line can never cover them.
	for i, b := range bands() {
		st := chart.Style{Font: defaults.Font, FontSize: 10, FontColor: colors[i].ink}
		tb := chart.Draw.MeasureText(r, b.Name, st)
		chart.Draw.Text(r, b.Name, canvas.Left-8-tb.Width(), (at.y(b.Low)+at.y(b.High))/2+tb.Height()/2, st)
	}
}

// lineSeries draws the score line, broken where a day is missing, and a dot
// per day in its band's colour.
type lineSeries struct {
	series
	days [ChartDays]*Point
	ink  drawing.Color
}

func (s lineSeries) Render(r chart.Renderer, canvas chart.Box, xr, yr chart.Range, _ chart.Style) {
	at := coords{canvas, xr, yr}
	line := chart.Style{StrokeColor: s.ink, StrokeWidth: 2.5}
	dashed := chart.Style{StrokeColor: s.ink, StrokeWidth: 2, StrokeDashArray: []float64{5, 4}}
	for i := 1; i < ChartDays; i++ {
		a, b := s.days[i-1], s.days[i]
		if a == nil || b == nil {
			continue
		}
		st := line
		if !b.Final {
			st = dashed
		}
		st.WriteDrawingOptionsToRenderer(r)
		r.MoveTo(at.x(float64(i-1)), at.y(a.Score))
		r.LineTo(at.x(float64(i)), at.y(b.Score))
		r.Stroke()
		r.ResetStyle()
	}
	colors := bandColors()
	for i, p := range s.days {
		if p == nil || i == ChartDays-1 {
			continue // today gets its own marker
		}
		dot := chart.Style{FillColor: colors[bandIndex(p.Score)].ink, StrokeColor: drawing.ColorWhite, StrokeWidth: 1}
		if !p.Final {
			dot.FillColor = drawing.ColorWhite
			dot.StrokeColor = colors[bandIndex(p.Score)].ink
			dot.StrokeWidth = 1.5
		}
		dot.WriteDrawingOptionsToRenderer(r)
		r.Circle(3.5, at.x(float64(i)), at.y(p.Score))
		r.FillStroke()
		r.ResetStyle()
	}
}

// lineHits counts the points of the score line (its dots and points every
// few pixels along its segments) that fall inside box, grown by a small
// margin: how much of the line a label placed there would hide.
func lineHits(days [ChartDays]*Point, at coords, box chart.Box) int {
	const margin, steps = 4, 16
	in := func(x, y int) bool {
		return x >= box.Left-margin && x <= box.Right+margin && y >= box.Top-margin && y <= box.Bottom+margin
	}
	n := 0
	for i := range ChartDays - 1 { // today's own marker is not the line
		a, b := days[i], days[i+1]
		if a == nil {
			continue
		}
		if in(at.x(float64(i)), at.y(a.Score)) {
			n++
		}
		if b == nil {
			continue
		}
		for k := 1; k < steps; k++ {
			f := float64(k) / steps
			if in(at.x(float64(i)+f), at.y(a.Score+f*(b.Score-a.Score))) {
				n++
			}
		}
	}
	return n
}

// todaySeries marks today: a dashed vertical rule, a large dot in the band's
// colour and a label box with the score and band. A day in progress is
// labelled "so far"; a day without a point says so.
type todaySeries struct {
	series
	days   [ChartDays]*Point
	ink    drawing.Color
	layout *chartLayout
}

func (s todaySeries) Render(r chart.Renderer, canvas chart.Box, xr, yr chart.Range, defaults chart.Style) {
	at := coords{canvas, xr, yr}
	x := at.x(ChartDays - 1)
	rule := chart.Style{StrokeColor: s.ink.WithAlpha(140), StrokeWidth: 1, StrokeDashArray: []float64{3, 3}}
	rule.WriteDrawingOptionsToRenderer(r)
	r.MoveTo(x, canvas.Top)
	r.LineTo(x, canvas.Bottom)
	r.Stroke()
	r.ResetStyle()

	p := s.days[ChartDays-1]
	label := "Today: no pulse yet"
	y := at.y(5)
	if p != nil {
		ink := bandColors()[bandIndex(p.Score)].ink
		y = at.y(p.Score)
		fill := ink
		if !p.Final {
			fill = drawing.ColorWhite
		}
		// A white halo sets the marker apart from the line and its dots.
		halo := chart.Style{FillColor: drawing.ColorWhite, StrokeColor: drawing.ColorWhite, StrokeWidth: 1}
		halo.WriteDrawingOptionsToRenderer(r)
		r.Circle(11, x, y)
		r.FillStroke()
		r.ResetStyle()
		marker := chart.Style{FillColor: fill, StrokeColor: ink, StrokeWidth: 3}
		marker.WriteDrawingOptionsToRenderer(r)
		r.Circle(7, x, y)
		r.FillStroke()
		r.ResetStyle()
		s.layout.today.drawn = true
		s.layout.today.x, s.layout.today.y, s.layout.today.fill = x, y, fill

		// A final pulse is a past day the reader picked; only a live one
		// is today's.
		label = fmt.Sprintf("%s %.1f · %s", p.Date.Format("2 Jan"), p.Score, BandOf(p.Score))
		if !p.Final {
			label = fmt.Sprintf("Today %.1f · %s (so far)", p.Score, BandOf(p.Score))
		}
	}

	// The label sits left of the marker (today is the right edge): above
	// it, else below it, else in the top or bottom corner, whichever place
	// first covers none of the line, or failing that the least of it.
	st := chart.Style{Font: defaults.Font, FontSize: 11, FontColor: s.ink}
	tb := chart.Draw.MeasureText(r, label, st)
	const pad = 6
	w, h := tb.Width()+2*pad, tb.Height()+2*pad
	right := x - 12
	var box chart.Box
	best := -1
	for _, top := range []int{y - 12 - h, y + 12, canvas.Top + 6, canvas.Bottom - 6 - h} {
		b := chart.Box{Top: top, Left: right - w, Right: right, Bottom: top + h}
		if b.Top < canvas.Top+2 || b.Bottom > canvas.Bottom-2 {
			continue
		}
		if n := lineHits(s.days, at, b); best < 0 || n < best {
			box, best = b, n
			if n == 0 {
				break
			}
		}
	}
	if best < 0 { // a canvas too small for any place: the top corner
		box = chart.Box{Top: canvas.Top, Left: right - w, Right: right, Bottom: canvas.Top + h}
	}
	s.layout.label, s.layout.at = box, at
	border := s.ink
	if p != nil {
		border = bandColors()[bandIndex(p.Score)].ink
	}
	chart.Draw.Box(r, box, chart.Style{FillColor: drawing.ColorWhite.WithAlpha(235), StrokeColor: border, StrokeWidth: 1.5})
	chart.Draw.Text(r, label, box.Left+pad, box.Bottom-pad, st)
}
