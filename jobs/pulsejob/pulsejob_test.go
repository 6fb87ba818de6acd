package pulsejob_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/pulsebot/pulsebot/jobs/pulse"
	"github.com/pulsebot/pulsebot/jobs/pulsejob"
	"github.com/pulsebot/pulsebot/store"
	"github.com/pulsebot/pulsebot/store/storetest"
)

var day0 = time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)

// seed writes n stories per day for days [day0, day0+days) with the given
// sentiment, and returns the store.
func seed(t testing.TB, st *store.Store, days, n int, sentiment float64) {
	t.Helper()
	label := "neutral"
	switch {
	case sentiment > 0.1:
		label = "bullish"
	case sentiment < -0.1:
		label = "bearish"
	}
	var ws []store.StoryWrite
	for d := 0; d < days; d++ {
		for i := 0; i < n; i++ {
			ws = append(ws, store.StoryWrite{
				Key: int64(d*1000 + i), Headline: fmt.Sprintf("story %d/%d", d, i),
				FirstPublished: day0.AddDate(0, 0, d).Add(time.Duration(i) * time.Minute),
				Outlets:        1, Weight: 1, Coins: []string{"BTC"},
				Sentiment: store.Sentiment{Score: sentiment, Label: label, Confidence: 0.9},
			})
		}
	}
	if _, err := st.SaveStories(context.Background(), ws); err != nil {
		t.Fatal(err)
	}
}

func TestRefreshFinalizesOnceAndKeepsTodayLive(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	clock := storetest.NewClock(day0.AddDate(0, 0, 3).Add(12 * time.Hour)) // day 3, noon
	st.Now = clock.Now
	svc := &pulsejob.Service{Store: st, Now: clock.Now}
	seed(t, st, 4, 6, 0.5)

	if err := svc.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	recs, _ := st.Pulses(ctx, pulse.GlobalScope, "2026-01-01", "2026-12-31", false)
	if len(recs) != 4 {
		t.Fatalf("stored %d global pulses, want 4", len(recs))
	}
	for i, r := range recs {
		if want := i < 3; r.Final != want {
			t.Errorf("%s final=%v, want %v", r.Day, r.Final, want)
		}
	}
	if btc, err := st.Pulse(ctx, "BTC", "2026-11-20"); err != nil || !btc.Final {
		t.Errorf("coin pulse: %+v %v", btc, err)
	}
	first := recs[0]

	// New stories for a finalized day don't change it; today's live
	// pulse follows the news.
	seed2 := []store.StoryWrite{
		{Key: 1, Headline: "late bearish", FirstPublished: day0.Add(20 * time.Hour), Outlets: 8, Weight: 8, Sentiment: store.Sentiment{Score: -1, Label: "bearish", Confidence: 1}},
		{Key: 2, Headline: "today bearish", FirstPublished: clock.Now().Add(-time.Hour), Outlets: 8, Weight: 8, Sentiment: store.Sentiment{Score: -1, Label: "bearish", Confidence: 1}},
	}
	st.SaveStories(ctx, seed2)
	todayBefore, _ := st.Pulse(ctx, pulse.GlobalScope, "2026-11-23")
	if err := svc.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	again, _ := st.Pulse(ctx, pulse.GlobalScope, "2026-11-20")
	if again.Score != first.Score || !again.ComputedAt.Equal(first.ComputedAt) {
		t.Errorf("final pulse rewritten: %v -> %v", first.Score, again.Score)
	}
	todayAfter, _ := st.Pulse(ctx, pulse.GlobalScope, "2026-11-23")
	if todayAfter.Score >= todayBefore.Score || todayAfter.Final {
		t.Errorf("today's live pulse did not follow the news: %v -> %v", todayBefore.Score, todayAfter.Score)
	}

	// Today becomes final at 00:05 the next day, not before.
	clock.Set(day0.AddDate(0, 0, 4).Add(4 * time.Minute))
	svc.Refresh(ctx)
	if r, _ := st.Pulse(ctx, pulse.GlobalScope, "2026-11-23"); r.Final {
		t.Error("final before 00:05")
	}
	clock.Set(day0.AddDate(0, 0, 4).Add(6 * time.Minute))
	svc.Refresh(ctx)
	if r, _ := st.Pulse(ctx, pulse.GlobalScope, "2026-11-23"); !r.Final {
		t.Error("not final after 00:05")
	}

	// Backfill keeps final days unless forced.
	rep, err := svc.Backfill(ctx, day0, day0.AddDate(0, 0, 3), false)
	if err != nil || rep.Written != 0 || rep.Skipped != 4 {
		t.Errorf("backfill: %+v %v", rep, err)
	}
	rep, err = svc.Backfill(ctx, day0, day0, true)
	if err != nil || rep.Written == 0 {
		t.Errorf("backfill --force: %+v %v", rep, err)
	}
	forced, _ := st.Pulse(ctx, pulse.GlobalScope, "2026-11-20")
	if forced.Score >= first.Score {
		t.Errorf("forced backfill ignored the late bearish story: %v -> %v", first.Score, forced.Score)
	}
}

func TestGetExplainsWhatItCannotAnswer(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	now := day0.AddDate(0, 0, 2).Add(time.Hour)
	svc := &pulsejob.Service{Store: st, Now: func() time.Time { return now }}

	var ue *pulsejob.UserError
	if _, err := svc.Get(ctx, "global", day0); !errors.As(err, &ue) || ue.Msg != "No pulse for 2026-11-20: there are no stories yet (the first ingest may still be running)" {
		t.Errorf("empty store: %v", err)
	}
	seed(t, st, 3, 2, 0)
	for _, tc := range []struct {
		day  time.Time
		want string
	}{
		{time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC), "No pulse for 2019-01-01: data starts 2026-11-20"},
		{day0.AddDate(0, 0, 5), "2026-11-25 is in the future; the latest pulse is today's (2026-11-22)"},
	} {
		if _, err := svc.Get(ctx, "global", tc.day); !errors.As(err, &ue) || ue.Msg != tc.want {
			t.Errorf("%s: got %v, want %q", tc.day.Format(time.DateOnly), err, tc.want)
		}
	}
	res, err := svc.Get(ctx, "btc", now)
	if err != nil || res.Scope != "BTC" || res.Final || res.Confidence != pulse.ConfidenceLow {
		t.Errorf("live coin pulse: %+v %v", res, err)
	}
	png, err := svc.Chart(ctx, res)
	if err != nil || len(png) < 1000 {
		t.Errorf("chart: %d bytes, %v", len(png), err)
	}
}

// BenchmarkComputeDay5000Articles is a day of 5,000 articles (clustered
// into 2,000 stories) computed from the store: loading the day's stories
// and 31 days of history, then the pulse. Goal ≤ 50 ms. The reference in
// the same run is a plain SQL scan of the same day's stories.
func BenchmarkComputeDay5000Articles(b *testing.B) {
	ctx := context.Background()
	st := storetest.Open(b)
	var ws []store.StoryWrite
	for i := 0; i < 2000; i++ {
		outlets := 1 + i%4 // 2,000 stories × 2.5 outlets = 5,000 articles
		ws = append(ws, store.StoryWrite{Key: int64(i), Headline: fmt.Sprintf("story %d", i), FirstPublished: day0.Add(time.Duration(i) * 40 * time.Second),
			Outlets: outlets, Weight: float64(outlets), Coins: []string{"BTC", "ETH"}[i%2:], Topics: []string{"markets"},
			Sentiment: store.Sentiment{Score: float64(i%7-3) / 3, Label: []string{"bearish", "neutral", "bullish"}[i%3], Confidence: 0.8}})
	}
	st.SaveStories(ctx, ws)
	articles := 0
	for _, w := range ws {
		articles += w.Outlets
	}
	svc := &pulsejob.Service{Store: st, Now: func() time.Time { return day0.Add(23 * time.Hour) }}
	b.Run("pulse", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			p, err := svc.Compute(ctx, "global", day0)
			if err != nil || p.Stories != 2000 {
				b.Fatalf("%d stories, %v", p.Stories, err)
			}
		}
		b.ReportMetric(float64(articles), "articles")
	})
	b.Run("scan-reference", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			s, err := st.Stories(ctx, store.StoryFilter{Day: "2026-11-20"})
			if err != nil || len(s) != 2000 {
				b.Fatal(err)
			}
		}
	})
}
