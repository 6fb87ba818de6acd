package deliver_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pulsebot/pulsebot/jobs/deliver"
	"github.com/pulsebot/pulsebot/jobs/pulsejob"
	"github.com/pulsebot/pulsebot/store"
	"github.com/pulsebot/pulsebot/store/storetest"
)

var t0 = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

type fixture struct {
	st      *store.Store
	clock   *storetest.Clock
	planner *deliver.Planner
	nextKey int64
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	st := storetest.Open(t)
	clock := storetest.NewClock(t0)
	st.Now = clock.Now
	return &fixture{st: st, clock: clock, planner: &deliver.Planner{
		Store: st, Pulses: &pulsejob.Service{Store: st, Now: clock.Now}, Now: clock.Now,
	}}
}

// story saves a story first published at published (its updated_at is the
// clock's now) and returns its id.
func (f *fixture) story(t *testing.T, w store.StoryWrite) int64 {
	t.Helper()
	f.nextKey++
	w.Key = f.nextKey
	if w.Outlets == 0 {
		w.Outlets, w.Weight = 1, 1
	}
	if w.FirstPublished.IsZero() {
		w.FirstPublished = f.clock.Now().Add(-time.Hour)
	}
	ids, err := f.st.SaveStories(context.Background(), []store.StoryWrite{w})
	if err != nil {
		t.Fatal(err)
	}
	if w.ID != 0 {
		return w.ID
	}
	return ids[w.Key]
}

func (f *fixture) plan(t *testing.T) deliver.Planned {
	t.Helper()
	n, err := f.planner.Plan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func (f *fixture) keys(t *testing.T, prefix string) []string {
	t.Helper()
	ds, err := f.st.Deliveries(context.Background(), prefix)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range ds {
		out = append(out, d.Key)
	}
	return out
}

func TestStoryMatches(t *testing.T) {
	st := store.Story{Headline: "SEC approves spot Bitcoin ETF; BTC jumps 8%", Coins: []string{"BTC"}, Topics: []string{"regulation", "etf"}, Outlets: 4}
	for _, tc := range []struct {
		name string
		a    store.Alert
		want bool
	}{
		{"keyword, any case", store.Alert{Keyword: "etf"}, true},
		{"keyword phrase in order", store.Alert{Keyword: "Spot  Bitcoin"}, true},
		{"phrase out of order", store.Alert{Keyword: "bitcoin spot"}, false},
		{"part of a word is not a match", store.Alert{Keyword: "app"}, false},
		{"punctuation around words", store.Alert{Keyword: "etf btc"}, true},
		{"coin", store.Alert{Coin: "btc"}, true},
		{"other coin", store.Alert{Coin: "ETH"}, false},
		{"topic", store.Alert{Topic: "etf"}, true},
		{"other topic", store.Alert{Topic: "hack"}, false},
		{"outlets reached", store.Alert{MinOutlets: 4}, true},
		{"outlets not reached", store.Alert{MinOutlets: 5}, false},
		{"every filter must hold", store.Alert{Keyword: "etf", Coin: "ETH"}, false},
		{"all filters hold", store.Alert{Keyword: "approves", Coin: "BTC", Topic: "regulation", MinOutlets: 2}, true},
		{"no filter posts nothing", store.Alert{}, false},
	} {
		if got := deliver.StoryMatches(tc.a, st); got != tc.want {
			t.Errorf("%s: StoryMatches(%+v) = %v, want %v", tc.name, tc.a, got, tc.want)
		}
	}
}

func TestPlanStoryAlertsAndFollows(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	before := f.story(t, store.StoryWrite{Headline: "Spot ETF filings pile up"}) // before the alert
	f.clock.Add(time.Minute)
	alert, err := f.st.CreateAlert(ctx, store.Alert{GuildID: "g", ChannelID: "c", CreatedBy: "admin", Kind: store.AlertStory, Keyword: "etf"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.CreateAlert(ctx, store.Alert{GuildID: "g", ChannelID: "c", CreatedBy: "admin", Kind: store.AlertPulse, Above: new(float64)}); err != nil {
		t.Fatal(err)
	}
	follow, err := f.st.CreateFollow(ctx, store.Follow{UserID: "u", Coin: "ETH"})
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Add(time.Minute)
	hit := f.story(t, store.StoryWrite{Headline: "ETF inflows hit a record", Coins: []string{"ETH"}})
	f.story(t, store.StoryWrite{Headline: "ETF backlog item", Backlog: true})
	f.story(t, store.StoryWrite{Headline: "ETF of cables", OffTopic: true})
	f.story(t, store.StoryWrite{Headline: "Old ETF news resurfaces", FirstPublished: t0.Add(-30 * time.Hour)})
	f.story(t, store.StoryWrite{Headline: "Nothing to see", Coins: []string{"SOL"}})

	if n := f.plan(t); n.Stories != 1 || n.Follows != 1 {
		t.Errorf("first plan = %+v, want 1 story and 1 follow", n)
	}
	if n := f.plan(t); n.Total() != 0 {
		t.Errorf("second plan = %+v, want nothing new", n)
	}
	// The story from before the alert is joined by another outlet: it is
	// news arriving now, so it alerts.
	f.clock.Add(time.Minute)
	f.story(t, store.StoryWrite{ID: before, Headline: "Spot ETF filings pile up", Outlets: 2, Weight: 2})
	if n := f.plan(t); n.Stories != 1 {
		t.Errorf("plan after the update = %+v, want 1 story", n)
	}
	want := []string{fmt.Sprintf("story:%d:%d", alert.ID, hit), fmt.Sprintf("story:%d:%d", alert.ID, before)}
	if got := f.keys(t, "story:"); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("story deliveries = %q, want %q", got, want)
	}
	ds, _ := f.st.Deliveries(ctx, "follow:")
	if len(ds) != 1 || ds[0].UserID != "u" || ds[0].FollowID != follow.ID || ds[0].StoryID != hit || ds[0].ChannelID != "" {
		t.Errorf("follow deliveries = %+v, want one DM to u about story %d", ds, hit)
	}

	// A disabled alert plans nothing more.
	if err := f.st.DisableAlert(ctx, alert.ID, "Missing Access"); err != nil {
		t.Fatal(err)
	}
	f.story(t, store.StoryWrite{Headline: "Another ETF story"})
	if n := f.plan(t); n.Stories != 0 {
		t.Errorf("plan with the alert disabled = %+v, want no story", n)
	}
}

// seedDay saves n stories of one sentiment first published today.
func (f *fixture) seedDay(t *testing.T, n int, score float64, label string) {
	t.Helper()
	day := f.clock.Now().UTC().Truncate(24 * time.Hour)
	for i := range n {
		f.story(t, store.StoryWrite{
			Headline: fmt.Sprintf("%s story %d", label, i), FirstPublished: day.Add(time.Duration(i) * time.Minute),
			Coins: []string{"BTC"}, Sentiment: store.Sentiment{Score: score, Label: label, Confidence: 0.9},
		})
	}
}

func TestPlanPulseAlertsFireOnCrossingOncePerDay(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	above, below := 6.0, 4.0
	up, err := f.st.CreateAlert(ctx, store.Alert{GuildID: "g", ChannelID: "c", CreatedBy: "a", Kind: store.AlertPulse, Above: &above})
	if err != nil {
		t.Fatal(err)
	}
	down, err := f.st.CreateAlert(ctx, store.Alert{GuildID: "g", ChannelID: "c", CreatedBy: "a", Kind: store.AlertPulse, Below: &below, Coin: "BTC"})
	if err != nil {
		t.Fatal(err)
	}
	day := store.Day(t0)

	// Two bullish stories: a low-confidence pulse fires nothing.
	f.seedDay(t, 2, 0.8, "bullish")
	if n := f.plan(t); n.Pulses != 0 {
		t.Errorf("low-confidence day planned %d pulse alerts, want 0", n.Pulses)
	}
	// Twelve bullish stories: above 6, once.
	f.seedDay(t, 10, 0.8, "bullish")
	if n := f.plan(t); n.Pulses != 1 {
		t.Errorf("bullish day planned %d pulse alerts, want 1", n.Pulses)
	}
	if n := f.plan(t); n.Pulses != 0 {
		t.Errorf("plan again planned %d, want 0 (still above)", n.Pulses)
	}
	// A wave of bearish news: the global pulse falls back and BTC's falls
	// below 4; then bullish news lifts it above 6 again the same day.
	f.seedDay(t, 60, -0.9, "bearish")
	if n := f.plan(t); n.Pulses != 1 {
		t.Errorf("bearish wave planned %d, want 1 (BTC below 4)", n.Pulses)
	}
	f.seedDay(t, 200, 0.9, "bullish")
	if n := f.plan(t); n.Pulses != 0 {
		t.Errorf("second crossing the same day planned %d, want 0", n.Pulses)
	}
	want := []string{fmt.Sprintf("pulse:%d:%s:above", up.ID, day), fmt.Sprintf("pulse:%d:%s:below", down.ID, day)}
	if got := f.keys(t, "pulse:"); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("pulse deliveries = %q, want %q", got, want)
	}
	ds, _ := f.st.Deliveries(ctx, "pulse:")
	if ds[0].Score <= above || ds[1].Score >= below {
		t.Errorf("scores carried: %.1f and %.1f, want beyond %.1f and %.1f", ds[0].Score, ds[1].Score, above, below)
	}
}

func TestDigestDue(t *testing.T) {
	ny := store.Digest{Time: "08:00", Timezone: "America/New_York", UpdatedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	tokyo := store.Digest{Time: "08:00", Timezone: "Asia/Tokyo", UpdatedAt: t0.Add(-48 * time.Hour)}
	spring := store.Digest{Time: "02:30", Timezone: "America/New_York", UpdatedAt: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}
	for _, tc := range []struct {
		name    string
		d       store.Digest
		now     time.Time
		due     bool
		day     string
		wantErr bool
	}{
		{"a minute early (07:59 EST)", ny, time.Date(2026, 11, 27, 12, 59, 0, 0, time.UTC), false, "2026-11-27", false},
		{"on time", ny, time.Date(2026, 11, 27, 13, 0, 0, 0, time.UTC), true, "2026-11-27", false},
		{"late the same local day", ny, time.Date(2026, 11, 28, 4, 59, 0, 0, time.UTC), true, "2026-11-27", false},
		{"set after today's time: tomorrow", store.Digest{Time: "08:00", Timezone: "America/New_York", UpdatedAt: time.Date(2026, 11, 27, 14, 0, 0, 0, time.UTC)},
			time.Date(2026, 11, 27, 15, 0, 0, 0, time.UTC), false, "2026-11-27", false},
		{"local day ahead of UTC", tokyo, time.Date(2026, 11, 26, 23, 30, 0, 0, time.UTC), true, "2026-11-27", false},
		{"summer time (EDT, UTC-4)", ny, time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC), true, "2026-07-01", false},
		{"summer time, before", ny, time.Date(2026, 7, 1, 11, 59, 0, 0, time.UTC), false, "2026-07-01", false},
		{"a time the clocks skip still comes (03:30 EDT)", spring, time.Date(2026, 3, 8, 7, 30, 0, 0, time.UTC), true, "2026-03-08", false},
		{"unknown time zone", store.Digest{Time: "08:00", Timezone: "Mars/Olympus"}, t0, false, "", true},
	} {
		due, day, err := deliver.DigestDue(tc.d, tc.now)
		if (err != nil) != tc.wantErr || due != tc.due || day != tc.day {
			t.Errorf("%s: DigestDue = %v, %q, %v; want %v, %q, error %v", tc.name, due, day, err, tc.due, tc.day, tc.wantErr)
		}
	}
}

func TestPlanDigestsOncePerLocalDay(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.clock.Set(time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC))
	if _, err := f.st.SetDigest(ctx, store.Digest{GuildID: "g", ChannelID: "c", Time: "08:00", Timezone: "Europe/Berlin", CreatedBy: "a"}); err != nil {
		t.Fatal(err)
	}
	if n := f.plan(t); n.Digests != 0 {
		t.Errorf("07:00 Berlin: %d digests, want 0", n.Digests)
	}
	f.clock.Set(time.Date(2026, 11, 27, 7, 0, 0, 0, time.UTC)) // 08:00 in Berlin
	if n := f.plan(t); n.Digests != 1 {
		t.Errorf("08:00 Berlin: %d digests, want 1", n.Digests)
	}
	f.clock.Add(6 * time.Hour)
	if n := f.plan(t); n.Digests != 0 {
		t.Errorf("later that day: %d digests, want 0", n.Digests)
	}
	f.clock.Add(18 * time.Hour)
	if n := f.plan(t); n.Digests != 1 {
		t.Errorf("next day: %d digests, want 1", n.Digests)
	}
	if got := f.keys(t, "digest:"); strings.Join(got, " ") != "digest:g:2026-11-27 digest:g:2026-11-28" {
		t.Errorf("digest deliveries = %q", got)
	}
}
