package deliver_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/pulsebot/pulsebot/jobs/deliver"
	"github.com/pulsebot/pulsebot/jobs/pulsejob"
	"github.com/pulsebot/pulsebot/store"
	"github.com/pulsebot/pulsebot/store/storetest"
)

// BenchmarkPlan measures one plan on a busy instance: 1,000 story alerts
// in 100 servers, 1,000 follows, 2,000 stories in the last 24 hours, and
// 20 new stories since the previous plan (a minute ago), each matching
// about one alert in seven (planned/op counts the new posts). "incremental" is
// how pulsebot plans (only stories changed since the last plan, less an
// overlap); "full" forgets the mark before each plan, so every story of
// the day is matched against every setting again: the naive reference.
//
//	go test -run '^$' -bench Plan -count 5 ./jobs/deliver
func BenchmarkPlan(b *testing.B) {
	for _, mode := range []string{"incremental", "full"} {
		b.Run(mode, func(b *testing.B) {
			ctx := context.Background()
			st := storetest.Open(b)
			clock := storetest.NewClock(t0.Add(-25 * time.Hour))
			st.Now = clock.Now
			words := []string{"etf", "hack", "listing", "upgrade", "lawsuit", "rally", "airdrop", "stablecoin", "mining", "treasury"}
			coins := []string{"BTC", "ETH", "SOL", "XRP", "ADA", "DOGE", "AVAX", "LINK", "DOT", "LTC"}
			for g := range 100 {
				for i := range 10 {
					a := store.Alert{GuildID: fmt.Sprint(g), ChannelID: "c", CreatedBy: "u", Kind: store.AlertStory}
					if i%2 == 0 {
						a.Keyword = words[(g+i)%len(words)]
					} else {
						a.Coin = coins[(g+i)%len(coins)]
					}
					if _, err := st.CreateAlert(ctx, a); err != nil {
						b.Fatal(err)
					}
				}
			}
			for u := range 1000 {
				if _, err := st.CreateFollow(ctx, store.Follow{UserID: fmt.Sprint(u), Keyword: words[u%len(words)] + " " + words[(u/10)%len(words)]}); err != nil {
					b.Fatal(err)
				}
			}
			n := 0
			addStories := func(k int, at time.Time) {
				ws := make([]store.StoryWrite, k)
				for i := range ws {
					n++
					ws[i] = store.StoryWrite{
						Key: int64(n), Headline: fmt.Sprintf("%s %s news %d as %s moves", coins[n%len(coins)], words[n%len(words)], n, words[(n/7)%len(words)]),
						FirstPublished: at, Outlets: 1 + n%4, Weight: 1, Coins: []string{coins[n%len(coins)]},
					}
				}
				if _, err := st.SaveStories(ctx, ws); err != nil {
					b.Fatal(err)
				}
			}
			clock.Set(t0.Add(-23 * time.Hour))
			for h := range 24 {
				clock.Set(t0.Add(time.Duration(h-23) * time.Hour))
				addStories(2000/24, clock.Now())
			}
			p := &deliver.Planner{Store: st, Pulses: &pulsejob.Service{Store: st, Now: clock.Now}, Now: clock.Now}
			if _, err := p.Plan(ctx); err != nil {
				b.Fatal(err)
			}
			planned := 0
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				clock.Add(time.Minute)
				addStories(20, clock.Now())
				if mode == "full" {
					if _, err := st.DB().ExecContext(ctx, `DELETE FROM meta WHERE key = 'deliver.stories_matched_until'`); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
				got, err := p.Plan(ctx)
				if err != nil {
					b.Fatal(err)
				}
				planned += got.Total()
			}
			b.ReportMetric(float64(planned)/float64(b.N), "planned/op")
		})
	}
}
