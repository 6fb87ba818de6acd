package pulse_test

import (
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pulsebot/pulsebot/internal/shareddata"
	"github.com/pulsebot/pulsebot/jobs/pulse"
	"github.com/pulsebot/pulsebot/jobs/sentiment"
	"github.com/pulsebot/pulsebot/jobs/sentiment/corpus"
	"github.com/pulsebot/pulsebot/jobs/tag"
)

// fngWindow is the number of days, ending on the scored day, whose
// headlines make up that day's sample.
const fngWindow = 7

// TestFearAndGreedSpearman checks pulsebot against the Alternative.me
// Crypto Fear & Greed index on the shared dated headlines of 2020 (about
// three a day), as the issue specifies:
//
//   - every headline (deduplicated on date and text) is scored by
//     sentiment.Default() on its text alone;
//   - for every calendar day with an index value, the headlines of the 7
//     days ending that day give a balance (bullish − bearish) / n; days
//     without headlines add nothing, windows without any are skipped;
//   - Spearman's ρ (average ranks for ties) between that balance and the
//     day's index value, for pulsebot's labels and, with the same
//     definition, for the FinBERT labels that come with the file;
//   - and the same for the full pulse: pulse.Compute over the window's
//     on-topic headlines (tag.Tag, as ingest marks them; the search for
//     "tether" also found camera cables) as single-outlet stories carrying
//     pulsebot's result, with History made of the pulses computed for the
//     earlier days;
//   - and, as a reference, the same balance from the team's own hand labels
//     of these headlines (jobs/sentiment/testdata/dated_labels.tsv).
//
// These figures are in-sample for the classifier: since model s1-268a3754d2
// it is trained on these very 2020 headlines, with the team's labels (never
// with the index values). The held-out years of the dated file, kept outside
// this repository, are the real check. The hand-label line shows what a
// classifier that agreed with the team on every headline would reach here.
//
// $PULSEBOT_EVAL_DATED names another headlines file in the same format (for
// example the held-out years) to check instead:
//
//	PULSEBOT_EVAL_DATED=/path/headlines.csv go test -run FearAndGreed -v ./jobs/pulse
//
// The hand-label line is then left out unless the team labelled every row.
func TestFearAndGreedSpearman(t *testing.T) {
	headlinesPath := shareddata.Path(t, "headlines-dated.csv")
	own := true // the shared file, which the team labelled
	if p := os.Getenv("PULSEBOT_EVAL_DATED"); p != "" {
		headlinesPath, own = p, false
	}
	headlines := readCSV(t, headlinesPath, "date", "source", "headline", "label")
	fng := readCSV(t, shareddata.Path(t, "feargreed.csv"), "date", "value", "classification")

	type scoredHeadline struct {
		id      int64
		text    string
		result  sentiment.Result
		finbert int // +1 positive, −1 negative, 0 neutral
		ours    int // the team's label, same coding
	}
	labels, err := corpus.ReadDatedLabels(filepath.Join("..", "sentiment", "testdata", corpus.DatedLabelsFile), shareddata.Path(t, corpus.DatedHeadlinesFile))
	if err != nil {
		t.Fatal(err)
	}
	ours := make(map[[2]string]int, len(labels))
	for _, l := range labels {
		ours[[2]string{l.Date.Format(time.DateOnly), l.Title}] = map[sentiment.Label]int{sentiment.Bullish: 1, sentiment.Bearish: -1}[l.Label]
	}
	m := sentiment.Default()
	byDay := map[time.Time][]scoredHeadline{}
	seen := map[[2]string]bool{}
	handLabelled := true
	for i, row := range headlines {
		date, text, label := row[0], row[2], row[3]
		if seen[[2]string{date, text}] { // the same article found under two search words
			continue
		}
		seen[[2]string{date, text}] = true
		d := parseDay(t, date)
		o, ok := ours[[2]string{date, text}]
		if !ok && own {
			t.Fatalf("headlines-dated.csv row %d has no label in dated_labels.tsv", i+2)
		}
		handLabelled = handLabelled && ok
		h := scoredHeadline{id: int64(i + 1), text: text, result: m.Score(text, ""), ours: o}
		switch label {
		case "positive":
			h.finbert = 1
		case "negative":
			h.finbert = -1
		case "neutral":
		default:
			t.Fatalf("headlines-dated.csv row %d: unknown label %q", i+2, label)
		}
		byDay[d] = append(byDay[d], h)
	}

	type fngDay struct {
		date  time.Time
		value float64
	}
	var days []fngDay
	for i, row := range fng {
		v, err := strconv.ParseFloat(row[1], 64)
		if err != nil {
			t.Fatalf("feargreed.csv row %d: %v", i+2, err)
		}
		days = append(days, fngDay{parseDay(t, row[0]), v})
	}
	slices.SortFunc(days, func(a, b fngDay) int { return a.date.Compare(b.date) })

	var pulsebotBal, finbertBal, oursBal, pulseScore, index []float64
	var history []pulse.Day
	for _, day := range days {
		var window []scoredHeadline
		for ago := fngWindow - 1; ago >= 0; ago-- {
			window = append(window, byDay[day.date.AddDate(0, 0, -ago)]...)
		}
		if len(window) == 0 {
			continue
		}
		var pb, fb, ob float64
		stories := make([]pulse.Story, 0, len(window))
		for _, h := range window {
			switch h.result.Label {
			case sentiment.Bullish:
				pb++
			case sentiment.Bearish:
				pb--
			}
			fb += float64(h.finbert)
			ob += float64(h.ours)
			if tag.Tag(h.text, "", nil).OffTopic {
				continue
			}
			stories = append(stories, pulse.Story{
				ID:         h.id,
				Headline:   h.text,
				Outlets:    1,
				Sentiment:  h.result.Score,
				Label:      string(h.result.Label),
				Confidence: h.result.Confidence,
			})
		}
		n := float64(len(window))
		p := pulse.Compute(pulse.Input{Scope: pulse.GlobalScope, Date: day.date, Stories: stories, History: history})
		history = append(history, pulse.Day{Date: p.Date, Score: p.Score, Stories: p.Stories, Volume: p.Volume, Balance: p.Balance})
		if len(history) > 31 {
			history = history[1:]
		}
		pulsebotBal = append(pulsebotBal, pb/n)
		finbertBal = append(finbertBal, fb/n)
		oursBal = append(oursBal, ob/n)
		pulseScore = append(pulseScore, p.Score)
		index = append(index, day.value)
	}
	if own && len(index) < 300 {
		t.Fatalf("only %d days with headlines in their window, want the ~330 of 2020", len(index))
	}
	if len(index) < 30 {
		t.Fatalf("only %d days with headlines in their window and an index value, too few for a correlation", len(index))
	}
	rhoPulsebot := spearman(pulsebotBal, index)
	rhoFinbert := spearman(finbertBal, index)
	rhoPulse := spearman(pulseScore, index)
	rhoOurs := spearman(oursBal, index)
	ours7 := fmt.Sprintf("%6.3f", rhoOurs)
	if !handLabelled {
		ours7, rhoOurs = "   n/a (not every row is labelled)", 0
	}
	noise := shiftNoise(pulsebotBal, index)
	t.Logf("Spearman ρ with the Fear & Greed index, %s, %d days, %d-day windows of headlines (%s):\n"+
		"  %-52s %6.3f\n  %-52s %6.3f\n  %-52s %6.3f\n  %-52s %s\n"+
		"  noise: 95%% of |ρ| between the pulsebot balance and the index shifted by 30 or more days are below %.3f",
		filepath.Base(headlinesPath), len(index), fngWindow, m.Version(),
		"pulsebot labels, (bullish − bearish) / n", rhoPulsebot,
		"FinBERT labels of the file, (positive − negative) / n", rhoFinbert,
		"full pulse, Pulse.Score", rhoPulse,
		"team's hand labels (reference), (bull − bear) / n", ours7, noise)

	// For information only: the same label balances over longer windows
	// (the issue fixes the window at 7 days, so these are not its figures).
	// The noise band grows with the window, as the series get smoother.
	var longer strings.Builder
	for _, w := range []int{14, 30} {
		var pb, fb, ob, idx []float64
		for _, day := range days {
			var n, p, f, o float64
			for ago := range w {
				for _, h := range byDay[day.date.AddDate(0, 0, -ago)] {
					n++
					p += float64(map[sentiment.Label]int{sentiment.Bullish: 1, sentiment.Bearish: -1}[h.result.Label])
					f += float64(h.finbert)
					o += float64(h.ours)
				}
			}
			if n == 0 {
				continue
			}
			pb, fb, ob, idx = append(pb, p/n), append(fb, f/n), append(ob, o/n), append(idx, day.value)
		}
		hand := "n/a"
		if handLabelled {
			hand = fmt.Sprintf("%.3f", spearman(ob, idx))
		}
		fmt.Fprintf(&longer, "\n  %2d-day windows: pulsebot %6.3f, FinBERT %6.3f, hand labels %s (noise band %.3f)",
			w, spearman(pb, idx), spearman(fb, idx), hand, shiftNoise(pb, idx))
	}
	t.Logf("Longer windows, for information:%s", longer.String())

	// The goal (ρ ≥ 0.30, and above FinBERT's) is not asserted:
	// with about three headlines a day, none of the four figures is
	// outside the noise band printed above, so neither their sign nor
	// their order is a property of the code. The team's own hand labels
	// reach about 0.05 here, so a classifier that read every headline as
	// the team does would not reach the goal on this file either. What is
	// checked is that the whole year was scored and that the figures are
	// numbers.
	for _, r := range []struct {
		name string
		rho  float64
	}{{"pulsebot", rhoPulsebot}, {"FinBERT", rhoFinbert}, {"pulse", rhoPulse}, {"hand labels", rhoOurs}} {
		if math.IsNaN(r.rho) || r.rho < -1 || r.rho > 1 {
			t.Errorf("%s: Spearman ρ = %v, want a number in [-1, 1]", r.name, r.rho)
		}
	}
}

// shiftNoise is the 95th percentile of |ρ| between x and y shifted
// circularly by 30 days or more: how large ρ gets between two series with
// these autocorrelations that have nothing to do with each other.
func shiftNoise(x, y []float64) float64 {
	var rhos []float64
	shifted := make([]float64, len(y))
	for k := 30; k <= len(y)-30; k++ {
		for i := range y {
			shifted[i] = y[(i+k)%len(y)]
		}
		rhos = append(rhos, math.Abs(spearman(x, shifted)))
	}
	if len(rhos) == 0 {
		return math.NaN()
	}
	slices.Sort(rhos)
	return rhos[len(rhos)*95/100]
}

func parseDay(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatalf("bad date %q: %v", s, err)
	}
	return d
}

// readCSV reads a CSV file, checks its header and returns the other rows.
func readCSV(t *testing.T, path string, header ...string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = len(header)
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	if len(rows) == 0 || !slices.Equal(rows[0], header) {
		t.Fatalf("%s: header %q, want %q", path, rows[:min(1, len(rows))], header)
	}
	return rows[1:]
}

// spearman is Spearman's rank correlation: Pearson's r of the ranks, ties
// sharing their average rank.
func spearman(x, y []float64) float64 { return pearson(ranks(x), ranks(y)) }

func pearson(x, y []float64) float64 {
	n := float64(len(x))
	var mx, my float64
	for i := range x {
		mx += x[i] / n
		my += y[i] / n
	}
	var sxy, sxx, syy float64
	for i := range x {
		sxy += (x[i] - mx) * (y[i] - my)
		sxx += (x[i] - mx) * (x[i] - mx)
		syy += (y[i] - my) * (y[i] - my)
	}
	return sxy / math.Sqrt(sxx*syy)
}

// ranks gives 1-based ranks, ties sharing the mean of their positions.
func ranks(x []float64) []float64 {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case x[a] < x[b]:
			return -1
		case x[a] > x[b]:
			return 1
		}
		return 0
	})
	r := make([]float64, len(x))
	for i := 0; i < len(idx); {
		j := i
		for j < len(idx) && x[idx[j]] == x[idx[i]] {
			j++
		}
		for k := i; k < j; k++ {
			r[idx[k]] = float64(i+j-1)/2 + 1
		}
		i = j
	}
	return r
}

// TestSpearman checks the rank correlation on small cases worked by hand.
func TestSpearman(t *testing.T) {
	for _, tc := range []struct {
		name string
		x, y []float64
		want float64
	}{
		{"same order", []float64{1, 2, 3, 4}, []float64{10, 20, 30, 40}, 1},
		{"reversed", []float64{1, 2, 3, 4}, []float64{4, 3, 2, 1}, -1},
		{"monotone but not linear", []float64{1, 2, 3, 4}, []float64{1, 10, 100, 1000}, 1},
		// ranks of x with the tie: 1, 2.5, 2.5, 4
		{"tie gets the average rank", []float64{1, 2, 2, 3}, []float64{1, 2, 3, 4}, 0.9486832980505138},
	} {
		if got := spearman(tc.x, tc.y); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("%s: spearman(%v, %v) = %v, want %v", tc.name, tc.x, tc.y, got, tc.want)
		}
	}
	if got, want := ranks([]float64{3, 1, 3, 2}), []float64{3.5, 1, 3.5, 2}; !slices.Equal(got, want) {
		t.Errorf("ranks = %v, want %v", got, want)
	}
}
