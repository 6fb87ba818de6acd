package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/pulsebot/pulsebot/jobs/pulse"
	"github.com/pulsebot/pulsebot/store"
)

// story is a story to seed: hours before demoNow, outlets, sentiment.
type story struct {
	headline string
	hoursAgo float64
	outlets  int
	coins    []string
	topics   []string
	score    float64 // sentiment; its sign picks the label
}

func (f *handlerFixture) seed(t testing.TB, stories ...story) {
	t.Helper()
	var ws []store.StoryWrite
	for i, s := range stories {
		label := "neutral"
		switch {
		case s.score > 0.2:
			label = "bullish"
		case s.score < -0.2:
			label = "bearish"
		}
		ws = append(ws, store.StoryWrite{
			Key: int64(i + 1), Headline: s.headline,
			URL:            fmt.Sprintf("https://news.example/%d", i+1),
			FirstPublished: demoNow.Add(-time.Duration(s.hoursAgo * float64(time.Hour))),
			Outlets:        max(s.outlets, 1), Weight: float64(max(s.outlets, 1)),
			Coins: s.coins, Topics: s.topics,
			Sentiment: store.Sentiment{Score: s.score, Label: label, Confidence: 0.9},
		})
	}
	if _, err := f.st.SaveStories(context.Background(), ws); err != nil {
		t.Fatal(err)
	}
}

// seedWeek stores a week of stories ending at demoNow: enough for a pulse
// with history (the 19th is the first day of data).
func (f *handlerFixture) seedWeek(t testing.TB) {
	t.Helper()
	var ss []story
	for d := 0; d < 8; d++ {
		for k := 0; k < 3; k++ {
			ss = append(ss, story{
				headline: fmt.Sprintf("Day %d story %d: bitcoin moves", d, k),
				hoursAgo: float64(d*24 + 2 + k), outlets: k + 1, coins: []string{"BTC"}, topics: []string{"markets"},
				score: []float64{0.6, -0.5, 0.1}[k],
			})
		}
	}
	f.seed(t, ss...)
	if _, err := f.bot.Pulses.Backfill(context.Background(), demoNow.AddDate(0, 0, -8), demoNow, false); err != nil {
		t.Fatal(err)
	}
}

// userErr asserts an ephemeral text reply containing want.
func userErr(t *testing.T, rep Reply, want string) {
	t.Helper()
	if !rep.Ephemeral || !strings.Contains(rep.Content, want) || len(rep.Embeds) != 0 {
		t.Errorf("reply = %+v\nwant an ephemeral message containing %q", rep, want)
	}
}

func embedText(e *discordgo.MessageEmbed) string {
	var b strings.Builder
	b.WriteString(e.Title + "\n" + e.Description + "\n")
	for _, f := range e.Fields {
		b.WriteString(f.Name + ": " + f.Value + "\n")
	}
	if e.Footer != nil {
		b.WriteString(e.Footer.Text)
	}
	return b.String()
}

func TestPulse(t *testing.T) {
	f := newHandlerFixture(t)
	f.seedWeek(t)
	f.seed(t, story{headline: "Solana rallies on ETF hopes", hoursAgo: 1, outlets: 2, coins: []string{"SOL"}, score: 0.8})

	in := f.interaction(t, "/pulse")
	if !f.bot.Slow(in) {
		t.Error("/pulse is not slow: transports would not defer the chart")
	}
	rep := f.bot.Handle(context.Background(), in)
	if len(rep.Embeds) != 1 || rep.Ephemeral {
		t.Fatalf("/pulse = %+v", rep)
	}
	e := rep.Embeds[0]
	text := embedText(e)
	for _, want := range []string{"Market Pulse · 2026-11-26", " / 10 · ", "Today so far", "vs yesterday: ", "vs a week ago: ", "vs a month ago: —",
		"Headline sentiment", "News volume", "Momentum", pulse.Disclaimer, "live pulse from 4 stories", "](https://news.example/", "outlet"} {
		if !strings.Contains(text, want) {
			t.Errorf("/pulse embed lacks %q:\n%s", want, text)
		}
	}
	var names []string
	for _, fl := range e.Fields {
		names = append(names, fl.Name)
	}
	if got := strings.Join(names, ","); got != "Change,Confidence,Components,Bullish,Bearish" {
		t.Errorf("fields = %s", got)
	}
	if len(rep.Files) != 1 || rep.Files[0].Name != "pulse.png" || e.Image == nil || e.Image.URL != "attachment://pulse.png" {
		t.Fatalf("chart not attached: files %+v image %+v", rep.Files, e.Image)
	}
	png, _ := io.ReadAll(rep.Files[0].Reader)
	if !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Errorf("attachment is not a PNG (%d bytes)", len(png))
	}

	// A final day, a coin with fewer than pulse.MinCoinStories stories.
	rep = f.do(t, "/pulse coin:bitcoin date:2026-11-24")
	if len(rep.Embeds) != 1 {
		t.Fatalf("/pulse coin date = %+v", rep)
	}
	text = embedText(rep.Embeds[0])
	for _, want := range []string{"Market Pulse · BTC (Bitcoin) · 2026-11-24", "**Low-confidence pulse:** only 3 stories about BTC that day; a coin pulse needs 5", "final pulse from 3 stories", pulse.Disclaimer} {
		if !strings.Contains(text, want) {
			t.Errorf("/pulse coin:bitcoin lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Today so far") {
		t.Error("a final day says it is today's")
	}

	// Without the chart (the benchmark's setting) the rest is the same.
	f.bot.noChart = true
	rep = f.do(t, "/pulse")
	if len(rep.Files) != 0 || rep.Embeds[0].Image != nil || !strings.Contains(embedText(rep.Embeds[0]), pulse.Disclaimer) {
		t.Errorf("noChart /pulse = %+v", rep)
	}
}

func TestPulseBadInput(t *testing.T) {
	f := newHandlerFixture(t)
	f.seedWeek(t)
	for _, tc := range []struct{ line, want string }{
		{"/pulse date:2026-13-01", "“2026-13-01” is not a date (use YYYY-MM-DD)"},
		{"/pulse date:yesterday-ish", "is not a date (use YYYY-MM-DD)"},
		{"/pulse date:2019-01-01", "No pulse for 2019-01-01: data starts 2026-11-19"},
		{"/pulse date:2026-12-01", "2026-12-01 is in the future"},
		{"/pulse coin:bitconi", "I don't track a coin called “bitconi”. Did you mean BTC (Bitcoin)"},
		{"/pulse coin:zzzzqqq", "I don't track a coin called “zzzzqqq”. Start typing"},
	} {
		t.Run(tc.line, func(t *testing.T) {
			userErr(t, f.do(t, tc.line), tc.want)
		})
	}
}

func TestPulseWithoutStories(t *testing.T) {
	f := newHandlerFixture(t)
	userErr(t, f.do(t, "/pulse"), "No pulse for 2026-11-26: there are no stories yet")
}

func TestStories(t *testing.T) {
	f := newHandlerFixture(t)
	f.seed(t,
		story{headline: "Spot bitcoin ETF sees record inflows", hoursAgo: 3, outlets: 8, coins: []string{"BTC"}, topics: []string{"etf"}},
		story{headline: "Small exchange lists a token", hoursAgo: 1, outlets: 1, coins: []string{"XRP"}, topics: []string{"markets"}},
		story{headline: "Ethereum upgrade date set", hoursAgo: 5, outlets: 3, coins: []string{"ETH"}, topics: []string{"adoption"}},
		story{headline: "Old news from last week", hoursAgo: 30, outlets: 9, coins: []string{"BTC"}},
	)
	rep := f.do(t, "/stories")
	if len(rep.Embeds) != 1 || rep.Ephemeral {
		t.Fatalf("/stories = %+v", rep)
	}
	d := rep.Embeds[0].Description
	first := demoNow.Add(-3 * time.Hour).Unix()
	for _, want := range []string{
		"**1.** [Spot bitcoin ETF sees record inflows](https://news.example/1)\nreported by 8 outlets · BTC · " + fmt.Sprintf("<t:%d:R>", first),
		"reported by 1 outlet · XRP",
	} {
		if !strings.Contains(d, want) {
			t.Errorf("/stories lacks %q:\n%s", want, d)
		}
	}
	if strings.Contains(d, "Old news") {
		t.Error("/stories lists a story older than 24 hours")
	}
	if i, j := strings.Index(d, "Spot bitcoin"), strings.Index(d, "Small exchange"); i > j {
		t.Error("an 8-outlet story ranks below a 1-outlet one")
	}
	if rep.Embeds[0].Title != "Top stories of the last 24 hours" {
		t.Errorf("title = %q", rep.Embeds[0].Title)
	}

	rep = f.do(t, "/stories coin:ETH topic:adoption limit:1")
	if d := rep.Embeds[0].Description; !strings.Contains(d, "Ethereum upgrade") || strings.Contains(d, "**2.**") {
		t.Errorf("/stories coin:ETH = %s", d)
	}

	// Nothing in 24 hours: the most recent, with dates.
	rep = f.do(t, "/stories coin:BTC topic:markets")
	if len(rep.Embeds) != 0 {
		// BTC+markets matches nothing at all: a plain message.
		t.Errorf("no match at all = %+v", rep)
	}
	userOK := f.do(t, "/stories topic:regulation")
	if !strings.Contains(userOK.Content, "No stories on regulation yet") {
		t.Errorf("no stories = %+v", userOK)
	}
	f.clock.Add(48 * time.Hour)
	rep = f.do(t, "/stories limit:2")
	e := rep.Embeds[0]
	if e.Title != "Latest stories" || !strings.Contains(e.Description, "Nothing new in the last 24 hours") ||
		!strings.Contains(e.Description, fmt.Sprintf("<t:%d:D>", demoNow.Add(-time.Hour).Unix())) {
		t.Errorf("fallback = %s\n%s", e.Title, e.Description)
	}
}

func TestStoriesBadInput(t *testing.T) {
	f := newHandlerFixture(t)
	for _, tc := range []struct{ line, want string }{
		{"/stories limit:11", "limit is a number of stories from 1 to 10 (got 11)"},
		{"/stories limit:0", "from 1 to 10 (got 0)"},
		{"/stories topic:memes", "“memes” is not a topic. Topics: regulation, legal"},
		{"/stories coin:notacoin", "I don't track a coin called “notacoin”"},
	} {
		t.Run(tc.line, func(t *testing.T) { userErr(t, f.do(t, tc.line), tc.want) })
	}
}

func TestStatus(t *testing.T) {
	ctx := context.Background()
	f := newHandlerFixture(t)
	f.seedWeek(t)
	if err := f.st.SyncSources(ctx, []store.SourceSpec{{URL: "https://ok.example/feed", Name: "OK Feed"}, {URL: "https://bad.example/feed", Name: "Bad *Feed*"}}); err != nil {
		t.Fatal(err)
	}
	srcs, _ := f.st.Sources(ctx, true)
	f.st.RecordFetch(ctx, srcs[0].ID, store.FetchOutcome{At: demoNow.Add(-10 * time.Minute), Status: "ok"})
	f.st.RecordFetch(ctx, srcs[1].ID, store.FetchOutcome{At: demoNow.Add(-10 * time.Minute), Status: "error", Err: "HTTP 503 Service Unavailable"})
	f.do(t, "/digest set channel:#news time:08:30")
	f.do(t, "/alerts add keyword:etf")
	if err := f.st.DisableAlert(ctx, 1, "Missing Permissions in #news"); err != nil {
		t.Fatal(err)
	}
	f.srv.perms = 0 // anyone may look
	rep := f.do(t, "/status")
	if len(rep.Embeds) != 1 {
		t.Fatalf("/status = %+v", rep)
	}
	text := embedText(rep.Embeds[0])
	next := time.Date(2026, 11, 27, 8, 30, 0, 0, time.UTC).Unix()
	for _, want := range []string{
		"Feeds: 1 healthy · 1 failing\n⚠ **Bad \\*Feed\\***: HTTP 503 Service Unavailable (1 failure in a row, since <t:",
		fmt.Sprintf("Ingest: Last fetch <t:%d:R>; newest story <t:", demoNow.Add(-10*time.Minute).Unix()),
		"Pulse: 2026-11-26: ", "(live, computed <t:",
		"Deliveries: Nothing posted in the last 24 hours.",
		fmt.Sprintf("Digest: The daily digest goes to <#900000000000000012> at 08:30 UTC (next <t:%d:f>", next),
		"Alerts: 1 alert saved (/alerts list).\n⚠ #1 disabled <t:", ": Missing Permissions in \\#news",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("/status lacks %q:\n%s", want, text)
		}
	}
	f.clock.Add(24 * time.Hour)
	if text := embedText(f.do(t, "/status").Embeds[0]); !strings.Contains(text, "⚠ No pulse for today (2026-11-27) yet.") {
		t.Errorf("stale pulse not flagged:\n%s", text)
	}
}

func TestStatusEmpty(t *testing.T) {
	f := newHandlerFixture(t)
	text := embedText(f.do(t, "/status").Embeds[0])
	for _, want := range []string{"No feeds configured yet.", "No ingest has run yet.", "No pulse computed yet.", "Digest: Not set.", "0 alerts saved"} {
		if !strings.Contains(text, want) {
			t.Errorf("/status lacks %q:\n%s", want, text)
		}
	}
}

func TestHelpListsEveryCommand(t *testing.T) {
	f := newHandlerFixture(t)
	rep := f.do(t, "/help")
	d := rep.Embeds[0].Description
	for path := range f.bot.routes {
		if !strings.Contains(d, "**/"+path+"**") {
			t.Errorf("/help lacks /%s", path)
		}
	}
	if !strings.Contains(d, "**/digest preview** — Show what the digest would look like now *(servers only)*") ||
		!strings.Contains(d, "**/alerts remove** id — Remove one of this server's alerts *(Manage Server)*") {
		t.Errorf("/help notes:\n%s", d)
	}
}

func TestAutocomplete(t *testing.T) {
	ctx := context.Background()
	f := newHandlerFixture(t)
	choices := func(line string) []string {
		t.Helper()
		in := f.interaction(t, line)
		if in.Kind != KindAutocomplete {
			t.Fatalf("%q is not an autocomplete interaction", line)
		}
		rep := f.bot.Handle(ctx, in)
		if rep.Choices == nil || len(rep.Choices) > 25 {
			t.Fatalf("%q: choices %v", line, rep.Choices)
		}
		var out []string
		for _, c := range rep.Choices {
			out = append(out, fmt.Sprintf("%s=%v", c.Name, c.Value))
		}
		return out
	}
	if got := choices("/pulse coin:bit?"); len(got) == 0 || got[0] != "BTC — Bitcoin=BTC" {
		t.Errorf("coin bit? = %v", got)
	}
	if got := choices("/stories coin:?"); len(got) != 25 {
		t.Errorf("empty coin prefix gives %d choices, want 25", len(got))
	}
	if got := choices("/digest set channel:#news time:08:00 timezone:berl?"); len(got) != 1 || got[0] != "Europe/Berlin=Europe/Berlin" {
		t.Errorf("timezone berl? = %v", got)
	}
	if got := choices("/digest set channel:#news time:08:00 timezone:\"new york?\""); len(got) != 1 || got[0] != "America/New_York=America/New_York" {
		t.Errorf("timezone 'new york'? = %v", got)
	}
	if got := choices("/digest set channel:#news time:08:00 timezone:America/Halifax?"); len(got) != 1 || got[0] != "America/Halifax=America/Halifax" {
		t.Errorf("timezone outside the list = %v", got)
	}
	if got := choices("/digest set channel:#news time:08:00 timezone:?"); len(got) != 25 {
		t.Errorf("empty timezone gives %d choices", len(got))
	}
	f.do(t, `/alerts add keyword:"spot etf" channel:#alerts`)
	f.do(t, "/alerts pulse below:3")
	f.st.CreateAlert(ctx, store.Alert{GuildID: "other", ChannelID: "1", CreatedBy: "1", Kind: store.AlertStory, Keyword: "secret"})
	got := choices("/alerts remove id:?")
	if strings.Join(got, "|") != "#1 — stories with keyword “spot etf”=1|#2 — when the overall pulse falls below 3.0=2" {
		t.Errorf("alert ids = %v", got)
	}
	if got := choices("/alerts remove id:2?"); len(got) != 1 {
		t.Errorf("alert ids starting 2 = %v", got)
	}
	f.do(t, "/follow coin:ETH")
	if got := choices("/unfollow id:?"); strings.Join(got, "|") != "#1 — stories with coin ETH=1" {
		t.Errorf("follow ids = %v", got)
	}
	// A member without Manage Server sees no alert ids.
	f.srv.perms = discordgo.PermissionSendMessages
	if got := choices("/alerts remove id:?"); len(got) != 0 {
		t.Errorf("a member sees alert ids: %v", got)
	}
}

func TestInternalErrorHasReference(t *testing.T) {
	f := newHandlerFixture(t)
	var logs bytes.Buffer
	f.bot.Log = slog.New(slog.NewTextHandler(&logs, nil))
	in := f.interaction(t, "/alerts list")
	f.st.Close()
	rep := f.bot.Handle(context.Background(), in)
	m := regexp.MustCompile(`^Internal error \(ref ([0-9a-f]{8})\)`).FindStringSubmatch(rep.Content)
	if m == nil || !rep.Ephemeral {
		t.Fatalf("reply = %+v", rep)
	}
	if !strings.Contains(logs.String(), "ref="+m[1]) || !strings.Contains(logs.String(), "command=\"alerts list\"") {
		t.Errorf("log lacks ref %s:\n%s", m[1], logs.String())
	}
	if strings.Contains(rep.Content, "sql") || strings.Contains(rep.Content, "closed") {
		t.Errorf("the user sees the cause: %q", rep.Content)
	}
}

func TestUnknownCommand(t *testing.T) {
	f := newHandlerFixture(t)
	in := f.interaction(t, "/help")
	in.Command = "nope"
	userErr(t, f.bot.Handle(context.Background(), in), "Unknown command /nope. Try /help.")
}

// responseJSON is the interaction response body a transport would send.
func responseJSON(t testing.TB, rep Reply) string {
	t.Helper()
	b, err := json.Marshal(rep.ResponseData())
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
