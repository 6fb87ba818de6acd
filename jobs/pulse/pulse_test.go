package pulse

import (
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestSyndicatedEventCountsOnce: one event carried by 8 outlets is ONE story
// weighing 1+ln 8 ≈ 3.08; it must give the same pulse however it reached us,
// and 8 independent single-outlet stories with the same sentiment must move
// the pulse further.
func TestSyndicatedEventCountsOnce(t *testing.T) {
	base := mixedDay(1, 20)
	history := flatHistory(30, 30, 0.05)
	compute := func(extra ...Story) Pulse {
		return Compute(Input{Scope: GlobalScope, Date: testDay, Stories: append(slices.Clone(base), extra...), History: history})
	}
	before := compute()

	// (a) The clustering job merged the event's 8 articles into one story.
	event := st(100, 8, -0.8, "bearish", 0.9)
	a := compute(event)

	// (a') The same event reached us in another way: its articles arrived in
	// a different order so another outlet's headline and URL became the
	// story's, and the store returned it first instead of last. Only the
	// outlet count, sentiment, label and confidence matter.
	again := event
	again.Headline, again.URL = "same event, another outlet's words", "https://other.test/x"
	a2 := Compute(Input{Scope: GlobalScope, Date: testDay, Stories: append([]Story{again}, base...), History: history})
	if a2.Score != a.Score || a2.Balance != a.Balance || a2.Volume != a.Volume || a2.Effective != a.Effective ||
		!reflect.DeepEqual(a2.Components, a.Components) {
		t.Errorf("same 8-outlet event, different route: got score %.1f balance %v volume %v, want %.1f %v %v",
			a2.Score, a2.Balance, a2.Volume, a.Score, a.Balance, a.Volume)
	}

	// (b) Eight independent single-outlet stories, same sentiment.
	var eight []Story
	for i := range 8 {
		eight = append(eight, st(200+int64(i), 1, -0.8, "bearish", 0.9))
	}
	b := compute(eight...)

	if got, want := a.Volume-before.Volume, 1+math.Log(8); math.Abs(got-want) > 1e-9 {
		t.Errorf("volume added by one 8-outlet story: got %v, want 1+ln 8 = %v", got, want)
	}
	if got, want := b.Volume-before.Volume, 8.0; math.Abs(got-want) > 1e-9 {
		t.Errorf("volume added by 8 single-outlet stories: got %v, want %v", got, want)
	}
	if got, want := a.Stories-before.Stories, 1; got != want {
		t.Errorf("stories added by the syndicated event: got %d, want %d", got, want)
	}
	if a.Score == b.Score {
		t.Errorf("8 outlets vs 8 stories: both scored %.1f, want different", a.Score)
	}
	moveA, moveB := before.Score-a.Score, before.Score-b.Score
	if !(moveA > 0 && moveB > moveA) {
		t.Errorf("bearish moves: one 8-outlet story %.1f, 8 stories %.1f (from %.1f); want 0 < first < second", moveA, moveB, before.Score)
	}
	if !(b.Effective > a.Effective) {
		t.Errorf("effective stories: 8 stories %v, one 8-outlet story %v; want more for 8 stories", b.Effective, a.Effective)
	}
	t.Logf("baseline %.1f; + one 8-outlet bearish story %.1f (moved %.1f); + 8 single-outlet bearish stories %.1f (moved %.1f)",
		before.Score, a.Score, moveA, b.Score, moveB)
}

// TestTwoStoriesStayNearNeutral: a day of two stories is low confidence and
// within ±1.5 of 5.0 even at the most extreme inputs, including history that
// maximises volume and momentum.
func TestTwoStoriesStayNearNeutral(t *testing.T) {
	quiet := flatHistory(30, 0, 0)        // volume baseline floors at 1, so any day is a surge
	euphoricWeek := flatHistory(30, 1, 1) // momentum strongly negative for a bearish day, volume baseline at its floor
	panicWeek := flatHistory(30, 1, -1)   // and strongly positive for a bullish day
	tests := []struct {
		name    string
		stories []Story
		history []Day
	}{
		{"two bearish 8-outlet stories", []Story{st(1, 8, -1, "bearish", 1), st(2, 8, -1, "bearish", 1)}, quiet},
		{"two bearish, after a euphoric week", []Story{st(1, 8, -1, "bearish", 1), st(2, 8, -1, "bearish", 1)}, euphoricWeek},
		{"two bullish, after a panicked week", []Story{st(1, 8, 1, "bullish", 1), st(2, 8, 1, "bullish", 1)}, panicWeek},
		{"two bearish 10,000-outlet stories", []Story{st(1, 10000, -1, "bearish", 1), st(2, 10000, -1, "bearish", 1)}, euphoricWeek},
		{"one huge and one small bearish story", []Story{st(1, 10000, -1, "bearish", 1), st(2, 1, -1, "bearish", 1)}, euphoricWeek},
		{"two bullish, no history", []Story{st(1, 8, 1, "bullish", 1), st(2, 8, 1, "bullish", 1)}, nil},
		{"out-of-range inputs", []Story{st(1, 8, -7, "BEARISH", 3), st(2, 8, math.Inf(-1), "bearish", 2)}, euphoricWeek},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Compute(Input{Scope: GlobalScope, Date: testDay, Stories: tt.stories, History: tt.history})
			if p.Confidence != ConfidenceLow {
				t.Errorf("confidence: got %q, want %q", p.Confidence, ConfidenceLow)
			}
			if d := math.Abs(p.Score - 5); d > 1.5 {
				t.Errorf("score %.1f is %.1f from neutral, want ≤ 1.5", p.Score, d)
			}
			t.Logf("score %.1f", p.Score)
		})
	}

	// And over random two-story days with random history.
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		var ss []Story
		for i := range 2 {
			s := rng.Float64()*2 - 1
			label := []string{"bullish", "bearish", "neutral"}[rng.IntN(3)]
			ss = append(ss, st(int64(i), 1+rng.IntN(500), s, label, rng.Float64()))
		}
		var h []Day
		for ago := 1; ago <= 31; ago++ {
			if rng.IntN(4) > 0 {
				h = append(h, Day{Date: testDay.AddDate(0, 0, -ago), Score: 10 * rng.Float64(), Stories: rng.IntN(50), Volume: 30 * rng.Float64(), Balance: rng.Float64()*2 - 1})
			}
		}
		p := Compute(Input{Scope: "BTC", Date: testDay, Stories: ss, History: h})
		if p.Confidence != ConfidenceLow || math.Abs(p.Score-5) > 1.5 {
			t.Fatalf("random two-story day %+v: got score %.1f confidence %q, want within 1.5 of 5 and low", ss, p.Score, p.Confidence)
		}
	}
}

func TestBandOf(t *testing.T) {
	tests := []struct {
		score float64
		want  string
	}{
		{-1, BandExtremeFear},
		{0, BandExtremeFear},
		{1.9, BandExtremeFear},
		{2, BandFear},
		{3.9, BandFear},
		{4, BandNeutral},
		{5, BandNeutral},
		{5.9, BandNeutral},
		{6, BandGreed},
		{7.9, BandGreed},
		{8, BandExtremeGreed},
		{10, BandExtremeGreed},
		{11, BandExtremeGreed},
		{math.NaN(), BandNeutral},
	}
	for _, tt := range tests {
		if got := BandOf(tt.score); got != tt.want {
			t.Errorf("BandOf(%v): got %q, want %q", tt.score, got, tt.want)
		}
	}
}

// TestShrinkage: identical bullish stories with no history; more of them
// keep more of the raw deviation, n/(n+5) of it.
func TestShrinkage(t *testing.T) {
	// With no history volume and momentum are neutral, so the raw
	// deviation is that of balance and share alone.
	raw := weightBalance*5*math.Tanh(0.5/balanceScale) + weightShare*5*math.Tanh(0.8/shareScale)
	tests := []struct {
		n              int
		wantConfidence string
	}{
		{1, ConfidenceLow},
		{2, ConfidenceLow},
		{4, ConfidenceLow},
		{5, ConfidenceMedium},
		{10, ConfidenceMedium},
		{19, ConfidenceMedium},
		{20, ConfidenceHigh},
		{200, ConfidenceHigh},
	}
	prev := 5.0
	for _, tt := range tests {
		var ss []Story
		for i := range tt.n {
			ss = append(ss, st(int64(i), 1, 0.5, "bullish", 0.8))
		}
		p := Compute(Input{Scope: GlobalScope, Date: testDay, Stories: ss})
		want := roundTenth(5 + float64(tt.n)/(float64(tt.n)+PriorStories)*raw)
		if p.Score != want {
			t.Errorf("%d stories: got score %.1f, want %.1f", tt.n, p.Score, want)
		}
		if p.Effective != float64(tt.n) {
			t.Errorf("%d equal stories: got %v effective, want %d", tt.n, p.Effective, tt.n)
		}
		if p.Confidence != tt.wantConfidence {
			t.Errorf("%d stories: got confidence %q, want %q", tt.n, p.Confidence, tt.wantConfidence)
		}
		if p.Score < prev {
			t.Errorf("%d stories: score %.1f fell below %.1f for fewer stories", tt.n, p.Score, prev)
		}
		prev = p.Score
	}

	// Syndication does not buy confidence: ten stories, one of them carried
	// by 500 outlets, have fewer effective stories than ten even ones.
	var ss []Story
	for i := range 10 {
		ss = append(ss, st(int64(i), 1, 0.5, "bullish", 0.8))
	}
	ss[0].Outlets = 500
	if p := Compute(Input{Date: testDay, Stories: ss}); !(p.Effective < 10) || p.Confidence != ConfidenceMedium {
		t.Errorf("one dominant story among ten: got %v effective, confidence %q; want < 10 and medium", p.Effective, p.Confidence)
	}
	// Five stories dominated by one event are still low confidence.
	ss = ss[:5]
	ss[0].Outlets = 100000
	if p := Compute(Input{Date: testDay, Stories: ss}); p.Confidence != ConfidenceLow {
		t.Errorf("five stories, one with 100,000 outlets (%v effective): got confidence %q, want low", p.Effective, p.Confidence)
	}
}

func TestComponents(t *testing.T) {
	w8 := 1 + math.Log(8)
	bullDay := []Story{st(1, 1, 0.6, "bullish", 1), st(2, 1, 0.6, "bullish", 1), st(3, 1, 0.4, "bullish", 1), st(4, 1, 0, "neutral", 1), st(5, 1, 0, "neutral", 1), st(6, 1, -0.2, "bearish", 1)}
	bearDay := []Story{st(1, 1, -0.6, "bearish", 1), st(2, 1, -0.6, "bearish", 1), st(3, 1, -0.4, "bearish", 1), st(4, 1, 0, "neutral", 1), st(5, 1, 0, "neutral", 1), st(6, 1, 0.2, "bullish", 1)}
	tests := []struct {
		name      string
		stories   []Story
		history   []Day
		id        string
		wantValue float64
		// wantScore is checked when not NaN; cmp, when set, compares the
		// sub-score with 5 instead: -1 below, 0 equal, +1 above.
		wantScore float64
		cmp       int
		detail    string // substring of Detail
	}{
		{
			name:      "balance is the outlet-weighted mean sentiment",
			stories:   []Story{st(1, 1, 0.5, "bullish", 1), st(2, 8, -0.1, "neutral", 1)},
			id:        ComponentBalance,
			wantValue: (0.5 - 0.1*w8) / (1 + w8),
			wantScore: roundTenth(5 + 5*math.Tanh((0.5-0.1*w8)/(1+w8)/balanceScale)),
			detail:    "averaged +0.05 over 2 stories",
		},
		{
			name:      "share counts labels by outlets and confidence, neutral ones dilute",
			stories:   []Story{st(1, 1, 0.5, "bullish", 1), st(2, 1, -0.5, "bearish", 0.5), st(3, 1, 0, "neutral", 0.9)},
			id:        ComponentShare,
			wantValue: (1 - 0.5) / 3,
			wantScore: roundTenth(5 + 5*math.Tanh((0.5/3)/shareScale)),
			detail:    "1 bullish vs 1 bearish story (1 neutral)",
		},
		{
			name:      "share: a syndicated bearish story outweighs two bullish ones",
			stories:   []Story{st(1, 1, 0.5, "bullish", 1), st(2, 1, 0.5, "bullish", 1), st(3, 8, -0.5, "bearish", 1)},
			id:        ComponentShare,
			wantValue: (2 - w8) / (2 + w8),
			wantScore: math.NaN(),
			cmp:       -1,
		},
		{
			name:      "volume: 3× the median amplifies a bullish day",
			stories:   bullDay,
			history:   flatHistory(30, 2, 0.1),
			id:        ComponentVolume,
			wantValue: 3,
			wantScore: math.NaN(),
			cmp:       +1,
			detail:    "3.0× the 30-day median, amplifying the day's bullish lean",
		},
		{
			name:      "volume: 3× the median amplifies a bearish day the other way",
			stories:   bearDay,
			history:   flatHistory(30, 2, 0.1),
			id:        ComponentVolume,
			wantValue: 3,
			wantScore: math.NaN(),
			cmp:       -1,
			detail:    "bearish lean",
		},
		{
			name:      "volume: a quiet day adds no push",
			stories:   bullDay,
			history:   flatHistory(30, 12, 0.1),
			id:        ComponentVolume,
			wantValue: 0.5,
			wantScore: 5,
			detail:    "0.5× the 30-day median; a quieter day",
		},
		{
			name:      "volume: the baseline is the median, not the mean",
			stories:   bullDay,
			history:   append(flatHistory(5, 6, 0), Day{Date: testDay.AddDate(0, 0, -6), Volume: 1000}),
			id:        ComponentVolume,
			wantValue: 1,
			wantScore: 5,
			detail:    "1.0× the 30-day median, too close to usual to amplify the day's lean",
		},
		{
			name:      "volume: days beyond 30 are not in the baseline",
			stories:   bullDay,
			history:   append(flatHistory(2, 6, 0), Day{Date: testDay.AddDate(0, 0, -31), Volume: 6}),
			id:        ComponentVolume,
			wantValue: 0,
			wantScore: 5,
			detail:    "Only 2 earlier days on record",
		},
		{
			name:    "momentum: today against the volume-weighted mean of the last 7 days",
			stories: []Story{st(1, 1, 0.3, "bullish", 1)},
			history: []Day{
				{Date: testDay.AddDate(0, 0, -1), Stories: 2, Volume: 2, Balance: 0.1},
				{Date: testDay.AddDate(0, 0, -3), Stories: 1, Volume: 1, Balance: -0.1},
				{Date: testDay.AddDate(0, 0, -7), Stories: 1, Volume: 1, Balance: 0.3},
				{Date: testDay.AddDate(0, 0, -2), Stories: 0, Volume: 0, Balance: -1}, // no stories: ignored
				{Date: testDay.AddDate(0, 0, -8), Stories: 9, Volume: 9, Balance: -1}, // too old: ignored
			},
			id:        ComponentMomentum,
			wantValue: 0.3 - 0.1,
			wantScore: roundTenth(5 + 5*math.Tanh(0.2/momentumScale)),
			detail:    "7-day average of +0.10",
		},
		{
			name:      "momentum: nothing to compare with",
			stories:   []Story{st(1, 1, 0.3, "bullish", 1)},
			id:        ComponentMomentum,
			wantValue: 0,
			wantScore: 5,
			detail:    "No earlier days",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Compute(Input{Scope: GlobalScope, Date: testDay, Stories: tt.stories, History: tt.history})
			if len(p.Components) != 4 {
				t.Fatalf("got %d components, want 4", len(p.Components))
			}
			c := component(p, tt.id)
			if math.Abs(c.Value-tt.wantValue) > 1e-9 {
				t.Errorf("value: got %v, want %v", c.Value, tt.wantValue)
			}
			if !math.IsNaN(tt.wantScore) && c.Score != tt.wantScore {
				t.Errorf("score: got %.1f, want %.1f", c.Score, tt.wantScore)
			}
			if got := cmpFloat(c.Score, 5); math.IsNaN(tt.wantScore) && got != tt.cmp {
				t.Errorf("score %.1f vs 5: got side %d, want %d", c.Score, got, tt.cmp)
			}
			if !strings.Contains(c.Detail, tt.detail) {
				t.Errorf("detail: got %q, want it to contain %q", c.Detail, tt.detail)
			}
		})
	}

	// The weights sum to 1 and every component explains itself.
	p := Compute(Input{Date: testDay, Stories: mixedDay(1, 30), History: flatHistory(30, 20, 0)})
	var sum float64
	for _, c := range p.Components {
		sum += c.Weight
		if c.Name == "" || c.Detail == "" || !strings.HasSuffix(c.Detail, ".") {
			t.Errorf("component %q: name %q, detail %q; want both, detail a sentence", c.ID, c.Name, c.Detail)
		}
	}
	if math.Abs(sum-1) > 1e-12 {
		t.Errorf("weights sum to %v, want 1", sum)
	}
	if got, want := ids(nil), []int64{}; !reflect.DeepEqual(got, want) {
		t.Errorf("ids(nil): got %v, want %v", got, want)
	}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func TestDeltas(t *testing.T) {
	stories := mixedDay(1, 30)
	// A flat month of history (same volume and balance every day) with the
	// reference days' scores set per case: removing or rescoring days then
	// leaves the day's own score unchanged.
	month := func(scores map[int]float64, drop ...int) []Day {
		h := flatHistory(31, 20, 0.05)
		for i := range h {
			if s, ok := scores[i+1]; ok {
				h[i].Score = s
			}
		}
		return slices.DeleteFunc(h, func(d Day) bool {
			return slices.Contains(drop, daysBetween(d.Date, testDay))
		})
	}
	const fixture = 5.7
	tests := []struct {
		name    string
		history []Day
		want    Deltas
	}{
		{
			name:    "yesterday, a week and a month ago",
			history: month(map[int]float64{1: 4.1, 7: 6.4, 30: fixture}),
			want:    Deltas{Day: ptr(1.6), Week: ptr(-0.7), Month: ptr(0)},
		},
		{
			name:    "gaps give nil",
			history: month(map[int]float64{7: 2}, 1, 30),
			want:    Deltas{Week: ptr(3.7)},
		},
		{
			name: "times of day and order do not matter; today and later are ignored",
			history: append([]Day{
				{Date: testDay, Score: 9},
				{Date: testDay.AddDate(0, 0, 1), Score: 9},
				{Date: testDay.AddDate(0, 0, -30).Add(23 * time.Hour), Score: 1, Stories: 10, Volume: 20, Balance: 0.05},
				{Date: testDay.AddDate(0, 0, -1).Add(time.Hour), Score: fixture, Stories: 10, Volume: 20, Balance: 0.05},
			}, month(nil, 1, 7, 30)...),
			want: Deltas{Day: ptr(0), Month: ptr(4.7)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Compute(Input{Date: testDay, Stories: stories, History: tt.history})
			if p.Score != fixture {
				t.Fatalf("fixture scored %.1f, want %.1f (the deltas below assume it)", p.Score, fixture)
			}
			check := func(name string, got, want *float64) {
				switch {
				case got == nil && want == nil:
				case got == nil || want == nil:
					t.Errorf("%s: got %v, want %v", name, fmtPtr(got), fmtPtr(want))
				case *got != *want:
					t.Errorf("%s: got %v, want %v", name, *got, *want)
				}
			}
			check("day", p.Deltas.Day, tt.want.Day)
			check("week", p.Deltas.Week, tt.want.Week)
			check("month", p.Deltas.Month, tt.want.Month)
		})
	}
	if p := Compute(Input{Date: testDay, Stories: stories}); p.Deltas != (Deltas{}) {
		t.Errorf("no history: got deltas %+v, want all nil", p.Deltas)
	}
}

func fmtPtr(p *float64) string {
	if p == nil {
		return "nil"
	}
	return strconv.FormatFloat(*p, 'f', -1, 64)
}
