package pulse

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

// minReason is the smallest contribution to the raw total, in points, that
// is worth naming as a reason.
const minReason = 0.15

// maxHeadline caps a quoted headline, in runes.
const maxHeadline = 90

// explain writes the pulse's one or two sentences: what the score is and
// what drove it, then either why it is held near neutral or how it moved
// since yesterday.
func explain(p Pulse, t tally, h history) string {
	date := p.Date.Format("2 Jan 2006")
	if t.n == 0 {
		where := "in the crypto news"
		if p.Scope != GlobalScope {
			where = "about " + p.Scope
		}
		return fmt.Sprintf("There were no stories %s on %s, so the pulse rests at neutral %.1f with low confidence.", where, date, p.Score)
	}

	first := fmt.Sprintf("%s at %.1f: %s.", p.Band, p.Score, reasons(p, t))
	second := caveat(p, t)
	if second == "" {
		return first
	}
	return first + " " + second
}

// reasons names up to two components pushing the way the total goes, with
// the strongest story in that direction.
func reasons(p Pulse, t tally) string {
	type contrib struct {
		c Component
		v float64
	}
	var total float64
	cs := make([]contrib, 0, len(p.Components))
	for _, c := range p.Components {
		v := c.Weight * (c.Score - 5)
		total += v
		cs = append(cs, contrib{c, v})
	}
	sign := 1.0
	if total < 0 {
		sign = -1
	}
	slices.SortStableFunc(cs, func(a, b contrib) int { return cmp.Compare(math.Abs(b.v), math.Abs(a.v)) })

	var parts []string
	for _, c := range cs {
		if len(parts) == 2 || math.Abs(c.v) < minReason {
			break
		}
		if c.v*sign <= 0 {
			continue
		}
		parts = append(parts, phrase(c.c, t, sign > 0))
	}
	if len(parts) == 0 || math.Abs(total) < minReason {
		return fmt.Sprintf("bullish and bearish news roughly cancelled out (%d vs %d stories)", t.nBull, t.nBear)
	}
	out := strings.Join(parts, " and ")
	lead := p.Bearish
	if sign > 0 {
		lead = p.Bullish
	}
	if len(lead) > 0 && lead[0].Headline != "" {
		out += fmt.Sprintf(", led by “%s”", shorten(lead[0].Headline, maxHeadline))
	}
	return out
}

// phrase says in a few words how a component pushed the score.
func phrase(c Component, t tally, up bool) string {
	switch c.ID {
	case ComponentBalance:
		return fmt.Sprintf("headlines leaned %s (sentiment %s)", upDown(up, "bullish", "bearish"), signed(c.Value, 2))
	case ComponentShare:
		if up {
			return fmt.Sprintf("bullish stories outweighed bearish ones (%d vs %d)", t.nBull, t.nBear)
		}
		return fmt.Sprintf("bearish stories outweighed bullish ones (%d vs %d)", t.nBear, t.nBull)
	case ComponentVolume:
		return fmt.Sprintf("news volume ran %.1f× its 30-day median", c.Value)
	case ComponentMomentum:
		return fmt.Sprintf("sentiment %s the past week (%s)", upDown(up, "improved on", "soured against"), signed(c.Value, 2))
	}
	return strings.ToLower(c.Name)
}

// caveat is the second sentence: low confidence first, else the move since
// yesterday, else nothing.
func caveat(p Pulse, t tally) string {
	if p.Confidence == ConfidenceLow {
		switch {
		case t.n < MinCoinStories && p.Scope != GlobalScope:
			return fmt.Sprintf("Only %d %s %s, too few for a reliable coin pulse, so the score is held near neutral (low confidence).", t.n, p.Scope, plural(t.n, "story", "stories"))
		case t.n < MinCoinStories:
			return fmt.Sprintf("Only %d %s, so the score is held near neutral (low confidence).", t.n, plural(t.n, "story", "stories"))
		default:
			return fmt.Sprintf("A few widely syndicated stories dominate (%.1f effective of %d), so the score is held near neutral (low confidence).", p.Effective, t.n)
		}
	}
	if d := p.Deltas.Day; d != nil {
		switch {
		case *d > 0:
			return fmt.Sprintf("Up %.1f from yesterday.", *d)
		case *d < 0:
			return fmt.Sprintf("Down %.1f from yesterday.", -*d)
		default:
			return "Unchanged from yesterday."
		}
	}
	return ""
}

func upDown(up bool, a, b string) string {
	if up {
		return a
	}
	return b
}

// shorten cuts s to at most n runes at a word boundary, marking the cut.
func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n-1]
	cut := string(r)
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:-") + "…"
}
