package pulse_test

import (
	"fmt"
	"time"

	"github.com/pulsebot/pulsebot/jobs/pulse"
)

func ExampleCompute() {
	day := time.Date(2025, 3, 14, 0, 0, 0, 0, time.UTC)
	var stories []pulse.Story
	for i := range 12 {
		s := pulse.Story{ID: int64(i + 1), Headline: fmt.Sprintf("Story %d", i+1), Outlets: 1, Label: "neutral", Confidence: 0.7}
		switch i % 4 {
		case 0:
			s.Sentiment, s.Label = -0.7, "bearish"
		case 1:
			s.Sentiment, s.Label = -0.4, "bearish"
		}
		stories = append(stories, s)
	}
	stories[0].Headline, stories[0].Outlets = "Exchange halts withdrawals after hack", 9
	history := []pulse.Day{{Date: day.AddDate(0, 0, -1), Score: 5.4, Stories: 20, Volume: 22, Balance: 0.05}}

	p := pulse.Compute(pulse.Input{Scope: "BTC", Date: day, Stories: stories, History: history})
	fmt.Printf("%.1f %s (%s confidence)\n", p.Score, p.Band, p.Confidence)
	for _, c := range p.Components {
		fmt.Printf("%-8s %.1f  %s\n", c.ID, c.Score, c.Detail)
	}
	fmt.Println(p.Explanation)
	fmt.Println(pulse.Disclaimer)
	// Output:
	// 2.4 Fear (medium confidence)
	// balance  0.3  Outlet-weighted headline sentiment averaged -0.34 over 12 stories.
	// share    0.4  0 bullish vs 6 bearish stories (6 neutral).
	// volume   5.0  Only 1 earlier day on record, too few for a 30-day volume baseline.
	// momentum 0.1  Sentiment of -0.34 against a 7-day average of +0.05 (-0.39).
	// Fear at 2.4: headlines leaned bearish (sentiment -0.34) and bearish stories outweighed bullish ones (6 vs 0), led by “Exchange halts withdrawals after hack”. Down 3.0 from yesterday.
	// Not financial advice.
}
