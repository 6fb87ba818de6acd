package pulse

import (
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestEmptyDay(t *testing.T) {
	for _, scope := range []string{GlobalScope, "BTC"} {
		t.Run(scope, func(t *testing.T) {
			p := Compute(Input{Scope: scope, Date: testDay.Add(15 * 3600e9), History: flatHistory(30, 20, 0.3)})
			if p.Score != 5 || p.Band != BandNeutral || p.Confidence != ConfidenceLow {
				t.Errorf("got score %.1f band %q confidence %q, want 5.0 Neutral low", p.Score, p.Band, p.Confidence)
			}
			if !p.Date.Equal(testDay) {
				t.Errorf("date: got %v, want %v (UTC midnight)", p.Date, testDay)
			}
			if p.Stories != 0 || p.Volume != 0 || p.Balance != 0 || p.Effective != 0 {
				t.Errorf("got stories %d volume %v balance %v effective %v, want zeros", p.Stories, p.Volume, p.Balance, p.Effective)
			}
			if len(p.Bullish) != 0 || len(p.Bearish) != 0 {
				t.Errorf("top stories: got %d bullish %d bearish, want none", len(p.Bullish), len(p.Bearish))
			}
			if !strings.Contains(p.Explanation, "no stories") {
				t.Errorf("explanation %q does not say there were no stories", p.Explanation)
			}
			if scope != GlobalScope && !strings.Contains(p.Explanation, scope) {
				t.Errorf("explanation %q does not name %s", p.Explanation, scope)
			}
			for _, c := range p.Components {
				if c.Score != 5 {
					t.Errorf("component %s: got sub-score %.1f, want 5", c.ID, c.Score)
				}
			}
			if p.Deltas.Day == nil || *p.Deltas.Day != 0 {
				t.Errorf("delta vs yesterday (5.0): got %s, want 0", fmtPtr(p.Deltas.Day))
			}
		})
	}
}

func TestCoinScopeFewStories(t *testing.T) {
	for n := 1; n < MinCoinStories; n++ {
		var ss []Story
		for i := range n {
			ss = append(ss, st(int64(i+1), 3, 0.9, "bullish", 0.95))
		}
		p := Compute(Input{Scope: "SOL", Date: testDay, Stories: ss, History: flatHistory(30, 1, -0.2)})
		if p.Confidence != ConfidenceLow {
			t.Errorf("%d SOL stories: got confidence %q, want low", n, p.Confidence)
		}
		if p.Scope != "SOL" || p.Stories != n {
			t.Errorf("%d SOL stories: got scope %q stories %d", n, p.Scope, p.Stories)
		}
		if !strings.Contains(p.Explanation, "too few for a reliable coin pulse") {
			t.Errorf("%d SOL stories: explanation %q does not say the sample is too small", n, p.Explanation)
		}
		if p.Score <= 5 {
			t.Errorf("%d bullish SOL stories: got %.1f, want above 5 (shrunk, not erased)", n, p.Score)
		}
	}
	var ss []Story
	for i := range MinCoinStories {
		ss = append(ss, st(int64(i+1), 1, 0.9, "bullish", 0.95))
	}
	if p := Compute(Input{Scope: "SOL", Date: testDay, Stories: ss}); p.Confidence == ConfidenceLow {
		t.Errorf("%d even SOL stories: got confidence low, want medium", MinCoinStories)
	}
}

func TestTopStories(t *testing.T) {
	stories := []Story{
		st(1, 1, 0.9, "bullish", 0.9),   // push 0.81
		st(2, 8, 0.3, "bullish", 0.8),   // 3.08 × 0.24 = 0.74
		st(3, 1, 0.5, "bullish", 1),     // 0.5
		st(4, 1, 0.5, "bullish", 1),     // 0.5, ties with 3: lower ID first
		st(5, 1, 0.2, "bullish", 0.5),   // 0.1, fifth
		st(6, 20, 0.95, "neutral", 1),   // strong but labelled neutral: no direction
		st(7, 5, -0.4, "bullish", 1),    // label and sentiment disagree: excluded
		st(8, 2, -0.7, "bearish", 0.9),  // 1.69 × 0.63 = 1.07
		st(9, 1, -0.95, "bearish", 0.9), // 0.855
		st(10, 1, 0, "bearish", 1),      // zero push: excluded
		st(11, 3, 0.6, "bearish", 1),    // disagrees: excluded
	}
	// Shuffle to show input order does not matter.
	rng := rand.New(rand.NewPCG(7, 7))
	rng.Shuffle(len(stories), func(i, j int) { stories[i], stories[j] = stories[j], stories[i] })

	p := Compute(Input{Date: testDay, Stories: stories})
	if got, want := ids(p.Bullish), []int64{1, 2, 3}; !slices.Equal(got, want) {
		t.Errorf("bullish: got %v, want %v", got, want)
	}
	if got, want := ids(p.Bearish), []int64{8, 9}; !slices.Equal(got, want) {
		t.Errorf("bearish: got %v, want %v", got, want)
	}
	for _, s := range p.Bullish {
		if s.Sentiment <= 0 || s.Label != "bullish" {
			t.Errorf("bullish list holds story %d (%v, %s)", s.ID, s.Sentiment, s.Label)
		}
	}
	for _, s := range p.Bearish {
		if s.Sentiment >= 0 || s.Label != "bearish" {
			t.Errorf("bearish list holds story %d (%v, %s)", s.ID, s.Sentiment, s.Label)
		}
	}
	if p.Bullish[0].Headline != "story 1" || p.Bullish[0].URL == "" {
		t.Errorf("top stories should carry headline and URL, got %+v", p.Bullish[0])
	}

	// Ties: equal push, lower ID first.
	p = Compute(Input{Date: testDay, Stories: []Story{st(9, 1, 0.5, "bullish", 1), st(4, 1, 0.5, "bullish", 1), st(6, 1, 0.5, "bullish", 1), st(5, 1, 0.5, "bullish", 1)}})
	if got, want := ids(p.Bullish), []int64{4, 5, 6}; !slices.Equal(got, want) {
		t.Errorf("tied bullish: got %v, want %v", got, want)
	}
}

// TestDeterministic: the same day in any order, Stories and History alike,
// gives the identical Pulse.
func TestDeterministic(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var stories []Story
	for i := range 500 {
		s := st(int64(i), 1+rng.IntN(12), rng.Float64()*2-1, []string{"bullish", "bearish", "neutral"}[rng.IntN(3)], rng.Float64())
		stories = append(stories, s)
	}
	history := flatHistory(31, 300, 0.02)
	for i := range history {
		history[i].Score = math.Round(rng.Float64()*100) / 10
	}
	want := Compute(Input{Scope: GlobalScope, Date: testDay, Stories: stories, History: history})
	for range 20 {
		ss, hh := slices.Clone(stories), slices.Clone(history)
		rng.Shuffle(len(ss), func(i, j int) { ss[i], ss[j] = ss[j], ss[i] })
		rng.Shuffle(len(hh), func(i, j int) { hh[i], hh[j] = hh[j], hh[i] })
		if got := Compute(Input{Scope: GlobalScope, Date: testDay, Stories: ss, History: hh}); !reflect.DeepEqual(got, want) {
			t.Fatalf("shuffled input changed the pulse:\ngot  %+v\nwant %+v", got, want)
		}
	}
	// Compute must not reorder the caller's slice.
	before := slices.Clone(stories)
	Compute(Input{Date: testDay, Stories: stories})
	if !reflect.DeepEqual(before, stories) {
		t.Error("Compute modified Input.Stories")
	}
}

// TestSanitizesInputs: out-of-range fields count as their nearest valid
// value, so a bad row cannot push the score outside 0–10.
func TestSanitizesInputs(t *testing.T) {
	clean := []Story{st(1, 1, 1, "bullish", 1), st(2, 1, -1, "bearish", 0), st(3, 1, 0, "neutral", 0.5)}
	dirty := []Story{st(1, 0, 40, "Bullish", 7), st(2, -3, math.Inf(-1), " bearish ", math.NaN()), st(3, 1, math.NaN(), "", 0.5)}
	dirty[1].Label = "BEARISH"
	a := Compute(Input{Date: testDay, Stories: clean})
	b := Compute(Input{Date: testDay, Stories: dirty})
	if a.Score != b.Score || a.Balance != b.Balance || a.Volume != b.Volume || !reflect.DeepEqual(a.Components, b.Components) {
		t.Errorf("dirty inputs: got score %.1f balance %v volume %v, want %.1f %v %v", b.Score, b.Balance, b.Volume, a.Score, a.Balance, a.Volume)
	}
}

func TestExplanation(t *testing.T) {
	var bull []Story
	for i := range 40 {
		s := st(int64(i+1), 1+i%4, 0.05, "neutral", 0.7)
		if i%3 == 0 {
			s = st(int64(i+1), 1+i%4, 0.7, "bullish", 0.9)
		}
		bull = append(bull, s)
	}
	bull[0].Headline = "Spot ETF inflows hit a record as bitcoin clears $100k"
	bull[0].Outlets = 12
	bear := make([]Story, len(bull))
	for i, s := range bull {
		s.Sentiment = -s.Sentiment
		if s.Label == "bullish" {
			s.Label = "bearish"
		}
		bear[i] = s
	}
	bear[0].Headline = "Exchange halts withdrawals after a $400M hack"

	history := flatHistory(30, 20, 0)
	history[0].Score = 4.0

	tests := []struct {
		name    string
		in      Input
		want    []string
		notWant []string
	}{
		{
			name: "bullish day names its reasons, lead story and the move",
			in:   Input{Scope: GlobalScope, Date: testDay, Stories: bull, History: history},
			want: []string{"Greed at ", "headlines leaned bullish", "“Spot ETF inflows hit a record as bitcoin clears $100k”", "from yesterday."},
		},
		{
			name:    "bearish day",
			in:      Input{Scope: GlobalScope, Date: testDay, Stories: bear, History: history},
			want:    []string{"Fear at ", "bearish", "“Exchange halts withdrawals after a $400M hack”", "Down "},
			notWant: []string{"bullish stories outweighed"},
		},
		{
			name: "two stories: held near neutral",
			in:   Input{Scope: GlobalScope, Date: testDay, Stories: bear[:2]},
			want: []string{"Only 2 stories, so the score is held near neutral (low confidence)."},
		},
		{
			name: "balanced day",
			in: Input{Date: testDay, Stories: []Story{
				st(1, 1, 0.5, "bullish", 1), st(2, 1, -0.5, "bearish", 1), st(3, 1, 0.5, "bullish", 1), st(4, 1, -0.5, "bearish", 1), st(5, 1, 0, "neutral", 1),
			}},
			want: []string{"Neutral at 5.0: bullish and bearish news roughly cancelled out (2 vs 2 stories)."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Compute(tt.in)
			for _, w := range tt.want {
				if !strings.Contains(p.Explanation, w) {
					t.Errorf("explanation %q lacks %q", p.Explanation, w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(p.Explanation, w) {
					t.Errorf("explanation %q should not contain %q", p.Explanation, w)
				}
			}
			if n := strings.Count(p.Explanation, ". "); n > 1 {
				t.Errorf("explanation %q has %d sentences, want 1–2", p.Explanation, n+1)
			}
			t.Logf("%.1f %s: %s", p.Score, p.Confidence, p.Explanation)
		})
	}
}

func TestShorten(t *testing.T) {
	tests := []struct{ in, want string }{
		{"short headline", "short headline"},
		{"  spaces   inside\n", "spaces inside"},
		{"one two three four five six seven", "one two three…"},
	}
	for _, tt := range tests {
		if got := shorten(tt.in, 16); got != tt.want {
			t.Errorf("shorten(%q, 16): got %q, want %q", tt.in, got, tt.want)
		}
	}
}
