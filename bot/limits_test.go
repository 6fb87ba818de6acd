package bot

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/pulsebot/pulsebot/store"
)

// withinLimits fails the test for anything Discord would refuse.
func withinLimits(t *testing.T, name string, r Reply) {
	t.Helper()
	check := func(what string, s string, min, max int) {
		t.Helper()
		if n := runeLen(s); n < min || n > max {
			t.Errorf("%s: %s has %d characters, want %d–%d", name, what, n, min, max)
		}
	}
	check("content", r.Content, 0, limitContent)
	if len(r.Embeds) > limitEmbeds {
		t.Errorf("%s: %d embeds", name, len(r.Embeds))
	}
	total := 0
	for i, e := range r.Embeds {
		if e == nil {
			t.Fatalf("%s: embed %d is nil", name, i)
		}
		check("title", e.Title, 0, limitTitle)
		check("description", e.Description, 0, limitDescription)
		if e.Footer != nil {
			check("footer", e.Footer.Text, 0, limitFooter)
		}
		if e.Author != nil {
			check("author", e.Author.Name, 0, limitAuthor)
		}
		if len(e.Fields) > limitFields {
			t.Errorf("%s: %d fields", name, len(e.Fields))
		}
		for _, f := range e.Fields {
			check("field name", f.Name, 1, limitFieldName)
			check("field value", f.Value, 1, limitFieldValue)
			if strings.TrimSpace(f.Name) == "" || strings.TrimSpace(f.Value) == "" {
				t.Errorf("%s: blank field %+v", name, f)
			}
		}
		total += embedChars(e)
	}
	if total > limitEmbedTotal {
		t.Errorf("%s: embeds total %d characters", name, total)
	}
	if r.Content == "" && len(r.Embeds) == 0 && len(r.Files) == 0 && r.Choices == nil {
		t.Errorf("%s: empty message", name)
	}
	if len(r.Choices) > limitChoices {
		t.Errorf("%s: %d choices", name, len(r.Choices))
	}
	for _, c := range r.Choices {
		check("choice name", c.Name, 1, limitChoiceName)
		if s, ok := c.Value.(string); ok {
			check("choice value", s, 1, limitChoiceName)
		}
	}
}

func TestClip(t *testing.T) {
	for _, tc := range []struct {
		in   string
		max  int
		want string
	}{
		{"hello", 5, "hello"},
		{"hello!", 5, "hell…"},
		{"héllo wörld", 6, "héllo…"},
		{"日本語のテキスト", 4, "日本語…"},
		{"abc", 1, "…"},
		{"abc", 0, ""},
		{"", 3, ""},
	} {
		if got := clip(tc.in, tc.max); got != tc.want {
			t.Errorf("clip(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
		}
	}
}

func TestFitReplyHugeInputs(t *testing.T) {
	big := func(n int) string { return strings.Repeat("é", n) }
	var embeds []*discordgo.MessageEmbed
	for i := 0; i < 12; i++ {
		e := &discordgo.MessageEmbed{
			Title: big(1000), Description: big(10000),
			Footer: &discordgo.MessageEmbedFooter{Text: big(3000)}, Author: &discordgo.MessageEmbedAuthor{Name: big(500)},
		}
		for j := 0; j < 30; j++ {
			e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: big(500), Value: big(5000)})
		}
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: "", Value: "  "})
		embeds = append(embeds, e)
	}
	var choices []*discordgo.ApplicationCommandOptionChoice
	choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: "too long a value", Value: big(101)})
	for i := 0; i < 40; i++ {
		choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: big(300), Value: fmt.Sprint(i)})
	}
	got := fitReply(Reply{Content: big(5000), Embeds: embeds})
	withinLimits(t, "huge message", got)
	if len(got.Embeds) == 0 || runeLen(got.Embeds[0].Title) == 0 {
		t.Errorf("fitting dropped everything: %d embeds", len(got.Embeds))
	}
	gotC := fitReply(Reply{Choices: choices})
	withinLimits(t, "huge choices", gotC)
	if len(gotC.Choices) != 25 || gotC.Choices[0].Value != "0" {
		t.Errorf("choices: %d, first %v (the unusable long value must go)", len(gotC.Choices), gotC.Choices[0].Value)
	}
	// The input is not modified: fitting works on copies.
	if runeLen(embeds[0].Title) != 1000 {
		t.Error("fitReply changed its input")
	}
	if r := fitReply(Reply{}); r.Content == "" {
		t.Error("an empty reply stays empty")
	}
}

// Every renderer stays within Discord's limits with the worst feed text:
// 300-character headlines of markdown (which escaping doubles), 30 coins,
// long URLs, 100-character keywords, long error texts, and the most
// alerts and follows a server or person can have.
func TestRenderersWithinLimits(t *testing.T) {
	ctx := context.Background()
	f := newHandlerFixture(t)
	f.bot.noChart = true
	var coins []string
	for i := 0; i < 30; i++ {
		coins = append(coins, fmt.Sprintf("C%02d", i))
	}
	coins = append(coins, "BTC")
	var ss []story
	for i := 0; i < 12; i++ {
		ss = append(ss, story{
			headline: strings.Repeat("*_[", 100) + fmt.Sprint(i), hoursAgo: float64(i) + 1, outlets: 20 - i,
			coins: coins, topics: []string{"etf", "markets"}, score: []float64{0.9, -0.9, 0.5}[i%3],
		})
	}
	f.seed(t, ss...)
	// Long URLs: the stories' links.
	if _, err := f.st.DB().Exec(`UPDATE stories SET url = 'https://news.example/' || hex(randomblob(200))`); err != nil {
		t.Fatal(err)
	}
	kw := strings.Repeat("*", store.MaxKeywordRunes)
	for i := 0; i < store.MaxAlertsPerGuild; i++ {
		a, err := f.st.CreateAlert(ctx, store.Alert{GuildID: f.srv.guildID, ChannelID: f.srv.channelID, CreatedBy: "1", Kind: store.AlertStory,
			Keyword: kw, Coin: "BTC", Topic: "etf", MinOutlets: 99})
		if err != nil {
			t.Fatal(err)
		}
		f.st.DisableAlert(ctx, a.ID, strings.Repeat("<@&1> ", 400))
	}
	for i := 0; i < store.MaxFollowsPerUser; i++ {
		fl, err := f.st.CreateFollow(ctx, store.Follow{UserID: f.srv.userID, Keyword: kw, Coin: "ETH"})
		if err != nil {
			t.Fatal(err)
		}
		f.st.DisableFollow(ctx, fl.ID, strings.Repeat("x", 3000))
	}
	var specs []store.SourceSpec
	for i := 0; i < 100; i++ {
		specs = append(specs, store.SourceSpec{URL: fmt.Sprintf("https://feed%d.example/rss", i), Name: strings.Repeat("#", 300)})
	}
	if err := f.st.SyncSources(ctx, specs); err != nil {
		t.Fatal(err)
	}
	srcs, _ := f.st.Sources(ctx, true)
	for _, s := range srcs {
		f.st.RecordFetch(ctx, s.ID, store.FetchOutcome{At: demoNow, Status: "error", Err: strings.Repeat("error ", 1000)})
	}
	f.do(t, "/digest set channel:#news time:08:00 role:@Traders")
	f.st.DisableDigest(ctx, f.srv.guildID, strings.Repeat("y", 5000))

	for _, line := range []string{
		"/stories limit:10", "/stories coin:BTC topic:etf limit:10", "/pulse", "/pulse coin:BTC",
		"/alerts list", "/following", "/status", "/digest preview", "/help",
		"/alerts remove id:?", "/unfollow id:?", "/stories coin:?", "/digest set channel:#news time:08:00 timezone:a?",
		"/alerts add keyword:" + strings.Repeat("x", 100) + " coin:" + strings.Repeat("q", 64),
		"/pulse date:" + strings.Repeat("9", 3000),
	} {
		rep := f.do(t, line)
		withinLimits(t, clip(line, 60), rep)
		// The renderers size their own parts: fitReply, the safety net,
		// has nothing left to cut.
		in := f.interaction(t, line)
		if r := f.bot.routes[in.Command]; in.Kind == KindCommand && r.handle != nil {
			if raw, err := r.handle(ctx, in); err == nil {
				withinLimits(t, "unfitted "+clip(line, 60), raw)
			}
		}
		if strings.Contains(line, "limit:10") && (len(rep.Embeds) != 1 || strings.Count(rep.Embeds[0].Description, "reported by") != 10) {
			t.Errorf("%s: not all 10 stories shown", line)
		}
	}
	// The status of a DM user with the most follows.
	f.srv.dm = true
	withinLimits(t, "/status in a DM", f.do(t, "/status"))
	// A keyword over the limit that reaches the bot anyway (Discord's
	// max_length bypassed) is refused, not stored.
	userErr(t, f.do(t, "/follow keyword:"+strings.Repeat("k", 500)), "at most 100 characters")
}
