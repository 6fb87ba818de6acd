package sentiment

// Label is the direction a headline points the market.
type Label string

// The three labels.
const (
	Bullish Label = "bullish"
	Bearish Label = "bearish"
	Neutral Label = "neutral"
)

// Term is one word or phrase that moved the score, for explanations.
// Weight is in logit units: positive pushes bullish, negative bearish.
type Term struct {
	Text   string
	Weight float64
}

// Result is the verdict on one headline.
type Result struct {
	Label      Label
	Score      float64 // P(bullish) − P(bearish), in [-1, 1]
	Confidence float64 // probability of Label, in [0, 1]
	Terms      []Term  // top ≤ 5 by |Weight|, largest first
}

// Example is one labelled headline for training or evaluation.
type Example struct {
	Title   string
	Summary string
	Label   Label
	Source  string // where the row came from, e.g. "twitter", "own", "feeds"
}
