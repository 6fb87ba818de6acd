package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pulsebot/pulsebot/store"
	"github.com/pulsebot/pulsebot/store/storetest"
)

func TestFinalPulseIsWrittenOnce(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	p := store.PulseRecord{Scope: "global", Day: "2026-11-20", Score: 6.1, Band: "Greed", Confidence: "high", Data: []byte(`{}`)}
	for _, tc := range []struct {
		name      string
		score     float64
		final     bool
		force     bool
		wantSaved bool
		wantScore float64
		wantFinal bool
	}{
		{"live pulse stored", 6.1, false, false, true, 6.1, false},
		{"live pulse rewritten", 6.3, false, false, true, 6.3, false},
		{"finalized", 6.4, true, false, true, 6.4, true},
		{"final not rewritten by a live recompute", 7.0, false, false, false, 6.4, true},
		{"final not rewritten by a second finalize", 7.0, true, false, false, 6.4, true},
		{"force rewrites a final pulse", 5.5, true, true, true, 5.5, true},
	} {
		p.Score, p.Final = tc.score, tc.final
		saved, err := s.SavePulse(ctx, p, tc.force)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Pulse(ctx, "global", "2026-11-20")
		if err != nil {
			t.Fatal(err)
		}
		if saved != tc.wantSaved || got.Score != tc.wantScore || got.Final != tc.wantFinal {
			t.Errorf("%s: saved=%v score=%v final=%v, want %v %v %v", tc.name, saved, got.Score, got.Final, tc.wantSaved, tc.wantScore, tc.wantFinal)
		}
	}
	if _, err := s.Pulse(ctx, "BTC", "2026-11-20"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing pulse: %v", err)
	}
}

func TestPulsesRangeAndDayCoins(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	for _, d := range []string{"2026-11-18", "2026-11-19", "2026-11-21"} {
		if _, err := s.SavePulse(ctx, store.PulseRecord{Scope: "global", Day: d, Score: 5, Data: []byte(`{"x":1}`)}, false); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Pulses(ctx, "global", "2026-11-19", "2026-11-30", false)
	if err != nil || len(got) != 2 || got[0].Day != "2026-11-19" || len(got[0].Data) != 0 {
		t.Errorf("range: %+v %v", got, err)
	}
	latest, err := s.LatestPulse(ctx, "global")
	if err != nil || latest.Day != "2026-11-21" || string(latest.Data) != `{"x":1}` {
		t.Errorf("latest: %+v %v", latest, err)
	}
	day := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	s.SaveStories(ctx, []store.StoryWrite{
		{Key: 1, Headline: "a", FirstPublished: day, Coins: []string{"BTC", "ETH"}},
		{Key: 2, Headline: "b", FirstPublished: day, Coins: []string{"ETH", "SOL"}},
		{Key: 3, Headline: "c", FirstPublished: day, Coins: []string{"XRP"}, OffTopic: true},
	})
	coins, _ := s.DayCoins(ctx, "2026-11-21")
	if len(coins) != 3 {
		t.Errorf("day coins: %v", coins)
	}
	days, _ := s.StoryDays(ctx, "2026-11-01", "2026-11-30")
	if len(days) != 1 || days[0] != "2026-11-21" {
		t.Errorf("story days: %v", days)
	}
	st, _ := s.Stories(ctx, store.StoryFilter{Day: "2026-11-21", Coin: "ETH"})
	if len(st) != 2 {
		t.Errorf("day+coin stories: %d", len(st))
	}
}
