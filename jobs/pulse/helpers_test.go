package pulse

import (
	"fmt"
	"time"
)

// testDay is the day most tests score.
var testDay = time.Date(2025, 3, 14, 0, 0, 0, 0, time.UTC)

// st builds a story with the fields the pulse reads.
func st(id int64, outlets int, sentiment float64, label string, conf float64) Story {
	return Story{
		ID:             id,
		Headline:       fmt.Sprintf("story %d", id),
		URL:            fmt.Sprintf("https://example.test/%d", id),
		Outlets:        outlets,
		Sentiment:      sentiment,
		Label:          label,
		Confidence:     conf,
		FirstPublished: testDay.Add(time.Duration(id%24) * time.Hour),
	}
}

// mixedDay is an ordinary day: n single- and multi-outlet stories, mostly
// neutral, slightly bullish on balance. IDs start at first.
func mixedDay(first int64, n int) []Story {
	out := make([]Story, 0, n)
	for i := 0; i < n; i++ {
		id := first + int64(i)
		outlets := 1 + i%3
		switch i % 5 {
		case 0:
			out = append(out, st(id, outlets, 0.6, "bullish", 0.8))
		case 1:
			out = append(out, st(id, outlets, -0.5, "bearish", 0.7))
		default:
			out = append(out, st(id, outlets, 0.05, "neutral", 0.6))
		}
	}
	return out
}

// flatHistory is `days` earlier days, each with the given volume and
// balance and a score of 5.
func flatHistory(days int, volume, balance float64) []Day {
	h := make([]Day, 0, days)
	for ago := 1; ago <= days; ago++ {
		h = append(h, Day{Date: testDay.AddDate(0, 0, -ago), Score: 5, Stories: 10, Volume: volume, Balance: balance})
	}
	return h
}

func component(p Pulse, id string) Component {
	for _, c := range p.Components {
		if c.ID == id {
			return c
		}
	}
	return Component{}
}

func ids(ss []Story) []int64 {
	out := make([]int64, len(ss))
	for i, s := range ss {
		out[i] = s.ID
	}
	return out
}

func ptr(f float64) *float64 { return &f }
