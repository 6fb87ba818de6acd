package jobs_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pulsebot/pulsebot/jobs"
	"github.com/pulsebot/pulsebot/jobs/pulse"
	"github.com/pulsebot/pulsebot/jobs/pulsejob"
	"github.com/pulsebot/pulsebot/store"
)

// TestSyndicatedEventMovesPulseOnce is issue 3's acceptance 3 end to end:
// one event carried by 8 outlets is ingested as one story with 8 outlets,
// and the day's pulse equals the pulse of that single story weighted by 8
// outlets, not the pulse of 8 independent stories.
func TestSyndicatedEventMovesPulseOnce(t *testing.T) {
	ctx := context.Background()
	srv := newFeedServer(t, false)
	const wire = "Crypto lender Nexo halts withdrawals after $200 million exploit"
	var urls []string
	for i := 0; i < 8; i++ {
		var b strings.Builder
		fmt.Fprintf(&b, `<?xml version="1.0"?><rss version="2.0"><channel><title>Outlet %d</title><link>https://outlet%d.example/</link>`, i, i)
		fmt.Fprintf(&b, `<item><title>%s</title><link>https://outlet%d.example/nexo</link><guid>nexo-%d</guid><pubDate>Thu, 26 Nov 2026 09:%02d:00 +0000</pubDate></item>`, wire, i, i, i)
		if i == 0 { // the rest of the day's news, from one outlet
			for j, h := range []string{
				"Bitcoin rises 2% as ETF inflows continue",
				"Solana developers ship network upgrade",
				"Ether steady ahead of crypto options expiry",
				"Coinbase adds support for new stablecoin",
			} {
				fmt.Fprintf(&b, `<item><title>%s</title><link>https://outlet0.example/n%d</link><guid>n%d</guid><pubDate>Thu, 26 Nov 2026 1%d:00:00 +0000</pubDate></item>`, h, j, j, j)
			}
		}
		b.WriteString(`</channel></rss>`)
		path := fmt.Sprintf("/o%d.xml", i)
		srv.set(path, []byte(b.String()))
		urls = append(urls, srv.URL+path)
	}
	st := openAt(t, demoNow)
	ing := newIngester(t, st, urls...)
	if _, err := ing.Run(ctx, jobs.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	stories, _ := st.Stories(ctx, store.StoryFilter{Day: "2026-11-26"})
	if len(stories) != 5 {
		t.Fatalf("%d stories, want 5 (the event once, and 4 others)", len(stories))
	}
	var event store.Story
	var in pulse.Input
	in.Date, in.Scope = time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC), pulse.GlobalScope
	for _, s := range stories {
		if s.Headline == wire {
			event = s
		}
		in.Stories = append(in.Stories, pulsejob.Story(s))
	}
	if event.Outlets != 8 {
		t.Fatalf("event story has %d outlets, want 8", event.Outlets)
	}

	svc := &pulsejob.Service{Store: st, Now: st.Now}
	got, err := svc.Compute(ctx, pulse.GlobalScope, in.Date)
	if err != nil {
		t.Fatal(err)
	}
	oneStory := pulse.Compute(in)
	if got.Score != oneStory.Score || got.Balance != oneStory.Balance || got.Volume != oneStory.Volume {
		t.Errorf("ingested pulse %v (balance %v, volume %v) != one story of 8 outlets %v (%v, %v)",
			got.Score, got.Balance, got.Volume, oneStory.Score, oneStory.Balance, oneStory.Volume)
	}

	// The same event as 8 independent single-outlet stories would move
	// the pulse further: that is what must not happen.
	eight := in
	eight.Stories = nil
	for _, s := range in.Stories {
		if s.ID != event.ID {
			eight.Stories = append(eight.Stories, s)
			continue
		}
		for i := 0; i < 8; i++ {
			c := s
			c.ID, c.Outlets = s.ID*100+int64(i), 1
			eight.Stories = append(eight.Stories, c)
		}
	}
	independent := pulse.Compute(eight)
	t.Logf("pulse with the event as one 8-outlet story: %.1f; as 8 independent stories: %.1f", got.Score, independent.Score)
	if !(independent.Score < got.Score) {
		t.Errorf("8 independent bearish stories (%v) should pull the pulse lower than one 8-outlet story (%v)", independent.Score, got.Score)
	}
}
