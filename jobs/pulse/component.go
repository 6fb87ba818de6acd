package pulse

import (
	"fmt"
	"math"
)

// Component IDs.
const (
	ComponentBalance  = "balance"
	ComponentShare    = "share"
	ComponentVolume   = "volume"
	ComponentMomentum = "momentum"
)

// Weights of the components in the total. Headline sentiment carries the
// most because it uses every story's score; the label share repeats it in a
// coarser, easier-to-explain form; volume only amplifies what the stories
// already say; momentum, a difference of two noisy means, is the least
// reliable (it showed no correlation of its own with Fear & Greed).
const (
	weightBalance  = 0.45
	weightShare    = 0.25
	weightVolume   = 0.15
	weightMomentum = 0.15
)

// Scales: the raw value at which a sub-score reaches 5 ± 3.8 (tanh(1)). Each
// sub-score is 5 + 5·tanh(value/scale), so it is linear near neutral and
// saturates smoothly instead of clipping.
const (
	// Headline sentiment averages close to zero because most crypto news
	// is neutral; an outlet-weighted mean of ±0.2 is a strongly one-sided day.
	balanceScale = 0.20
	// A net share of ±25% of the day's weight is a clearly one-sided day.
	shareScale = 0.25
	// Day-to-day swings of the balance are smaller than its level.
	momentumScale = 0.15
	// volumeScale is in log-ratio: news at 3× its baseline gives 76% of the
	// full amplification.
	volumeScale = 1.0986122886681098 // ln 3
)

// sub maps a raw measure to a 0–10 sub-score with 5 at zero.
func sub(value, scale float64) float64 {
	return 5 + 5*math.Tanh(value/scale)
}

// components builds the four components and returns them with the raw
// (unshrunk) deviation of the total from 5: Σ weight·(sub-score − 5).
func components(t tally, h history) ([]Component, float64) {
	balance := t.balance()
	share := t.netShare()
	sBalance := sub(balance, balanceScale)
	sShare := sub(share, shareScale)

	// lean is the direction of the day's stories in [-1, 1]: the weighted
	// deviation of the two story components, full at ±2.5 points.
	lean := clamp(((sBalance-5)*weightBalance+(sShare-5)*weightShare)/((weightBalance+weightShare)*2.5), -1, 1)

	vol := volumeComponent(t, h, lean)
	mom := momentumComponent(t, h, balance)

	comps := []Component{
		{
			ID:     ComponentBalance,
			Name:   "Headline sentiment",
			Value:  balance,
			Score:  sBalance,
			Weight: weightBalance,
			Detail: balanceDetail(t, balance),
		},
		{
			ID:     ComponentShare,
			Name:   "Bullish vs bearish stories",
			Value:  share,
			Score:  sShare,
			Weight: weightShare,
			Detail: fmt.Sprintf("%d bullish vs %d bearish %s (%d neutral).", t.nBull, t.nBear, plural(t.nBear, "story", "stories"), t.neutralStories),
		},
		vol,
		mom,
	}
	var raw float64
	for i := range comps {
		raw += comps[i].Weight * (comps[i].Score - 5)
		comps[i].Score = roundTenth(comps[i].Score)
	}
	return comps, raw
}

func balanceDetail(t tally, balance float64) string {
	if t.n == 0 {
		return "No stories, so no headline sentiment to average."
	}
	return fmt.Sprintf("Outlet-weighted headline sentiment averaged %s over %d %s.", signed(balance, 2), t.n, plural(t.n, "story", "stories"))
}

// volumeComponent compares the day's outlet-weighted volume with the median
// of the last 30 days. Volume has no direction of its own: a heavy news day
// amplifies whatever way the stories lean (a crash and a rally both make
// news), by up to the full lean at a few times the baseline. A quiet day
// adds no push either way, so its sub-score is 5 and it pulls the total a
// little towards neutral.
func volumeComponent(t tally, h history, lean float64) Component {
	c := Component{ID: ComponentVolume, Name: "News volume", Score: 5, Weight: weightVolume}
	base, days, ok := h.volumeBaseline()
	if !ok {
		c.Detail = fmt.Sprintf("Only %d earlier %s on record, too few for a 30-day volume baseline.", days, plural(days, "day", "days"))
		if days == 0 {
			c.Detail = "No earlier days on record yet, so there is no 30-day volume baseline."
		}
		return c
	}
	ratio := t.weight / base
	c.Value = ratio
	amp := math.Tanh(math.Max(0, math.Log(max(ratio, 1e-9))) / volumeScale)
	c.Score = 5 + 5*lean*amp
	switch {
	case ratio < 1:
		c.Detail = fmt.Sprintf("News volume was %.1f× the 30-day median; a quieter day adds no push either way.", ratio)
	case math.Abs(lean) < 0.05:
		c.Detail = fmt.Sprintf("News volume was %.1f× the 30-day median, but the stories had no clear lean to amplify.", ratio)
	case math.Abs(c.Score-5) < 0.05: // the sub-score shows as 5.0
		c.Detail = fmt.Sprintf("News volume was %.1f× the 30-day median, too close to usual to amplify the day's lean.", ratio)
	case lean > 0:
		c.Detail = fmt.Sprintf("News volume was %.1f× the 30-day median, amplifying the day's bullish lean.", ratio)
	default:
		c.Detail = fmt.Sprintf("News volume was %.1f× the 30-day median, amplifying the day's bearish lean.", ratio)
	}
	return c
}

// momentumComponent compares today's balance with the mean balance of the
// previous seven days: a day more upbeat than its week reads greedier.
func momentumComponent(t tally, h history, balance float64) Component {
	c := Component{ID: ComponentMomentum, Name: "Momentum", Score: 5, Weight: weightMomentum}
	week, days := h.weekBalance()
	switch {
	case t.n == 0:
		c.Detail = "No stories today to compare with the past week."
	case days == 0:
		c.Detail = "No earlier days with stories in the past week to compare with."
	default:
		c.Value = balance - week
		c.Score = sub(c.Value, momentumScale)
		c.Detail = fmt.Sprintf("Sentiment of %s against a 7-day average of %s (%s).", signed(balance, 2), signed(week, 2), signed(c.Value, 2))
	}
	return c
}

// signed formats x with an explicit sign and no "-0.00".
func signed(x float64, decimals int) string {
	s := fmt.Sprintf("%+.*f", decimals, x)
	if s == fmt.Sprintf("-%.*f", decimals, 0.0) {
		return fmt.Sprintf("%+.*f", decimals, 0.0)
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
