package pulse

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"time"
)

// Disclaimer goes on every rendering of a pulse: embeds, replies and charts.
const Disclaimer = "Not financial advice."

// GlobalScope is the scope of the pulse over all crypto news; any other scope
// is a coin ticker such as "BTC".
const GlobalScope = "global"

// MinCoinStories is the number of stories a day needs before its pulse is
// more than a hint. Below it Confidence is "low" whatever the scope, and the
// caller should say so (or not post a coin pulse at all).
const MinCoinStories = 5

// PriorStories is the strength of the neutral prior, in effective stories:
// a day keeps n/(n+PriorStories) of its raw deviation from 5.0, where n is
// Pulse.Effective. Five means a day of five even stories is half-way between
// neutral and what its news says, and two stories keep at most 2/7 of it.
const PriorStories = 5.0

// Confidence levels.
const (
	ConfidenceLow    = "low"
	ConfidenceMedium = "medium"
	ConfidenceHigh   = "high"
)

const (
	// lowEffective is the effective sample under which confidence is low even
	// with MinCoinStories stories: the day is one or two events told by many
	// outlets.
	lowEffective = 3.0
	// highEffective is the effective sample from which confidence is high:
	// the shrinkage then keeps at least 80% of the deviation.
	highEffective = 20.0
)

// Story is one news event: the articles the clustering job grouped together,
// however many outlets carried it. The pulse counts a story once, weighted by
// its outlet count, never its articles one by one.
type Story struct {
	ID             int64
	Headline, URL  string
	Outlets        int     // distinct outlets that reported it; values below 1 count as 1
	Sentiment      float64 // mean of its articles' classifier scores, in [-1, 1] (clamped; NaN counts as 0)
	Label          string  // "bullish", "bearish" or "neutral" (any case); anything else counts as neutral
	Confidence     float64 // classifier confidence in [0, 1] (clamped; NaN counts as 0)
	FirstPublished time.Time
	Coins, Topics  []string
}

// Day is the summary of an earlier day's pulse, as the store keeps it. Volume
// and Balance are Pulse.Volume and Pulse.Balance of that day.
type Day struct {
	Date    time.Time
	Score   float64
	Stories int
	Volume  float64
	Balance float64
}

// Input is everything Compute needs for one scope and day.
type Input struct {
	Scope   string    // GlobalScope (also when empty) or a ticker
	Date    time.Time // the day; only its UTC calendar date is used
	Stories []Story   // the day's on-topic stories for this scope, each once
	History []Day     // earlier days, any order, up to 31, gaps allowed; days on or after Date are ignored
}

// Component is one of the four measures the score is built from. The IDs are
// "balance", "share", "volume" and "momentum".
type Component struct {
	ID     string
	Name   string
	Value  float64 // the raw measure (see doc.go for each)
	Score  float64 // its 0–10 sub-score before shrinkage, rounded to one decimal
	Weight float64 // its weight in the total; the weights sum to 1
	Detail string  // one human sentence
}

// Deltas are the score's changes against earlier pulses, rounded to one
// decimal. A field is nil when History has no pulse for that day.
type Deltas struct {
	Day, Week, Month *float64 // vs 1, 7 and 30 days before
}

// Pulse is one day's Market Pulse for one scope.
type Pulse struct {
	Date        time.Time // UTC midnight
	Scope       string
	Score       float64 // 0.0–10.0, one decimal; 5.0 is neutral
	Band        string  // BandOf(Score)
	Confidence  string  // ConfidenceLow, ConfidenceMedium or ConfidenceHigh
	Components  []Component
	Deltas      Deltas
	Bullish     []Story // up to 3 stories pushing the score up, strongest first
	Bearish     []Story // up to 3 stories pushing it down, strongest first
	Stories     int     // number of stories counted
	Effective   float64 // effective number of independent stories (Kish), drives shrinkage and confidence
	Volume      float64 // outlet-weighted news volume; store it as Day.Volume
	Balance     float64 // outlet-weighted mean sentiment in [-1, 1]; store it as Day.Balance
	Explanation string  // one or two plain-English sentences on why the score is what it is
}

// Compute scores one day. It is pure and deterministic: the result does not
// depend on the order of Stories or History, and ties are broken by story ID.
func Compute(in Input) Pulse {
	date := dayOf(in.Date)
	scope := in.Scope
	if scope == "" {
		scope = GlobalScope
	}
	ss := prepare(in.Stories)
	t := tallyOf(ss)
	h := newHistory(in.History, date)

	comps, raw := components(t, h)
	shrink := 0.0
	if t.n > 0 {
		shrink = t.effective() / (t.effective() + PriorStories)
	}
	score := roundTenth(clamp(5+shrink*raw, 0, 10))

	p := Pulse{
		Date:       date,
		Scope:      scope,
		Score:      score,
		Band:       BandOf(score),
		Confidence: confidenceOf(t.n, t.effective()),
		Components: comps,
		Deltas:     h.deltas(score),
		Stories:    t.n,
		Effective:  roundTo(t.effective(), 2),
		Volume:     t.weight,
		Balance:    t.balance(),
	}
	p.Bullish, p.Bearish = topStories(ss)
	p.Explanation = explain(p, t, h)
	return p
}

// confidenceOf grades the evidence behind a score by its size.
func confidenceOf(stories int, effective float64) string {
	switch {
	case stories < MinCoinStories || effective < lowEffective:
		return ConfidenceLow
	case effective < highEffective:
		return ConfidenceMedium
	default:
		return ConfidenceHigh
	}
}

// Label directions.
const (
	dirNeutral = 0
	dirBullish = 1
	dirBearish = -1
)

// scored is a story with its inputs cleaned and its weight worked out once.
type scored struct {
	story     *Story
	weight    float64 // outlet weight, see outletWeight
	sentiment float64 // clamped to [-1, 1]
	conf      float64 // clamped to [0, 1]
	dir       int     // from the label
}

// outletWeight is how much a story counts: 1 for a single outlet, growing
// with the log of its outlet count (8 outlets ≈ 3.08). Syndication is
// evidence that an event matters, but eight copies of one press release are
// not eight events; the log keeps one wire story from swamping a day.
func outletWeight(outlets int) float64 {
	if outlets <= 1 {
		return 1
	}
	return 1 + math.Log(float64(outlets))
}

// prepare cleans the stories and sorts them by ID (then by the other fields
// that could tell two apart), so every sum below runs in the same order
// whatever order the caller passed: float addition is not associative, and a
// different last bit could flip a rounded score.
func prepare(stories []Story) []scored {
	ss := make([]scored, len(stories))
	for i := range stories {
		s := &stories[i]
		ss[i] = scored{
			story:     s,
			weight:    outletWeight(s.Outlets),
			sentiment: clampNaN(s.Sentiment, -1, 1),
			conf:      clampNaN(s.Confidence, 0, 1),
			dir:       direction(s.Label),
		}
	}
	slices.SortFunc(ss, compareScored)
	return ss
}

// compareScored orders by ID and then by every field that counts, returning
// at the first difference (cmp.Or would evaluate the string comparisons for
// every pair).
func compareScored(a, b scored) int {
	if c := cmp.Compare(a.story.ID, b.story.ID); c != 0 {
		return c
	}
	if c := a.story.FirstPublished.Compare(b.story.FirstPublished); c != 0 {
		return c
	}
	if c := cmp.Or(cmp.Compare(a.weight, b.weight), cmp.Compare(a.sentiment, b.sentiment),
		cmp.Compare(a.conf, b.conf), cmp.Compare(a.dir, b.dir)); c != 0 {
		return c
	}
	if c := strings.Compare(a.story.Headline, b.story.Headline); c != 0 {
		return c
	}
	return strings.Compare(a.story.URL, b.story.URL)
}

func direction(label string) int {
	switch {
	case strings.EqualFold(label, "bullish"):
		return dirBullish
	case strings.EqualFold(label, "bearish"):
		return dirBearish
	default:
		return dirNeutral
	}
}

// tally holds the day's sums over its stories.
type tally struct {
	n              int
	weight         float64 // Σ w: the outlet-weighted volume
	weight2        float64 // Σ w², for the effective sample size
	sentiment      float64 // Σ w·sentiment
	bull, bear     float64 // Σ w·confidence over bullish / bearish labels
	nBull, nBear   int
	outlets        int // Σ outlets (≥ 1 each), for the explanation
	neutralStories int
}

func tallyOf(ss []scored) tally {
	var t tally
	for i := range ss {
		s := &ss[i]
		t.n++
		t.weight += s.weight
		t.weight2 += s.weight * s.weight
		t.sentiment += s.weight * s.sentiment
		t.outlets += max(s.story.Outlets, 1)
		switch s.dir {
		case dirBullish:
			t.bull += s.weight * s.conf
			t.nBull++
		case dirBearish:
			t.bear += s.weight * s.conf
			t.nBear++
		default:
			t.neutralStories++
		}
	}
	return t
}

// balance is the outlet-weighted mean sentiment, 0 on an empty day.
func (t tally) balance() float64 {
	if t.weight == 0 {
		return 0
	}
	return t.sentiment / t.weight
}

// netShare is (bullish − bearish) / all, each side weighted by outlets and
// classifier confidence, the whole by outlets: a day of sure bullish stories
// is +1, a day of neutral ones 0. Neutral stories dilute the share, so two
// bullish stories among fifty neutral ones do not read as a one-sided day.
func (t tally) netShare() float64 {
	if t.weight == 0 {
		return 0
	}
	return (t.bull - t.bear) / t.weight
}

// effective is Kish's effective sample size (Σw)²/Σw²: the number of equally
// weighted stories that would carry as much information. It never exceeds
// the story count, so one story told by eight outlets is one effective story
// while eight single-outlet stories are eight.
func (t tally) effective() float64 {
	if t.weight2 == 0 {
		return 0
	}
	return t.weight * t.weight / t.weight2
}

// topStories returns up to three stories pushing each way, strongest first.
// A story's push is its outlet weight × |sentiment| × confidence, which is
// how much it moves the score; it must carry a directional label that agrees
// with the sign of its sentiment. Ties go to the lower ID.
func topStories(ss []scored) (bullish, bearish []Story) {
	type ranked struct {
		push float64
		s    *scored
	}
	var up, down []ranked
	for i := range ss {
		s := &ss[i]
		push := s.weight * math.Abs(s.sentiment) * s.conf
		if push <= 0 {
			continue
		}
		switch {
		case s.dir == dirBullish && s.sentiment > 0:
			up = append(up, ranked{push, s})
		case s.dir == dirBearish && s.sentiment < 0:
			down = append(down, ranked{push, s})
		}
	}
	top := func(rs []ranked) []Story {
		slices.SortStableFunc(rs, func(a, b ranked) int {
			return cmp.Or(cmp.Compare(b.push, a.push), cmp.Compare(a.s.story.ID, b.s.story.ID))
		})
		out := make([]Story, 0, 3)
		for _, r := range rs[:min(3, len(rs))] {
			out = append(out, *r.s.story)
		}
		return out
	}
	return top(up), top(down)
}

// dayOf is the UTC calendar day of t, at midnight.
func dayOf(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func clamp(x, lo, hi float64) float64 {
	return math.Max(lo, math.Min(hi, x))
}

func clampNaN(x, lo, hi float64) float64 {
	if math.IsNaN(x) {
		return 0
	}
	return clamp(x, lo, hi)
}

func roundTenth(x float64) float64 { return roundTo(x, 1) }

func roundTo(x float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	r := math.Round(x*p) / p
	if r == 0 {
		return 0 // no "-0.0"
	}
	return r
}
