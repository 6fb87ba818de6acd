package bot

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
)

func TestTokenize(t *testing.T) {
	for _, tc := range []struct {
		line string
		want []string
	}{
		{`/pulse coin:BTC`, []string{"/pulse", "coin:BTC"}},
		{`  /alerts   add  keyword:"spot etf"  `, []string{"/alerts", "add", "keyword:spot etf"}},
		{`/alerts add keyword:"say \"hi\" \\ bye"`, []string{"/alerts", "add", `keyword:say "hi" \ bye`}},
		{`/alerts add "keyword:a b"`, []string{"/alerts", "add", "keyword:a b"}},
		{`/digest set time:08:30`, []string{"/digest", "set", "time:08:30"}},
		{`/follow keyword:""`, []string{"/follow", "keyword:"}},
	} {
		toks, err := tokenize(tc.line)
		if err != nil {
			t.Errorf("tokenize(%q): %v", tc.line, err)
			continue
		}
		var got []string
		for _, tk := range toks {
			got = append(got, tk.text)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("tokenize(%q) = %q, want %q", tc.line, got, tc.want)
		}
	}
	// A colon inside quotes before the option's own is not the separator.
	toks, _ := tokenize(`"a:b":c`)
	if toks[0].colon != 3 {
		t.Errorf("colon of %q = %d, want 3", toks[0].text, toks[0].colon)
	}
	if _, err := tokenize(`/alerts add keyword:"open`); err == nil {
		t.Error("unterminated quote accepted")
	}
}

func TestParseShellLine(t *testing.T) {
	srv := newShellServer()
	i, err := srv.parseShellLine(`/digest set channel:#News time:"08:30" timezone:UTC role:@traders silent:true`, Commands())
	if err != nil {
		t.Fatal(err)
	}
	data := i.ApplicationCommandData()
	if i.Type != discordgo.InteractionApplicationCommand || i.GuildID != srv.guildID || i.Member.Permissions != srv.perms || data.Name != "digest" {
		t.Fatalf("interaction = %+v", i)
	}
	sub := data.Options[0]
	if sub.Name != "set" || sub.Type != discordgo.ApplicationCommandOptionSubCommand {
		t.Fatalf("subcommand = %+v", sub)
	}
	got := map[string]any{}
	for _, o := range sub.Options {
		got[o.Name] = o.Value
	}
	want := map[string]any{"channel": "900000000000000012", "time": "08:30", "timezone": "UTC", "role": "900000000000000020", "silent": true}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("options = %v, want %v", got, want)
	}
	if data.Resolved.Channels["900000000000000012"].Name != "news" || data.Resolved.Roles["900000000000000020"].Name != "Traders" {
		t.Errorf("resolved = %+v", data.Resolved)
	}
	in, err := FromDiscord(i)
	if err != nil {
		t.Fatal(err)
	}
	if in.Command != "digest set" || in.Options["channel"].Label != "news" || !in.Options["silent"].Bool {
		t.Errorf("FromDiscord = %+v", in)
	}

	i, err = srv.parseShellLine(`/stories limit:3 coin:"bit?"`, Commands())
	if err != nil {
		t.Fatal(err)
	}
	in, _ = FromDiscord(i)
	if in.Kind != KindAutocomplete || in.Focused != "coin" || in.Str("coin") != "bit" || in.Options["limit"].Int != 3 {
		t.Errorf("autocomplete = %+v", in)
	}
	i, _ = srv.parseShellLine(`/alerts pulse above:7.5`, Commands())
	if v := i.ApplicationCommandData().Options[0].Options[0].Value; v != 7.5 {
		t.Errorf("number option = %#v", v)
	}

	for _, tc := range []struct{ line, want string }{
		{"pulse", "commands start with /"},
		{"/nope", "unknown command /nope; commands: /pulse /stories /alerts"},
		{"/alerts", "/alerts needs a subcommand: add, pulse, list, remove"},
		{"/alerts coin:BTC", "/alerts needs a subcommand"},
		{"/alerts delete", `/alerts has no subcommand "delete"`},
		{"/pulse ticker:BTC", `/pulse has no option "ticker" (options: coin, date)`},
		{"/pulse BTC", `/pulse: expected option:value, got "BTC"`},
		{"/pulse coin:BTC coin:ETH", "/pulse: option coin given twice"},
		{"/stories limit:five", `/stories limit: "five" is not a whole number`},
		{"/stories limit:2.5", `"2.5" is not a whole number`},
		{"/alerts pulse above:high", `/alerts pulse above: "high" is not a number`},
		{"/digest set channel:#news time:08:00 silent:yes", `/digest set silent: "yes" is not true or false`},
		{"/alerts add keyword:x channel:#random", `no channel "#random" in this server (channels: #general #alerts #news)`},
		{"/digest set channel:#news time:08:00 role:@Admins", `no role "@Admins" in this server (roles: @Traders @Mods @everyone)`},
		{"/digest set channel:#news", "/digest set needs time:…"},
		{"/digest set", "/digest set needs channel:… and time:…"},
		{"/unfollow", "/unfollow needs id:…"},
		{"", "empty command"},
	} {
		_, err := srv.parseShellLine(tc.line, Commands())
		var ue *UsageError
		if !errors.As(err, &ue) || !strings.Contains(ue.Msg, tc.want) {
			t.Errorf("parse %q: err = %v, want a UsageError containing %q", tc.line, err, tc.want)
		}
	}
}

func TestShellDM(t *testing.T) {
	srv := newShellServer()
	srv.dm = true
	i, err := srv.parseShellLine("/following", Commands())
	if err != nil {
		t.Fatal(err)
	}
	if i.GuildID != "" || i.Member != nil || i.User == nil {
		t.Errorf("DM interaction = %+v", i)
	}
}

// The shell on the demo feeds: -c '/pulse' and -c '/stories' print the
// answers as text, and the chart lands in ChartDir.
func TestShellCommandOnDemo(t *testing.T) {
	f := newHandlerFixture(t)
	f.ingestDemo(t)
	dir := filepath.Join(t.TempDir(), "charts")
	run := func(cmd string) string {
		t.Helper()
		var out bytes.Buffer
		if err := f.bot.RunShell(context.Background(), ShellOptions{Out: &out, Command: cmd, ChartDir: dir}); err != nil {
			t.Fatalf("%s: %v", cmd, err)
		}
		return out.String()
	}

	out := run("/pulse")
	chart := filepath.Join(dir, "market-pulse-2026-11-26.png")
	for _, want := range []string{
		"━━ Market Pulse · 2026-11-26 ━━\n", " / 10 · ", "Today so far", "▸ Change\n  vs yesterday: ",
		"▸ Confidence\n", "▸ Components\n  Headline sentiment ", "▸ Bullish\n  ▲ ", "▸ Bearish\n  ▼ ", " <https://",
		"\nNot financial advice. · live pulse from ", "Chart: " + chart + "\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("/pulse output lacks %q:\n%s", want, out)
		}
	}
	if strings.ContainsAny(out, "*\\") {
		t.Errorf("/pulse output has markdown left:\n%s", out)
	}
	png, err := os.ReadFile(chart)
	if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Errorf("chart file: %v (%d bytes)", err, len(png))
	}

	out = run("/stories")
	for _, want := range []string{"━━ Top stories of the last 24 hours ━━\n", "1. ", " <https://", "\nreported by ", " ago", "Vaultix", "Ranked by"} {
		if !strings.Contains(out, want) {
			t.Errorf("/stories output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "<t:") {
		t.Errorf("timestamps not spelled out:\n%s", out)
	}

	out = run("/stories coin:SOL limit:1")
	if !strings.Contains(out, "━━ Latest stories about SOL ━━\nNothing new in the last 24 hours; these are the most recent.") || !strings.Contains(out, "2026-11-") {
		t.Errorf("/stories coin:SOL:\n%s", out)
	}

	out = run("/pulse date:2026-13-01")
	if out != "(only you can see this)\n“2026-13-01” is not a date (use YYYY-MM-DD)\n" {
		t.Errorf("bad date output = %q", out)
	}
	out = run("/pulse coin:eth?")
	if !strings.HasPrefix(out, "  ETH — Ethereum  → ETH\n") {
		t.Errorf("autocomplete output = %q", out)
	}
	var ue *UsageError
	if err := f.bot.RunShell(context.Background(), ShellOptions{Out: &bytes.Buffer{}, Command: "/pulse when:today"}); !errors.As(err, &ue) {
		t.Errorf("bad command line: err = %v, want *UsageError", err)
	}
}

func TestShellInteractive(t *testing.T) {
	f := newHandlerFixture(t)
	in := strings.NewReader(strings.Join([]string{
		"help",
		"",
		`/alerts add keyword:"spot etf" channel:#alerts`,
		"/bogus",
		"/alerts list",
		`/digest set channel:#news time:08:30 role:@Traders`,
		"exit",
		"/help",
	}, "\n"))
	var out bytes.Buffer
	if err := f.bot.RunShell(context.Background(), ShellOptions{In: in, Out: &out}); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"pulsebot shell: slash commands in a pretend server (#general #alerts #news, @Traders @Mods; you have Manage Server).",
		"> Type commands as in Discord",
		"Saved alert #1: stories with keyword “spot etf” → #alerts.",
		"usage: unknown command /bogus",
		"━━ Alerts in this server (1 of 50) ━━\n#1 stories with keyword “spot etf” → #alerts\n",
		"the daily digest goes to #news at 08:30 UTC (next 2026-11-27 08:30 UTC, in 14 hours), mentioning @Traders.",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("session lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "pulsebot commands") {
		t.Error("a command after exit ran")
	}
	// End of input ends the session without error.
	if err := f.bot.RunShell(context.Background(), ShellOptions{In: strings.NewReader("/status"), Out: &bytes.Buffer{}}); err != nil {
		t.Errorf("EOF: %v", err)
	}
}
