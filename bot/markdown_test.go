package bot

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestEscapeText(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"plain", "Bitcoin tops $100,000", "Bitcoin tops $100,000"},
		{"bold and italics", "**BUY** _now_ *really*", `\*\*BUY\*\* \_now\_ \*really\*`},
		{"strike, spoiler, code", "~~x~~ ||y|| `z`", "\\~\\~x\\~\\~ \\|\\|y\\|\\| \\`z\\`"},
		{"masked link", "[click](https://evil.example)", `\[click\]\(https://evil.example\)`},
		{"heading", "# Breaking", `\# Breaking`},
		{"subtext", "-# small", `\-\# small`},
		{"list dash only at the start", "- a - b", `\- a - b`},
		{"quote", "> quoted", `\> quoted`},
		{"backslash", `a\b`, `a\\b`},
		{"everyone", "@everyone look", "@\u200beveryone look"},
		{"here", "hi @here", "hi @\u200bhere"},
		{"user mention", "<@123>", "<\u200b@\u200b123\\>"},
		{"role mention", "<@&123>", "<\u200b@\u200b&123\\>"},
		{"channel mention", "<#1>", "<\u200b\\#1\\>"},
		{"newlines fold", "one\n\n# two\r\nthree", `one \# two three`},
		{"controls and bidi go", "a\x00b\u202ec\u2066d", "abcd"},
		{"unicode kept", "Ether ↑ 5% — €", "Ether ↑ 5% — €"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := escapeText(tc.in); got != tc.want {
				t.Errorf("escapeText(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestSafeURL(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"https://news.example/a?b=c", "https://news.example/a?b=c"},
		{" http://news.example/x ", "http://news.example/x"},
		{"https://news.example/a_(b)", "https://news.example/a_%28b%29"},
		{"javascript:alert(1)", ""},
		{"ftp://news.example/x", ""},
		{"https://user:pw@news.example/", ""},
		{"/relative", ""},
		{"", ""},
		{"https://news.example/" + strings.Repeat("a", 600), ""},
	} {
		if got := safeURL(tc.in); got != tc.want {
			t.Errorf("safeURL(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestLinkLineFitsBudget(t *testing.T) {
	long := strings.Repeat("*", 300)
	for _, budget := range []int{40, 100, 200, 400} {
		line := linkLine("**1.** ", long, "https://news.example/"+strings.Repeat("p", 200), " · 3 outlets", budget)
		if n := runeLen(line); n > budget {
			t.Errorf("budget %d: %d characters: %q", budget, n, line)
		}
	}
	if got := linkLine("", "Short", "https://a.example/", "", 100); got != "[Short](https://a.example/)" {
		t.Errorf("short link = %q", got)
	}
}

// Acceptance 3: a story whose title pings and formats renders inert, and
// the response allows no mentions: allowed_mentions.parse is the empty
// list (an absent or null parse would let Discord parse everything).
func TestHostileHeadlineIsInert(t *testing.T) {
	f := newHandlerFixture(t)
	hostile := "@everyone <@&123> **PUMP** [claim](https://evil.example) # now `x` ||spoiler|| @here <@42>"
	f.seed(t,
		story{headline: hostile, hoursAgo: 1, outlets: 2, coins: []string{"BTC"}, score: 0.9},
		story{headline: "calm story", hoursAgo: 2, outlets: 1, score: -0.9},
	)
	f.bot.noChart = true
	for _, line := range []string{"/stories", "/pulse", "/digest preview"} {
		t.Run(line, func(t *testing.T) {
			rep := f.do(t, line)
			if len(rep.Embeds) == 0 {
				t.Fatalf("%s = %+v", line, rep)
			}
			js := responseJSON(t, rep)
			var body struct {
				AllowedMentions map[string]json.RawMessage `json:"allowed_mentions"`
				Embeds          []struct {
					Description string
					Fields      []struct{ Value string }
				}
			}
			if err := json.Unmarshal([]byte(js), &body); err != nil {
				t.Fatal(err)
			}
			if got := string(body.AllowedMentions["parse"]); got != "[]" {
				t.Errorf("allowed_mentions.parse = %s, want []: %s", got, js)
			}
			edit, _ := json.Marshal(rep.WebhookEdit())
			if !strings.Contains(string(edit), `"allowed_mentions":{"parse":[]`) {
				t.Errorf("deferred edit lacks parse []: %s", edit)
			}
			var text strings.Builder
			for _, e := range body.Embeds {
				text.WriteString(e.Description)
				for _, fl := range e.Fields {
					text.WriteString(fl.Value)
				}
			}
			got := text.String()
			if !strings.Contains(got, "@\u200beveryone <\u200b@\u200b&123\\> \\*\\*PUMP\\*\\* \\[claim\\]\\(https://evil.example\\) \\# now \\`x\\` \\|\\|spoiler\\|\\| @\u200bhere <\u200b@\u200b42\\>") {
				t.Errorf("%s: hostile headline not escaped:\n%s", line, got)
			}
			for _, raw := range []string{"@everyone", "@here", "<@&123>", "<@42>", "**PUMP**", "[claim](https://evil.example)"} {
				if strings.Contains(got, raw) {
					t.Errorf("%s: raw %q in the rendering", line, raw)
				}
			}
		})
	}
}
