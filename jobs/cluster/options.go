package cluster

import "time"

// Options tune the clusterer. A zero field means its default (see
// DefaultOptions), so Options{Window: 48 * time.Hour} changes only the window.
type Options struct {
	// Window: a document can only join a story through a document published
	// at most this long before or after it. Default 72h: outlets cover an
	// event within a day, features and late re-writes within three.
	Window time.Duration
	// Threshold is the minimum similarity (0..1) between a document and the
	// closest document of a story for it to join that story. Default 0.28.
	Threshold float64
	// SameOutletThreshold is the minimum headline-only similarity for joining
	// a story through a document of the same outlet. Default 0.85: an outlet
	// repeats itself only in re-posts and updates, while its templated
	// headlines ("Shareholder Alert: ... <Company>") differ in one name.
	SameOutletThreshold float64
	// SummaryWeight is how much a summary term counts relative to a headline
	// term. Default 0.5; a negative value ignores summaries.
	SummaryWeight float64
	// SummaryTerms is how many leading terms of the summary (its lede) are
	// used. Default 30.
	SummaryTerms int
	// MoveWindow replaces Window when either headline reports a market move
	// ("surges", "drops"): the same move is reported the same day, and the
	// same words about another day are another move. Default 24h.
	MoveWindow time.Duration
}

// DefaultOptions returns the defaults the package was tuned with on the
// shared evaluation feeds (see the evaluation test).
func DefaultOptions() Options {
	return Options{
		Window:              72 * time.Hour,
		Threshold:           0.28,
		SameOutletThreshold: 0.85,
		SummaryWeight:       0.5,
		SummaryTerms:        30,
		MoveWindow:          24 * time.Hour,
	}
}

func (o Options) withDefaults() Options {
	d := DefaultOptions()
	if o.Window <= 0 {
		o.Window = d.Window
	}
	if o.Threshold <= 0 {
		o.Threshold = d.Threshold
	}
	if o.SameOutletThreshold <= 0 {
		o.SameOutletThreshold = d.SameOutletThreshold
	}
	if o.SummaryWeight == 0 {
		o.SummaryWeight = d.SummaryWeight
	}
	if o.SummaryWeight < 0 {
		o.SummaryWeight = 0
	}
	if o.SummaryTerms <= 0 {
		o.SummaryTerms = d.SummaryTerms
	}
	if o.MoveWindow <= 0 {
		o.MoveWindow = d.MoveWindow
	}
	return o
}
